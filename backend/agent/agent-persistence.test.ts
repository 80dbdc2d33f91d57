import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { databasePath } from '../persistence/database.ts';
import type { Turn, TurnHandler } from '../testing/messages-server/index.ts';
import { INTERRUPTED_REASON } from './agent-manager.ts';
import { Harness, resultText } from './testing/harness.ts';

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0).reverse()) await h.dispose();
});
async function harness(...args: Parameters<typeof Harness.start>): Promise<Harness> {
  const h = await Harness.start(...args);
  harnesses.push(h);
  return h;
}

describe('budgets', () => {
  test("reaching the agent's budget stops it cleanly, saying which cap and how much was spent", async () => {
    const h = await harness({
      server: {
        script: [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'never sent' }],
      },
    });
    const { id } = await h.manager.start({
      task: 't',
      workspace: h.folder('ws'),
      budgetUsd: 0.001,
    });
    const stopped = await h.waitForState(id, 'stopped');
    assert.match(
      stopped.stateReason ?? '',
      /^Stopped: this agent's budget of \$0\.0010 is reached \(it spent \$0\.0\d+\)/,
    );
    assert.equal(h.server.messageRequests.length, 1, 'no request after the cap');
    const last = h.manager.get(id).transcript.at(-1);
    assert.equal(
      last?.content[0]?.type,
      'tool_result',
      'the open tool call is answered, so the run can resume',
    );
  });

  test('reaching the global budget stops the agent and names the global cap', async () => {
    const h = await harness({
      server: { script: [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'x' }] },
      manager: { globalBudgetUsd: 0.001 },
    });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    const stopped = await h.waitForState(id, 'stopped');
    assert.match(
      stopped.stateReason ?? '',
      /global budget of \$0\.0010 for all agents is reached \(\$0\.0\d+ spent this session\)/,
    );
  });

  test('resuming with a higher budget continues the run', async () => {
    const h = await harness({
      server: { script: [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'finished' }] },
    });
    const { id } = await h.manager.start({
      task: 't',
      workspace: h.folder('ws'),
      budgetUsd: 0.001,
    });
    await h.waitForState(id, 'stopped');
    const resumed = await h.manager.resume(id, 5);
    assert.equal(resumed.budgetUsd, 5);
    await h.waitForState(id, 'done');
    assert.equal(h.server.messageRequests.length, 2);
  });
});

describe('persistence', () => {
  test('agents, transcripts, usage and an append-only event log are stored', async () => {
    const h = await harness({
      server: {
        script: [
          { toolUses: [{ name: 'bash', input: { command: 'echo stored' } }] },
          { text: 'ok' },
        ],
      },
    });
    const { id } = await h.manager.start({ task: 'store me', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    assert.equal(h.store.agents.get(id)?.state, 'done');
    assert.deepEqual(
      h.store.transcript.list(id).map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
    assert.equal(h.store.usage.totalsFor(id).requests, 2);
    const types = h.store.events.list(id).map((e) => e.type);
    assert.ok(
      types.includes('agent.state') &&
        types.includes('agent.usage') &&
        types.includes('agent.transcript'),
    );
    assert.ok(
      !h.store.events
        .list(id)
        .some((e) => (e.data as { entry?: { kind?: string } }).entry?.kind === 'text_delta'),
    );
  });

  test('the API key never reaches the database', async () => {
    const h = await harness({ server: { script: [{ text: 'ok' }] } });
    const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    const dump =
      JSON.stringify(h.db.prepare('SELECT * FROM agents').all()) +
      JSON.stringify(h.db.prepare('SELECT * FROM agent_events').all()) +
      JSON.stringify(h.db.prepare('SELECT * FROM transcript_messages').all());
    assert.ok(!dump.includes(h.server.apiKey));
  });

  test('after a crash, the cut-off run is listed as interrupted and resumes from its transcript', async () => {
    const handler: TurnHandler = (_r, { turnIndex }): Turn =>
      turnIndex === 0
        ? { toolUses: [{ name: 'bash', input: { command: 'touch started.txt; sleep 30' } }] }
        : { text: 'Resumed and finished.' };
    const first = await harness({ server: { script: handler } });
    const ws = first.folder('ws');
    const { id } = await first.manager.start({ task: 'long job', workspace: ws });
    await first.waitFor((e) => e.event === 'agent.transcript' && e.data.entry.kind === 'tool_call');
    // The crash: the database as it was on disk at this moment, opened by a new process.
    const crashDir = join(first.root, 'after-crash');
    mkdirSync(crashDir);
    first.db.exec(`VACUUM INTO '${databasePath(crashDir).replace(/'/g, "''")}'`);
    await first.manager.stop(id);

    const second = await harness({ sharedServer: first.server, dataDir: crashDir });
    const [past] = second.manager.history();
    assert.equal(past?.id, id);
    assert.equal(past?.state, 'idle');
    assert.equal(past?.stateReason, INTERRUPTED_REASON);
    assert.equal(past?.resumable, true);

    await second.manager.resume(id);
    await second.waitForState(id, 'done');
    const request = first.server.messageRequests.length - 1;
    const [result] = second.toolResults(request);
    assert.equal(result?.is_error, true);
    assert.match(
      resultText(result?.content),
      /Troika stopped while this tool call was pending or running; its result is unknown/,
    );
    assert.deepEqual(second.body(request).messages[0]?.content[0]?.['text'], 'long job');
  });

  test('past runs are listed after a restart with their usage', async () => {
    const first = await harness({ server: { script: [{ text: 'one' }] } });
    const { id } = await first.manager.start({ task: 'past', workspace: first.folder('ws') });
    await first.waitForState(id, 'done');
    const cost = first.manager.get(id).usage.costUsd;
    await first.manager.dispose();
    const second = await harness({ sharedServer: first.server, dataDir: first.dataDir });
    const [past] = second.manager.history();
    assert.equal(past?.task, 'past');
    assert.equal(past?.state, 'done');
    assert.equal(past?.usage.costUsd, cost);
    assert.deepEqual(
      second.manager.get(id).transcript.map((m) => m.role),
      ['user', 'assistant'],
    );
  });
});
