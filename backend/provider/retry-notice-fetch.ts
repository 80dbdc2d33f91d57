/**
 * A `fetch` that tells the agent when the SDK is about to retry an HTTP error
 * (429, 529, 5xx…), and how long it will wait: a `retry-after` of a minute is
 * otherwise a minute of silence. One client serves one agent, whose requests
 * run one at a time, so consecutive errors are attempts of the same request.
 */
import { sdkWouldRetry, serverRetryWaitMs } from './bounded-retry-fetch.ts';

type Fetch = typeof globalThis.fetch;

export interface RetryNotice {
  status: number;
  /** 1 for the first failed attempt of a request. */
  attempt: number;
  /** The wait the server asked for, when it did. */
  retryAfterMs: number | null;
}

export function retryNoticeFetch(
  base: Fetch,
  maxRetries: number,
  notify: (notice: RetryNotice) => void,
): Fetch {
  let failures = 0;
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok) {
      failures = 0;
      return response;
    }
    failures++;
    if (sdkWouldRetry(response) && failures <= maxRetries) {
      notify({
        status: response.status,
        attempt: failures,
        retryAfterMs: serverRetryWaitMs(response.headers),
      });
    } else failures = 0;
    return response;
  };
}

export function describeRetry(notice: RetryNotice, maxRetries: number): string {
  const what =
    notice.status === 429
      ? 'Rate limited by the API (429)'
      : notice.status === 529
        ? 'The API is overloaded (529)'
        : `The API answered ${notice.status}`;
  const wait =
    notice.retryAfterMs === null
      ? 'shortly'
      : `in ${Math.ceil(notice.retryAfterMs / 1000)} s, as it asked`;
  return `${what}; retrying ${wait} (retry ${notice.attempt} of ${maxRetries}).`;
}
