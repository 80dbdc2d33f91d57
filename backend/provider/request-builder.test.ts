import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageParam, ToolUnion } from '@anthropic-ai/sdk/resources/messages';
import {
  buildMessagesRequest,
  countBreakpoints,
  MAX_CACHE_BREAKPOINTS,
  type ModelRequestSpec,
} from './request-builder.ts';

const tools: ToolUnion[] = [
  { type: 'bash_20250124', name: 'bash' },
  { name: 'list_files', description: 'List', input_schema: { type: 'object', properties: {} } },
];

function conversation(turns: number): MessageParam[] {
  const messages: MessageParam[] = [{ role: 'user', content: [{ type: 'text', text: 'task' }] }];
  for (let i = 0; i < turns; i++) {
    messages.push({
      role: 'assistant',
      content: [{ type: 'tool_use', id: `t${i}`, name: 'bash', input: { command: 'ls' } }],
    });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: 'out' }],
    });
  }
  return messages;
}

function spec(overrides: Partial<ModelRequestSpec> = {}): ModelRequestSpec {
  return {
    model: 'm',
    maxTokens: 100,
    tools,
    system: 'base',
    messages: conversation(2),
    ...overrides,
  };
}

describe('request builder', () => {
  test('the last tool carries a breakpoint and the others do not', () => {
    const params = buildMessagesRequest(spec());
    assert.deepEqual(
      params.tools?.map((t) => 'cache_control' in t && t.cache_control !== undefined),
      [false, true],
    );
  });

  test('the persona block follows the base prompt and carries the system breakpoint', () => {
    const params = buildMessagesRequest(spec({ persona: 'You are a reviewer.' }));
    assert.deepEqual(params.system, [
      { type: 'text', text: 'base' },
      { type: 'text', text: 'You are a reviewer.', cache_control: { type: 'ephemeral' } },
    ]);
  });

  test('the newest user turn ends with a breakpoint', () => {
    const params = buildMessagesRequest(spec());
    const last = params.messages.at(-1);
    assert.ok(Array.isArray(last?.content));
    assert.deepEqual((last.content.at(-1) as { cache_control?: unknown }).cache_control, {
      type: 'ephemeral',
    });
  });

  test('never more than the allowed number of breakpoints', () => {
    assert.equal(
      countBreakpoints(buildMessagesRequest(spec({ persona: 'p' }))),
      MAX_CACHE_BREAKPOINTS,
    );
  });

  test('a breakpoint a hook put in the messages takes the place of the previous user turn', () => {
    const messages = conversation(4);
    messages[2] = {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 't0',
          content: 'out',
          cache_control: { type: 'ephemeral' },
        },
      ],
    };
    const params = buildMessagesRequest(spec({ messages }));
    assert.equal(countBreakpoints(params), MAX_CACHE_BREAKPOINTS);
    const marked = params.messages.flatMap((m, i) =>
      Array.isArray(m.content) && m.content.some((b) => 'cache_control' in b && b.cache_control)
        ? [i]
        : [],
    );
    assert.deepEqual(marked, [2, messages.length - 1]);
  });

  test('hook context goes after the last breakpoint', () => {
    const params = buildMessagesRequest(spec({ hookContext: ['cache says hi'] }));
    const content = params.messages.at(-1)?.content;
    assert.ok(Array.isArray(content));
    assert.deepEqual(content.at(-1), { type: 'text', text: 'cache says hi' });
    assert.ok('cache_control' in (content.at(-2) as object));
  });

  test('the prefix up to the previous breakpoint is byte-identical on the next turn', () => {
    const first = buildMessagesRequest(spec({ messages: conversation(1), hookContext: ['ctx 1'] }));
    const second = buildMessagesRequest(
      spec({ messages: conversation(2), hookContext: ['ctx 2'] }),
    );
    const strip = (value: unknown): string =>
      JSON.stringify(value, (k, v: unknown) => (k === 'cache_control' ? undefined : v));
    // Everything the first request cached (all messages up to its breakpoint) is repeated unchanged.
    const cachedPrefix = first.messages.map((m, i) =>
      i === first.messages.length - 1
        ? { ...m, content: (m.content as unknown[]).slice(0, -1) }
        : m,
    );
    assert.equal(strip(second.messages.slice(0, cachedPrefix.length)), strip(cachedPrefix));
    assert.equal(JSON.stringify(second.tools), JSON.stringify(first.tools));
    assert.equal(JSON.stringify(second.system), JSON.stringify(first.system));
  });

  test('the stored conversation is not mutated', () => {
    const messages = conversation(1);
    const before = JSON.stringify(messages);
    buildMessagesRequest(spec({ messages, hookContext: ['x'] }));
    assert.equal(JSON.stringify(messages), before);
  });

  test('a string user message is converted to blocks to carry a breakpoint', () => {
    const params = buildMessagesRequest(spec({ messages: [{ role: 'user', content: 'hello' }] }));
    assert.deepEqual(params.messages[0]?.content, [
      { type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } },
    ]);
  });
});
