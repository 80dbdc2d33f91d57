/**
 * Troika's hooks in the real agent loop: the runtime's AgentManager with the
 * real SDK against the local Messages API server, a real PTY and database,
 * and these hooks plugged into its `hooks` seam.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { Harness, resultText } from '../agent/testing/harness.ts';
import { loadPersonas } from '../personas/load.ts';
import { Redactor } from '../redaction/redact.ts';
import { parseHookSettings } from './command/settings.ts';
import { TroikaHooks, type AgentHookEvent, type TroikaHooksOptions } from './troika-hooks.ts';
import { WorkspaceCaches } from './workspace-caches.ts';

const BIG = Array.from(
  { length: 120 },
  (_, i) => `export function step${i}(input: number): number { return input + ${i}; }`,
).join('\n');
const TOKEN = 'ghp_' + 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8N';

let h: Harness | undefined;
let hooks: TroikaHooks | undefined;
let caches: WorkspaceCaches | undefined;
afterEach(async () => {
  await h?.dispose();
  await hooks?.dispose();
  await caches?.dispose();
  h = hooks = caches = undefined;
});

async function start(
  script: NonNullable<Parameters<typeof Harness.start>[0]>['server'],
  options: Partial<TroikaHooksOptions> = {},
) {
  const events: Array<{ agentId: string; event: AgentHookEvent }> = [];
  const { personas } = await loadPersonas();
  caches = new WorkspaceCaches({ watch: 'none' });
  hooks = new TroikaHooks({
    personas,
    caches,
    onEvent: (agentId, event) => events.push({ agentId, event }),
    ...options,
  });
  h = await Harness.start({ server: script, manager: { hooks } });
  return { h, hooks, events };
}

describe('Troika hooks in the agent loop', () => {
  test('an unchanged file read again reaches the model as a short reference, and the saving is counted', async () => {
    const view = {
      name: 'str_replace_based_edit_tool',
      input: { command: 'view', path: 'src/big.ts' },
    };
    const { h, hooks, events } = await start({
      script: [{ toolUses: [view] }, { toolUses: [view] }, { text: 'Read it twice.' }],
    });
    const ws = h.folder('ws');
    mkdirSync(join(ws, 'src'));
    writeFileSync(join(ws, 'src', 'big.ts'), BIG);
    const { id } = await h.manager.start({ task: 'look at the code', workspace: ws });
    await h.waitForState(id, 'done');
    const first = resultText(h.toolResults(1)[0]?.content);
    const second = resultText(h.toolResults(2)[0]?.content);
    assert.match(first, /step119/);
    assert.match(second, /^\[Unchanged: you already received this exact result in tool_use_id /);
    const saved = hooks.cacheStats(id)?.tokensSaved ?? 0;
    assert.ok(saved > 500, `tokens saved: ${saved}`);
    assert.ok(
      events.some(
        ({ event }) =>
          event.type === 'audit' &&
          event.record.type === 'tool.decision' &&
          event.record.answeredBy === 'cache',
      ),
    );
  });

  test('the task chooses a persona whose block is in every request, byte for byte, and the choice is an event', async () => {
    const { h, events } = await start({
      script: [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'Tests written.' }],
    });
    const { id } = await h.manager.start({
      task: 'Add unit tests for the parser and fix the flaky one',
      workspace: h.folder('ws'),
    });
    await h.waitForState(id, 'done');
    const systems = [0, 1].map((i) => JSON.stringify(h.body(i)['system']));
    assert.match(systems[0] ?? '', /<persona name=\\"qa\\">/);
    assert.equal(systems[1], systems[0]);
    const change = events.find(({ event }) => event.type === 'persona.change');
    assert.equal(change?.event.type === 'persona.change' && change.event.change.name, 'qa');
  });

  test('a command hook from the settings file blocks a bash call with its stderr, and the model reads why', async () => {
    const settings = parseHookSettings(
      {
        hooks: {
          PreToolUse: [
            {
              matcher: 'Bash',
              hooks: [
                {
                  type: 'command',
                  command: `${JSON.stringify(process.execPath)} -e "process.stderr.write('no network from agents'); process.exit(2)"`,
                },
              ],
            },
          ],
        },
      },
      '/settings.json',
    );
    const { h } = await start(
      {
        script: [
          { toolUses: [{ name: 'bash', input: { command: 'curl example.com' } }] },
          { text: 'Understood.' },
        ],
      },
      { settings },
    );
    const { id } = await h.manager.start({ task: 'fetch it', workspace: h.folder('ws') });
    await h.waitForState(id, 'done');
    const [result] = h.toolResults(1);
    assert.equal(result?.is_error, true);
    assert.match(resultText(result?.content), /no network from agents/);
  });

  test('a secret in a file never reaches the model, and a registered value neither', async () => {
    const redactor = new Redactor();
    redactor.addSecret('registered-secret-value-123');
    const { h, events } = await start(
      {
        script: [
          {
            toolUses: [
              {
                name: 'str_replace_based_edit_tool',
                input: { command: 'view', path: 'deploy.sh' },
              },
            ],
          },
          { text: 'ok' },
        ],
      },
      { redactor },
    );
    const ws = h.folder('ws');
    writeFileSync(join(ws, 'deploy.sh'), `export GH=${TOKEN}\necho registered-secret-value-123\n`);
    const { id } = await h.manager.start({ task: 'deploy', workspace: ws });
    await h.waitForState(id, 'done');
    const sent = JSON.stringify(h.body(1));
    assert.ok(!sent.includes(TOKEN) && !sent.includes('registered-secret-value-123'));
    assert.match(
      resultText(h.toolResults(1)[0]?.content),
      /\[REDACTED:github-token\][\s\S]*\[REDACTED:configured-secret\]/,
    );
    assert.ok(
      events.some(
        ({ event }) => event.type === 'hook.message' && /Hid 2 secrets/.test(event.message.text),
      ),
    );
  });

  test('a failing command hook is reported as an event and the call goes ahead', async () => {
    const settings = parseHookSettings(
      {
        hooks: {
          PostToolUse: [
            {
              hooks: [
                {
                  type: 'command',
                  command: `${JSON.stringify(process.execPath)} -e "process.stderr.write('formatter missing'); process.exit(1)"`,
                },
              ],
            },
          ],
        },
      },
      '/settings.json',
    );
    const { h, events } = await start(
      { script: [{ toolUses: [{ name: 'list_files', input: {} }] }, { text: 'ok' }] },
      { settings },
    );
    const ws = h.folder('ws');
    writeFileSync(join(ws, 'a.txt'), '');
    const { id } = await h.manager.start({ task: 'list', workspace: ws });
    await h.waitForState(id, 'done');
    assert.equal(resultText(h.toolResults(1)[0]?.content), 'a.txt');
    const failure = events.find(({ event }) => event.type === 'hook.failure');
    assert.equal(failure?.agentId, id);
    assert.equal(
      failure?.event.type === 'hook.failure' && failure.event.failure.stderr,
      'formatter missing',
    );
  });
});
