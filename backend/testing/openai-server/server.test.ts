/** The OpenAI server's wire format, read raw (as a non-SDK client such as a local server's users would see it). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { openaiFaults, startOpenAIServer, type OpenAIServer } from './index.ts';

let server: OpenAIServer;
before(async () => (server = await startOpenAIServer()));
after(async () => server.close());

function post(body: unknown, key = server.apiKey): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const BASE = {
  model: 'gpt-4.1',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
  stream_options: { include_usage: true },
};

function dataLines(text: string): string[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
}

describe('OpenAI server wire format', () => {
  test('a stream: role first, tool call id and name before its arguments, finish, usage last, then [DONE]', async () => {
    server.enqueue({
      text: 'ok',
      toolCalls: [{ name: 'bash', arguments: { command: 'ls -la /tmp' }, id: 'call_1' }],
    });
    const response = await post(BASE);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const lines = dataLines(await response.text());
    assert.equal(lines.at(-1), '[DONE]');
    const chunks = lines.slice(0, -1).map((l) => JSON.parse(l) as ChatCompletionChunk);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'));
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(calls[0], {
      index: 0,
      id: 'call_1',
      type: 'function',
      function: { name: 'bash', arguments: '' },
    });
    assert.equal(
      calls
        .slice(1)
        .map((c) => c.function?.arguments)
        .join(''),
      '{"command":"ls -la /tmp"}',
    );
    assert.ok(calls.length > 2, 'arguments arrive in pieces');
    const finish = chunks.at(-2);
    assert.equal(finish?.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(finish?.choices[0]?.delta, {});
    assert.equal(finish?.usage, null);
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    const usage = last?.usage;
    assert.ok(usage);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.deepEqual(server.chatRequests.at(-1)?.usage, usage);
  });

  test('without include_usage no chunk carries usage', async () => {
    server.enqueue({ text: 'ok' });
    const { stream_options: _ignored, ...body } = BASE;
    const lines = dataLines(await (await post(body)).text());
    assert.ok(lines.slice(0, -1).every((l) => !('usage' in JSON.parse(l))));
  });

  test('a wrong key is 401 invalid_api_key, with the key itself never recorded', async () => {
    const response = await post(BASE, 'sk-wrong-key-000000000000');
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: { code: string; type: string } };
    assert.equal(body.error.code, 'invalid_api_key');
    assert.equal(server.requests.at(-1)?.headers['authorization'], '[redacted]');
  });

  test('a tool message that answers no call, and a call left unanswered, are 400s naming the field', async () => {
    const orphan = await post({
      ...BASE,
      messages: [
        { role: 'user', content: 'x' },
        { role: 'tool', tool_call_id: 'call_9', content: 'r' },
      ],
    });
    assert.equal(orphan.status, 400);
    assert.equal(
      ((await orphan.json()) as { error: { param: string } }).error.param,
      'messages[1].role',
    );
    const unanswered = await post({
      ...BASE,
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{}' } },
          ],
        },
        { role: 'user', content: 'y' },
      ],
    });
    assert.equal(unanswered.status, 400);
    assert.match(
      ((await unanswered.json()) as { error: { message: string } }).error.message,
      /call_1/,
    );
  });

  test('unknown arguments and stream_options without stream are refused', async () => {
    assert.equal((await post({ ...BASE, cache_control: { type: 'ephemeral' } })).status, 400);
    assert.equal((await post({ ...BASE, stream: false })).status, 400);
  });

  test('scripted errors carry OpenAI error bodies and retry-after; an error chunk ends a stream', async () => {
    server.enqueue(openaiFaults.rateLimited({ retryAfterSeconds: 7 }), openaiFaults.streamError(2));
    const limited = await post(BASE);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal(
      ((await limited.json()) as { error: { code: string } }).error.code,
      'rate_limit_exceeded',
    );
    const lines = dataLines(await (await post(BASE)).text());
    assert.equal(lines.length, 3);
    assert.equal(
      (JSON.parse(lines[2] as string) as { error: { type: string } }).error.type,
      'server_error',
    );
  });

  test('a non-streaming request gets one chat.completion', async () => {
    server.enqueue({ text: 'whole' });
    const { stream_options: _ignored, ...body } = BASE;
    const completion = (await (await post({ ...body, stream: false })).json()) as {
      object: string;
      choices: { message: { content: string } }[];
    };
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0]?.message.content, 'whole');
  });
});
