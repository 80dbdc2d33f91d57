/** Builders for the faults an OpenAI-compatible server produces, with the bodies OpenAI documents for them. */
import type { CutFault, HttpErrorFault, ReplyTurn, StallFault, StreamErrorFault } from './types.ts';

interface Options {
  repeat?: number;
  retryAfterSeconds?: number;
}

function headers(options: Options): Record<string, string> | undefined {
  return options.retryAfterSeconds === undefined
    ? undefined
    : { 'retry-after': String(options.retryAfterSeconds) };
}

function httpError(
  status: number,
  type: string,
  code: string | null,
  message: string,
  options: Options = {},
): HttpErrorFault {
  const extra = headers(options);
  return {
    kind: 'http-error',
    status,
    type,
    code,
    message,
    ...(options.repeat !== undefined && { repeat: options.repeat }),
    ...(extra && { headers: extra }),
  };
}

export const invalidApiKey = (options: Options = {}): HttpErrorFault =>
  httpError(
    401,
    'invalid_request_error',
    'invalid_api_key',
    'Incorrect API key provided: sk-…. You can find your API key at https://platform.openai.com/account/api-keys.',
    options,
  );

export const rateLimited = (options: Options = {}): HttpErrorFault =>
  httpError(
    429,
    'requests',
    'rate_limit_exceeded',
    'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1.',
    options,
  );

export const insufficientQuota = (options: Options = {}): HttpErrorFault =>
  httpError(
    429,
    'insufficient_quota',
    'insufficient_quota',
    'You exceeded your current quota, please check your plan and billing details.',
    options,
  );

export const overloaded = (options: Options = {}): HttpErrorFault =>
  httpError(
    503,
    'server_error',
    null,
    'The engine is currently overloaded, please try again later',
    options,
  );

export const serverError = (options: Options = {}): HttpErrorFault =>
  httpError(
    500,
    'server_error',
    null,
    'The server had an error while processing your request. Sorry about that!',
    options,
  );

export const badRequest = (message: string, options: Options = {}): HttpErrorFault =>
  httpError(400, 'invalid_request_error', null, message, options);

export const streamError = (
  afterChunks: number,
  reply: ReplyTurn = { text: 'partial' },
  options: Options = {},
): StreamErrorFault => ({
  kind: 'stream-error',
  afterChunks,
  reply,
  message: 'The server had an error while processing your request.',
  ...(options.repeat !== undefined && { repeat: options.repeat }),
});

export const cut = (
  afterChunks: number,
  reply: ReplyTurn = { text: 'partial reply that never ends' },
  options: Options = {},
): CutFault => ({
  kind: 'cut',
  afterChunks,
  reply,
  ...(options.repeat !== undefined && { repeat: options.repeat }),
});

export const stall = (
  afterChunks: number,
  reply: ReplyTurn = { text: 'stalled reply' },
  options: Options = {},
): StallFault => ({
  kind: 'stall',
  afterChunks,
  reply,
  ...(options.repeat !== undefined && { repeat: options.repeat }),
});
