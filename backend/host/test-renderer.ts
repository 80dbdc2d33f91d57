/**
 * Test support: a renderer as the relay sees it (a sink plus a request
 * helper), to drive the protocol through the relay into the backend process.
 */
import type { PtyOutputFrame } from '../protocol/frames.ts';
import type { ServerMessage } from '../protocol/index.ts';
import type { BackendRelay, RendererSink } from './relay.ts';

export class RelayedRenderer implements RendererSink {
  readonly messages: ServerMessage[] = [];
  readonly output = new Map<string, { text: string; frames: PtyOutputFrame[] }>();
  readonly #relay: BackendRelay;
  readonly #connection: number;
  readonly #decoder = new TextDecoder();
  #nextId = 1;
  #waiters = new Set<() => void>();

  constructor(relay: BackendRelay, connection: number) {
    this.#relay = relay;
    this.#connection = connection;
    relay.open(connection, this);
  }

  send(message: string): void {
    this.messages.push(JSON.parse(message) as ServerMessage);
    this.#wake();
  }

  sendOutput(frame: PtyOutputFrame): void {
    const session = this.output.get(frame.id) ?? { text: '', frames: [] };
    session.text += this.#decoder.decode(frame.bytes, { stream: true });
    session.frames.push(frame);
    this.output.set(frame.id, session);
    this.#wake();
  }

  /** Sends raw text, as the preload bridge would. */
  sendRaw(message: string): void {
    this.#relay.receive(this.#connection, message);
  }

  /** Sends a request; resolves with its response envelope. */
  request(method: string, params: unknown = {}): Promise<ServerMessage & { type: 'response' }> {
    const id = this.#nextId++;
    this.sendRaw(JSON.stringify({ type: 'request', id, method, params }));
    return this.waitFor(
      (m): m is ServerMessage & { type: 'response' } => m.type === 'response' && m.id === id,
    );
  }

  /** The result of a request that must succeed. */
  async ok<T>(method: string, params: unknown = {}): Promise<T> {
    const reply = await this.request(method, params);
    if (!reply.ok) throw new Error(`${method} failed: ${reply.error.message}`);
    return reply.result as T;
  }

  waitFor<T extends ServerMessage>(
    predicate: (message: ServerMessage) => message is T,
    timeoutMs?: number,
  ): Promise<T>;
  waitFor(
    predicate: (message: ServerMessage) => boolean,
    timeoutMs?: number,
  ): Promise<ServerMessage>;
  waitFor(
    predicate: (message: ServerMessage) => boolean,
    timeoutMs = 10_000,
  ): Promise<ServerMessage> {
    return this.until(() => this.messages.find(predicate), timeoutMs, 'message');
  }

  /** Resolves once a session's output contains `text`. */
  async outputContaining(id: string, text: string, timeoutMs = 10_000): Promise<string> {
    return this.until(
      () => {
        const seen = this.output.get(id)?.text;
        return seen?.includes(text) ? seen : undefined;
      },
      timeoutMs,
      `output "${text}"`,
    );
  }

  until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = probe();
        if (found === undefined) return false;
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      if (!check()) this.#waiters.add(wake);
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
