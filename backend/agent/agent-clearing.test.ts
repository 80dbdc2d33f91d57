/**
 * Tool-result clearing in the real loop: Troika's hooks as the app wires
 * them, the real SDK against the local Messages server (which answers 400
 * when a tool_use lacks its tool_result), a real PTY and database. Small
 * thresholds, so that a few file reads cross them.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import {
  CLEARED_PLACEHOLDER,
  type ClearingSettings,
} from '../hooks/builtin/tool-result-clearing.ts';
import type { Turn } from '../testing/messages-server/index.ts';
import { CONTEXT_EDITING_HOOK_NAME } from './hook-reports.ts';
import { Harness, resultText, type HarnessOptions } from './testing/harness.ts';

/** About 850 tokens per file read: the third read crosses the trigger, and a batch of two frees more than the minimum. */
const FILE = (name: string) =>
  Array.from({ length: 60 }, (_, i) => `export const ${name}${i} = ${i}; // ordinary source`).join(
    '\n',
  );
const SETTINGS: Partial<ClearingSettings> = {
  policy: 'threshold',
  triggerTokens: 2_000,
  clearAtLeastTokens: 500,
  keepToolUses: 1,
};

const view = (path: string): Turn => ({
  toolUses: [{ name: 'str_replace_based_edit_tool', input: { command: 'view', path } }],
});
/**
 * Requests: 0 task; 1-3 one more file each (3 crosses the trigger: a and b
 * are cleared, c kept); 4 adds d; 5 adds a again, read in full since its
 * first read was cleared (c and d are cleared then), and is answered with text.
 */
const SCRIPT: Turn[] = [
  view('a.ts'),
  view('b.ts'),
  view('c.ts'),
  view('d.ts'),
  view('a.ts'),
  { text: 'Read them.' },
];

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

async function run(hooks: HarnessOptions['hooks']): Promise<{ harness: Harness; id: string }> {
  const harness = await Harness.start({
    server: { script: SCRIPT },
    ...(hooks !== undefined && { hooks }),
  });
  h = harness;
  const ws = harness.folder('ws');
  for (const name of ['a', 'b', 'c', 'd']) writeFileSync(join(ws, `${name}.ts`), FILE(name));
  const { id } = await harness.manager.start({ task: 'Read the four files.', workspace: ws });
  await harness.waitForState(id, 'done');
  return { harness, id };
}

type Block = Record<string, unknown>;
const resultsOf = (harness: Harness, request: number): Block[] =>
  harness
    .body(request)
    .messages.flatMap((m) => m.content.filter((b) => b['type'] === 'tool_result'));
const contents = (harness: Harness, request: number) =>
  resultsOf(harness, request).map((b) => resultText(b['content']));
const toolUseIds = (harness: Harness, request: number): unknown[] =>
  harness
    .body(request)
    .messages.flatMap((m) => m.content.filter((b) => b['type'] === 'tool_use').map((b) => b['id']));
const withoutCacheControl = (value: unknown) =>
  JSON.stringify(value, (key, inner: unknown) => (key === 'cache_control' ? undefined : inner));

describe('tool-result clearing in the agent loop', () => {
  test('past the threshold the older results are cleared and the latest kept whole', async () => {
    const { harness } = await run({ toolResultClearing: SETTINGS });
    const third = contents(harness, 3);
    assert.deepEqual(third.slice(0, 2), [CLEARED_PLACEHOLDER, CLEARED_PLACEHOLDER]);
    assert.match(third[2] ?? '', /c59 = 59/);
  });

  test('every tool call still has its result, so the server accepts every request and the run completes', async () => {
    const { harness } = await run({ toolResultClearing: SETTINGS });
    assert.equal(harness.server.messageRequests.length, SCRIPT.length);
    for (let i = 1; i < SCRIPT.length; i++) {
      assert.deepEqual(
        resultsOf(harness, i).map((b) => b['tool_use_id']),
        toolUseIds(harness, i),
      );
    }
  });

  test('each clearing is reported as a note, with the tokens it frees', async () => {
    const { harness, id } = await run({ toolResultClearing: SETTINGS });
    const notes = harness
      .eventsOf('agent.hook', id)
      .filter((e) => e.hook === CONTEXT_EDITING_HOOK_NAME);
    assert.equal(notes.length, 2);
    assert.equal(notes[0]?.outcome, 'note');
    assert.match(
      notes[0]?.message ?? '',
      /^Cleared 2 older tool results .*about \d+ tokens fewer per request; 2 cleared so far/,
    );
  });

  test('the stored transcript keeps every result whole', async () => {
    const { harness, id } = await run({ toolResultClearing: SETTINGS });
    const stored = harness.manager
      .get(id)
      .transcript.flatMap((m) => m.content)
      .flatMap((b) => (b.type === 'tool_result' ? [resultText(b.content)] : []));
    assert.equal(stored.length, 5);
    assert.ok(stored.every((text) => text !== CLEARED_PLACEHOLDER));
    assert.match(stored[0] ?? '', /a59 = 59/);
  });

  test('a file read again after its result was cleared comes in full, not as a reference', async () => {
    const { harness } = await run({ toolResultClearing: SETTINGS });
    const again = resultText(harness.toolResults(5)[0]?.content);
    assert.match(again, /a59 = 59/);
    assert.doesNotMatch(again, /^\[Unchanged/);
  });

  test('between clearings each request repeats the previous one byte for byte, and the next clearing keeps what is before it', async () => {
    const { harness } = await run({ toolResultClearing: SETTINGS });
    const messages = (i: number) => harness.body(i).messages.map(withoutCacheControl);
    // Request 3 cleared a and b; request 4 only adds d.
    assert.deepEqual(messages(4).slice(0, messages(3).length), messages(3));
    // Request 5 cleared c (message 6) and d: messages before c's result are request 4's.
    assert.equal(contents(harness, 5)[2], CLEARED_PLACEHOLDER);
    assert.deepEqual(messages(5).slice(0, 6), messages(4).slice(0, 6));
  });

  test('with the hooks off nothing is cleared', async () => {
    const { harness } = await run(undefined);
    assert.ok(contents(harness, 5).every((text) => text !== CLEARED_PLACEHOLDER));
  });

  test('with the token cache off, clearing is off too unless asked for', async () => {
    const { harness } = await run({ tokenCache: false });
    assert.ok(contents(harness, 5).every((text) => text !== CLEARED_PLACEHOLDER));
  });
});
