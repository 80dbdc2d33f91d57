/**
 * The server through the real SDK: what the agent runtime will see.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Anthropic, { InternalServerError, NotFoundError } from '@anthropic-ai/sdk';
import { faults } from './index.ts';
import { HELLO, MODEL, serve } from './test-client.ts';

test('a streamed text turn arrives whole through MessageStream.finalMessage()', async (t) => {
  const { server, client } = await serve(t, {
    script: [{ text: 'Hello! How can I help with the repository today?' }],
  });
  const stream = client.messages.stream(HELLO);
  const pieces: string[] = [];
  stream.on('text', (delta) => pieces.push(delta));
  const message = await stream.finalMessage();

  assert.equal(message.role, 'assistant');
  assert.match(message.id, /^msg_/);
  assert.equal(message.model, MODEL);
  assert.deepEqual(
    message.content.map((block) => block.type === 'text' && block.text),
    ['Hello! How can I help with the repository today?'],
  );
  assert.ok(pieces.length > 1, 'the text arrives in several deltas');
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.usage.input_tokens, server.requests[0]?.inputTokens);
  assert.ok(message.usage.output_tokens > 0);
  assert.match(stream.request_id ?? '', /^req_/);
});

test('the raw stream follows the documented event order and SSE framing', async (t) => {
  const { server } = await serve(t, { script: [{ text: 'Hi there.' }] });
  const response = await fetch(`${server.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': server.apiKey,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ ...HELLO, stream: true }),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const raw = await response.text();
  const frames = raw.split('\n\n').filter((frame) => frame !== '');
  const names = frames.map((frame) => {
    const match = /^event: (\w+)\ndata: (\{.*\})$/s.exec(frame);
    assert.ok(match, `frame is "event: X\\ndata: {json}": ${frame}`);
    assert.equal((JSON.parse(match[2] ?? '') as { type: string }).type, match[1]);
    return match[1];
  });
  assert.deepEqual(names, [
    'message_start',
    'content_block_start',
    'ping',
    ...names.filter((name) => name === 'content_block_delta'),
    'content_block_stop',
    'message_delta',
    'message_stop',
  ]);
  const start = JSON.parse(frames[0]?.split('data: ')[1] ?? '') as {
    message: { content: unknown[]; stop_reason: unknown };
  };
  assert.deepEqual(start.message.content, []);
  assert.equal(start.message.stop_reason, null);
});

test('a streamed tool_use turn sends its input in several input_json_delta chunks', async (t) => {
  const input = { command: 'grep -rn "TODO" src/ | head -20', restart: false };
  const { client } = await serve(t, {
    script: [{ text: 'Searching.', toolUses: [{ name: 'bash', input }] }],
  });
  const request = { ...HELLO, tools: [{ type: 'bash_20250124' as const, name: 'bash' as const }] };

  const events = await client.messages.create({ ...request, stream: true });
  const chunks: string[] = [];
  let stopReason: string | null = null;
  for await (const event of events) {
    if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
      chunks.push(event.delta.partial_json);
    if (event.type === 'message_delta') stopReason = event.delta.stop_reason;
  }
  assert.ok(
    chunks.filter((chunk) => chunk !== '').length >= 3,
    `several chunks: ${JSON.stringify(chunks)}`,
  );
  assert.deepEqual(JSON.parse(chunks.join('')), input);
  assert.equal(stopReason, 'tool_use');
});

test('MessageStream assembles the tool input into the scripted object', async (t) => {
  const input = {
    path: 'src/app.ts',
    old_str: 'const a = 1;',
    new_str: 'const a = 2;',
    command: 'str_replace',
  };
  const { client } = await serve(t, {
    script: [{ toolUses: [{ name: 'str_replace_based_edit_tool', input }] }],
  });
  const message = await client.messages
    .stream({
      ...HELLO,
      tools: [{ type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' }],
    })
    .finalMessage();
  const [block] = message.content;
  assert.equal(block?.type, 'tool_use');
  if (block?.type !== 'tool_use') return;
  assert.match(block.id, /^toolu_/);
  assert.deepEqual(block.input, input);
  assert.equal(message.stop_reason, 'tool_use');
});

test('a non-streaming call returns the Message as JSON with its request id', async (t) => {
  const { server, client } = await serve(t, {
    script: [
      {
        text: 'Two files changed.',
        toolUses: [{ name: 'read_file', input: { path: 'a.ts' }, id: 'toolu_01fixed' }],
      },
    ],
  });
  const message = await client.messages.create({
    ...HELLO,
    tools: [
      {
        name: 'read_file',
        description: 'Read a file',
        input_schema: { type: 'object', properties: { path: { type: 'string' } } },
      },
    ],
  });
  assert.equal(message.type, 'message');
  assert.deepEqual(
    message.content.map((block) => block.type),
    ['text', 'tool_use'],
  );
  assert.deepEqual(message.content[1], {
    type: 'tool_use',
    id: 'toolu_01fixed',
    name: 'read_file',
    input: { path: 'a.ts' },
    caller: { type: 'direct' },
  });
  assert.equal(message.stop_reason, 'tool_use');
  assert.equal(message.stop_sequence, null);
  assert.match(message._request_id ?? '', /^req_/);
  assert.equal(server.requests[0]?.params?.stream, false);
});

test('usage reports cache reads on the second request with the same prefix', async (t) => {
  const { server, client } = await serve(t, { script: [{ text: 'First.' }, { text: 'Second.' }] });
  const system = [
    {
      type: 'text' as const,
      text: 'You are a careful engineer. '.repeat(200),
      cache_control: { type: 'ephemeral' as const },
    },
  ];
  const first = await client.messages.stream({ ...HELLO, system }).finalMessage();
  const second = await client.messages
    .stream({ ...HELLO, system, messages: [{ role: 'user', content: 'And now?' }] })
    .finalMessage();

  const prefix = first.usage.cache_creation_input_tokens ?? 0;
  assert.ok(prefix >= 1024, `the system prompt is cached (${prefix} tokens)`);
  assert.equal(first.usage.cache_read_input_tokens, 0);
  assert.equal(second.usage.cache_read_input_tokens, prefix);
  assert.equal(second.usage.cache_creation_input_tokens, 0);
  // input_tokens excludes cached tokens: only the new user message is left.
  assert.equal(second.usage.input_tokens, (server.requests[1]?.inputTokens ?? 0) - prefix);
  assert.equal(server.totals.cacheReadInputTokens, prefix);
  assert.equal(
    server.totals.inputTokens,
    (server.requests[0]?.inputTokens ?? 0) + (server.requests[1]?.inputTokens ?? 0),
  );
});

test('max_tokens 0 pre-warms the cache without consuming a scripted turn', async (t) => {
  const { server, client } = await serve(t, { script: [{ text: 'Real answer.' }] });
  const system = [
    {
      type: 'text' as const,
      text: 'x'.repeat(8000),
      cache_control: { type: 'ephemeral' as const },
    },
  ];
  const warm = await client.messages.create({ ...HELLO, system, max_tokens: 0 });
  assert.deepEqual(warm.content, []);
  assert.equal(warm.stop_reason, 'max_tokens');
  assert.equal(warm.usage.output_tokens, 0);
  assert.equal(warm.usage.cache_creation_input_tokens, 2000);
  const real = await client.messages.create({ ...HELLO, system });
  assert.equal(real.usage.cache_read_input_tokens, 2000);
  assert.equal(server.pendingTurns, 0);
});

test('output stops at max_tokens with stop_reason max_tokens', async (t) => {
  const { client } = await serve(t, { script: [{ text: 'word '.repeat(100) }] });
  const message = await client.messages.stream({ ...HELLO, max_tokens: 10 }).finalMessage();
  assert.equal(message.stop_reason, 'max_tokens');
  assert.equal(message.usage.output_tokens, 10);
  const [block] = message.content;
  assert.equal(block?.type === 'text' && block.text.length, 40);
});

test('count_tokens uses the same estimator as the usage of a real request', async (t) => {
  const { server, client } = await serve(t, { script: [{ text: 'ok' }] });
  const prompt = {
    model: MODEL,
    system: 'Be brief.',
    messages: [{ role: 'user' as const, content: 'Count me, please.' }],
  };
  const counted = await client.messages.countTokens(prompt);
  await client.messages.create({ ...prompt, max_tokens: 100 });
  assert.equal(counted.input_tokens, server.messageRequests[0]?.inputTokens);
  assert.equal(server.totals.requests, 1, 'count_tokens is not a model request');
});

test('every request is recorded with its body and headers, never the key', async (t) => {
  const { server, client } = await serve(t, { script: [{ text: 'ok' }] });
  await client.messages.create(HELLO);
  const [record] = server.requests;
  assert.equal(record?.method, 'POST');
  assert.equal(record?.path, '/v1/messages');
  assert.deepEqual((record?.body as { messages: unknown }).messages, HELLO.messages);
  assert.equal(record?.headers['authorization'], '[redacted]');
  assert.ok(!JSON.stringify(server.requests).includes(server.apiKey));
  assert.match(record?.headers['anthropic-version'] ?? '', /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(record?.status, 200);
  assert.equal(record?.outcome, 'completed');
  assert.ok((record?.receivedAt ?? 0) > 0);
});

test('a handler scripts turns from the request once the queue is empty', async (t) => {
  const { server, client } = await serve(t, { script: [{ text: 'queued' }] });
  server.setHandler((request, context) => {
    const last = request.params?.messages.at(-1)?.content;
    return { text: `echo #${context.turnIndex}: ${typeof last === 'string' ? last : '?'}` };
  });
  const first = await client.messages.create(HELLO);
  const second = await client.messages.create({
    ...HELLO,
    messages: [{ role: 'user', content: 'ping' }],
  });
  assert.deepEqual(first.content[0], { type: 'text', text: 'queued', citations: null });
  assert.deepEqual(second.content[0], { type: 'text', text: 'echo #1: ping', citations: null });
});

test('nothing scripted answers a non-retryable 500 instead of hanging', async (t) => {
  const { server } = await serve(t);
  const client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 2 });
  await assert.rejects(client.messages.create(HELLO), (error: unknown) => {
    assert.ok(error instanceof InternalServerError);
    assert.match(error.message, /nothing scripted/);
    return true;
  });
  assert.equal(server.messageRequests.length, 1);
});

test('an unknown model gets 404 not_found_error when models are configured', async (t) => {
  const { client } = await serve(t, { models: [MODEL], script: [{ text: 'ok' }] });
  await assert.rejects(
    client.messages.create({ ...HELLO, model: 'claude-imaginary-9' }),
    NotFoundError,
  );
  const list = await client.models.list();
  assert.deepEqual(
    list.data.map((model) => model.id),
    [MODEL],
  );
});

test('a client abort mid-stream is recorded as client-closed', async (t) => {
  const { server, client } = await serve(t, {
    script: [{ text: 'a long answer '.repeat(20), delay: { betweenEventsMs: 20 } }],
  });
  const stream = client.messages.stream(HELLO);
  stream.once('text', () => stream.abort());
  await assert.rejects(stream.finalMessage(), Anthropic.APIUserAbortError);
  await waitFor(() => server.requests[0]?.outcome === 'client-closed');
});

test('close() ends a stalled stream so no test hangs', async (t) => {
  const { server, client } = await serve(t, { script: [faults.stall({ afterEvents: 3 })] });
  const stream = client.messages.stream(HELLO);
  await waitFor(() => server.requests[0]?.outcome === 'stalled');
  await server.close();
  await assert.rejects(stream.finalMessage());
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
