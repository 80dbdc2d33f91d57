/**
 * Makes node-pty hand over a process's output as the bytes it wrote, so they
 * can travel to xterm.js as they are instead of being decoded here and
 * encoded again for a binary transport.
 *
 * The PTY is still spawned with node-pty's default encoding, 'utf8': only then
 * does node-pty set the IUTF8 terminal flag, without which the line
 * discipline's backspace erases one byte of a multi-byte character. That
 * encoding also makes node-pty's stream decode every read into a string.
 * `setEncoding(null)` is node-pty's way to undo it, but it deletes
 * `socket._decoder`, a field Node's streams no longer have, and the stream
 * goes on decoding (node-pty ≤ 1.1, Node 22; see nodejs/node#6038). So the
 * decoder is also taken off the stream's state, which `Readable` consults
 * for every chunk it pushes; this happens before the first read arrives.
 *
 * On Windows, ConPTY's output comes through a socket node-pty connects later
 * and always decodes; {@link outputBytes} turns those strings into bytes.
 */
import type { IPty } from '../../native/node-pty.ts';

/** The parts of node-pty's terminal object this relies on, beyond its typings. */
interface NodePtyInternals {
  setEncoding?: (encoding: string | null) => void;
  _socket?: { _readableState?: { decoder: unknown; encoding: unknown } };
}

/** Switches `pty`'s `onData` to Buffers where the platform allows it (not Windows). */
export function readRawOutput(pty: IPty): void {
  const terminal = pty as unknown as NodePtyInternals;
  terminal.setEncoding?.(null);
  if (process.platform === 'win32') return;
  const state = terminal._socket?._readableState;
  if (!state) return;
  state.decoder = null;
  state.encoding = null;
}

/** One chunk of `onData` as bytes, whichever form node-pty delivered it in. */
export function outputBytes(chunk: string | Buffer): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}
