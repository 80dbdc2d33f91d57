import assert from 'node:assert/strict';
import { test } from 'node:test';
import { promptBlocks, promptTokens } from './prompt-blocks.ts';
import { contentBlockTokens, estimateTextTokens, IMAGE_TOKENS, toolTokens } from './tokens.ts';

test('text costs ceil(utf8 bytes / 4)', () => {
  assert.equal(estimateTextTokens(''), 0);
  assert.equal(estimateTextTokens('abcd'), 1);
  assert.equal(estimateTextTokens('abcde'), 2);
  // 'é' is 2 bytes in UTF-8, '😀' is 4: bytes, not code units, are counted.
  assert.equal(estimateTextTokens('éé'), 1);
  assert.equal(estimateTextTokens('😀a'), 2);
});

test('a tool use costs its name followed by its JSON input', () => {
  const block = { type: 'tool_use', id: 'toolu_x', name: 'bash', input: { command: 'ls' } };
  assert.equal(contentBlockTokens(block), estimateTextTokens('bash{"command":"ls"}'));
});

test('a tool result costs its content, string or nested blocks', () => {
  assert.equal(
    contentBlockTokens({ type: 'tool_result', tool_use_id: 't', content: 'x'.repeat(40) }),
    10,
  );
  const nested = {
    type: 'tool_result',
    tool_use_id: 't',
    content: [
      { type: 'text', text: 'x'.repeat(8) },
      { type: 'image', source: {} },
    ],
  };
  assert.equal(contentBlockTokens(nested), 2 + IMAGE_TOKENS);
  assert.equal(contentBlockTokens({ type: 'tool_result', tool_use_id: 't' }), 0);
});

test('cache_control markers cost nothing', () => {
  const tool = { name: 'read', input_schema: { type: 'object' } };
  assert.equal(toolTokens({ ...tool, cache_control: { type: 'ephemeral' } }), toolTokens(tool));
  assert.equal(
    contentBlockTokens({ type: 'text', text: 'abcd', cache_control: { type: 'ephemeral' } }),
    contentBlockTokens({ type: 'text', text: 'abcd' }),
  );
});

test('a prompt costs the sum of its parts, string content equal to one text block', () => {
  const tool = { name: 'read', description: 'Read a file', input_schema: { type: 'object' } };
  const blocks = promptBlocks({
    model: 'm',
    tools: [tool],
    system: 'You are terse.',
    messages: [{ role: 'user', content: 'Hello, Claude' }],
  });
  assert.deepEqual(
    blocks.map((block) => block.section),
    ['tools', 'system', 'messages'],
  );
  assert.equal(
    promptTokens(blocks),
    toolTokens(tool) + estimateTextTokens('You are terse.') + estimateTextTokens('Hello, Claude'),
  );
  const asBlock = promptBlocks({
    model: 'm',
    tools: [tool],
    system: 'You are terse.',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello, Claude' }] }],
  });
  assert.deepEqual(asBlock, blocks);
});
