/**
 * What keeps one bad request from taking web mode down. Everything a client
 * sends is hostile input (a page on another local port can plant cookies in
 * the user's browser), and one throw in a request handler would otherwise
 * end the process, and with it every running agent. So: URLs are parsed
 * without throwing, each handler's failure becomes an error answer for that
 * request or socket alone, and sockets always have an error listener.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

type Log = (message: string) => void;

/** The request's URL, or undefined when it does not parse (`//`, `//%`, `http://[`). */
export function requestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://placeholder');
  } catch {
    return undefined;
  }
}

/** Answers on a raw socket (a refused upgrade, a request the parser gave up on), then closes it. */
export function answerRaw(socket: Duplex, status: number, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = Buffer.from(reason);
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
    `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n`;
  // Destroyed once written: a client that never closes its side must not hold the socket.
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]), () => socket.destroy());
}

/** What may be logged of an error: its message and stack, never the request (which carries the token). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Errors a client causes by going away; not worth a log line. */
function isDisconnect(error: Error & { code?: string }): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE';
}

/**
 * Wraps a request handler: a throw or rejection is logged and answered with
 * 500 (or the response cut off, if it had begun), and the server serves on.
 */
export function guardRequests(
  handler: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>,
  log?: Log,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const fail = (error: unknown): void => {
      log?.(`${request.method ?? '?'} request failed: ${describeError(error)}`);
      try {
        if (response.headersSent) response.destroy();
        else response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal error');
      } catch {
        response.destroy();
      }
    };
    try {
      const pending = handler(request, response);
      if (pending) pending.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * Wraps an upgrade handler the same way: the socket gets an error listener
 * first (Node takes its own off an upgraded socket, and an error event with
 * no listener ends the process), and a throw answers 500 on the socket.
 */
export function guardUpgrades(
  handler: (request: IncomingMessage, socket: Socket, head: Buffer) => void,
  log?: Log,
): (request: IncomingMessage, socket: Socket, head: Buffer) => void {
  return (request, socket, head) => {
    socket.on('error', (error) => {
      if (!isDisconnect(error)) log?.(`upgrade socket error: ${error.message}`);
    });
    try {
      handler(request, socket, head);
    } catch (error) {
      log?.(`upgrade request failed: ${describeError(error)}`);
      answerRaw(socket, 500, 'Internal error');
    }
  };
}

/**
 * The http server's `clientError` listener: a request the parser could not
 * read (bad bytes, oversized headers) gets 400 (431, 408) and its socket is
 * closed. Nothing is written once a response has begun on that socket, as
 * Node itself does, so a pipelined answer is not corrupted.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const written = (socket as Partial<Socket>).bytesWritten ?? 0;
  if (isDisconnect(error) || written > 0) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;
  answerRaw(socket, status, STATUS_CODES[status] ?? 'Bad Request');
}
