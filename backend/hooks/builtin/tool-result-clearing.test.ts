import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import {
  ANCHOR_LIFETIME_MS,
  CLEARED_PLACEHOLDER,
  DEFAULT_CLEARING,
  ToolResultClearing,
  type ClearingSettings,
} from './tool-result-clearing.ts';

/** 400 bytes: 100 tokens by the estimate, exactly the default minimum worth clearing. */
const RESULT = 'x'.repeat(400);
/** Small thresholds so a few results cross them: trigger at 5 results, a batch of 2 or more. */
const SMALL: ClearingSettings = {
  ...DEFAULT_CLEARING,
  // The mechanics of batches; the cache-aware choice is tested in clearing-policy.test.ts.
  policy: 'threshold',
  triggerTokens: 500,
  clearAtLeastTokens: 100,
  keepToolUses: 2,
};

/** One assistant turn calling `name` and the user turn with its result. */
function exchange(
  id: string,
  name = 'str_replace_based_edit_tool',
  content = RESULT,
): MessageParam[] {
  return [
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id, name, input: { command: 'view', path: `${id}.ts` } }],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content }] },
  ];
}

function conversation(ids: readonly string[]): MessageParam[] {
  return [{ role: 'user', content: 'the task' }, ...ids.flatMap((id) => exchange(id))];
}

function results(messages: readonly MessageParam[]): ToolResultBlockParam[] {
  return messages.flatMap((m) =>
    typeof m.content === 'string'
      ? []
      : m.content.flatMap((b) => (b.type === 'tool_result' ? [b] : [])),
  );
}

const markedIds = (messages: readonly MessageParam[]) =>
  results(messages)
    .filter((r) => r.cache_control !== undefined)
    .map((r) => r.tool_use_id);

const clearedIds = (messages: readonly MessageParam[]) =>
  results(messages)
    .filter((r) => r.content === CLEARED_PLACEHOLDER)
    .map((r) => r.tool_use_id);

describe('tool-result clearing', () => {
  test('below the trigger nothing is cleared and the messages are sent as they are', () => {
    const messages = conversation(['t1', 't2', 't3', 't4']);
    const view = new ToolResultClearing(SMALL).apply(messages);
    assert.equal(view.messages, messages);
    assert.equal(view.clearing, undefined);
  });

  test('past the trigger the older results are cleared and the latest ones kept whole', () => {
    const view = new ToolResultClearing(SMALL).apply(conversation(['t1', 't2', 't3', 't4', 't5']));
    assert.deepEqual(clearedIds(view.messages), ['t1', 't2', 't3']);
    assert.deepEqual(
      results(view.messages)
        .slice(3)
        .map((r) => r.content),
      [RESULT, RESULT],
    );
    assert.deepEqual(view.clearing?.toolUseIds, ['t1', 't2', 't3']);
  });

  test('every tool call keeps its result: blocks are rewritten, never removed', () => {
    const messages = conversation(['t1', 't2', 't3', 't4', 't5']);
    const view = new ToolResultClearing(SMALL).apply(messages);
    assert.equal(view.messages.length, messages.length);
    assert.deepEqual(
      results(view.messages).map((r) => r.tool_use_id),
      ['t1', 't2', 't3', 't4', 't5'],
    );
  });

  test('the messages given are not changed (the stored transcript stays whole)', () => {
    const messages = conversation(['t1', 't2', 't3', 't4', 't5']);
    const before = JSON.stringify(messages);
    new ToolResultClearing(SMALL).apply(messages);
    assert.equal(JSON.stringify(messages), before);
  });

  test('the task, finish and ask_user results, and small results are never cleared', () => {
    const messages = [
      ...conversation(['t1', 't2']),
      ...exchange('ask', 'ask_user'),
      ...exchange('fin', 'finish'),
      ...exchange('tiny', 'bash', 'ok'),
      ...exchange('t3'),
      ...exchange('t4'),
      ...exchange('t5'),
    ];
    const view = new ToolResultClearing(SMALL).apply(messages);
    assert.deepEqual(clearedIds(view.messages), ['t1', 't2', 't3']);
    assert.equal(view.messages[0]?.content, 'the task');
  });

  test('a batch that would free less than the minimum waits', () => {
    const clearing = new ToolResultClearing({ ...SMALL, clearAtLeastTokens: 1_000 });
    const view = clearing.apply(conversation(['t1', 't2', 't3', 't4', 't5']));
    assert.equal(view.clearing, undefined);
    assert.deepEqual(clearedIds(view.messages), []);
  });

  test('between clearings each request is the previous one plus the new turns, byte for byte', () => {
    const clearing = new ToolResultClearing(SMALL);
    const first = clearing.apply(conversation(['t1', 't2', 't3', 't4', 't5']));
    assert.ok(first.clearing);
    const second = clearing.apply(conversation(['t1', 't2', 't3', 't4', 't5', 't6', 't7']));
    assert.equal(second.clearing, undefined);
    assert.equal(
      JSON.stringify(second.messages.slice(0, first.messages.length)),
      JSON.stringify(first.messages),
    );
  });

  test('the next clearing leaves everything before its first newly cleared result as it was', () => {
    const clearing = new ToolResultClearing(SMALL);
    const first = clearing.apply(conversation(['t1', 't2', 't3', 't4', 't5']));
    const next = clearing.apply(
      conversation(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']),
    );
    assert.deepEqual(next.clearing?.toolUseIds, ['t4', 't5', 't6', 't7']);
    // t4's result is message 8: everything before it is the first clearing's view.
    assert.equal(
      JSON.stringify(next.messages.slice(0, 8)),
      JSON.stringify(first.messages.slice(0, 8)),
    );
  });

  test('a clearing marks the latest cache entry still valid before its first cleared result', () => {
    const clearing = new ToolResultClearing(SMALL, () => 0);
    const start = [
      { role: 'user', content: 'the task' } as MessageParam,
      ...exchange('tiny', 'bash', 'ok'),
    ];
    const upTo = (ids: string[]) => [...start, ...ids.flatMap((id) => exchange(id))];
    clearing.apply(start);
    clearing.apply(upTo(['t1', 't2', 't3']));
    const first = clearing.apply(upTo(['t1', 't2', 't3', 't4', 't5']));
    assert.deepEqual(first.clearing?.toolUseIds, ['t1', 't2', 't3']);
    assert.deepEqual(markedIds(first.messages), ['tiny']);
    // t3's entry held t1 to t3 in full: this clearing changed it, so the next one reads up to `tiny` again.
    const next = clearing.apply(upTo(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']));
    assert.deepEqual(next.clearing?.toolUseIds, ['t4', 't5', 't6', 't7']);
    assert.deepEqual(markedIds(next.messages), ['tiny']);
    // Requests without a clearing carry no marker of their own.
    assert.deepEqual(
      markedIds(
        clearing.apply(upTo(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'])).messages,
      ),
      [],
    );
  });

  test('an entry older than the cache keeps it is not counted on', () => {
    let now = 0;
    const clearing = new ToolResultClearing(SMALL, () => now);
    const start = [
      { role: 'user', content: 'the task' } as MessageParam,
      ...exchange('tiny', 'bash', 'ok'),
    ];
    clearing.apply(start);
    now = ANCHOR_LIFETIME_MS + 1;
    const view = clearing.apply([
      ...start,
      ...['t1', 't2', 't3', 't4', 't5'].flatMap((id) => exchange(id)),
    ]);
    assert.ok(view.clearing);
    assert.deepEqual(markedIds(view.messages), []);
  });

  test('a superseded result goes with the batch even when it is among the latest', () => {
    const view = new ToolResultClearing(SMALL).apply(
      conversation(['t1', 't2', 't3', 't4', 't5']),
      new Set(['t4']),
    );
    assert.deepEqual(clearedIds(view.messages), ['t1', 't2', 't3', 't4']);
  });
});
