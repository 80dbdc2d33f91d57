import { signal } from '@angular/core';
import type { ProtocolTransport, TransportStatus } from './transport';

/** First retry soon: a restarting server is usually back within a second. */
export const RECONNECT_BASE_MS = 250;
/** Cap, so a long outage is still noticed within seconds of the server's return. */
export const RECONNECT_MAX_MS = 5000;
/** ±20% jitter keeps several tabs from reconnecting in lockstep. */
const RECONNECT_JITTER = 0.2;

/** Page → socket worker (websocket.worker.ts). */
export type ToSocketWorker =
  | { type: 'connect'; url: string; attempt: number }
  | { type: 'send'; message: string }
  /** The page has dispatched the last batch: the worker may post the next. */
  | { type: 'taken' }
  | { type: 'close' };

/** Socket worker → page; `attempt` names the connection attempt the event belongs to. */
export type FromSocketWorker =
  | { type: 'open'; attempt: number }
  | { type: 'messages'; attempt: number; messages: string[] }
  | { type: 'close'; attempt: number };

/** The socket's side, as the transport drives it: in a worker, or on the page as a fallback. */
interface SocketLink {
  connect(url: string, attempt: number): void;
  send(message: string): void;
  close(): void;
}

/**
 * Web mode: the protocol over a WebSocket to the page's own origin; the token
 * travels as its cookie.
 *
 * The socket lives in a worker. Chromium hands a page's WebSocket data to the
 * main thread at most 128 KiB per task, one task per network read, taking
 * turns with xterm.js's parsing and painting; under a flood the page then
 * painted a frame for every read and left the backend waiting on
 * acknowledgements (measured with `npm run bench:pty`). The worker reads the
 * socket whenever data comes and hands the page everything that arrived since
 * the page last took a batch, in one task.
 */
export class WebSocketTransport implements ProtocolTransport {
  readonly #status = signal<TransportStatus>('connecting');
  readonly status = this.#status.asReadonly();
  readonly #url: string;
  #link: SocketLink | undefined;
  #attempt = 0;
  /** Failed attempts since the last successful connection. */
  #failures = 0;
  #connected = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #onMessage: (message: string) => void = () => {};

  constructor(url: string) {
    this.#url = url;
  }

  start(onMessage: (message: string) => void): void {
    this.#onMessage = onMessage;
    this.#stopped = false;
    this.#link ??= this.#createLink();
    this.#connect();
  }

  send(message: string): boolean {
    if (!this.#connected || !this.#link) return false;
    this.#link.send(message);
    return true;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#connected = false;
    this.#link?.close();
    this.#status.set('disconnected');
  }

  #connect(): void {
    this.#status.set(this.#failures === 0 ? 'connecting' : 'disconnected');
    this.#link?.connect(this.#url, ++this.#attempt);
  }

  #opened(attempt: number): void {
    if (attempt !== this.#attempt || this.#stopped) return;
    this.#failures = 0;
    this.#connected = true;
    this.#status.set('connected');
  }

  #received(attempt: number, messages: readonly string[]): void {
    if (attempt !== this.#attempt) return;
    for (const message of messages) this.#onMessage(message);
  }

  #closed(attempt: number): void {
    if (attempt !== this.#attempt) return;
    this.#connected = false;
    this.#status.set('disconnected');
    if (!this.#stopped) this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.#failures);
    const jitter = 1 + (Math.random() * 2 - 1) * RECONNECT_JITTER;
    this.#failures++;
    this.#timer = setTimeout(() => this.#connect(), delay * jitter);
  }

  #createLink(): SocketLink {
    if (typeof Worker === 'undefined') return this.#pageLink();
    const worker = new Worker(new URL('./websocket.worker', import.meta.url), { type: 'module' });
    const post = (message: ToSocketWorker): void => worker.postMessage(message);
    worker.onmessage = ({ data }: MessageEvent<FromSocketWorker>) => {
      if (data.type === 'open') this.#opened(data.attempt);
      else if (data.type === 'close') this.#closed(data.attempt);
      else {
        this.#received(data.attempt, data.messages);
        post({ type: 'taken' });
      }
    };
    return {
      connect: (url, attempt) => post({ type: 'connect', url, attempt }),
      send: (message) => post({ type: 'send', message }),
      close: () => post({ type: 'close' }),
    };
  }

  /** Without workers: the socket on the page itself. */
  #pageLink(): SocketLink {
    let socket: WebSocket | undefined;
    return {
      connect: (url, attempt) => {
        socket?.close();
        const current = new WebSocket(url);
        socket = current;
        current.onopen = () => this.#opened(attempt);
        current.onmessage = (event: MessageEvent) => {
          if (typeof event.data === 'string') this.#received(attempt, [event.data]);
        };
        current.onclose = () => {
          if (socket === current) socket = undefined;
          this.#closed(attempt);
        };
      },
      send: (message) => {
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
      },
      close: () => {
        socket?.close();
        socket = undefined;
      },
    };
  }
}
