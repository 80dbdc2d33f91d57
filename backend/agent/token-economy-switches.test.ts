/**
 * The token economy switches in the real loop (Troika's hooks as the app
 * wires them, the real SDK against the local Messages server, a real PTY and
 * database): each switch turns its mechanism on or off on its own, from the
 * settings' global choice, an agent's own choice, or the environment.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { applyChangeAnswer } from '../hooks/builtin/change-answer.ts';
import { CLEARED_PLACEHOLDER } from '../hooks/builtin/tool-result-clearing.ts';
import type { TokenEconomy } from '../hooks/token-economy.ts';
import type { Turn } from '../testing/messages-server/index.ts';
import { Harness, resultText, type HarnessOptions } from './testing/harness.ts';
import type { ToolTiming } from './tool-call.ts';
import { defaultTools } from './tools/registry.ts';
import { fileToolContext } from './tools/test-context.ts';

const FILE = (name: string) =>
  Array.from({ length: 60 }, (_, i) => `export const ${name}${i} = ${i}; // ordinary source`).join(
    '\n',
  );
const view = (path: string): Turn => ({
  toolUses: [{ name: 'str_replace_based_edit_tool', input: { command: 'view', path } }],
});
/** a, b, c, then a again (unchanged): a cache hit, a reference, or a run, per the switches. */
const SCRIPT: Turn[] = [view('a.ts'), view('b.ts'), view('c.ts'), view('a.ts'), { text: 'Done.' }];

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.dispose()));
});

async function run(hooks: HarnessOptions['hooks']) {
  const timings: ToolTiming[] = [];
  const harness = await Harness.start({
    server: { script: SCRIPT },
    hooks: {
      toolResultClearing: {
        policy: 'threshold',
        triggerTokens: 1_500,
        clearAtLeastTokens: 500,
        keepToolUses: 1,
      },
      ...hooks,
    },
    manager: { onToolTiming: (_id, timing) => timings.push(timing) },
  });
  harnesses.push(harness);
  const ws = harness.folder('ws');
  for (const name of ['a', 'b', 'c']) writeFileSync(join(ws, `${name}.ts`), FILE(name));
  const { id } = await harness.manager.start({ task: 'Read the files.', workspace: ws });
  await harness.waitForState(id, 'done');
  const last = harness.server.messageRequests.length - 1;
  const results = harness
    .body(last)
    .messages.flatMap((m) => m.content.filter((b) => b['type'] === 'tool_result'))
    .map((b) => resultText(b['content']));
  return { results, reread: timings[3] as ToolTiming };
}

const global = (economy: Partial<TokenEconomy>): HarnessOptions['hooks'] => ({
  economy: { global: () => economy },
});

test('all off: the tool runs again and nothing is cleared', async () => {
  const { results, reread } = await run(
    global({ tokenCache: false, references: false, clearing: false }),
  );
  assert.equal(reread.answeredByHook, false);
  assert.ok(!results.includes(CLEARED_PLACEHOLDER));
});

test('clearing alone clears, and the re-read of a cleared file runs the tool', async () => {
  const { results, reread } = await run(
    global({ tokenCache: false, references: false, clearing: true }),
  );
  assert.ok(results.includes(CLEARED_PLACEHOLDER));
  assert.equal(reread.answeredByHook, false);
});

test('the token cache alone answers the re-read in full without running the tool', async () => {
  const { results, reread } = await run(
    global({ tokenCache: true, references: false, clearing: false }),
  );
  assert.equal(reread.answeredByHook, true);
  assert.equal(results[3], results[0]);
});

test('references alone point at the earlier result still in view', async () => {
  const { results, reread } = await run(
    global({ tokenCache: false, references: true, clearing: false }),
  );
  assert.equal(reread.answeredByHook, true);
  assert.match(results[3] ?? '', /^\[Unchanged: .*tool_use_id toolu_/);
});

test("an agent's own switch wins over the global one, and the environment comes last", async () => {
  const { reread } = await run({
    env: { TROIKA_REFERENCES: 'off', TROIKA_TOKEN_CACHE: 'off' },
    economy: { global: () => ({ clearing: false }), agent: () => ({ references: true }) },
  });
  assert.equal(reread.answeredByHook, true, 'the agent turned references on over the environment');
  const envOnly = await run({
    env: { TROIKA_REFERENCES: 'off', TROIKA_TOKEN_CACHE: 'off', TROIKA_CLEARING: 'off' },
  });
  assert.equal(envOnly.reread.answeredByHook, false);
});

test('with references on, a file read again after an edit is answered with what changed, which rebuilds it exactly', async () => {
  const edit: Turn = {
    toolUses: [
      {
        name: 'str_replace_based_edit_tool',
        input: { command: 'str_replace', path: 'a.ts', old_str: 'a5 = 5;', new_str: 'a5 = 55;' },
      },
    ],
  };
  const harness = await Harness.start({
    server: { script: [view('a.ts'), edit, view('a.ts'), { text: 'Done.' }] },
    hooks: { economy: { global: () => ({ tokenCache: false, clearing: false }) } },
  });
  harnesses.push(harness);
  const ws = harness.folder('ws');
  writeFileSync(join(ws, 'a.ts'), FILE('a'));
  const { id } = await harness.manager.start({ task: 'Edit a.', workspace: ws });
  await harness.waitForState(id, 'done');
  const results = harness
    .body(harness.server.messageRequests.length - 1)
    .messages.flatMap((m) => m.content.filter((b) => b['type'] === 'tool_result'))
    .map((b) => resultText(b['content']));
  const answer = results[2] ?? '';
  assert.match(answer, /^\[Changed since tool_use_id toolu_\S+ \(view a\.ts\): lines 6-6 /);
  const fresh = await defaultTools().run(
    'str_replace_based_edit_tool',
    { command: 'view', path: 'a.ts' },
    fileToolContext(ws),
  );
  assert.equal(applyChangeAnswer(answer, results[0] ?? ''), fresh.content);
  assert.ok(answer.length < fresh.content.length / 5);
});
