/**
 * The downlink's framing: how a byte stream from the backend to a renderer
 * carries both protocol messages (JSON) and terminal output (raw bytes).
 *
 * Web mode sends everything the server says over one streamed HTTP response
 * (see backend/server/web-server.ts for why not the WebSocket), so messages
 * need frames. Terminal output travels as the bytes the process wrote: no
 * decoding, escaping or re-encoding on either side, and xterm.js parses the
 * bytes itself.
 *
 *     frame  := length:u32le kind:u8 body        (length counts kind and body)
 *     kind 1 := JSON text of one server message (UTF-8)
 *     kind 2 := idLength:u8 id:utf8 seq:f64le output
 *
 * `seq` is the session's stream position after `output`, in bytes (see
 * backend/protocol/pty.ts). No Node APIs here: the renderer imports this file.
 */

export const FRAME_JSON = 1;
export const FRAME_PTY_OUTPUT = 2;
/** Bytes before a frame's body: length and kind. */
const PREFIX_BYTES = 5;
/** A frame larger than this is a corrupt stream, not a message (the backend's largest are a few MB). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Terminal output of one session, as the process wrote it. */
export interface PtyOutputFrame {
  id: string;
  /** The stream position after `bytes`, counted in bytes since the session started. */
  seq: number;
  bytes: Uint8Array;
}

/** What a downlink carries: a server message's JSON text, or terminal output. */
export type DownlinkMessage = string | PtyOutputFrame;

/** The stream is not a sequence of frames (a bug or corruption); the reader cannot resynchronise. */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

const encoder = new TextEncoder();

/** A JSON message as one frame. */
export function encodeJsonFrame(json: string): Uint8Array {
  const body = encoder.encode(json);
  const frame = new Uint8Array(PREFIX_BYTES + body.length);
  writePrefix(frame, 1 + body.length, FRAME_JSON);
  frame.set(body, PREFIX_BYTES);
  return frame;
}

/**
 * The part of an output frame before its bytes. Sent followed by
 * `frame.bytes` itself, so the output is never copied into a new buffer.
 */
export function encodePtyOutputHeader(frame: PtyOutputFrame): Uint8Array {
  const id = encoder.encode(frame.id);
  if (id.length > 255) throw new FrameError(`Session id of ${id.length} bytes is too long`);
  const header = new Uint8Array(PREFIX_BYTES + 1 + id.length + 8);
  // Length counts the kind byte, the header after the prefix, and the output.
  writePrefix(header, 1 + header.length - PREFIX_BYTES + frame.bytes.length, FRAME_PTY_OUTPUT);
  header[PREFIX_BYTES] = id.length;
  header.set(id, PREFIX_BYTES + 1);
  new DataView(header.buffer).setFloat64(PREFIX_BYTES + 1 + id.length, frame.seq, true);
  return header;
}

function writePrefix(target: Uint8Array, length: number, kind: number): void {
  new DataView(target.buffer, target.byteOffset).setUint32(0, length, true);
  target[4] = kind;
}

/** The output frame being read: its session, its end position, and how many of its bytes are still to come. */
interface OutputInProgress {
  id: string;
  seq: number;
  remaining: number;
}

/**
 * Reassembles frames from a byte stream cut anywhere. Terminal output is
 * passed on as it arrives: an output frame that spans several chunks comes
 * out as several pieces of the same session, each a view into the chunk it
 * arrived in (never a copy) with the stream position after it. A terminal
 * thus starts parsing a large frame before its end has arrived, and takes
 * its bytes where they already are. JSON messages come out whole.
 */
export class FrameReader {
  readonly #decoder = new TextDecoder();
  #chunks: Uint8Array[] = [];
  /** Bytes held in #chunks, counting from #offset in the first. */
  #held = 0;
  #offset = 0;
  #output: OutputInProgress | undefined;

  /** Takes the next piece of the stream; returns the messages and output pieces it completed, in order. */
  push(chunk: Uint8Array): DownlinkMessage[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#held += chunk.length;
    }
    const messages: DownlinkMessage[] = [];
    for (;;) {
      const output = this.#output;
      if (output) {
        if (this.#held === 0) break;
        const bytes = this.#takeView(output.remaining);
        output.remaining -= bytes.length;
        if (output.remaining === 0) this.#output = undefined;
        messages.push({ id: output.id, seq: output.seq - output.remaining, bytes });
        continue;
      }
      if (this.#held < PREFIX_BYTES) break;
      const prefix = this.#peek(PREFIX_BYTES);
      const length = new DataView(prefix.buffer, prefix.byteOffset).getUint32(0, true);
      if (length < 1 || length > MAX_FRAME_BYTES)
        throw new FrameError(`Frame length ${length} is out of range`);
      const kind = prefix[4];
      if (kind === FRAME_PTY_OUTPUT) {
        const started = this.#startOutput(length);
        if (!started) break;
        // Empty output still says where the stream is.
        if (started.remaining === 0)
          messages.push({ id: started.id, seq: started.seq, bytes: new Uint8Array(0) });
        else this.#output = started;
        continue;
      }
      if (kind !== FRAME_JSON) throw new FrameError(`Unknown frame kind ${String(kind)}`);
      if (this.#held < 4 + length) break;
      messages.push(this.#decoder.decode(this.#take(4 + length).subarray(PREFIX_BYTES)));
    }
    return messages;
  }

  /** Bytes held of a frame still waiting for the rest (output already passed on is not held). */
  get pendingBytes(): number {
    return this.#held;
  }

  /**
   * Reads an output frame's header once it has all arrived (undefined until
   * then); its bytes follow as pieces.
   */
  #startOutput(length: number): OutputInProgress | undefined {
    if (this.#held < PREFIX_BYTES + 1) return undefined;
    const idLength = this.#peek(PREFIX_BYTES + 1)[PREFIX_BYTES] ?? 0;
    const headerBytes = PREFIX_BYTES + 1 + idLength + 8;
    if (4 + length < headerBytes) throw new FrameError('Output frame shorter than its header');
    if (this.#held < headerBytes) return undefined;
    const header = this.#take(headerBytes);
    const id = this.#decoder.decode(header.subarray(PREFIX_BYTES + 1, PREFIX_BYTES + 1 + idLength));
    const seq = new DataView(header.buffer, header.byteOffset + headerBytes - 8, 8).getFloat64(
      0,
      true,
    );
    if (!Number.isSafeInteger(seq) || seq < 0)
      throw new FrameError(`Output frame with invalid position ${seq}`);
    return { id, seq, remaining: 4 + length - headerBytes };
  }

  /** The next `n` held bytes without consuming them. */
  #peek(n: number): Uint8Array {
    const first = this.#chunks[0] as Uint8Array;
    if (first.length - this.#offset >= n) return first.subarray(this.#offset, this.#offset + n);
    return this.#gather(n, false);
  }

  /** Consumes and returns the next `n` held bytes. */
  #take(n: number): Uint8Array {
    const first = this.#chunks[0] as Uint8Array;
    return first.length - this.#offset >= n ? this.#takeView(n) : this.#gather(n, true);
  }

  /** Consumes up to `n` held bytes from the first chunk: a view, never a copy. */
  #takeView(n: number): Uint8Array {
    const first = this.#chunks[0] as Uint8Array;
    const count = Math.min(n, first.length - this.#offset);
    const view = first.subarray(this.#offset, this.#offset + count);
    this.#offset += count;
    this.#held -= count;
    if (this.#offset === first.length) {
      this.#chunks.shift();
      this.#offset = 0;
    }
    return view;
  }

  /** Copies the next `n` bytes out of several chunks, consuming them if asked. */
  #gather(n: number, consume: boolean): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    let index = 0;
    let offset = this.#offset;
    while (filled < n) {
      const chunk = this.#chunks[index] as Uint8Array;
      const count = Math.min(n - filled, chunk.length - offset);
      out.set(chunk.subarray(offset, offset + count), filled);
      filled += count;
      offset += count;
      if (offset === chunk.length) {
        index++;
        offset = 0;
      }
    }
    if (consume) {
      this.#chunks.splice(0, index);
      this.#offset = offset;
      this.#held -= n;
    }
    return out;
  }
}
