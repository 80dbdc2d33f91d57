import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCountTokensRequest, validateMessagesRequest } from './validate.ts';

const STRICT = { rejectUnknownFields: true };

function valid(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello' }],
    ...extra,
  };
}

function errorOf(body: unknown): string {
  const result = validateMessagesRequest(body, STRICT);
  assert.equal(result.ok, false, 'expected the request to be rejected');
  if (result.ok) return '';
  assert.equal(result.error.status, 400);
  assert.equal(result.error.type, 'invalid_request_error');
  return result.error.message;
}

const MARK = { type: 'ephemeral' };

test('a minimal request is valid and keeps its fields', () => {
  const result = validateMessagesRequest(valid({ stream: true }), STRICT);
  assert.ok(result.ok);
  assert.equal(result.value.model, 'claude-sonnet-4-6');
  assert.equal(result.value.stream, true);
});

test('model, max_tokens and messages are required', () => {
  assert.equal(
    errorOf({ max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }),
    'model: Field required',
  );
  assert.equal(
    errorOf({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    'max_tokens: Field required',
  );
  assert.equal(errorOf({ model: 'm', max_tokens: 1 }), 'messages: Field required');
  assert.equal(errorOf(valid({ max_tokens: 1.5 })), 'max_tokens: Input should be a valid integer');
  assert.equal(errorOf(valid({ messages: [] })), 'messages: at least one message is required');
});

test('unknown top-level fields are rejected, except on beta requests', () => {
  assert.equal(errorOf(valid({ maxTokens: 5 })), 'maxTokens: Extra inputs are not permitted');
  assert.ok(validateMessagesRequest(valid({ maxTokens: 5 }), { rejectUnknownFields: false }).ok);
});

test('the first message must be a user turn; same-role turns may follow each other', () => {
  assert.equal(
    errorOf(valid({ messages: [{ role: 'assistant', content: 'Hi' }] })),
    'messages: first message must use the "user" role',
  );
  assert.ok(
    validateMessagesRequest(
      valid({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
      }),
      STRICT,
    ).ok,
  );
  assert.match(
    errorOf(valid({ messages: [{ role: 'robot', content: 'x' }] })),
    /^messages\.0\.role: /,
  );
});

test('content blocks are checked by shape', () => {
  assert.equal(
    errorOf(valid({ messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] })),
    'messages: text content blocks must be non-empty',
  );
  assert.match(
    errorOf(valid({ messages: [{ role: 'user', content: [{ type: 'bogus' }] }] })),
    /^messages\.0\.content\.0: Input tag 'bogus'/,
  );
  assert.match(
    errorOf(
      valid({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: '' } },
            ],
          },
        ],
      }),
    ),
    /media_type/,
  );
  assert.match(
    errorOf(
      valid({
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: [] },
          { role: 'user', content: 'y' },
        ],
      }),
    ),
    /non-empty content/,
  );
  // A final empty assistant turn is a legal prefill.
  assert.ok(
    validateMessagesRequest(
      valid({
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: [] },
        ],
      }),
      STRICT,
    ).ok,
  );
});

test('every tool_use needs a leading tool_result in the next turn, and vice versa', () => {
  const ask = {
    role: 'assistant',
    content: [{ type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls' } }],
  };
  const answer = {
    role: 'user',
    content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a.txt' }],
  };
  assert.ok(
    validateMessagesRequest(
      valid({ messages: [{ role: 'user', content: 'go' }, ask, answer] }),
      STRICT,
    ).ok,
  );
  assert.match(
    errorOf(
      valid({
        messages: [{ role: 'user', content: 'go' }, ask, { role: 'user', content: 'next' }],
      }),
    ),
    /^messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1\./,
  );
  const textFirst = { role: 'user', content: [{ type: 'text', text: 'here' }, answer.content[0]] };
  assert.match(
    errorOf(valid({ messages: [{ role: 'user', content: 'go' }, ask, textFirst] })),
    /without `tool_result` blocks/,
  );
  assert.match(
    errorOf(valid({ messages: [{ role: 'user', content: [answer.content[0]] }] })),
    /unexpected `tool_use_id` found in `tool_result` blocks: toolu_1/,
  );
});

test('Anthropic-defined tools are accepted with their fixed names', () => {
  const tools = [
    { type: 'bash_20250124', name: 'bash' },
    { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
    {
      name: 'read_file',
      description: 'Read a file',
      input_schema: { type: 'object', properties: {} },
    },
  ];
  assert.ok(validateMessagesRequest(valid({ tools }), STRICT).ok);
  assert.equal(
    errorOf(valid({ tools: [{ type: 'bash_20250124', name: 'shell' }] })),
    "tools.0.bash_20250124.name: Input should be 'bash'",
  );
  assert.equal(
    errorOf(valid({ tools: [{ name: 'x' }] })),
    'tools.0.custom.input_schema: Field required',
  );
  assert.equal(
    errorOf(valid({ tools: [tools[2], tools[2]] })),
    'tools: Tool names must be unique.',
  );
});

test('system is a string or text blocks', () => {
  assert.ok(validateMessagesRequest(valid({ system: 'Be brief.' }), STRICT).ok);
  assert.ok(
    validateMessagesRequest(
      valid({ system: [{ type: 'text', text: 'Be brief.', cache_control: MARK }] }),
      STRICT,
    ).ok,
  );
  assert.equal(
    errorOf(valid({ system: [{ type: 'image' }] })),
    "system.0.type: Input should be 'text'",
  );
});

test('cache_control is ephemeral only, with at most 4 breakpoints', () => {
  const marked = (text: string) => ({ type: 'text', text, cache_control: MARK });
  const four = valid({
    system: [marked('a'), marked('b')],
    messages: [{ role: 'user', content: [marked('c'), marked('d')] }],
  });
  assert.ok(validateMessagesRequest(four, STRICT).ok);
  assert.equal(
    errorOf({ ...four, cache_control: MARK }),
    'A maximum of 4 blocks with cache_control may be provided. Found 5.',
  );
  assert.equal(
    errorOf(
      valid({ system: [{ type: 'text', text: 'a', cache_control: { type: 'persistent' } }] }),
    ),
    "system.0.cache_control.type: Input should be 'ephemeral'",
  );
  assert.match(
    errorOf(
      valid({
        system: [
          marked('a'),
          { type: 'text', text: 'b', cache_control: { type: 'ephemeral', ttl: '1h' } },
        ],
      }),
    ),
    /ttl='1h'.*must not come after/,
  );
});

test('count_tokens takes the prompt without max_tokens', () => {
  const result = validateCountTokensRequest(
    { model: 'm', messages: [{ role: 'user', content: 'x' }] },
    STRICT,
  );
  assert.ok(result.ok);
  const withMax = validateCountTokensRequest(
    { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
    STRICT,
  );
  assert.equal(withMax.ok, false);
});
