/**
 * `provider/` owns model providers: the Anthropic client (this file), request
 * building, streaming turns, faults and retries, models, prices and context
 * windows.
 *
 * Creates the Anthropic client from Troika's configuration. The key goes to
 * the SDK and nowhere else.
 */
import Anthropic from '@anthropic-ai/sdk';
import { boundedRetryWaits, DEFAULT_MAX_RETRY_WAIT_MS } from './bounded-retry-fetch.ts';
import { idleTimeoutFetch } from './idle-timeout-fetch.ts';
import { noRetryOnPermanentErrors } from './no-retry-fetch.ts';
import { retryNoticeFetch, type RetryNotice } from './retry-notice-fetch.ts';

/** The SDK retries 408/409/429/5xx and connection errors itself, honouring retry-after; two retries ride out a blip without hiding an outage. */
export const DEFAULT_MAX_RETRIES = 2;
/** Time to the response headers of one attempt; the API answers streaming requests within seconds unless it is in trouble. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** Silence allowed inside a stream; the API pings every few seconds, so this is generous. */
export const DEFAULT_STREAM_IDLE_MS = 90_000;
export { DEFAULT_MAX_RETRY_WAIT_MS };

export interface ProviderOptions {
  apiKey: string | undefined;
  /** `ANTHROPIC_BASE_URL`; undefined means Anthropic's API. */
  baseURL: string | undefined;
  maxRetries?: number;
  requestTimeoutMs?: number;
  streamIdleMs?: number;
  /** Longest `retry-after` the SDK may wait out; a longer one fails the turn at once (default {@link DEFAULT_MAX_RETRY_WAIT_MS}). */
  maxRetryWaitMs?: number;
  /** Hears each HTTP error the SDK is about to retry (one client per agent). */
  onRetry?: ((notice: RetryNotice) => void) | undefined;
}

export function createAnthropicClient(options: ProviderOptions): Anthropic {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const onRetry = options.onRetry;
  let fetch = boundedRetryWaits(
    noRetryOnPermanentErrors(idleTimeoutFetch(options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS)),
    options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS,
  );
  // Outside the bound, so a refused wait is not announced as a retry.
  if (onRetry) fetch = retryNoticeFetch(fetch, maxRetries, onRetry);
  return new Anthropic({
    apiKey: options.apiKey ?? null,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    maxRetries,
    timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    fetch,
    // The SDK would otherwise log through console; Troika reports failures as agent events.
    logLevel: 'off',
  });
}
