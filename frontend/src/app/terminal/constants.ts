/** The renderer's side of the terminal data path. */

/**
 * Parsed output is acknowledged in batches of at least this many bytes: a
 * quarter of the backend's low watermark (2 MB), so the process never waits
 * on an acknowledgement still unsent, and under a flood a few messages a
 * second rather than one per write. Each is a request and a reply, and every
 * one wakes the backend and the browser (`npm run bench:pty`: at 64 KB the
 * page's main thread was switched out 4,600-6,400 times per 100 MB and
 * waited 0.9-1.0 s for a core; at 512 KB 3,200-4,700 times and 0.7 s).
 */
export const ACK_BATCH_BYTES = 512 * 1024;
/** Keystrokes and pastes go in writes of at most this many characters: the protocol's limit (MAX_WRITE_CHARS in backend/protocol/pty.ts). */
export const MAX_WRITE_CHARS = 256 * 1024;
/** Lines of scrollback a view keeps; the backend's replay holds about as much. */
export const SCROLLBACK_LINES = 10_000;
/** Size a new shell starts with, before its view has measured itself. */
export const INITIAL_SIZE = { cols: 80, rows: 24 } as const;
