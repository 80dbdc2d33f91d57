/**
 * Ready-made faults with the status codes, error types and headers the errors
 * docs describe. Messages are plausible, not verbatim: the docs say not to
 * match on them.
 */
import type {
  ApiErrorType,
  CutFault,
  Delay,
  HttpErrorFault,
  JsonObject,
  ReplyTurn,
  StallFault,
  StreamErrorFault,
} from './types.ts';

/** Events written before a mid-stream fault by default: message_start, block start, ping, one delta. */
export const DEFAULT_EVENTS_BEFORE_FAULT = 4;

const DEFAULT_PARTIAL_REPLY: ReplyTurn = { text: 'Let me look at the repository layout first.' };

interface FaultOptions {
  readonly repeat?: number;
  readonly delay?: Delay;
}

interface HttpErrorOptions extends FaultOptions {
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly details?: JsonObject;
}

export function httpError(
  status: number,
  errorType: ApiErrorType,
  message: string,
  options: Omit<HttpErrorOptions, 'message'> = {},
): HttpErrorFault {
  return {
    kind: 'http-error',
    status,
    errorType,
    message,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.details ? { details: options.details } : {}),
    ...(options.repeat !== undefined ? { repeat: options.repeat } : {}),
    ...(options.delay ? { delay: options.delay } : {}),
  };
}

/** 429 with `retry-after` in seconds, which the SDK honours. */
export function rateLimited(
  options: HttpErrorOptions & { readonly retryAfterSeconds?: number } = {},
): HttpErrorFault {
  const retryAfter = options.retryAfterSeconds ?? 1;
  return httpError(
    429,
    'rate_limit_error',
    options.message ??
      'This request would exceed the rate limit for your organization of 50 requests per minute.',
    { ...options, headers: { 'retry-after': String(retryAfter), ...options.headers } },
  );
}

/**
 * The usage tier's monthly spend cap: a 429 with `error.details.error_code`
 * and no `retry-after`. Waiting does not help, yet the SDK retries any 429.
 */
export function spendCapReached(options: HttpErrorOptions = {}): HttpErrorFault {
  return httpError(
    429,
    'rate_limit_error',
    options.message ??
      'Your organization has reached its monthly usage limit for its current tier.',
    { ...options, details: { error_code: 'enforced_spend_limit_reached', ...options.details } },
  );
}

export function overloaded(options: HttpErrorOptions = {}): HttpErrorFault {
  return httpError(529, 'overloaded_error', options.message ?? 'Overloaded', options);
}

export function apiError(options: HttpErrorOptions = {}): HttpErrorFault {
  return httpError(500, 'api_error', options.message ?? 'Internal server error', options);
}

export function authenticationError(options: HttpErrorOptions = {}): HttpErrorFault {
  return httpError(401, 'authentication_error', options.message ?? 'invalid x-api-key', options);
}

export function permissionError(options: HttpErrorOptions = {}): HttpErrorFault {
  return httpError(
    403,
    'permission_error',
    options.message ?? 'Your API key does not have permission to use the specified resource.',
    options,
  );
}

export function invalidRequest(
  message: string,
  options: Omit<HttpErrorOptions, 'message'> = {},
): HttpErrorFault {
  return httpError(400, 'invalid_request_error', message, options);
}

/** The 400 a spend limit you set yourself, or an empty credit balance, produces. */
export function creditBalanceTooLow(options: HttpErrorOptions = {}): HttpErrorFault {
  return httpError(
    400,
    'invalid_request_error',
    options.message ??
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
    options,
  );
}

export function requestTooLarge(options: HttpErrorOptions = {}): HttpErrorFault {
  return httpError(
    413,
    'request_too_large',
    options.message ?? 'Request exceeds the maximum allowed number of bytes.',
    options,
  );
}

interface MidStreamOptions extends FaultOptions {
  readonly afterEvents?: number;
  readonly reply?: ReplyTurn;
}

/** A 200 stream that breaks off with `event: error` (overloaded by default, as in the docs). */
export function streamError(
  options: MidStreamOptions & { readonly errorType?: ApiErrorType; readonly message?: string } = {},
): StreamErrorFault {
  return {
    kind: 'stream-error',
    afterEvents: options.afterEvents ?? DEFAULT_EVENTS_BEFORE_FAULT,
    errorType: options.errorType ?? 'overloaded_error',
    message: options.message ?? 'Overloaded',
    reply: options.reply ?? DEFAULT_PARTIAL_REPLY,
    ...(options.repeat !== undefined ? { repeat: options.repeat } : {}),
    ...(options.delay ? { delay: options.delay } : {}),
  };
}

/** The connection is destroyed after `afterEvents` events; 0 cuts before the status line. */
export function connectionCut(options: MidStreamOptions = {}): CutFault {
  return {
    kind: 'cut',
    afterEvents: options.afterEvents ?? DEFAULT_EVENTS_BEFORE_FAULT,
    reply: options.reply ?? DEFAULT_PARTIAL_REPLY,
    ...(options.repeat !== undefined ? { repeat: options.repeat } : {}),
    ...(options.delay ? { delay: options.delay } : {}),
  };
}

/** The stream stops sending after `afterEvents` events and never finishes. */
export function stall(options: MidStreamOptions = {}): StallFault {
  return {
    kind: 'stall',
    afterEvents: options.afterEvents ?? DEFAULT_EVENTS_BEFORE_FAULT,
    reply: options.reply ?? DEFAULT_PARTIAL_REPLY,
    ...(options.repeat !== undefined ? { repeat: options.repeat } : {}),
    ...(options.delay ? { delay: options.delay } : {}),
  };
}
