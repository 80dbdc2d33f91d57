/**
 * Web mode's downlink: everything the backend says to a page, as frames
 * (backend/protocol/frames.ts) on one streamed HTTP response, paired with a
 * WebSocket that carries what the page says (its uplink).
 *
 * Why not the WebSocket both ways: Chromium spends about two CPU-seconds
 * (renderer plus browser process) receiving 100 MB over a WebSocket, and a
 * third of that reading the same bytes from a fetch() body (measured on this
 * project's 2-core CI machine). Under a terminal flood those cycles come out
 * of xterm.js's share. Requests and keystrokes are small: the WebSocket stays
 * the quick way up.
 *
 * The page opens the downlink first; its first frame is `system.welcome`,
 * whose connection id the page then passes as `/ws?connection=<id>` to attach
 * the uplink. Either side closing ends both; a downlink whose uplink never
 * comes is ended after a while.
 */
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { ProtocolEndpoint } from '../bus/endpoint.ts';
import { encodeJsonFrame, encodePtyOutputHeader } from '../protocol/frames.ts';
import { Connection } from './connection.ts';
import { describeError } from './guards.ts';

/** The downlink's path. */
export const DOWNLINK_PATH = '/downlink';
/** The query parameter of `/ws` naming the downlink an uplink belongs to. */
export const UPLINK_PARAM = 'connection';
/** A downlink whose page has not attached an uplink by then is closed. */
export const UPLINK_WAIT_MS = 10_000;

/**
 * Feeds what a WebSocket client sends into its connection (the uplink, or a
 * plain JSON socket). A message whose handling fails past the connection's
 * own error replies is logged: an unhandled rejection would end the process.
 */
export function receiveFrom(
  ws: WebSocket,
  connection: Connection,
  log?: (message: string) => void,
): void {
  ws.on('message', (data, isBinary) => {
    connection
      .receive(isBinary ? Buffer.from(data as Buffer) : data.toString())
      .catch((error: unknown) => log?.(`message handling failed: ${describeError(error)}`));
  });
}

interface Downlink {
  connection: Connection;
  response: ServerResponse;
  uplink: WebSocket | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class Downlinks {
  readonly #backend: ProtocolEndpoint;
  readonly #log: ((message: string) => void) | undefined;
  readonly #open = new Map<string, Downlink>();

  constructor(backend: ProtocolEndpoint, log?: (message: string) => void) {
    this.#backend = backend;
    this.#log = log;
  }

  /** Starts a downlink on `response` (already access-checked). */
  open(response: ServerResponse, headers: Record<string, string>): void {
    response.socket?.setNoDelay(true);
    // The body is frames until the connection closes, not HTTP chunks: chunked encoding
    // cost a size line and two line breaks per write, each its own small socket write.
    response.useChunkedEncodingByDefault = false;
    response.shouldKeepAlive = false;
    response.writeHead(200, {
      ...headers,
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    response.flushHeaders();
    const writable = (): boolean => !response.destroyed && !response.writableEnded;
    const connection = new Connection({
      router: this.#backend.router,
      events: this.#backend.events,
      send: (message) => {
        if (writable()) response.write(encodeJsonFrame(message));
      },
      // Header and output leave in one writev: the output is not copied, and it is one system call.
      sendOutput: (frame) => {
        if (!writable()) return;
        response.cork();
        response.write(encodePtyOutputHeader(frame));
        response.write(frame.bytes);
        response.uncork();
      },
      ...(this.#log ? { log: this.#log } : {}),
    });
    const downlink: Downlink = {
      connection,
      response,
      uplink: undefined,
      timer: setTimeout(() => this.#close(connection.id), UPLINK_WAIT_MS),
    };
    this.#open.set(connection.id, downlink);
    response.on('close', () => this.#close(connection.id));
  }

  /** Whether `id` names an open downlink still waiting for its uplink. */
  awaitsUplink(id: string): boolean {
    const downlink = this.#open.get(id);
    return downlink !== undefined && downlink.uplink === undefined;
  }

  /** Attaches the page's WebSocket as the uplink of downlink `id` (see {@link awaitsUplink}). */
  attachUplink(id: string, ws: WebSocket): void {
    // First, even on a refused socket: a WebSocket 'error' with no listener ends the process.
    ws.on('error', (error) => this.#log?.(`uplink error: ${error.message}`));
    const downlink = this.#open.get(id);
    if (!downlink || downlink.uplink) {
      ws.close(1008, 'No such downlink');
      return;
    }
    clearTimeout(downlink.timer);
    downlink.timer = undefined;
    downlink.uplink = ws;
    receiveFrom(ws, downlink.connection, this.#log);
    ws.on('close', () => this.#close(id));
  }

  get size(): number {
    return this.#open.size;
  }

  closeAll(): void {
    for (const id of [...this.#open.keys()]) this.#close(id);
  }

  #close(id: string): void {
    const downlink = this.#open.get(id);
    if (!downlink) return;
    this.#open.delete(id);
    clearTimeout(downlink.timer);
    downlink.connection.close();
    if (!downlink.response.writableEnded) downlink.response.end();
    downlink.uplink?.terminate();
  }
}
