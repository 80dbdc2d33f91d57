/**
 * Troika's hook pipeline wired into the agent loop as the app wires it
 * (createAgentHooks, policy inside the pipeline), with the real SDK against
 * the local Messages server, a real PTY and database.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { CACHE_DIR_NAME } from './agent-hooks.ts';
import { AUDIT_EVENT_TYPE } from './hook-reports.ts';
import type { ToolTiming } from './tool-call.ts';
import { Harness, resultText, type HarnessOptions } from './testing/harness.ts';

/** A file big enough that a reference is worth giving (well over the cache hook's minimum). */
const BIG = Array.from(
  { length: 120 },
  (_, i) => `export function step${i}(input: number): number { return input + ${i}; }`,
).join('\n');
const view = (path: string) => ({
  name: 'str_replace_based_edit_tool',
  input: { command: 'view', path },
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

async function start(
  turns: NonNullable<HarnessOptions['server']>['script'],
  hooks: HarnessOptions['hooks'] = {},
  manager: HarnessOptions['manager'] = {},
): Promise<Harness> {
  h = await Harness.start({ server: { script: turns }, hooks, manager });
  return h;
}

function workspaceWithBigFile(harness: Harness, name = 'ws'): string {
  const ws = harness.folder(name);
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src', 'big.ts'), BIG);
  return ws;
}

const node = JSON.stringify(process.execPath);

describe('token cache in the agent loop', () => {
  test('an unchanged file read again is answered with a short reference, and the tokens saved are counted per agent', async () => {
    const harness = await start([
      { toolUses: [view('src/big.ts')] },
      { toolUses: [view('src/big.ts')] },
      { text: 'Read it twice.' },
    ]);
    const { id } = await harness.manager.start({
      task: 'look at the code',
      workspace: workspaceWithBigFile(harness),
    });
    const done = await harness.waitForState(id, 'done');
    assert.match(resultText(harness.toolResults(1)[0]?.content), /step119/);
    assert.match(
      resultText(harness.toolResults(2)[0]?.content),
      /^\[Unchanged: you already received this exact result in tool_use_id /,
    );
    assert.equal(done.cache.references, 1);
    assert.ok(done.cache.savedTokens > 500, `saved ${done.cache.savedTokens}`);
    assert.equal(
      harness.eventsOf('agent.cache', id).at(-1)?.cache.savedTokens,
      done.cache.savedTokens,
    );
  });

  test('a read another agent already made in the same folder is served from the cold cache without running the tool', async () => {
    const timings: ToolTiming[] = [];
    const harness = await start(
      [
        { toolUses: [view('src/big.ts')] },
        { text: 'a' },
        { toolUses: [view('src/big.ts')] },
        { text: 'b' },
      ],
      {},
      {
        onToolTiming: (_agentId, timing) => timings.push(timing),
      },
    );
    const ws = workspaceWithBigFile(harness);
    const first = await harness.manager.start({ task: 'read', workspace: ws });
    await harness.waitForState(first.id, 'done');
    const second = await harness.manager.start({ task: 'read again', workspace: ws });
    const done = await harness.waitForState(second.id, 'done');
    assert.match(resultText(harness.toolResults(3)[0]?.content), /step119/);
    assert.equal(done.cache.hits, 1);
    assert.ok(done.cache.servedTokens > 500);
    assert.deepEqual(
      timings.map((t) => [t.answeredByHook, t.toolMs]),
      [
        [false, timings[0]?.toolMs],
        [true, 0],
      ],
    );
    assert.ok(
      readdirSync(join(harness.dataDir, CACHE_DIR_NAME)).some((name) => name.endsWith('.db')),
      'the cold tier lives under <dataDir>/cache',
    );
  });

  test('an edit invalidates: the file read after it comes in full, with the change', async () => {
    const harness = await start([
      { toolUses: [view('src/big.ts')] },
      {
        toolUses: [
          {
            name: 'str_replace_based_edit_tool',
            input: {
              command: 'str_replace',
              path: 'src/big.ts',
              old_str: 'step7(',
              new_str: 'renamedStep7(',
            },
          },
        ],
      },
      { toolUses: [view('src/big.ts')] },
      { text: 'Renamed.' },
    ]);
    const { id } = await harness.manager.start({
      task: 'rename step7',
      workspace: workspaceWithBigFile(harness),
    });
    const done = await harness.waitForState(id, 'done');
    const after = resultText(harness.toolResults(3)[0]?.content);
    assert.match(after, /renamedStep7\(/);
    assert.doesNotMatch(after, /^\[Unchanged/);
    assert.equal(done.cache.references, 0);
  });
});

describe('personas in the agent loop', () => {
  test('the task chooses a persona by its triggers; the choice and its reason are events, and the prompt prefix is byte-identical on every request', async () => {
    const harness = await start([
      { toolUses: [{ name: 'list_files', input: {} }] },
      { toolUses: [{ name: 'list_files', input: { depth: 1 } }] },
      { text: 'Tests written.' },
    ]);
    const { id } = await harness.manager.start({
      task: 'Add unit tests for the parser and fix the flaky one',
      workspace: harness.folder('ws'),
    });
    const done = await harness.waitForState(id, 'done');
    const [change] = harness.eventsOf('agent.persona', id);
    assert.equal(change?.persona?.name, 'qa');
    assert.match(change?.persona?.reason ?? '', /keywords .*test/);
    assert.equal(done.activePersona?.name, 'qa');
    const prefixes = [0, 1, 2].map((i) =>
      JSON.stringify([harness.body(i)['tools'], harness.body(i)['system']]),
    );
    assert.match(prefixes[0] ?? '', /<persona name=\\"qa\\">/);
    assert.deepEqual(new Set(prefixes).size, 1);
  });
});

describe("the user's command hooks in the agent loop", () => {
  test('a PreToolUse command hook exiting 2 blocks the call, and its stderr reaches the model as an error result', async () => {
    const file = writeHooks({
      hooks: {
        PreToolUse: [
          {
            matcher: 'Bash',
            hooks: [
              {
                type: 'command',
                command: `${node} -e "process.stderr.write('no network from agents'); process.exit(2)"`,
              },
            ],
          },
        ],
      },
    });
    const harness = await start(
      [
        { toolUses: [{ name: 'bash', input: { command: 'curl example.com' } }] },
        { text: 'Understood.' },
      ],
      { hooksFile: file },
    );
    const { id } = await harness.manager.start({
      task: 'fetch it',
      workspace: harness.folder('ws'),
    });
    await harness.waitForState(id, 'done');
    const [result] = harness.toolResults(1);
    assert.equal(result?.is_error, true);
    assert.match(resultText(result?.content), /no network from agents/);
  });

  test('a failing command hook is reported as an agent event, and the call goes ahead', async () => {
    const file = writeHooks({
      hooks: {
        PostToolUse: [
          {
            hooks: [
              {
                type: 'command',
                command: `${node} -e "process.stderr.write('formatter missing'); process.exit(1)"`,
              },
            ],
          },
        ],
      },
    });
    const harness = await start(
      [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'ok' }],
      { hooksFile: file },
    );
    const ws = harness.folder('ws');
    writeFileSync(join(ws, 'a.txt'), '');
    const { id } = await harness.manager.start({ task: 'list', workspace: ws });
    await harness.waitForState(id, 'done');
    assert.equal(resultText(harness.toolResults(1)[0]?.content), 'a.txt');
    const [report] = harness.eventsOf('agent.hook', id);
    assert.equal(report?.outcome, 'failed');
    assert.equal(report?.event, 'PostToolUse');
    assert.equal(report?.stderr, 'formatter missing');
    assert.equal(report?.effect, 'ignored');
  });

  test('a command hook that runs past its timeout is killed and reported as timed out', async () => {
    const file = writeHooks({
      hooks: {
        PostToolUse: [
          {
            hooks: [
              {
                type: 'command',
                command: `${node} -e "setTimeout(() => {}, 30000)"`,
                timeout: 0.5,
              },
            ],
          },
        ],
      },
    });
    const harness = await start(
      [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'ok' }],
      { hooksFile: file },
    );
    const { id } = await harness.manager.start({ task: 'list', workspace: harness.folder('ws') });
    await harness.waitForState(id, 'done');
    const [report] = harness.eventsOf('agent.hook', id);
    assert.equal(report?.outcome, 'timed_out');
    assert.match(report?.hook ?? '', /^command "/);
  });

  test('a hooks file that cannot be used is reported to the agent, which runs without it', async () => {
    const file = writeHooks({
      hooks: { PreToolUse: [{ matcher: '(', hooks: [{ type: 'command', command: 'true' }] }] },
    });
    const harness = await start([{ text: 'ok' }], { hooksFile: file });
    const { id } = await harness.manager.start({ task: 'hello', workspace: harness.folder('ws') });
    await harness.waitForState(id, 'done');
    const [report] = harness.eventsOf('agent.hook', id);
    assert.equal(report?.outcome, 'not_loaded');
    assert.equal(report?.event, 'Load');
    assert.match(report?.message ?? '', /matcher/);
  });

  test('a UserPromptSubmit hook exiting 2 refuses the task: nothing reaches the model and the agent fails with the reason', async () => {
    const file = writeHooks({
      hooks: {
        UserPromptSubmit: [
          {
            hooks: [
              {
                type: 'command',
                command: `${node} -e "process.stderr.write('no tasks on Fridays'); process.exit(2)"`,
              },
            ],
          },
        ],
      },
    });
    const harness = await start([{ text: 'never sent' }], { hooksFile: file });
    const { id } = await harness.manager.start({ task: 'hello', workspace: harness.folder('ws') });
    const failed = await harness.waitForState(id, 'failed');
    assert.equal(harness.server.messageRequests.length, 0);
    assert.match(failed.stateReason ?? '', /refused/);
    const [report] = harness.eventsOf('agent.hook', id);
    assert.equal(report?.outcome, 'refused');
    assert.match(report?.message ?? '', /no tasks on Fridays/);
  });
});

describe('secret redaction in the agent loop', () => {
  test('the configured API key printed by a command never reaches the model, the transcript, the events or the database', async () => {
    // No known secret shape: only its registration as the configured key can hide it.
    const secret = 'plain-looking-value-' + 'x7'.repeat(8);
    const harness = await start(
      [{ toolUses: [{ name: 'bash', input: { command: 'cat key.txt' } }] }, { text: 'done' }],
      { apiKey: secret },
    );
    const ws = harness.folder('ws');
    writeFileSync(join(ws, 'key.txt'), `key=${secret}\n`);
    const { id } = await harness.manager.start({ task: 'show the key file', workspace: ws });
    await harness.waitForState(id, 'done');
    const result = resultText(harness.toolResults(1)[0]?.content);
    assert.match(result, /key=\[REDACTED:anthropic-api-key\]/);
    const places = {
      requests: harness.server.messageRequests.map((r) => r.rawBody).join('\n'),
      transcript: JSON.stringify(harness.store.transcript.list(id)),
      storedEvents: JSON.stringify(harness.store.events.list(id)),
      publishedEvents: JSON.stringify(harness.events),
    };
    for (const [where, text] of Object.entries(places))
      assert.ok(!text.includes(secret), `the key leaked into ${where}`);
    assert.ok(
      harness.store.events.list(id).some((e) => e.type === AUDIT_EVENT_TYPE),
      'audit records are in the event log',
    );
  });
});

let hookDir: string | undefined;
after(() => {
  if (hookDir) rmSync(hookDir, { recursive: true, force: true });
});

function writeHooks(settings: unknown): string {
  hookDir ??= mkdtempSync(join(tmpdir(), 'troika-hooks-'));
  const file = join(hookDir, `hooks-${readdirSync(hookDir).length}.json`);
  writeFileSync(file, JSON.stringify(settings));
  return file;
}
