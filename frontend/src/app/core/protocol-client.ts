import { DestroyRef, effect, inject, Injectable, signal } from '@angular/core';
import type {
  EventMap,
  EventName,
  MethodName,
  ParamsOf,
  ProtocolErrorBody,
  ResultOf,
} from '../../../../backend/protocol/index.ts';
import type { DownlinkMessage, PtyOutputFrame } from '../../../../backend/protocol/frames.ts';
import { checkServerMessage } from './inbound';
import { PROTOCOL_TRANSPORT } from './transport-provider';

/** A request the backend answered with an error. */
export class RequestError extends Error {
  readonly code: ProtocolErrorBody['code'] | 'disconnected';
  constructor(code: RequestError['code'], message: string) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
  }
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: RequestError) => void;
}

type AnyEventHandler = (data: unknown) => void;

/** The renderer's one way to the backend: typed requests and typed events, over whichever transport. */
@Injectable({ providedIn: 'root' })
export class ProtocolClient {
  readonly #transport = inject(PROTOCOL_TRANSPORT);
  readonly status = this.#transport.status;
  /** Increments on every (re)connection, so views can re-fetch state the server holds. */
  readonly #session = signal(0);
  readonly session = this.#session.asReadonly();
  readonly #pending = new Map<number, Pending>();
  readonly #handlers = new Map<string, Set<AnyEventHandler>>();
  readonly #outputHandlers = new Set<(frame: PtyOutputFrame) => void>();
  #nextId = 1;

  constructor() {
    this.#transport.start((message) => this.#receive(message));
    effect(() => {
      if (this.status() === 'disconnected')
        this.#failPending('The connection to the Troika backend was lost');
    });
    inject(DestroyRef).onDestroy(() => this.#transport.stop());
  }

  request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const id = this.#nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      if (!this.#transport.send(JSON.stringify({ type: 'request', id, method, params }))) {
        this.#pending.delete(id);
        reject(new RequestError('disconnected', 'Not connected to the Troika backend'));
      }
    });
  }

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, handler: (data: EventMap[E]) => void): () => void {
    let set = this.#handlers.get(event);
    if (!set) this.#handlers.set(event, (set = new Set()));
    set.add(handler as AnyEventHandler);
    return () => set.delete(handler as AnyEventHandler);
  }

  /**
   * Subscribes to terminal output, which arrives as bytes (as the process
   * wrote them) rather than as a JSON event; returns the unsubscribe function.
   */
  onOutput(handler: (frame: PtyOutputFrame) => void): () => void {
    this.#outputHandlers.add(handler);
    return () => this.#outputHandlers.delete(handler);
  }

  #receive(raw: DownlinkMessage): void {
    if (typeof raw !== 'string') {
      for (const handler of this.#outputHandlers) handler(raw);
      return;
    }
    // Checked, not cast: a malformed message is dropped here with a warning.
    const message = checkServerMessage(raw);
    if (!message) return;
    if (message.type === 'event') {
      if (message.event === 'system.welcome') {
        this.#failPending('The connection was replaced');
        this.#session.update((n) => n + 1);
      }
      for (const handler of this.#handlers.get(message.event) ?? []) handler(message.data);
      return;
    }
    if (message.id === null) return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new RequestError(message.error.code, message.error.message));
  }

  #failPending(reason: string): void {
    for (const [, pending] of this.#pending)
      pending.reject(new RequestError('disconnected', reason));
    this.#pending.clear();
  }
}
