import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { AgentSummary } from '../protocol/agent.ts';
import { faults, type Turn } from '../testing/messages-server/index.ts';
import { Harness, type HarnessOptions } from './testing/harness.ts';

let h: Harness;
afterEach(async () => h.dispose());

async function run(script: Turn[], options: HarnessOptions = {}) {
  h = await Harness.start({ ...options, server: { script, ...options.server } });
  const { id } = await h.manager.start({ task: 't', workspace: h.folder('ws') });
  const settled = await h.waitFor(
    (e) =>
      e.event === 'agent.state' &&
      e.data.agentId === id &&
      ['done', 'failed', 'stopped'].includes(e.data.state),
  );
  const errors = h.events.flatMap((e) =>
    e.event === 'agent.error' && e.data.agentId === id ? [e.data] : [],
  );
  return { agent: (settled as { data: { agent: AgentSummary } }).data.agent, errors };
}

const OK: Turn = { text: 'Recovered.' };

describe('faults the SDK retries (before the stream starts)', () => {
  test('429 with retry-after is retried and the agent finishes', async () => {
    const { agent } = await run([faults.rateLimited({ retryAfterSeconds: 1 }), OK]);
    assert.equal(agent.state, 'done');
    assert.equal(h.server.messageRequests.length, 2);
  });

  test('the user is told when the SDK waits to retry, and for how long', async () => {
    const { errors } = await run([faults.rateLimited({ retryAfterSeconds: 1 }), OK]);
    assert.deepEqual(
      errors.map((e) => [e.kind, e.retrying, e.attempt]),
      [['rate_limited', true, 1]],
    );
    assert.equal(
      errors[0]?.message,
      'Rate limited by the API (429); retrying in 1 s, as it asked (retry 1 of 2).',
    );
  });

  test('a 429 asking to wait an hour fails the agent at once, resumable, saying to try later', async () => {
    const { agent, errors } = await run([faults.rateLimited({ retryAfterSeconds: 3600 }), OK]);
    assert.equal(agent.state, 'failed');
    assert.equal(
      agent.stateReason,
      'Rate limited by the API (429): the API asked to retry after 3600 s, more than the 60 s limit; try again later.',
    );
    assert.equal(agent.resumable, true);
    assert.equal(h.server.messageRequests.length, 1);
    assert.deepEqual(
      errors.map((e) => [e.kind, e.retrying]),
      [['rate_limited', false]],
    );
  });

  test('529 overloaded is retried and the agent finishes', async () => {
    const { agent } = await run([faults.overloaded({ repeat: 2 }), OK]);
    assert.equal(agent.state, 'done');
    assert.equal(h.server.messageRequests.length, 3);
  });

  test('500 that persists fails the agent with a clear message', async () => {
    const { agent, errors } = await run([faults.apiError({ repeat: 3 }), OK]);
    assert.equal(agent.state, 'failed');
    assert.match(
      agent.stateReason ?? '',
      /The API failed with 500 after 3 attempts.*Resume to try again/,
    );
    assert.equal(errors.at(-1)?.kind, 'server');
  });

  test('a request that gets no answer in time is retried', async () => {
    const { agent } = await run([{ text: 'slow', delay: { firstByteMs: 2_000 } }, OK], {
      provider: { requestTimeoutMs: 300 },
    });
    assert.equal(agent.state, 'done');
  });

  test('requests that keep timing out fail the agent, saying so', async () => {
    const slow: Turn = { text: 'slow', delay: { firstByteMs: 2_000 } };
    const { agent } = await run([slow, slow, slow], { provider: { requestTimeoutMs: 300 } });
    assert.equal(agent.state, 'failed');
    assert.match(agent.stateReason ?? '', /did not answer in time \(after 3 attempts\)/);
  });
});

describe('faults inside a stream (retried by the runtime)', () => {
  test('an error event mid-stream is retried and the partial reply discarded', async () => {
    const { agent, errors } = await run([faults.streamError(), OK]);
    assert.equal(agent.state, 'done');
    assert.equal(errors[0]?.retrying, true);
    assert.equal(errors[0]?.kind, 'stream_interrupted');
    assert.ok(
      h.events.some(
        (e) => e.event === 'agent.transcript' && e.data.entry.kind === 'turn_discarded',
      ),
    );
    assert.deepEqual(h.manager.get(agent.id).transcript[1]?.content, [
      { type: 'text', text: 'Recovered.' },
    ]);
  });

  test('a connection cut mid-message is retried', async () => {
    const { agent, errors } = await run([faults.connectionCut({ afterEvents: 4 }), OK]);
    assert.equal(agent.state, 'done');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.kind, 'stream_interrupted');
  });

  test('a stream that goes silent is dropped and retried: the agent never hangs', async () => {
    const { agent, errors } = await run([faults.stall({ afterEvents: 3 }), OK], {
      provider: { streamIdleMs: 300 },
    });
    assert.equal(agent.state, 'done');
    assert.match(errors[0]?.message ?? '', /went silent/);
  });

  test('a stream that keeps breaking fails the agent after a bounded number of attempts', async () => {
    const { agent } = await run([faults.streamError({ repeat: 3 }), OK]);
    assert.equal(agent.state, 'failed');
    assert.match(agent.stateReason ?? '', /Gave up after 3 attempts; resume to try again/);
  });

  test('the usage of a broken stream still counts toward the budget', async () => {
    const { agent } = await run([faults.connectionCut({ afterEvents: 4 }), OK]);
    assert.equal(agent.usage.requests, 2);
  });
});

describe('faults only the user can fix', () => {
  test('an invalid API key fails the agent at once with a clear message', async () => {
    const { agent } = await run([OK], { provider: { apiKey: 'sk-ant-api03-wrong-key' } });
    assert.equal(agent.state, 'failed');
    assert.match(agent.stateReason ?? '', /^Invalid API key/);
    assert.equal(h.server.messageRequests.length, 1, 'a 401 is not retried');
    assert.ok(
      !JSON.stringify(h.events).includes('sk-ant-api03-wrong-key'),
      'the key is in no event',
    );
  });

  test('the spend cap (a 429 that waiting cannot fix) is not retried and says what to do', async () => {
    const { agent } = await run([faults.spendCapReached({ repeat: 3 }), OK]);
    assert.equal(agent.state, 'failed');
    assert.match(
      agent.stateReason ?? '',
      /^Spend limit or billing problem: .*monthly usage limit.*Check the account/,
    );
    assert.equal(h.server.messageRequests.length, 1);
  });

  test('an empty credit balance fails the agent with the billing message', async () => {
    const { agent } = await run([faults.creditBalanceTooLow(), OK]);
    assert.equal(agent.state, 'failed');
    assert.match(
      agent.stateReason ?? '',
      /^Spend limit or billing problem: Your credit balance is too low/,
    );
  });

  test('a failed agent can be resumed once the problem is fixed', async () => {
    const { agent } = await run([faults.creditBalanceTooLow(), OK]);
    assert.equal(agent.resumable, true);
    await h.manager.resume(agent.id);
    await h.waitFor(
      (e) => e.event === 'agent.state' && e.data.agentId === agent.id && e.data.state === 'done',
    );
  });
});
