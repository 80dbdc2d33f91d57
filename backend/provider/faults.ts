/**
 * What went wrong with a model request, in words a person can act on, and
 * whether the runtime should try the turn again. The SDK has already retried
 * what it retries (connection errors, 408, 409, 429, 5xx) by the time an
 * error reaches here; what it never retries is a stream that fails after it
 * began, so that is what {@link ModelFault.retryable} is about.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  PermissionDeniedError,
} from '@anthropic-ai/sdk';
import { RETRY_WAIT_LIMIT_HEADER, serverRetryWaitMs } from './bounded-retry-fetch.ts';
import { StreamIdleTimeoutError } from './idle-timeout-fetch.ts';
import { StreamEndedEarlyError } from './stream-turn.ts';

export type FaultKind =
  | 'aborted'
  | 'auth'
  | 'billing'
  | 'permission'
  | 'rate_limited'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'stream_interrupted'
  | 'invalid_request'
  | 'unknown';

export interface ModelFault {
  kind: FaultKind;
  /** For the user: what happened and what to do. Never contains the key. */
  message: string;
  /** Whether the runtime retries the turn itself. */
  retryable: boolean;
  status?: number | undefined;
}

/** API error types that mean "try again later", whether as a status or an SSE `error` event. */
const TRANSIENT_TYPES = new Set([
  'rate_limit_error',
  'overloaded_error',
  'api_error',
  'timeout_error',
]);

const BILLING_PATTERN = /credit balance|spend(ing)? limit|usage limit|billing|payment/i;

function apiDetail(error: APIError): string {
  return error.apiMessage ?? error.message;
}

function isBilling(error: APIError): boolean {
  return (
    error.status === 402 ||
    error.type === 'billing_error' ||
    (error.errorCode !== null && /spend|credit|billing|usage_limit/i.test(error.errorCode)) ||
    ((error.status === 400 || error.status === 403) && BILLING_PATTERN.test(apiDetail(error)))
  );
}

/** Whole seconds, or tenths below ten (a test's limits are fractions of a second). */
function seconds(ms: number): number {
  return Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0));
}

/** "Rate limited by the API (429)", as a retry notice says it. */
function statusWords(status: number): string {
  if (status === 429) return 'Rate limited by the API (429)';
  if (status === 529) return 'The API is overloaded (529)';
  return `The API answered ${status}`;
}

/** A retry the server asked to make only after longer than the client's limit (see `bounded-retry-fetch.ts`); either SDK's error. */
export function refusedRetryWait(
  error: { headers?: Headers | undefined },
  status: number,
): ModelFault | undefined {
  const limitMs = Number(error.headers?.get(RETRY_WAIT_LIMIT_HEADER) ?? Number.NaN);
  const askedMs = error.headers ? serverRetryWaitMs(error.headers) : null;
  if (!Number.isFinite(limitMs) || askedMs === null) return undefined;
  const kind: FaultKind =
    status === 429 ? 'rate_limited' : status === 529 ? 'overloaded' : 'server';
  return {
    kind,
    status,
    retryable: false,
    message: `${statusWords(status)}: the API asked to retry after ${seconds(askedMs)} s, more than the ${seconds(limitMs)} s limit; try again later.`,
  };
}

export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let e = error;
    e !== undefined && e !== null && chain.length < 5;
    e = (e as { cause?: unknown }).cause
  )
    chain.push(e);
  return chain;
}

/**
 * Classifies `error`, thrown by a streaming request. `streamStarted` says
 * whether any event had arrived: a failure after that is a dropped stream.
 */
export function classifyFault(
  error: unknown,
  streamStarted: boolean,
  attempts: number,
): ModelFault {
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  if (error instanceof APIUserAbortError)
    return { kind: 'aborted', message: 'The request was cancelled', retryable: false };
  const idle = causeChain(error).find((e) => e instanceof StreamIdleTimeoutError);
  if (idle) return { kind: 'stream_interrupted', message: idle.message, retryable: true };
  if (error instanceof StreamEndedEarlyError) {
    return { kind: 'stream_interrupted', message: error.message, retryable: true };
  }
  if (error instanceof AuthenticationError) {
    return {
      kind: 'auth',
      status: 401,
      retryable: false,
      message: `Invalid API key: the API refused it (${apiDetail(error)}). Set a valid ANTHROPIC_API_KEY and resume.`,
    };
  }
  if (error instanceof APIError && error.status !== undefined && isBilling(error)) {
    return {
      kind: 'billing',
      status: error.status,
      retryable: false,
      message: `Spend limit or billing problem: ${apiDetail(error)}. Check the account's credit balance and spend limits, then resume.`,
    };
  }
  if (error instanceof PermissionDeniedError) {
    return {
      kind: 'permission',
      status: 403,
      retryable: false,
      message: `Permission denied by the API: ${apiDetail(error)}`,
    };
  }
  if (error instanceof APIConnectionTimeoutError) {
    return {
      kind: 'timeout',
      retryable: false,
      message: `The API did not answer in time (${tries}). Resume to try again.`,
    };
  }
  if (
    error instanceof APIError &&
    error.status === undefined &&
    error.type !== null &&
    !(error instanceof APIConnectionError)
  ) {
    // An `error` event inside a 200 stream: the SDK does not retry these.
    const transient = TRANSIENT_TYPES.has(error.type);
    return {
      kind: transient ? 'stream_interrupted' : 'invalid_request',
      retryable: transient,
      message: `The stream reported ${error.type}: ${apiDetail(error)}`,
    };
  }
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    const refused = refusedRetryWait(error, status);
    if (refused) return refused;
    if (status === 429) {
      return {
        kind: 'rate_limited',
        status,
        retryable: false,
        message: `Rate limited by the API (429) ${tries}: ${apiDetail(error)}. Resume later.`,
      };
    }
    if (status === 529) {
      return {
        kind: 'overloaded',
        status,
        retryable: false,
        message: `The API is overloaded (529) ${tries}. Resume in a while.`,
      };
    }
    if (status >= 500) {
      return {
        kind: 'server',
        status,
        retryable: false,
        message: `The API failed with ${status} ${tries}: ${apiDetail(error)}. Resume to try again.`,
      };
    }
    return {
      kind: 'invalid_request',
      status,
      retryable: false,
      message: `The API rejected the request (${status}): ${apiDetail(error)}`,
    };
  }
  if (streamStarted) {
    return {
      kind: 'stream_interrupted',
      retryable: true,
      message: `The response stream was cut off: ${messageOf(error)}`,
    };
  }
  if (error instanceof APIConnectionError) {
    return {
      kind: 'connection',
      retryable: false,
      message: `Could not reach the API ${tries}: ${messageOf(error)}`,
    };
  }
  return {
    kind: 'unknown',
    retryable: false,
    message: `The model request failed: ${messageOf(error)}`,
  };
}

export function messageOf(error: unknown): string {
  const chain = causeChain(error).filter((e): e is Error => e instanceof Error);
  return (
    chain
      .map((e) => e.message)
      .filter((m, i, all) => m && all.indexOf(m) === i)
      .join(': ') || String(error)
  );
}
