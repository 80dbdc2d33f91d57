/**
 * A `fetch` for the SDK whose response bodies fail when no byte arrives for a
 * while. The SDK's own `timeout` stops at the response headers, so a stream
 * that goes silent mid-message would otherwise hang the agent forever. The
 * API sends `ping` events while it works, so silence means a dead stream.
 */

export class StreamIdleTimeoutError extends Error {
  readonly idleMs: number;
  constructor(idleMs: number) {
    const seconds = Number((idleMs / 1000).toFixed(idleMs < 10_000 ? 1 : 0));
    super(`The response stream went silent for ${seconds} s and was dropped`);
    this.name = 'StreamIdleTimeoutError';
    this.idleMs = idleMs;
  }
}

type Fetch = typeof globalThis.fetch;

function watchBody(body: ReadableStream<Uint8Array>, idleMs: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          if (finished) return;
          finished = true;
          const error = new StreamIdleTimeoutError(idleMs);
          reader.cancel(error).catch(() => undefined);
          controller.error(error);
          resolve();
        }, idleMs);
        reader.read().then(
          ({ done, value }) => {
            clearTimeout(timer);
            if (finished) return resolve();
            if (done) {
              finished = true;
              controller.close();
            } else controller.enqueue(value);
            resolve();
          },
          (error: unknown) => {
            clearTimeout(timer);
            if (!finished) {
              finished = true;
              controller.error(error);
            }
            resolve();
          },
        );
      });
    },
    cancel(reason) {
      finished = true;
      return reader.cancel(reason);
    },
  });
}

export function idleTimeoutFetch(idleMs: number, base: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body) return response;
    return new Response(watchBody(response.body, idleMs), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
