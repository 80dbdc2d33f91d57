import { signal } from '@angular/core';
import { FrameReader, type DownlinkMessage } from '../../../../backend/protocol/frames.ts';
import type { ProtocolTransport, TransportStatus } from './transport';

/** First retry soon: a restarting server is usually back within a second. */
export const RECONNECT_BASE_MS = 250;
/** Cap, so a long outage is still noticed within seconds of the server's return. */
export const RECONNECT_MAX_MS = 5000;
/** ±20% jitter keeps several tabs from reconnecting in lockstep. */
const RECONNECT_JITTER = 0.2;

export interface WebModeEndpoints {
  /** The streamed response the server talks down (DOWNLINK_PATH in backend/server/downlink.ts). */
  downlink: string;
  /** The WebSocket the page talks up; the connection id is added as `?connection=`. */
  uplink: string;
}

/**
 * Web mode: the server talks down a streamed response (a downlink of frames,
 * backend/protocol/frames.ts) and the page talks up a WebSocket paired with
 * it; the token travels as the page's cookie. Why two channels: Chromium
 * reads a fetch() body for a third of the CPU a WebSocket costs it, and under
 * a terminal flood those cycles are xterm.js's (backend/server/downlink.ts).
 *
 * The downlink's first frame welcomes the page with its connection id; the
 * uplink opens with that id, and only then does the page hear anything, so
 * nothing it does in reply can be sent before it can be sent. Either channel
 * ending ends both, and the transport reconnects with backoff.
 */
export class WebModeTransport implements ProtocolTransport {
  readonly #status = signal<TransportStatus>('connecting');
  readonly status = this.#status.asReadonly();
  readonly #endpoints: WebModeEndpoints;
  /** Bumped per connection attempt; callbacks of older attempts do nothing. */
  #attempt = 0;
  /** Failed attempts since the last successful connection. */
  #failures = 0;
  #uplink: WebSocket | undefined;
  #abort: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #onMessage: (message: DownlinkMessage) => void = () => {};

  constructor(endpoints: WebModeEndpoints) {
    this.#endpoints = endpoints;
  }

  start(onMessage: (message: DownlinkMessage) => void): void {
    this.#onMessage = onMessage;
    this.#stopped = false;
    void this.#connect();
  }

  send(message: string): boolean {
    if (this.#status() !== 'connected' || this.#uplink?.readyState !== WebSocket.OPEN) return false;
    this.#uplink.send(message);
    return true;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#teardown();
    this.#status.set('disconnected');
  }

  async #connect(): Promise<void> {
    const attempt = ++this.#attempt;
    this.#status.set(this.#failures === 0 ? 'connecting' : 'disconnected');
    const abort = new AbortController();
    this.#abort = abort;
    const current = (): boolean => attempt === this.#attempt && !this.#stopped;
    let opened = false;
    try {
      const response = await fetch(this.#endpoints.downlink, {
        signal: abort.signal,
        cache: 'no-store',
      });
      if (!response.ok || !response.body) throw new Error(`downlink answered ${response.status}`);
      const reader = response.body.getReader();
      const frames = new FrameReader();
      /** What came down before the uplink was open: delivered once it is. */
      let held: DownlinkMessage[] | undefined = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done || !current()) break;
        const messages = frames.push(value);
        if (held) {
          held.push(...messages);
          if (this.#uplink === undefined && held.length > 0) {
            this.#openUplink(connectionIdOf(held[0]), attempt, () => {
              opened = true;
              const waiting = held ?? [];
              held = undefined;
              for (const message of waiting) this.#onMessage(message);
            });
          }
        } else {
          for (const message of messages) this.#onMessage(message);
        }
      }
    } catch {
      // Refused, dropped or aborted: handled as a close below.
    }
    if (!current()) return;
    this.#teardown();
    if (opened) this.#failures = 0;
    this.#status.set('disconnected');
    this.#scheduleReconnect();
  }

  #openUplink(connectionId: string | undefined, attempt: number, onOpen: () => void): void {
    if (!connectionId) {
      this.#abort?.abort();
      return;
    }
    const uplink = new WebSocket(
      `${this.#endpoints.uplink}?connection=${encodeURIComponent(connectionId)}`,
    );
    this.#uplink = uplink;
    uplink.onopen = () => {
      if (attempt !== this.#attempt) return;
      this.#status.set('connected');
      onOpen();
    };
    // The downlink's reader notices the end and reconnects.
    uplink.onclose = () => {
      if (attempt === this.#attempt) this.#abort?.abort();
    };
  }

  #teardown(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    const uplink = this.#uplink;
    this.#uplink = undefined;
    if (uplink) {
      uplink.onclose = null;
      uplink.close();
    }
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.#failures);
    const jitter = 1 + (Math.random() * 2 - 1) * RECONNECT_JITTER;
    this.#failures++;
    this.#timer = setTimeout(() => void this.#connect(), delay * jitter);
  }
}

/** The connection id from the welcome event that opens every downlink. */
function connectionIdOf(first: DownlinkMessage | undefined): string | undefined {
  if (typeof first !== 'string') return undefined;
  try {
    const message = JSON.parse(first) as { event?: string; data?: { connectionId?: unknown } };
    const id = message.event === 'system.welcome' ? message.data?.connectionId : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
