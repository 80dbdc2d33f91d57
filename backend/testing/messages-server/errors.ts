/**
 * Anthropic's error shape (errors docs): every error is JSON with a top-level
 * `error` object carrying `type` and `message`, plus a `request_id`.
 */
import type { ApiErrorType, JsonObject } from './types.ts';

/** An error response the server is about to send. */
export interface ApiErrorSpec {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly details?: JsonObject;
}

export interface ErrorBody {
  readonly type: 'error';
  readonly error: {
    readonly type: ApiErrorType;
    readonly message: string;
    readonly details?: JsonObject;
  };
  readonly request_id: string;
}

export function errorBody(spec: ApiErrorSpec, requestId: string): ErrorBody {
  const error = spec.details
    ? { type: spec.type, message: spec.message, details: spec.details }
    : { type: spec.type, message: spec.message };
  return { type: 'error', error, request_id: requestId };
}

export function invalidRequest(message: string): ApiErrorSpec {
  return { status: 400, type: 'invalid_request_error', message };
}

/** The HTTP status the errors page pairs with each error type (for errors sent as HTTP). */
export const STATUS_FOR_ERROR_TYPE: Readonly<Record<ApiErrorType, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};
