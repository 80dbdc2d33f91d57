/** What the OpenAI adapter does beyond the conformance suite: ids another provider can take. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createOpenAIClient } from './openai-client.ts';
import { streamChatTurn } from './openai-stream.ts';
import { startOpenAIServer, type OpenAIServer } from '../testing/openai-server/index.ts';

let server: OpenAIServer;
before(async () => (server = await startOpenAIServer()));
after(async () => server.close());

const SPEC = {
  model: 'local-model',
  maxTokens: 100,
  tools: [],
  system: 'You are a coding agent.',
  messages: [{ role: 'user' as const, content: 'Go.' }],
};

test('tool call ids are kept to what the Messages API accepts, and reported under the served model', async () => {
  server.enqueue({
    toolCalls: [
      { name: 'bash', arguments: { command: 'ls' }, id: 'chatcmpl.tool:1/a' },
      { name: 'bash', arguments: { command: 'pwd' }, id: '' },
    ],
    model: 'local-model-q4',
  });
  const client = createOpenAIClient({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
  const result = await streamChatTurn(client, SPEC, new AbortController().signal);
  assert.deepEqual(
    result.toolUses.map((t) => t.id),
    ['chatcmpl_tool_1_a', 'call_troika_1'],
  );
  assert.equal(result.model, 'local-model-q4');
  assert.ok(result.toolUses.every((t) => /^[a-zA-Z0-9_-]+$/.test(t.id)));
});
