/**
 * One client connection, independent of the transport: parses and validates
 * each inbound message, dispatches it, and answers. A malformed, oversized or
 * unknown message gets an error reply naming the problem; the connection stays
 * usable.
 */
import { randomUUID } from 'node:crypto';
import {
  MAX_INBOUND_MESSAGE_BYTES,
  ProtocolError,
  RequestEnvelope,
  type EventEnvelope,
  type ResponseEnvelope,
  type ServerMessage,
} from '../protocol/index.ts';
import type { PtyOutputFrame } from '../protocol/frames.ts';
import type { EventBus } from '../bus/events.ts';
import type { Router } from '../bus/router.ts';

export interface ConnectionOptions {
  router: Router;
  events: EventBus;
  /** Sends one serialized message to the client. */
  send: (message: string) => void;
  /**
   * For transports that carry bytes: terminal output goes here as the
   * process wrote it, instead of as a JSON `pty.data` event.
   */
  sendOutput?: (frame: PtyOutputFrame) => void;
  /** Where unexpected handler failures are reported (never with secrets). */
  log?: (message: string) => void;
}

export class Connection {
  readonly id = randomUUID();
  readonly #options: ConnectionOptions;
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#unsubscribe = options.events.subscribe((event, data, bytes) => {
      if (bytes && event === 'pty.data' && options.sendOutput) {
        const { id, seq } = data as { id: string; seq: number };
        if (!this.#closed) options.sendOutput({ id, seq, bytes });
        return;
      }
      const envelope: EventEnvelope = { type: 'event', event, data };
      this.#send(envelope);
    });
    this.#send({ type: 'event', event: 'system.welcome', data: { connectionId: this.id } });
  }

  /** Handles one raw inbound message; resolves once its reply is sent. */
  async receive(raw: string | Buffer): Promise<void> {
    const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
    if (size > MAX_INBOUND_MESSAGE_BYTES) {
      return this.#fail(
        null,
        new ProtocolError(
          'too_large',
          `Message of ${size} bytes exceeds the limit of ${MAX_INBOUND_MESSAGE_BYTES}`,
        ),
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString());
    } catch {
      return this.#fail(null, new ProtocolError('bad_json', 'Message is not valid JSON'));
    }
    const envelope = RequestEnvelope.safeParse(json);
    if (!envelope.success) {
      const id = idOf(json);
      const issues = envelope.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      return this.#fail(id, new ProtocolError('bad_message', `Malformed request: ${issues}`));
    }
    const { id, method, params } = envelope.data;
    try {
      const result = await this.#options.router.dispatch(method, params, { connectionId: this.id });
      this.#send({ type: 'response', id, ok: true, result: result ?? null });
    } catch (error) {
      this.#fail(id, error);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
  }

  #fail(id: number | null, error: unknown): void {
    const reply: ResponseEnvelope =
      error instanceof ProtocolError
        ? { type: 'response', id, ok: false, error: { code: error.code, message: error.message } }
        : {
            type: 'response',
            id,
            ok: false,
            error: {
              code: 'failed',
              message: error instanceof Error ? error.message : String(error),
            },
          };
    if (!(error instanceof ProtocolError))
      this.#options.log?.(`request ${id ?? '?'} failed: ${reply.error.message}`);
    this.#send(reply);
  }

  #send(message: ServerMessage): void {
    if (this.#closed) return;
    this.#options.send(JSON.stringify(message));
  }
}

/** Best effort: answer a broken request under its own id when it has a usable one. */
function idOf(json: unknown): number | null {
  if (typeof json === 'object' && json !== null && 'id' in json) {
    const id = (json as { id: unknown }).id;
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return id;
  }
  return null;
}
