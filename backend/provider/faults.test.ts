import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { classifyFault } from './faults.ts';
import { StreamIdleTimeoutError } from './idle-timeout-fetch.ts';
import { StreamEndedEarlyError } from './stream-turn.ts';

type ErrorType = ConstructorParameters<typeof APIError>[4];

/** As the SDK builds them: `generate` for an HTTP error, the constructor for an `error` event inside a stream. */
function apiError(
  status: number | undefined,
  type: string,
  message: string,
  details?: object,
): APIError {
  const body = { type: 'error', error: { type, message, ...(details ? { details } : {}) } };
  return status === undefined
    ? new APIError(undefined, body, undefined, new Headers(), type as ErrorType)
    : APIError.generate(status, body, undefined, new Headers());
}

describe('fault classification', () => {
  test('a user abort is not a failure', () => {
    assert.equal(classifyFault(new APIUserAbortError(), true, 1).kind, 'aborted');
  });

  test('an error event inside a stream is retried by the runtime', () => {
    const fault = classifyFault(apiError(undefined, 'overloaded_error', 'Overloaded'), true, 1);
    assert.deepEqual([fault.kind, fault.retryable], ['stream_interrupted', true]);
  });

  test('an invalid_request error event is not retried', () => {
    assert.equal(
      classifyFault(apiError(undefined, 'invalid_request_error', 'bad'), true, 1).retryable,
      false,
    );
  });

  test('a stream that ends early or goes silent is retried', () => {
    assert.equal(classifyFault(new StreamEndedEarlyError(), true, 1).retryable, true);
    assert.equal(
      classifyFault(new APIConnectionError({ cause: new StreamIdleTimeoutError(1000) }), true, 1)
        .retryable,
      true,
    );
  });

  test('a connection error after the stream began is a dropped stream', () => {
    assert.equal(classifyFault(new TypeError('terminated'), true, 1).kind, 'stream_interrupted');
  });

  test('401 says the key is invalid', () => {
    const fault = classifyFault(
      apiError(401, 'authentication_error', 'invalid x-api-key'),
      false,
      1,
    );
    assert.equal(fault.kind, 'auth');
    assert.match(fault.message, /^Invalid API key/);
  });

  test('the spend-cap 429 is a billing problem, not a rate limit', () => {
    const fault = classifyFault(
      apiError(429, 'rate_limit_error', 'monthly limit', {
        error_code: 'enforced_spend_limit_reached',
      }),
      false,
      3,
    );
    assert.equal(fault.kind, 'billing');
  });

  test('a plain 429 after the SDK retries says how often it tried', () => {
    const fault = classifyFault(apiError(429, 'rate_limit_error', 'slow down'), false, 3);
    assert.equal(fault.kind, 'rate_limited');
    assert.match(fault.message, /after 3 attempts/);
  });

  test('a 400 about the credit balance is a billing problem', () => {
    assert.equal(
      classifyFault(
        apiError(400, 'invalid_request_error', 'Your credit balance is too low'),
        false,
        1,
      ).kind,
      'billing',
    );
  });

  test('529 after retries says the API is overloaded', () => {
    assert.equal(
      classifyFault(apiError(529, 'overloaded_error', 'Overloaded'), false, 3).kind,
      'overloaded',
    );
  });
});
