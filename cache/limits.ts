/**
 * Named limits and defaults of the token cache, each with the reason for its value.
 * Callers override the tunable ones through {@link TokenCacheOptions}.
 */

/** Hot tier TTL: a working session's span; older hot entries are rarely read again. */
export const HOT_TTL_MS = 4 * 60 * 60 * 1000;

/** Hot tier bound: room for tens of thousands of tool results without crowding the app. */
export const HOT_MAX_BYTES = 256 * 1024 * 1024;

/** One entry may take at most this share of the hot tier, so one huge result cannot flush the rest. */
export const HOT_MAX_ENTRY_FRACTION = 8;

/** Cold tier TTL: a day covers "continue tomorrow" without keeping results of long-gone code. */
export const COLD_TTL_MS = 24 * 60 * 60 * 1000;

/** Cold tier bound: a few hundred MB on disk is cheap next to the tokens it saves. */
export const COLD_MAX_BYTES = 512 * 1024 * 1024;

/** Cold writes are batched: one transaction per interval instead of one fsync'd write per set. */
export const COLD_FLUSH_INTERVAL_MS = 100;

/** A flush is started early once this many writes wait, to bound memory and flush pauses. */
export const COLD_FLUSH_MAX_BATCH = 2_000;

/** Eviction brings the cold tier down to this share of its bound, so the next flush need not evict again. */
export const COLD_EVICT_TO_FRACTION = 0.9;

/** Expired cold rows are purged this often; expiry is also checked on every read. */
export const COLD_PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** Another process may hold the write lock briefly; wait rather than fail. */
export const COLD_BUSY_TIMEOUT_MS = 5_000;

/** The metrics change event is coalesced to this interval: a UI needs a few updates a second, not one per get. */
export const METRICS_CHANGE_INTERVAL_MS = 250;

/** Files up to this size are read in one synchronous call: cheaper than async I/O for the common small file. */
export const SYNC_READ_MAX_BYTES = 256 * 1024;

/** Larger files are streamed in chunks of this size, so memory stays flat whatever the file size. */
export const STREAM_CHUNK_BYTES = 1024 * 1024;

/** A scan yields to the event loop after this much synchronous work, keeping the app responsive. */
export const SCAN_SLICE_MS = 8;

/** Bytes inspected for a NUL to call a file binary: git's own heuristic. */
export const BINARY_SNIFF_BYTES = 8000;

/** Symlink hops followed when resolving a dependency path; POSIX's SYMLOOP_MAX is 40. */
export const MAX_SYMLINK_HOPS = 40;

/** Inputs whose stable JSON is longer than this are keyed by their SHA-256 to keep keys and indexes small. */
export const KEY_INLINE_MAX_CHARS = 512;

/** Token estimate when the caller gives none: the usual ~4 characters per token for English and code. */
export const CHARS_PER_TOKEN = 4;

/** Folder names that are never part of a workspace tree, whatever .gitignore says. */
export const ALWAYS_SKIPPED_NAMES: ReadonlySet<string> = new Set(['.git', 'node_modules']);
