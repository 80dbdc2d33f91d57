/**
 * A `fetch` for the SDK that marks errors no wait can fix as not retryable.
 * The usage tier's spend cap answers 429 (with `error.details.error_code`),
 * and the SDK retries every 429: the agent would only wait longer to fail.
 * OpenAI says the same with a 429 whose `error.code` is `insufficient_quota`.
 * Both SDKs obey `x-should-retry: false`, so that header is added.
 */

type Fetch = typeof globalThis.fetch;

/** `error.details.error_code` values that only a person can resolve (billing, limits). */
const PERMANENT_ERROR_CODES = /spend_limit|credit|billing/i;

function permanent(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as {
      error?: { type?: unknown; code?: unknown; details?: { error_code?: unknown } };
    };
    const code = parsed.error?.details?.error_code;
    return (
      parsed.error?.type === 'billing_error' ||
      parsed.error?.code === 'insufficient_quota' ||
      (typeof code === 'string' && PERMANENT_ERROR_CODES.test(code))
    );
  } catch {
    return false;
  }
}

export function noRetryOnPermanentErrors(base: Fetch): Fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.status !== 429 && response.status < 500) return response;
    const body = await response.text();
    const headers = new Headers(response.headers);
    if (permanent(body)) headers.set('x-should-retry', 'false');
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}
