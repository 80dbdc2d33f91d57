/**
 * The terminal data path's limits, in one place. Flow-control values follow
 * VS Code's pty host (see DESIGN.md, "Facts worth knowing").
 */

/**
 * Output that keeps flowing is coalesced for this long: one protocol message
 * per window instead of one per read. VS Code waits 5 ms. Every message wakes
 * the browser's network service, the page's loader and its main thread, and
 * on a 2-core machine those wakeups take the core xterm.js is parsing on: at
 * 16 ms (a frame) the stream reached 0.89 of xterm.js's own rate against 0.68
 * at 5 ms (`npm run bench:pty`, mean of 9 rounds each). Echoes and prompts
 * are not delayed: see IMMEDIATE_BYTES.
 */
export const BATCH_WINDOW_MS = 16;
/** Output up to this many bytes per window is sent at once: echoes and prompts are far smaller, a flood passes it within one read. */
export const IMMEDIATE_BYTES = 1024;
/** A batch is sent early at this many bytes: a window's worth at 64 MB/s, so a fast renderer is not held to the window, and one message stays far below the flow-control watermarks. */
export const MAX_BATCH_BYTES = 1024 * 1024;

/**
 * Above this many unacknowledged bytes of output the process is paused: the
 * renderer has fallen behind. VS Code uses 100,000 characters over Electron
 * IPC. Over a WebSocket the round trip (backend → browser network service →
 * page → acknowledgement back) took 30–100 ms under load, so with a million
 * in flight xterm.js ran dry while the backend sat paused (measured with
 * `npm run bench:pty`: about half the time paused, the page's terminal often
 * with nothing to parse). Four million bytes (as many characters of the ASCII
 * a flood mostly is) are about 100–150 ms of xterm.js parsing: that covers the
 * round trip, stays bounded (4 MB, mostly in socket buffers), and Ctrl-C's
 * output still shows well within a second. Counted in bytes because bytes are
 * what the process wrote, what travels and what xterm.js parses.
 */
export const HIGH_WATERMARK_BYTES = 4_000_000;
/** Below this many unacknowledged bytes the process resumes; half the high mark, so xterm.js still has work queued while new output travels. */
export const LOW_WATERMARK_BYTES = 2_000_000;
/**
 * A paused session that hears no acknowledgement for this long stops waiting:
 * its renderer is gone (a closed tab) or hung, and an agent's command must not
 * block forever on a view nobody watches.
 */
export const FLOW_STALL_TIMEOUT_MS = 5_000;
/**
 * While paused, how often to check whether the process has exited. node-pty
 * destroys the socket 200 ms after the exit, dropping output still in the
 * kernel's buffer; checking well inside that window lets the session drain it.
 */
export const EXIT_DRAIN_POLL_MS = 25;

/** Recent output kept per session for restore, in bytes: about 10,000 lines of 100 ASCII characters, 1 MB. */
export const REPLAY_MAX_BYTES = 1_000_000;
/** When the replay had to drop old output, it starts at the next line break within this many bytes, not mid escape sequence. */
export const REPLAY_ALIGN_WINDOW_BYTES = 4096;

/** Sessions open at once: three agents plus user shells, with room; each is a process and a replay buffer. */
export const MAX_SESSIONS = 32;
/** How long a disposed session's process gets to exit after SIGHUP before SIGKILL. */
export const KILL_GRACE_MS = 2_000;

/** Environment variables never passed into a terminal: an agent could print them into a transcript. */
export const SCRUBBED_ENV_VARS = [
  'ANTHROPIC_API_KEY',
  'TROIKA_OPENAI_API_KEY',
  'OPENAI_API_KEY',
  'TROIKA_TOKEN',
] as const;
/** The terminal type xterm.js emulates. */
export const TERM_NAME = 'xterm-256color';
