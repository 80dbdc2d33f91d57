/**
 * Terminals: PTY sessions on the backend, streamed to xterm.js views.
 *
 * Output flows as `pty.data` events; each carries `seq`, the session's stream
 * position after that chunk. Positions count bytes of output since spawn (the
 * bytes the process wrote, which a transport that carries bytes delivers as
 * they are), so a renderer that restores with `pty.replay` can splice the
 * replay and the live stream without gaps or duplicates. The renderer
 * acknowledges bytes after xterm.js has parsed them (`pty.ack`); the backend
 * pauses a session's process while too much is unacknowledged.
 */
import { z } from 'zod';
import { method } from './define.ts';
import type { PtySessionInfo } from './payloads/pty.ts';

// The shapes the backend sends are schemas in payloads/pty.ts (the browser checks events against them).
export { type PtyEvents, type PtyKind, type PtySessionInfo } from './payloads/pty.ts';

/** Widest terminal accepted; beyond this a size is a bug, not a screen. */
export const MAX_COLS = 1000;
/** Tallest terminal accepted; see {@link MAX_COLS}. */
export const MAX_ROWS = 500;
/** Longest path or argument accepted; far above any real OS limit on a component, short enough to bound a message. */
const MAX_TEXT = 4096;
/** Environment entries a spawn may add; a real overlay sets a handful. */
const MAX_ENV_ENTRIES = 256;
/** Characters per `pty.write`; a paste larger than this is sent in several writes by the renderer. */
export const MAX_WRITE_CHARS = 256 * 1024;

const SessionId = z.string().min(1).max(64);
const Cols = z.number().int().min(1).max(MAX_COLS);
const Rows = z.number().int().min(1).max(MAX_ROWS);

/** Signals a renderer may send; the rest have no business in a terminal UI. */
export const PTY_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL', 'SIGHUP'] as const;
export type PtySignal = (typeof PTY_SIGNALS)[number];

export interface PtySpawnResult {
  id: string;
  pid: number;
  shell: string;
}

/**
 * Recent output for a renderer that (re)attaches.
 *
 * `data` ends at the last complete character. While the newest output ends
 * inside a multi-byte character (its other bytes not written yet), those
 * first bytes are left out of `data` and `seq` points at the first of them,
 * short of the session's position. A renderer writes `data`, takes `seq` as
 * its position, and from each later live chunk (which covers the bytes from
 * `chunk.seq - chunk length` to `chunk.seq`) writes only what lies past its
 * position: nothing of a chunk with `seq` at or below it, the bytes from
 * `seq - start` of a chunk that starts before it. So it resumes at the
 * character's first byte and never writes a byte twice or skips one. (A
 * chunk's decoded text holds only characters that end within it, so the text
 * of a chunk that starts before `seq` is contained in `data` already.)
 */
export interface PtyReplayResult {
  /** Recent output (bounded) as text: written into a freshly reset terminal, it restores the screen and scrollback. */
  data: string;
  /** The stream position, in bytes since spawn, right after the bytes `data` was decoded from. */
  seq: number;
}

export const ptyMethods = {
  /** Starts a user shell. Without `shell`, the OS's default shell runs. */
  'pty.spawn': method(
    z.strictObject({
      cols: Cols,
      rows: Rows,
      cwd: z.string().min(1).max(MAX_TEXT).optional(),
      env: z
        .record(z.string().min(1).max(256), z.string().max(MAX_TEXT))
        .refine(
          (env) => Object.keys(env).length <= MAX_ENV_ENTRIES,
          `at most ${MAX_ENV_ENTRIES} entries`,
        )
        .optional(),
      shell: z.string().min(1).max(MAX_TEXT).optional(),
      args: z.array(z.string().max(MAX_TEXT)).max(64).optional(),
      name: z.string().min(1).max(64).optional(),
    }),
  ).returns<PtySpawnResult>(),
  'pty.write': method(
    z.strictObject({ id: SessionId, data: z.string().max(MAX_WRITE_CHARS) }),
  ).returns<null>(),
  'pty.resize': method(z.strictObject({ id: SessionId, cols: Cols, rows: Rows })).returns<null>(),
  /** Signals the process (default SIGHUP); the session stays listed until `pty.close`. */
  'pty.kill': method(
    z.strictObject({ id: SessionId, signal: z.enum(PTY_SIGNALS).optional() }),
  ).returns<null>(),
  /** Ends the process if it still runs and forgets the session. */
  'pty.close': method(z.strictObject({ id: SessionId })).returns<null>(),
  'pty.list': method(z.strictObject({})).returns<{ sessions: PtySessionInfo[] }>(),
  /** Bytes of output the renderer has parsed since its last ack. */
  'pty.ack': method(
    z.strictObject({ id: SessionId, bytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  ).returns<null>(),
  /** Recent output for a renderer that (re)attaches; also restarts flow-control accounting for the session. */
  'pty.replay': method(z.strictObject({ id: SessionId })).returns<PtyReplayResult>(),
};
