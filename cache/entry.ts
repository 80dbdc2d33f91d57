/** The shapes an entry takes on its way through the cache. */

/** A value the cache can hold: anything JSON can carry. Strings are stored as-is. */
export type CacheValue =
  string | number | boolean | null | readonly CacheValue[] | { readonly [key: string]: CacheValue };

/** What a result depends on: a file's content, or a folder's whole subtree (names and contents). */
export type DependencyKind = 'file' | 'folder';

/** A dependency as the caller names it. */
export interface Dependency {
  /** Absolute, or relative to the workspace root. */
  readonly path: string;
  /** Informational; validation compares hashes, and a file and a folder never share one. */
  readonly kind?: DependencyKind;
  /**
   * The hash the result was computed against, as returned by `hashOf` or
   * `capture` *before* the tool ran. Omit it to record the current hash.
   */
  readonly hash?: string;
}

/** A dependency as the cache records it: canonical relative path and hash. */
export interface RecordedDependency {
  readonly path: string;
  /** A symlink passed on the way to a dependency is recorded too. */
  readonly kind: DependencyKind | 'symlink';
  readonly hash: string;
}

/** An entry in the hot tier. Values are shared with callers: treat them as immutable. */
export interface HotEntry {
  readonly value: CacheValue;
  readonly tokens: number;
  readonly deps: readonly RecordedDependency[];
  /** Estimated memory footprint, the hot tier's unit of account. */
  readonly bytes: number;
  /** Epoch milliseconds after which the entry is never served. */
  readonly expiresAt: number;
  /**
   * The tree epoch at which the dependencies last checked out; while the
   * tree's epoch is unchanged they need no checking (-1: never).
   */
  checkedEpoch: number;
  /** Set by the hot tier: when it stops serving the entry (its TTL or `expiresAt`, whichever is first). */
  hotUntil: number;
}

/** Encoding of a value in the cold tier. */
export type ValueEncoding = 'string' | 'json';

/** An entry as the cold tier stores it. */
export interface ColdRecord {
  readonly key: string;
  readonly payload: string;
  readonly encoding: ValueEncoding;
  readonly tokens: number;
  readonly deps: readonly RecordedDependency[];
  readonly bytes: number;
  readonly expiresAt: number;
}

/** Fixed per-entry cost beyond its strings (objects, map slots, index links), measured by the benchmark. */
export const ENTRY_OVERHEAD_BYTES = 300;

/** Estimated bytes of an entry: UTF-16 strings at 2 bytes a character plus fixed overhead. */
export function estimateBytes(
  key: string,
  payload: string,
  deps: readonly RecordedDependency[],
): number {
  let chars = key.length + payload.length;
  for (const dep of deps) chars += dep.path.length + dep.hash.length;
  return chars * 2 + ENTRY_OVERHEAD_BYTES;
}

/** Serialize a value for the cold tier. */
export function encodeValue(value: CacheValue): { payload: string; encoding: ValueEncoding } {
  return typeof value === 'string'
    ? { payload: value, encoding: 'string' }
    : { payload: JSON.stringify(value), encoding: 'json' };
}

/** Inverse of {@link encodeValue}. */
export function decodeValue(payload: string, encoding: ValueEncoding): CacheValue {
  return encoding === 'string' ? payload : (JSON.parse(payload) as CacheValue);
}
