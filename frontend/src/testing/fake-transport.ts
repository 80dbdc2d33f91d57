import { signal } from '@angular/core';
import type { DownlinkMessage } from '../../../backend/protocol/frames.ts';
import type { ErrorCode, EventMap, EventName } from '../../../backend/protocol/index.ts';
import type { ProtocolTransport, TransportStatus } from '../app/core/transport';

/** A request as the renderer sent it. */
export interface SentRequest {
  id: number;
  method: string;
  params: unknown;
}

/** What a scripted method does: return a result, or throw a {@link BackendError}. */
type MethodScript = (params: never) => unknown;

/** Thrown by a method script: the backend answers the request with this error. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * A transport with a scripted backend behind it, for tests that go through the
 * real ProtocolClient (and so through its border check): requests are
 * answered by the scripts given to {@link handle} (or left waiting), and
 * events and raw messages are pushed in as the server would send them.
 */
export class FakeTransport implements ProtocolTransport {
  readonly #status = signal<TransportStatus>('connected');
  readonly status = this.#status.asReadonly();
  readonly sent: SentRequest[] = [];
  readonly #scripts = new Map<string, MethodScript>();
  #onMessage: ((message: DownlinkMessage) => void) | undefined;

  handle(method: string, script: MethodScript): void {
    this.#scripts.set(method, script);
  }

  start(onMessage: (message: DownlinkMessage) => void): void {
    this.#onMessage = onMessage;
  }

  send(message: string): boolean {
    const request = JSON.parse(message) as SentRequest;
    this.sent.push(request);
    const script = this.#scripts.get(request.method);
    if (script)
      queueMicrotask(() => {
        try {
          this.respond(request.id, script(request.params as never));
        } catch (error) {
          if (!(error instanceof BackendError)) throw error;
          this.raw({
            type: 'response',
            id: request.id,
            ok: false,
            error: { code: error.code, message: error.message },
          });
        }
      });
    return true;
  }

  stop(): void {}

  respond(id: number, result: unknown): void {
    this.raw({ type: 'response', id, ok: true, result });
  }

  emit<E extends EventName>(event: E, data: EventMap[E]): void {
    this.raw({ type: 'event', event, data });
  }

  /** Any message, well-formed or not, serialized as the server would. */
  raw(message: unknown): void {
    this.text(JSON.stringify(message));
  }

  /** A message's text as it arrives, JSON or not. */
  text(message: string): void {
    if (!this.#onMessage) throw new Error('The transport was not started');
    this.#onMessage(message);
  }
}
