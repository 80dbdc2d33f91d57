import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Database } from '../../native/sqlite.ts';
import { openTroikaDatabase } from '../persistence/database.ts';
import { createAgentStore } from '../persistence/store.ts';
import { planCompaction, summaryRequestMessages, SUMMARY_INSTRUCTION } from './compaction.ts';
import { ContextMeter } from './context-meter.ts';
import { Conversation } from './conversation.ts';

const databases: Database[] = [];
after(() => databases.forEach((db) => db.close()));

function conversation(turns: number, resultChars: number): Conversation {
  const db = openTroikaDatabase(':memory:');
  databases.push(db);
  const store = createAgentStore(db);
  store.agents.insert({
    id: 'a',
    task: 't',
    model: 'm',
    workspace: 'w',
    workDir: 'w',
    branch: null,
    persona: null,
    budgetUsd: null,
    state: 'idle',
    stateReason: null,
    createdAt: 0,
    updatedAt: 0,
  });
  const c = new Conversation('a', store.transcript, () => 0);
  c.addUserBlocks([{ type: 'text', text: 'the task' }]);
  for (let i = 0; i < turns; i++) {
    c.appendAssistant([{ type: 'tool_use', id: `t${i}`, name: 'list_files', input: {} }]);
    c.addUserBlocks([
      { type: 'tool_result', tool_use_id: `t${i}`, content: 'x'.repeat(resultChars) },
    ]);
  }
  return c;
}

describe('compaction plan', () => {
  test('a conversation of the task and one exchange has nothing older to summarize', () => {
    const plan = planCompaction(conversation(1, 10_000), 1_000);
    assert.equal(plan.ok, false);
  });

  test('the cut keeps the latest turns that fit a quarter of the window, and is an assistant turn', () => {
    // Each exchange ≈ 955 tokens; a quarter of 8,000 (2,000) holds two of them, not three.
    const c = conversation(6, 3_800);
    const plan = planCompaction(c, 8_000);
    assert.deepEqual(plan, { ok: true, keepFromSeq: 9, summarized: 8 });
    assert.equal(c.from(9)[0]?.role, 'assistant');
  });

  test('the summary request ends with the instruction after the last results before the cut', () => {
    const c = conversation(3, 100);
    const messages = summaryRequestMessages(c, 5);
    assert.equal(messages.length, 5);
    const last = messages.at(-1);
    assert.deepEqual(Array.isArray(last?.content) && last.content.map((b) => b.type), [
      'tool_result',
      'text',
    ]);
    assert.equal(
      Array.isArray(last?.content) && last.content[1]?.type === 'text' && last.content[1].text,
      SUMMARY_INSTRUCTION,
    );
  });

  test('after a compaction the model sees the task, the summary, then the kept turns', () => {
    const c = conversation(3, 100);
    c.compact({ summary: 'S', keepFromSeq: 5, count: 1 });
    const [head, kept] = c.params;
    assert.equal(c.params.length, 3);
    assert.deepEqual(
      Array.isArray(head?.content) &&
        head.content.map((b) => (b.type === 'text' ? b.text.slice(-1) : b.type)),
      ['k', 'S'],
    );
    assert.equal(kept?.role, 'assistant');
  });
});

describe('context meter', () => {
  test('before any report it trusts the estimate; after one it adds only what the estimate grew', () => {
    const meter = new ContextMeter(200_000);
    assert.equal(meter.tokensFor(1_000), 1_000);
    meter.observe(1_300, 1_000);
    assert.equal(meter.tokensFor(1_500), 1_800);
  });
});
