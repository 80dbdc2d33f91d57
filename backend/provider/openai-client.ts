/**
 * Creates the client of an OpenAI-compatible Chat Completions server (OpenAI
 * itself, Ollama, llama.cpp's server, LM Studio, vLLM, a LiteLLM proxy) with
 * the same fetch guards as the Anthropic client: bounded retry waits, no
 * retry of billing errors, a silence limit inside a stream, retry notices.
 * The key goes to the SDK and nowhere else.
 */
import OpenAI from 'openai';
import { boundedRetryWaits, DEFAULT_MAX_RETRY_WAIT_MS } from './bounded-retry-fetch.ts';
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_STREAM_IDLE_MS,
} from './client.ts';
import { idleTimeoutFetch } from './idle-timeout-fetch.ts';
import { noRetryOnPermanentErrors } from './no-retry-fetch.ts';
import { retryNoticeFetch, type RetryNotice } from './retry-notice-fetch.ts';

export interface OpenAIProviderOptions {
  /** Local servers often need none; the SDK then sends a placeholder they ignore. */
  apiKey: string | undefined;
  /** E.g. `https://api.openai.com/v1`, `http://localhost:11434/v1`. */
  baseURL: string;
  maxRetries?: number;
  requestTimeoutMs?: number;
  streamIdleMs?: number;
  maxRetryWaitMs?: number;
  onRetry?: ((notice: RetryNotice) => void) | undefined;
}

/** What the SDK sends when there is no key: local servers accept anything, and OpenAI answers 401, which says what is wrong. */
const NO_KEY = 'none';

export function createOpenAIClient(options: OpenAIProviderOptions): OpenAI {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  let fetch = boundedRetryWaits(
    noRetryOnPermanentErrors(idleTimeoutFetch(options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS)),
    options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS,
  );
  if (options.onRetry) fetch = retryNoticeFetch(fetch, maxRetries, options.onRetry);
  return new OpenAI({
    apiKey: options.apiKey ?? NO_KEY,
    baseURL: options.baseURL,
    maxRetries,
    timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    fetch,
    // Troika reports failures as agent events; the SDK must not print (it could echo a request).
    logLevel: 'off',
  });
}
