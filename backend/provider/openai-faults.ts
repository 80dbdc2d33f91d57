/**
 * Classifies a failed Chat Completions turn into the same {@link ModelFault}
 * kinds as the Anthropic API's, so retries, fallbacks and messages work the
 * same for every provider. Differences from Anthropic's API: a spent quota is
 * a 429 with `code: insufficient_quota`, overload is a 503 (529 from some
 * proxies), and an error inside a stream is a `data: {"error": …}` chunk.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  PermissionDeniedError,
} from 'openai';
import { causeChain, messageOf, refusedRetryWait, type ModelFault } from './faults.ts';
import { StreamIdleTimeoutError } from './idle-timeout-fetch.ts';
import { StreamEndedEarlyError } from './stream-turn.ts';

const WHO = 'the OpenAI-compatible API';

function detail(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : error.message;
}

function isQuota(error: APIError): boolean {
  return error.status === 402 || error.code === 'insufficient_quota';
}

export function classifyOpenAIFault(
  error: unknown,
  streamStarted: boolean,
  attempts: number,
): ModelFault {
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  if (error instanceof APIUserAbortError)
    return { kind: 'aborted', message: 'The request was cancelled', retryable: false };
  const idle = causeChain(error).find((e) => e instanceof StreamIdleTimeoutError);
  if (idle) return { kind: 'stream_interrupted', message: idle.message, retryable: true };
  if (error instanceof StreamEndedEarlyError)
    return { kind: 'stream_interrupted', message: error.message, retryable: true };
  if (error instanceof AuthenticationError)
    return {
      kind: 'auth',
      status: 401,
      retryable: false,
      message: `Invalid API key: ${WHO} refused it (${detail(error)}). Set the OpenAI-compatible provider's key and resume.`,
    };
  if (error instanceof APIError && error.status !== undefined && isQuota(error))
    return {
      kind: 'billing',
      status: error.status,
      retryable: false,
      message: `Quota or billing problem at ${WHO}: ${detail(error)}. Check the account's plan and billing, then resume.`,
    };
  if (error instanceof PermissionDeniedError)
    return {
      kind: 'permission',
      status: 403,
      retryable: false,
      message: `Permission denied by ${WHO}: ${detail(error)}`,
    };
  if (error instanceof APIConnectionTimeoutError)
    return {
      kind: 'timeout',
      retryable: false,
      message: `${WHO} did not answer in time (${tries}). Resume to try again.`,
    };
  if (
    error instanceof APIError &&
    error.status === undefined &&
    !(error instanceof APIConnectionError)
  )
    // An error chunk inside a 200 stream: the server gave up on this reply; another try may work.
    return {
      kind: 'stream_interrupted',
      retryable: true,
      message: `The stream reported an error: ${detail(error)}`,
    };
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    const refused = refusedRetryWait(error, status);
    if (refused) return refused;
    if (status === 429)
      return {
        kind: 'rate_limited',
        status,
        retryable: false,
        message: `Rate limited by ${WHO} (429) ${tries}: ${detail(error)}. Resume later.`,
      };
    if (status === 503 || status === 529)
      return {
        kind: 'overloaded',
        status,
        retryable: false,
        message: `${WHO} is overloaded (${status}) ${tries}. Resume in a while.`,
      };
    if (status >= 500)
      return {
        kind: 'server',
        status,
        retryable: false,
        message: `${WHO} failed with ${status} ${tries}: ${detail(error)}. Resume to try again.`,
      };
    return {
      kind: 'invalid_request',
      status,
      retryable: false,
      message: `${WHO} rejected the request (${status}): ${detail(error)}`,
    };
  }
  if (streamStarted)
    return {
      kind: 'stream_interrupted',
      retryable: true,
      message: `The response stream was cut off: ${messageOf(error)}`,
    };
  if (error instanceof APIConnectionError)
    return {
      kind: 'connection',
      retryable: false,
      message: `Could not reach ${WHO} ${tries}: ${messageOf(error)}`,
    };
  return {
    kind: 'unknown',
    retryable: false,
    message: `The model request failed: ${messageOf(error)}`,
  };
}
