import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import {
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

  test('a superseded result goes with the batch even when it is among the latest', () => {
    const view = new ToolResultClearing(SMALL).apply(
      conversation(['t1', 't2', 't3', 't4', 't5']),
      new Set(['t4']),
    );
    assert.deepEqual(clearedIds(view.messages), ['t1', 't2', 't3', 't4']);
  });
});
