import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildChatRequest } from './openai-request.ts';
import type { ModelRequestSpec } from './request-builder.ts';

const SPEC: ModelRequestSpec = {
  model: 'gpt-4.1',
  maxTokens: 2048,
  system: 'Base prompt.',
  persona: 'Persona.',
  tools: [
    { type: 'bash_20250124', name: 'bash' },
    { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
    { name: 'finish', description: 'Finish', input_schema: { type: 'object', properties: {} } },
    { type: 'web_search_20250305', name: 'web_search' },
  ],
  messages: [
    { role: 'user', content: 'Do it.' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'hm', signature: 'sig' },
        { type: 'text', text: 'Running.' },
        { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a.txt' }] },
        { type: 'text', text: 'Now finish.' },
      ],
    },
  ],
  hookContext: ['Budget: $1 left.'],
  toolChoice: { type: 'any' },
};

describe('Chat Completions request from an agent request', () => {
  const request = buildChatRequest(SPEC, SPEC.model);

  test('system and persona form one system message; thinking is left out', () => {
    assert.deepEqual(request.messages.slice(0, 3), [
      { role: 'system', content: 'Base prompt.\n\nPersona.' },
      { role: 'user', content: 'Do it.' },
      {
        role: 'assistant',
        content: 'Running.',
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'bash', arguments: '{"command":"ls"}' },
          },
        ],
      },
    ]);
  });

  test('tool results come first as tool messages, then the text and the hook context', () => {
    assert.deepEqual(request.messages.slice(3), [
      { role: 'tool', tool_call_id: 'toolu_1', content: 'a.txt' },
      { role: 'user', content: 'Now finish.\n\nBudget: $1 left.' },
    ]);
  });

  test("custom tools and Anthropic's client tools become functions; server tools are dropped", () => {
    assert.deepEqual(
      request.tools?.map((t) => (t.type === 'function' ? t.function.name : t.type)),
      ['bash', 'str_replace_based_edit_tool', 'finish'],
    );
    assert.equal(request.tool_choice, 'required');
  });

  test('streams with usage, under the token cap, and carries no cache markers', () => {
    assert.equal(request.stream, true);
    assert.deepEqual(request.stream_options, { include_usage: true });
    assert.equal(request.max_completion_tokens, 2048);
    assert.doesNotMatch(JSON.stringify(request), /cache_control/);
  });
});
