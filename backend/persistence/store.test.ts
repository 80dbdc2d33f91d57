import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Database } from '../../native/sqlite.ts';
import type { AgentRecord } from './agents-repository.ts';
import { openTroikaDatabase } from './database.ts';
import { createAgentStore, type AgentStore } from './store.ts';

function agent(id: string, createdAt: number): AgentRecord {
  return {
    id,
    task: `task of ${id}`,
    model: 'claude-sonnet-5-5',
    workspace: '/tmp/ws',
    workDir: '/tmp/ws',
    branch: null,
    persona: null,
    budgetUsd: 2,
    state: 'running',
    stateReason: null,
    createdAt,
    updatedAt: createdAt,
  };
}

describe('agent store', () => {
  let db: Database;
  let store: AgentStore;
  beforeEach(() => {
    db = openTroikaDatabase(':memory:');
    store = createAgentStore(db);
  });
  afterEach(() => db.close());

  test('an inserted agent reads back unchanged', () => {
    store.agents.insert(agent('a1', 10));
    assert.deepEqual(store.agents.get('a1'), agent('a1', 10));
  });

  test('agents are listed newest first', () => {
    store.agents.insert(agent('old', 1));
    store.agents.insert(agent('new', 2));
    assert.deepEqual(
      store.agents.list(10).map((a) => a.id),
      ['new', 'old'],
    );
  });

  test('a state change is stored with its reason', () => {
    store.agents.insert(agent('a1', 1));
    store.agents.updateState('a1', 'failed', 'invalid API key', 5);
    const a = store.agents.get('a1');
    assert.equal(a?.state, 'failed');
    assert.equal(a?.stateReason, 'invalid API key');
    assert.equal(a?.updatedAt, 5);
  });

  test('agents can be found by state', () => {
    store.agents.insert(agent('a1', 1));
    store.agents.insert({ ...agent('a2', 2), state: 'done' });
    assert.deepEqual(
      store.agents.listInStates(['running', 'paused']).map((a) => a.id),
      ['a1'],
    );
  });

  test('transcript messages keep their order and content', () => {
    store.agents.insert(agent('a1', 1));
    store.transcript.put('a1', {
      seq: 1,
      role: 'assistant',
      content: [{ type: 'text', text: 'hi' }],
      createdAt: 2,
    });
    store.transcript.put('a1', {
      seq: 0,
      role: 'user',
      content: [{ type: 'text', text: 'task' }],
      createdAt: 1,
    });
    assert.deepEqual(
      store.transcript.list('a1').map((m) => [m.seq, m.role, m.content]),
      [
        [0, 'user', [{ type: 'text', text: 'task' }]],
        [1, 'assistant', [{ type: 'text', text: 'hi' }]],
      ],
    );
  });

  test('putting a message at an existing seq replaces it', () => {
    store.agents.insert(agent('a1', 1));
    store.transcript.put('a1', {
      seq: 0,
      role: 'user',
      content: [{ type: 'text', text: 'v1' }],
      createdAt: 1,
    });
    store.transcript.put('a1', {
      seq: 0,
      role: 'user',
      content: [{ type: 'text', text: 'v2' }],
      createdAt: 1,
    });
    assert.deepEqual(
      store.transcript.list('a1').map((m) => m.content),
      [[{ type: 'text', text: 'v2' }]],
    );
  });

  test('events are appended and read in order', () => {
    store.agents.insert(agent('a1', 1));
    const first = store.events.append('a1', 'state', { state: 'running' }, 1);
    store.events.append('a1', 'state', { state: 'done' }, 2);
    assert.deepEqual(
      store.events.list('a1').map((e) => e.data),
      [{ state: 'running' }, { state: 'done' }],
    );
    assert.deepEqual(
      store.events.list('a1', { afterId: first }).map((e) => e.data),
      [{ state: 'done' }],
    );
  });

  test('queued events are written before a later direct append, keeping the log in order', () => {
    store.agents.insert(agent('a1', 1));
    store.events.appendSoon('a1', 'state', { n: 1 }, 1);
    store.events.appendSoon('a1', 'state', { n: 2 }, 2);
    store.events.append('a1', 'state', { n: 3 }, 3);
    assert.deepEqual(
      store.events.list('a1').map((e) => e.data),
      [{ n: 1 }, { n: 2 }, { n: 3 }],
    );
  });

  test('a queued event is visible to the next read, and the latest of a type is found', () => {
    store.agents.insert(agent('a1', 1));
    store.events.appendSoon('a1', 'persona', { name: 'qa' }, 1);
    store.events.appendSoon('a1', 'other', {}, 2);
    store.events.appendSoon('a1', 'persona', { name: 'docs' }, 3);
    assert.deepEqual(store.events.latest('a1', 'persona')?.data, { name: 'docs' });
    assert.equal(store.events.latest('a1', 'missing'), undefined);
  });

  test('events cannot be changed or deleted', () => {
    store.agents.insert(agent('a1', 1));
    store.events.append('a1', 'state', {}, 1);
    assert.throws(() => db.prepare("UPDATE agent_events SET type = 'x'").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM agent_events').run(), /append-only/);
  });

  test('usage totals add up per agent and over time', () => {
    store.agents.insert(agent('a1', 1));
    store.agents.insert(agent('a2', 1));
    const u = {
      inputTokens: 10,
      outputTokens: 5,
      cacheCreationInputTokens: 100,
      cacheReadInputTokens: 1000,
    };
    store.usage.record('a1', 'm', u, 0.5, 100);
    store.usage.record('a1', 'm', u, 0.25, 200);
    store.usage.record('a2', 'm', u, 1, 300);
    assert.deepEqual(store.usage.totalsFor('a1'), {
      requests: 2,
      inputTokens: 20,
      outputTokens: 10,
      cacheCreationInputTokens: 200,
      cacheReadInputTokens: 2000,
      costUsd: 0.75,
    });
    assert.equal(store.usage.totalsSince(200).costUsd, 1.25);
  });

  test('an agent without usage has zero totals', () => {
    store.agents.insert(agent('a1', 1));
    assert.equal(store.usage.totalsFor('a1').costUsd, 0);
    assert.equal(store.usage.totalsFor('a1').requests, 0);
  });
});
