/**
 * One end of the host channel's requests: numbers outgoing requests, matches
 * replies to them (validating each result), and answers incoming requests
 * with their handlers (validating each request's params first). Both the
 * main process and the backend process use it, each with the other's table.
 */
import { z } from 'zod';
import type { ParamsOf, Reply, RequestTable, ResultOf } from './channel.ts';
import type { MessagePortLike } from './port.ts';

/** The other side did not answer in time: it may be stalled or gone. */
export class HostRequestTimeout extends Error {
  constructor(method: string, ms: number) {
    super(`The host request "${method}" got no answer within ${ms} ms`);
    this.name = 'HostRequestTimeout';
  }
}

export type Handlers<T extends RequestTable> = {
  [M in keyof T]: (params: z.output<T[M]['params']>) => ResultOf<T, M> | Promise<ResultOf<T, M>>;
};

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

export class Endpoint<Out extends RequestTable, In extends RequestTable> {
  readonly #port: MessagePortLike;
  readonly #outgoing: Out;
  readonly #incoming: In;
  readonly #handlers: Handlers<In>;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed: string | undefined;

  constructor(port: MessagePortLike, outgoing: Out, incoming: In, handlers: Handlers<In>) {
    this.#port = port;
    this.#outgoing = outgoing;
    this.#incoming = incoming;
    this.#handlers = handlers;
  }

  /** Asks the other side; rejects with its error message, or {@link HostRequestTimeout} after `timeoutMs`. */
  request<M extends keyof Out & string>(
    method: M,
    params: ParamsOf<Out, M>,
    timeoutMs?: number,
  ): Promise<ResultOf<Out, M>> {
    if (this.#closed !== undefined) return Promise.reject(new Error(this.#closed));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.#pending.delete(id);
              reject(new HostRequestTimeout(method, timeoutMs));
            }, timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: resolve as (result: unknown) => void,
        reject,
        timer,
      });
      this.#port.postMessage({ type: 'request', id, method, params });
    });
  }

  /** Answers a request the channel schema already accepted (its method is one of ours). */
  async handleRequest(request: { id: number; method: string; params: unknown }): Promise<void> {
    const { id, method } = request;
    let reply: Reply;
    try {
      const spec = this.#incoming[method];
      // Indexed by a run-time name: the handler takes what its own schema parsed.
      const handler = this.#handlers[method] as ((params: unknown) => unknown) | undefined;
      if (!spec || !handler) throw new Error(`Unknown host request "${method}"`);
      const params = spec.params.safeParse(request.params ?? {});
      if (!params.success)
        throw new Error(`Invalid params for "${method}": ${z.prettifyError(params.error)}`);
      reply = { type: 'reply', id, ok: true, result: await handler(params.data) };
    } catch (error) {
      reply = { type: 'reply', id, ok: false, error: messageOf(error) };
    }
    if (this.#closed === undefined) this.#port.postMessage(reply);
  }

  handleReply(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    // A reply after its timeout is expected when the other side was only slow.
    if (!pending) return;
    this.#pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (!reply.ok) return pending.reject(new Error(reply.error));
    const result = this.#outgoing[pending.method]?.result.safeParse(reply.result);
    if (!result?.success) {
      pending.reject(new Error(`Malformed answer to "${pending.method}"`));
      return;
    }
    pending.resolve(result.data);
  }

  /** Fails every request still waiting (the other side is gone) and refuses new ones. */
  close(reason: string): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error(reason));
    }
    this.#pending.clear();
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
