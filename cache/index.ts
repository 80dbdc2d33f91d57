/**
 * The token cache library: tool results kept while, and only while, the
 * workspace files they depend on are unchanged. Knows nothing of agents or UI.
 *
 * @example
 * const cache = await TokenCache.open({ root, coldDbFile });
 * const key = cacheKey('read_file', { path: 'src/a.ts' });
 * const cached = cache.get(key);
 * if (cached === undefined) {
 *   const deps = cache.capture([{ path: 'src/a.ts', kind: 'file' }]);
 *   const output = await runTool();
 *   if (deps) cache.set(key, output, { tokens: 1200, deps });
 * }
 * await cache.touched(['src/a.ts']); // after the runtime writes the file
 * await cache.dispose();
 */
export { TokenCache } from './token-cache.ts';
export type {
  TokenCacheOptions,
  SetOptions,
  CacheWarning,
  TokenCacheEvents,
} from './token-cache.ts';
export { cacheKey, stableStringify } from './key.ts';
export type { CacheValue, Dependency, DependencyKind, RecordedDependency } from './entry.ts';
export type { CacheMetrics, TierMetrics, InvalidationRound } from './metrics.ts';
export { MerkleTree } from './merkle/tree.ts';
export type {
  MerkleTreeOptions,
  PathInfo,
  PathHash,
  TreeChange,
  TreeUpdate,
  TreeStats,
} from './merkle/tree.ts';
export type { WatchBackend } from './merkle/watch/watcher.ts';
export { MISSING_HASH, HASH_ALGORITHM } from './merkle/hash.ts';
export { COLD_MAX_BYTES, COLD_TTL_MS, HOT_MAX_BYTES, HOT_TTL_MS } from './limits.ts';
