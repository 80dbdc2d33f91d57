/**
 * Errors and faults through the real SDK: which it retries, which it surfaces,
 * and as what. These are the behaviours the agent runtime must plan for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Anthropic, {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  InternalServerError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { faults } from './index.ts';
import { HELLO, MODEL, serve } from './test-client.ts';

test('429 with retry-after: the SDK retries by itself and succeeds', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [faults.rateLimited({ retryAfterSeconds: 0 }), { text: 'done' }] },
    { maxRetries: 2 },
  );
  const message = await client.messages.create(HELLO);
  assert.deepEqual(message.content[0], { type: 'text', text: 'done', citations: null });
  const [first, second] = server.messageRequests;
  assert.equal(server.messageRequests.length, 2);
  assert.equal(first?.status, 429);
  assert.equal(second?.headers['x-stainless-retry-count'], '1');
});

test('429 surfaces as RateLimitError with the documented body once retries run out', async (t) => {
  const { server, client } = await serve(t, {
    script: [faults.rateLimited({ retryAfterSeconds: 0, repeat: 1 })],
  });
  await assert.rejects(client.messages.create(HELLO), (error: unknown) => {
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.status, 429);
    assert.equal(error.type, 'rate_limit_error');
    assert.equal(error.headers.get('retry-after'), '0');
    assert.match(error.requestID ?? '', /^req_/);
    const body = error.error as {
      type: string;
      error: { type: string; message: string };
      request_id: string;
    };
    assert.equal(body.type, 'error');
    assert.equal(body.request_id, error.requestID);
    return true;
  });
  assert.equal(server.messageRequests.length, 1);
});

test('the spend-cap 429 carries error.details.error_code, and the SDK still retries it', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [faults.spendCapReached({ repeat: 2 })] },
    { maxRetries: 1 },
  );
  await assert.rejects(client.messages.create(HELLO), (error: unknown) => {
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.errorCode, 'enforced_spend_limit_reached');
    assert.equal(error.headers.get('retry-after'), null);
    return true;
  });
  assert.equal(server.messageRequests.length, 2);
});

test('529 is retried, then surfaces as OverloadedError', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [faults.overloaded({ repeat: 2 }), { text: 'never reached' }] },
    { maxRetries: 1 },
  );
  await assert.rejects(client.messages.create(HELLO), (error: unknown) => {
    assert.ok(error instanceof OverloadedError);
    assert.ok(error instanceof InternalServerError);
    assert.equal(error.status, 529);
    assert.equal(error.type, 'overloaded_error');
    return true;
  });
  assert.equal(server.messageRequests.length, 2);
  assert.equal(server.pendingTurns, 1);
});

test('500 api_error is retried like any 5xx', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [faults.apiError(), { text: 'recovered' }] },
    { maxRetries: 1 },
  );
  const message = await client.messages.create(HELLO);
  assert.equal(message.content[0]?.type === 'text' && message.content[0].text, 'recovered');
  assert.equal(server.messageRequests.length, 2);
});

test('a wrong key is a 401 AuthenticationError, not retried', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [{ text: 'never' }] },
    { maxRetries: 2, apiKey: 'sk-ant-wrong' },
  );
  await assert.rejects(client.messages.create(HELLO), (error: unknown) => {
    assert.ok(error instanceof AuthenticationError);
    assert.equal(error.type, 'authentication_error');
    return true;
  });
  assert.equal(server.messageRequests.length, 1);
  assert.equal(server.pendingTurns, 1, 'a rejected request does not consume a turn');
});

test('scripted 403 and 400 (credit balance) are surfaced, not retried', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [faults.permissionError(), faults.creditBalanceTooLow()] },
    { maxRetries: 2 },
  );
  await assert.rejects(client.messages.create(HELLO), PermissionDeniedError);
  await assert.rejects(client.messages.create(HELLO), (error: unknown) => {
    assert.ok(error instanceof BadRequestError);
    assert.match(error.message, /credit balance is too low/);
    return true;
  });
  assert.equal(server.messageRequests.length, 2);
});

test('a body over the size limit gets 413 request_too_large', async (t) => {
  const { client } = await serve(
    t,
    { maxBodyBytes: 2048, script: [{ text: 'never' }] },
    { maxRetries: 2 },
  );
  await assert.rejects(
    client.messages.create({ ...HELLO, messages: [{ role: 'user', content: 'x'.repeat(4096) }] }),
    // The SDK's ErrorType union lacks the errors page's 'request_too_large', hence String().
    (error: unknown) =>
      error instanceof ContentTooLargeError && String(error.type) === 'request_too_large',
  );
});

test('a malformed request is a 400 invalid_request_error with the API error shape', async (t) => {
  const { server, client } = await serve(t, { script: [{ text: 'never' }] }, { maxRetries: 2 });
  const response = await fetch(`${server.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': server.apiKey,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hello' }] }),
  });
  assert.equal(response.status, 400);
  const body = (await response.json()) as unknown;
  assert.deepEqual(body, {
    type: 'error',
    error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    request_id: response.headers.get('request-id'),
  });

  await assert.rejects(
    client.messages.create({ ...HELLO, messages: [{ role: 'assistant', content: 'Hi' }] }),
    (error: unknown) => error instanceof BadRequestError && error.type === 'invalid_request_error',
  );
  assert.equal(server.pendingTurns, 1);
});

test('more than 4 cache_control breakpoints is a 400', async (t) => {
  const { client } = await serve(t, { script: [{ text: 'never' }] });
  const marked = (text: string) => ({
    type: 'text' as const,
    text,
    cache_control: { type: 'ephemeral' as const },
  });
  await assert.rejects(
    client.messages.create({
      ...HELLO,
      system: [marked('one'), marked('two'), marked('three')],
      messages: [{ role: 'user', content: [marked('four'), marked('five')] }],
    }),
    (error: unknown) =>
      error instanceof BadRequestError &&
      error.message.includes('A maximum of 4 blocks with cache_control may be provided. Found 5.'),
  );
});

test('missing key or version headers are refused before the body is read', async (t) => {
  const { server } = await serve(t, { script: [{ text: 'never' }] });
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(HELLO),
    });
  const noKey = await post({ 'anthropic-version': '2023-06-01' });
  assert.equal(noKey.status, 401);
  assert.equal(
    ((await noKey.json()) as { error: { type: string } }).error.type,
    'authentication_error',
  );
  const noVersion = await post({ 'x-api-key': server.apiKey });
  assert.equal(noVersion.status, 400);
  assert.equal(
    ((await noVersion.json()) as { error: { message: string } }).error.message,
    'anthropic-version: header is required',
  );
});

test('an error event mid-stream surfaces from the stream and is not retried', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [faults.streamError({ afterEvents: 5 }), { text: 'never' }] },
    { maxRetries: 2 },
  );
  const stream = client.messages.stream(HELLO);
  const received: string[] = [];
  stream.on('text', (delta) => received.push(delta));
  await assert.rejects(stream.finalMessage(), (error: unknown) => {
    assert.ok(error instanceof APIError);
    assert.equal(error.status, undefined, 'the HTTP status was 200');
    assert.equal(error.type, 'overloaded_error');
    return true;
  });
  assert.ok(received.length > 0, 'deltas before the error were delivered');
  assert.equal(server.messageRequests.length, 1);
  assert.equal(server.messageRequests[0]?.outcome, 'stream-error');
});

test('a connection cut mid-stream surfaces from the stream and is not retried', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [faults.connectionCut({ afterEvents: 5 }), { text: 'never' }] },
    { maxRetries: 2 },
  );
  const stream = client.messages.stream(HELLO);
  await assert.rejects(stream.finalMessage(), (error: unknown) => {
    assert.ok(error instanceof AnthropicError);
    assert.ok(!(error instanceof APIError), 'not an API error: the transport failed');
    return true;
  });
  assert.equal(server.messageRequests.length, 1);
  assert.equal(server.messageRequests[0]?.outcome, 'cut');
});

test('a connection cut before the response starts is a connection error, and retried', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [faults.connectionCut({ afterEvents: 0 }), { text: 'second try' }] },
    { maxRetries: 1 },
  );
  const message = await client.messages.stream(HELLO).finalMessage();
  assert.equal(message.content[0]?.type === 'text' && message.content[0].text, 'second try');
  assert.equal(server.messageRequests.length, 2);

  server.enqueue(faults.connectionCut({ afterEvents: 0 }));
  const once = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
  await assert.rejects(once.messages.create(HELLO), APIConnectionError);
});

test('a slow first byte beyond the client timeout is an APIConnectionTimeoutError', async (t) => {
  const { server, client } = await serve(
    t,
    { script: [{ text: 'too late', delay: { firstByteMs: 5000 } }] },
    { timeout: 200 },
  );
  await assert.rejects(client.messages.create(HELLO), APIConnectionTimeoutError);
  assert.equal(server.messageRequests.length, 1);
});

test('without streaming, a stream-error fault arrives as the HTTP status of its type', async (t) => {
  const { client } = await serve(t, { script: [faults.streamError()] });
  await assert.rejects(client.messages.create(HELLO), OverloadedError);
});
