/**
 * Waits the runtime bounds, through the real SDK against the local Messages
 * server: a server-requested retry wait over the limit, and a stream that
 * stalls mid-way. Time is asserted only as far as the point is "it did not
 * wait": each bound is far below what an unbounded wait would take.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import {
  faults,
  startMessagesServer,
  type MessagesServerOptions,
} from '../testing/messages-server/index.ts';
import { createAnthropicClient, type ProviderOptions } from './client.ts';
import { classifyFault, type ModelFault } from './faults.ts';
import type { RetryNotice } from './retry-notice-fetch.ts';
import { streamTurn, TurnFailure, type TurnResult } from './stream-turn.ts';

const PARAMS: MessageCreateParamsStreaming = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello' }],
  stream: true,
};

async function turn(
  t: TestContext,
  server: MessagesServerOptions,
  provider: Partial<ProviderOptions> = {},
) {
  const messages = await startMessagesServer(server);
  t.after(() => messages.close());
  const notices: RetryNotice[] = [];
  const client = createAnthropicClient({
    apiKey: messages.apiKey,
    baseURL: messages.url,
    onRetry: (notice) => notices.push(notice),
    ...provider,
  });
  const started = Date.now();
  let result: TurnResult | undefined;
  let fault: ModelFault | undefined;
  let failure: TurnFailure | undefined;
  try {
    result = await streamTurn(client, PARAMS, new AbortController().signal);
  } catch (error) {
    assert.ok(error instanceof TurnFailure);
    failure = error;
    fault = classifyFault(error.cause, error.streamStarted, 3);
  }
  return {
    result,
    fault,
    failure,
    notices,
    elapsedMs: Date.now() - started,
    requests: messages.messageRequests.length,
  };
}

test(
  'a 429 asking to retry after an hour fails the turn at once, saying why',
  { timeout: 20_000 },
  async (t) => {
    const run = await turn(t, { script: [faults.rateLimited({ retryAfterSeconds: 3600 })] });
    assert.equal(run.fault?.kind, 'rate_limited');
    assert.equal(run.fault?.retryable, false);
    assert.equal(
      run.fault?.message,
      'Rate limited by the API (429): the API asked to retry after 3600 s, more than the 60 s limit; try again later.',
    );
    assert.equal(run.requests, 1, 'the SDK did not retry');
    assert.deepEqual(run.notices, [], 'no "retrying in 3600 s" notice');
    assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
  },
);

test(
  'a 429 asking to retry after 1 s is still retried and succeeds',
  { timeout: 20_000 },
  async (t) => {
    const run = await turn(t, {
      script: [faults.rateLimited({ retryAfterSeconds: 1 }), { text: 'Done.' }],
    });
    assert.deepEqual(run.result?.content, [{ type: 'text', text: 'Done.' }]);
    assert.equal(run.requests, 2);
    assert.deepEqual(run.notices, [{ status: 429, attempt: 1, retryAfterMs: 1000 }]);
  },
);

test(
  'the limit is configurable, and retry-after-ms counts as the SDK reads it',
  { timeout: 20_000 },
  async (t) => {
    const run = await turn(
      t,
      { script: [faults.overloaded({ headers: { 'retry-after-ms': '2500' } }), { text: 'x' }] },
      { maxRetryWaitMs: 500 },
    );
    assert.equal(run.fault?.kind, 'overloaded');
    assert.equal(
      run.fault?.message,
      'The API is overloaded (529): the API asked to retry after 2.5 s, more than the 0.5 s limit; try again later.',
    );
    assert.equal(run.requests, 1);
  },
);

test('a retry-after given as an HTTP date is bounded too', { timeout: 20_000 }, async (t) => {
  const later = new Date(Date.now() + 2 * 3600_000).toUTCString();
  const run = await turn(t, {
    script: [faults.apiError({ headers: { 'retry-after': later } }), { text: 'x' }],
  });
  assert.equal(run.fault?.kind, 'server');
  assert.match(run.fault?.message ?? '', /asked to retry after 7\d{3} s, more than the 60 s limit/);
  assert.equal(run.requests, 1);
});

test(
  'a stream that stalls mid-way fails once it has been silent for the idle limit',
  { timeout: 20_000 },
  async (t) => {
    const run = await turn(
      t,
      { script: [faults.stall({ afterEvents: 4 })] },
      { streamIdleMs: 400 },
    );
    assert.equal(run.failure?.streamStarted, true, 'events had arrived before the stall');
    assert.deepEqual(
      [run.fault?.kind, run.fault?.retryable, run.fault?.message],
      ['stream_interrupted', true, 'The response stream went silent for 0.4 s and was dropped'],
    );
    // It waited for the silence, and no longer than a bounded time after it.
    assert.ok(run.elapsedMs >= 350 && run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
  },
);
