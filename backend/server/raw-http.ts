/**
 * Test support: talks to a server over a raw TCP socket, so tests can send
 * bytes Node's own HTTP and WebSocket clients refuse to (bad header values,
 * broken request lines, unmasked or oversized WebSocket frames).
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export interface RawAnswer {
  /** The status of the first response line, or undefined when the server sent none. */
  status: number | undefined;
  raw: Buffer;
}

export interface ExchangeOptions {
  /** Half-close after sending (the server then aborts what it has not answered yet). */
  halfClose?: boolean;
  /** Give up on a server that keeps the socket open this long after it last sent something. */
  quietMs?: number;
  /** Give up after this long in any case. */
  timeoutMs?: number;
}

/**
 * Sends `bytes` and collects what comes back until the server closes, goes
 * quiet after answering (a kept-alive connection), or time runs out; then the
 * socket is cut.
 */
export function rawExchange(
  port: number,
  bytes: Buffer | string | readonly (Buffer | string)[],
  options: ExchangeOptions = {},
): Promise<RawAnswer> {
  const { halfClose = false, quietMs = 300, timeoutMs = 3000 } = options;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      clearTimeout(quiet);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(raw.subarray(0, 32).toString('latin1'));
      resolve({ status: match ? Number(match[1]) : undefined, raw });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (data: Buffer) => {
      chunks.push(data);
      clearTimeout(quiet);
      quiet = setTimeout(finish, quietMs);
    });
    // A reset is one of the answers a hostile request may get; it is not a test failure.
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => {
      for (const part of Array.isArray(bytes) ? bytes : [bytes]) socket.write(part);
      if (halfClose) socket.end();
    });
  });
}

/** A request's bytes: request line, headers (in order, duplicates kept) and body, all as latin1. */
export function rawRequest(
  requestLine: string,
  headers: readonly (readonly [string, string])[],
  body = '',
): Buffer {
  const head = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Buffer.from(`${requestLine}\r\n${head}\r\n${body}`, 'latin1');
}

/** The headers of a well-formed WebSocket upgrade request. */
export function upgradeHeaders(): [string, string][] {
  return [
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', randomBytes(16).toString('base64')],
    ['Sec-WebSocket-Version', '13'],
  ];
}

export interface RawFrame {
  fin: boolean;
  /** The three reserved bits (only 0 is valid without extensions). */
  rsv: number;
  opcode: number;
  payload: Uint8Array;
  /** Clients must mask; a server must refuse an unmasked frame. */
  masked: boolean;
  /** A length to claim instead of the payload's own (a lie, or an enormous one). */
  claimedLength?: bigint | undefined;
}

/** Encodes one WebSocket frame as RFC 6455 lays it out, including frames it forbids. */
export function encodeFrame(frame: RawFrame): Buffer {
  const length = frame.claimedLength ?? BigInt(frame.payload.length);
  const first = (frame.fin ? 0x80 : 0) | ((frame.rsv & 7) << 4) | (frame.opcode & 0x0f);
  const maskBit = frame.masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126n) {
    header = Buffer.from([first, maskBit | Number(length)]);
  } else if (length < 65536n) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(BigInt.asUintN(64, length), 2);
  }
  if (!frame.masked) return Buffer.concat([header, frame.payload]);
  const key = randomBytes(4);
  const body = Buffer.from(frame.payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([header, key, body]);
}
