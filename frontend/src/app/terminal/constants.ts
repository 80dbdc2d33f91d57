/** The renderer's side of the terminal data path. */

/** Parsed characters are acknowledged in batches this size (as VS Code does): fewer messages, still well under the backend's low watermark. */
export const ACK_BATCH_CHARS = 5_000;
/**
 * Live output gathered within one task is written to xterm.js in pieces of at
 * most this size: about 20-40 ms of parsing, so a flood still paints a few
 * dozen frames a second and a keystroke waits at most that long.
 */
export const MAX_COALESCED_CHARS = 1_000_000;
/** Keystrokes and pastes go in writes of at most this many characters: the protocol's limit (MAX_WRITE_CHARS in backend/protocol/pty.ts). */
export const MAX_WRITE_CHARS = 256 * 1024;
/** Lines of scrollback a view keeps; the backend's replay holds about as much. */
export const SCROLLBACK_LINES = 10_000;
/** Size a new shell starts with, before its view has measured itself. */
export const INITIAL_SIZE = { cols: 80, rows: 24 } as const;
