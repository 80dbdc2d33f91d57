import { signal } from '@angular/core';
import type { ProtocolTransport, TransportStatus } from './transport';

/** First retry soon: a restarting server is usually back within a second. */
export const RECONNECT_BASE_MS = 250;
/** Cap, so a long outage is still noticed within seconds of the server's return. */
export const RECONNECT_MAX_MS = 5000;
/** ±20% jitter keeps several tabs from reconnecting in lockstep. */
const RECONNECT_JITTER = 0.2;

/** Web mode: the protocol over a WebSocket to the page's own origin; the token travels as its cookie. */
export class WebSocketTransport implements ProtocolTransport {
  readonly #status = signal<TransportStatus>('connecting');
  readonly status = this.#status.asReadonly();
  readonly #url: string;
  #socket: WebSocket | undefined;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #onMessage: (message: string) => void = () => {};

  constructor(url: string) {
    this.#url = url;
  }

  start(onMessage: (message: string) => void): void {
    this.#onMessage = onMessage;
    this.#stopped = false;
    this.#connect();
  }

  send(message: string): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(message);
    return true;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close();
    this.#status.set('disconnected');
  }

  #connect(): void {
    this.#status.set(this.#attempt === 0 ? 'connecting' : 'disconnected');
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#status.set('connected');
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') this.#onMessage(event.data);
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#status.set('disconnected');
      if (!this.#stopped) this.#scheduleReconnect();
    };
  }

  #scheduleReconnect(): void {
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.#attempt);
    const jitter = 1 + (Math.random() * 2 - 1) * RECONNECT_JITTER;
    this.#attempt++;
    this.#timer = setTimeout(() => this.#connect(), delay * jitter);
  }
}
