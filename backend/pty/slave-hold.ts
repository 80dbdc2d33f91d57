/**
 * Keeps a PTY's slave side open in the backend while its process runs.
 *
 * Why: when the last slave descriptor closes, the master reports POLLHUP, and
 * libuv treats a short read after POLLHUP as end of stream, closing the master
 * while the kernel still buffers output (libuv#4992, node-pty#726): the last
 * kilobytes of a fast-exiting program vanish (reproduced here on Linux). macOS
 * even discards buffered output when the last slave descriptor closes. Holding
 * one slave descriptor means the stream never hangs up early; node-pty ends it
 * shortly after the process exits, by which time everything has been read.
 */
import { closeSync, constants, openSync } from 'node:fs';
import type { IPty } from '../../native/node-pty.ts';
import type { Disposable } from './emitter.ts';

/** Opens the slave side of `pty`; undefined where there is none to open (Windows' ConPTY) or it is already gone. */
export function holdPtySlave(pty: IPty): Disposable | undefined {
  const ptsName = (pty as IPty & { ptsName?: unknown }).ptsName;
  if (process.platform === 'win32' || typeof ptsName !== 'string') return undefined;
  let fd: number | undefined;
  try {
    // O_NOCTTY: the backend must never become the session's controlling process.
    fd = openSync(ptsName, constants.O_RDWR | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  return {
    dispose() {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
    },
  };
}
