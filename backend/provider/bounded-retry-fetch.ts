/**
 * A `fetch` that keeps the SDK from waiting longer than a limit before a
 * retry. The SDK honours `retry-after` however long it is, so a 429 with
 * `retry-after: 3600` would keep the agent "running" for an hour. A response
 * asking for a longer wait gets `x-should-retry: false` (which the SDK obeys)
 * and a header naming the limit, so the fault can say why the turn failed.
 */

type Fetch = typeof globalThis.fetch;

/** Longest server-requested wait before a retry that an agent sits through; past it the turn fails and the user tries later. */
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

/** Set on a response whose retry wait was refused: the limit, in ms (read by `faults.ts`). */
export const RETRY_WAIT_LIMIT_HEADER = 'x-troika-retry-wait-limit-ms';

/** The statuses the SDK retries (see its `shouldRetry`), `x-should-retry` first. */
export function sdkWouldRetry(response: Response): boolean {
  const header = response.headers.get('x-should-retry');
  if (header === 'true') return true;
  if (header === 'false') return false;
  return (
    response.status === 408 ||
    response.status === 409 ||
    response.status === 429 ||
    response.status >= 500
  );
}

/**
 * The wait the server asked for, read as the SDK reads it (`retry-after-ms`,
 * then `retry-after` as seconds or an HTTP date); null when it asked for none.
 */
export function serverRetryWaitMs(headers: Headers): number | null {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return null;
  const seconds = Number.parseFloat(raw);
  const wait = Number.isNaN(seconds) ? Date.parse(raw) - Date.now() : seconds * 1000;
  return Number.isFinite(wait) && wait > 0 ? wait : null;
}

export function boundedRetryWaits(base: Fetch, maxWaitMs: number): Fetch {
  if (!(maxWaitMs >= 0)) throw new RangeError(`maxRetryWaitMs must be 0 or more, got ${maxWaitMs}`);
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok || !sdkWouldRetry(response)) return response;
    const wait = serverRetryWaitMs(response.headers);
    if (wait === null || wait <= maxWaitMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    headers.set(RETRY_WAIT_LIMIT_HEADER, String(maxWaitMs));
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}
