/** The renderer's side of the terminal data path. */

/**
 * Parsed output is acknowledged in batches of at least this many bytes: under
 * a flood one message per write or so, far under the backend's low watermark
 * (2 MB), so the process never waits on an acknowledgement still unsent.
 */
export const ACK_BATCH_BYTES = 64 * 1024;
/** Keystrokes and pastes go in writes of at most this many characters: the protocol's limit (MAX_WRITE_CHARS in backend/protocol/pty.ts). */
export const MAX_WRITE_CHARS = 256 * 1024;
/** Lines of scrollback a view keeps; the backend's replay holds about as much. */
export const SCROLLBACK_LINES = 10_000;
/** Size a new shell starts with, before its view has measured itself. */
export const INITIAL_SIZE = { cols: 80, rows: 24 } as const;
