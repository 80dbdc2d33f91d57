/**
 * The token cache: results of tool calls kept while, and only while, the
 * files and folders they depend on are unchanged.
 *
 * Every entry records the Merkle hash of each dependency when it was made. A
 * read serves it only if every dependency still has that hash (one map lookup
 * each), so nothing stale is served even before an invalidation arrives. When
 * the workspace tree reports a change, the dependency index drops exactly the
 * entries that recorded another hash for a changed path.
 */
import {
  CHARS_PER_TOKEN,
  COLD_MAX_BYTES,
  COLD_TTL_MS,
  HOT_MAX_BYTES,
  HOT_TTL_MS,
} from './limits.ts';
import { DependencyIndex } from './dependency-index.ts';
import {
  decodeValue,
  encodeValue,
  estimateBytes,
  type CacheValue,
  type Dependency,
  type HotEntry,
  type RecordedDependency,
} from './entry.ts';
import { Listeners } from './events.ts';
import { MISSING_HASH } from './merkle/hash.ts';
import { MerkleTree, type PathInfo, type TreeUpdate } from './merkle/tree.ts';
import type { WatchBackend } from './merkle/watch/watcher.ts';
import { MetricsRecorder, type CacheMetrics } from './metrics.ts';
import { ColdTier } from './store/cold-tier.ts';
import { HotTier, type HotRemoval } from './store/hot-tier.ts';

/** Options of {@link TokenCache.open}. */
export interface TokenCacheOptions {
  /** The workspace folder whose files entries depend on. */
  readonly root: string;
  /** The cold tier's SQLite file. Omit for a hot-only cache that forgets everything on close. */
  readonly coldDbFile?: string;
  /** Hot tier bound in estimated bytes. Default {@link HOT_MAX_BYTES}. */
  readonly hotMaxBytes?: number;
  /** Hot tier time to live. Default {@link HOT_TTL_MS} (4 h). */
  readonly hotTtlMs?: number;
  /** Cold tier bound in bytes. Default {@link COLD_MAX_BYTES}. */
  readonly coldMaxBytes?: number;
  /** Cold tier time to live, and the default lifetime of an entry. Default {@link COLD_TTL_MS} (24 h). */
  readonly coldTtlMs?: number;
  /** File watching backend; `'none'` relies on {@link TokenCache.touched} alone. Default: per platform. */
  readonly watch?: WatchBackend;
  /** Receives warnings (a damaged cold file rebuilt, a watcher limit reached). Default: `process.emitWarning`. */
  readonly onWarning?: (warning: CacheWarning) => void;
  /** Wall clock in epoch ms, injectable for expiry tests. */
  readonly now?: () => number;
}

/** Options of {@link TokenCache.set}. */
export interface SetOptions {
  /** Estimated tokens the value costs to send; default: its length / {@link CHARS_PER_TOKEN}. */
  readonly tokens?: number;
  /** What the value was computed from. An entry with no dependencies lives until it expires. */
  readonly deps?: readonly Dependency[];
  /** Lifetime of this entry; default the cold TTL (the hot tier keeps it at most its own TTL). */
  readonly ttlMs?: number;
}

/** A condition worth telling the user about; the cache keeps working. */
export interface CacheWarning {
  readonly message: string;
  readonly cause?: unknown;
}

/** Events of {@link TokenCache.on}. */
export interface TokenCacheEvents {
  /** Metrics changed (coalesced to a few per second). */
  change: CacheMetrics;
  warning: CacheWarning;
}

const VALID = 0;
const PENDING = 1;
const STALE = 2;
type Validity = typeof VALID | typeof PENDING | typeof STALE;

export class TokenCache {
  readonly #tree: MerkleTree;
  readonly #hot: HotTier;
  readonly #cold: ColdTier | undefined;
  readonly #index = new DependencyIndex();
  readonly #metrics: MetricsRecorder;
  readonly #warnings: Listeners<CacheWarning>;
  readonly #now: () => number;
  readonly #defaultTtlMs: number;
  readonly #stopTreeUpdates: () => void;
  #disposed = false;

  private constructor(
    tree: MerkleTree,
    cold: ColdTier | undefined,
    options: TokenCacheOptions,
    warn: Listeners<CacheWarning>,
  ) {
    this.#tree = tree;
    this.#cold = cold;
    this.#warnings = warn;
    this.#now = options.now ?? Date.now;
    this.#defaultTtlMs = options.coldTtlMs ?? COLD_TTL_MS;
    this.#hot = new HotTier({
      maxBytes: options.hotMaxBytes ?? HOT_MAX_BYTES,
      ttlMs: options.hotTtlMs ?? HOT_TTL_MS,
      onRemove: (key, entry, reason) => this.#onHotRemove(key, entry, reason),
    });
    this.#metrics = new MetricsRecorder({
      hotSize: () => ({ entries: this.#hot.entries, bytes: this.#hot.bytes }),
      cold: () => this.#cold?.stats(),
      workspace: () => ({ ...this.#tree.stats(), watch: this.#tree.watchBackend }),
    });
    this.#stopTreeUpdates = tree.onUpdate((update) => this.#invalidate(update));
  }

  /**
   * Hash the workspace, start watching it, open the cold tier and drop every
   * cold entry whose dependencies changed while the app was closed.
   *
   * @example
   * const cache = await TokenCache.open({ root: '/work/repo', coldDbFile: '/data/cache.db' });
   */
  static async open(options: TokenCacheOptions): Promise<TokenCache> {
    const warnings = new Listeners<CacheWarning>();
    const warn = (message: string, cause?: unknown): void => {
      const warning: CacheWarning = cause === undefined ? { message } : { message, cause };
      if (options.onWarning !== undefined) options.onWarning(warning);
      else if (warnings.size === 0) process.emitWarning(message, { type: 'TokenCacheWarning' });
      warnings.emit(warning);
    };
    const tree = await MerkleTree.open({
      root: options.root,
      ...(options.watch !== undefined && { watch: options.watch }),
      onWarning: warn,
    });
    let cold: ColdTier | undefined;
    try {
      if (options.coldDbFile !== undefined) {
        cold = ColdTier.open({
          file: options.coldDbFile,
          maxBytes: options.coldMaxBytes ?? COLD_MAX_BYTES,
          onWarning: warn,
          ...(options.now !== undefined && { now: options.now }),
        });
        cold.revalidate((path, hash) => {
          if (tree.currentHash(path) !== hash) return false;
          // "Was missing, still missing" holds only if the path is still tracked:
          // a file created inside a newly ignored folder would look missing too.
          return hash !== MISSING_HASH || tree.tracks(path);
        });
      }
    } catch (error) {
      cold?.close();
      await tree.dispose();
      throw error;
    }
    return new TokenCache(tree, cold, options, warnings);
  }

  /**
   * The value stored under `key`, if every file and folder it depends on is
   * unchanged and it has not expired; otherwise `undefined`. A cold hit is
   * promoted to the hot tier. The value is shared, not copied: do not mutate it.
   */
  get(key: string): CacheValue | undefined {
    const metrics = this.#metrics;
    const entry = this.#hot.get(key, this.#now());
    if (entry !== undefined) {
      // Nothing in the tree changed since this entry last checked out: no lookups needed.
      const epoch = this.#tree.epoch;
      const validity =
        epoch >= 0 && entry.checkedEpoch === epoch ? VALID : this.#validity(entry.deps);
      if (validity === VALID) {
        if (epoch >= 0) entry.checkedEpoch = epoch;
        metrics.hot.hits++;
        metrics.tokensSaved += entry.tokens;
        metrics.changed();
        return entry.value;
      }
      metrics.hot.misses++;
      if (validity === STALE) {
        this.#hot.delete(key);
        metrics.hot.invalidations++;
        this.#cold?.invalidateKey(key);
      } else {
        metrics.pendingMisses++;
      }
      // The cold copy is the same entry or an older one: no point asking it.
      metrics.changed();
      return undefined;
    }
    metrics.hot.misses++;
    const value = this.#cold === undefined ? undefined : this.#getCold(this.#cold, key);
    metrics.changed();
    return value;
  }

  /**
   * Store a value. The cache records the current hash of every dependency (or
   * the `hash` given with it), following symlinks inside the workspace and
   * recording each link passed. Returns false, storing nothing, when a
   * dependency cannot be tracked (outside the workspace, ignored, reached
   * through a symlink leaving it) or is being rehashed right now.
   *
   * For a result computed from files others may edit meanwhile, take the
   * hashes *before* running the tool with {@link capture} and pass those:
   * then a result can never be recorded against a newer hash than it saw.
   */
  set(key: string, value: CacheValue, options: SetOptions = {}): boolean {
    if (this.#disposed) return false;
    const deps = this.#record(options.deps ?? []);
    if (deps === undefined) {
      this.#metrics.rejectedSets++;
      this.#metrics.changed();
      return false;
    }
    const { payload, encoding } = encodeValue(value);
    const tokens = options.tokens ?? Math.ceil(payload.length / CHARS_PER_TOKEN);
    const bytes = estimateBytes(key, payload, deps);
    const expiresAt = this.#now() + (options.ttlMs ?? this.#defaultTtlMs);
    const entry: HotEntry = {
      value,
      tokens,
      deps,
      bytes,
      expiresAt,
      checkedEpoch: -1,
      hotUntil: 0,
    };
    if (this.#hot.set(key, entry, this.#now()))
      this.#index.add(
        key,
        deps.map((dep) => dep.path),
      );
    this.#cold?.put({ key, payload, encoding, tokens, deps, bytes, expiresAt });
    this.#metrics.changed();
    return true;
  }

  /** Remove one entry from both tiers. */
  delete(key: string): void {
    this.#hot.delete(key);
    this.#cold?.delete(key);
    this.#metrics.changed();
  }

  /** Remove every entry from both tiers (the cold file is emptied, not deleted). */
  clear(): void {
    this.#hot.clear();
    this.#cold?.invalidateUnder('');
    this.#metrics.changed();
  }

  /**
   * The dependencies with their current hashes filled in, to pass to
   * {@link set} once the tool has run. `undefined` if one cannot be tracked
   * now (see {@link set}).
   */
  capture(deps: readonly Dependency[]): Dependency[] | undefined {
    const captured: Dependency[] = [];
    for (const dep of deps) {
      const resolved = this.#tree.resolve(dep.path);
      const final = resolved?.[resolved.length - 1];
      if (final === undefined) return undefined;
      captured.push({ path: dep.path, kind: dep.kind ?? 'file', hash: dep.hash ?? final.hash });
    }
    return captured;
  }

  /**
   * The current Merkle hash of a file or folder (absolute or workspace-relative
   * path), or `undefined` when it does not exist, is ignored, is outside the
   * workspace, or is being rehashed. Equal hashes mean equal content: a
   * re-read of an unchanged file can be answered with a short reference.
   */
  hashOf(path: string): string | undefined {
    return this.#tree.hashOf(path);
  }

  /** Kind, hash and (for files) size and binary-ness of a path; `undefined` as for {@link hashOf}. */
  info(path: string): PathInfo | undefined {
    return this.#tree.info(path);
  }

  /**
   * Report paths the runtime itself wrote, renamed or deleted (files or
   * folders). Entries depending on them stop being served at once; the promise
   * resolves when they are rehashed and invalidation is done.
   */
  touched(paths: Iterable<string>): Promise<void> {
    return this.#tree.touched(paths);
  }

  /** Resolves once every change reported so far (watcher or touched) is processed. */
  settled(): Promise<void> {
    return this.#tree.settled();
  }

  /** Write queued cold-tier changes now (they are otherwise batched every 100 ms, and on dispose). */
  flush(): void {
    this.#cold?.flush();
  }

  /** A snapshot of the counters. */
  metrics(): CacheMetrics {
    return this.#metrics.snapshot();
  }

  /**
   * Listen to `'change'` (metrics, coalesced) or `'warning'`. Returns the
   * function that stops listening.
   */
  on<E extends keyof TokenCacheEvents>(
    event: E,
    listener: (payload: TokenCacheEvents[E]) => void,
  ): () => void {
    if (event === 'change')
      return this.#metrics.onChange(listener as (payload: CacheMetrics) => void);
    return this.#warnings.add(listener as (payload: CacheWarning) => void);
  }

  /** Stop watching, write the cold tier out and close it, release timers. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stopTreeUpdates();
    await this.#tree.dispose();
    this.#cold?.close();
    this.#index.clear();
    this.#hot.clear();
    this.#metrics.dispose();
    this.#warnings.clear();
  }

  // ----- internals -------------------------------------------------------------------------------

  #getCold(cold: ColdTier, key: string): CacheValue | undefined {
    const metrics = this.#metrics;
    const record = cold.get(key);
    if (record === undefined) {
      metrics.cold.misses++;
      return undefined;
    }
    const validity = this.#validity(record.deps);
    if (validity !== VALID) {
      metrics.cold.misses++;
      if (validity === STALE) cold.invalidateKey(key);
      else metrics.pendingMisses++;
      return undefined;
    }
    let value: CacheValue;
    try {
      value = decodeValue(record.payload, record.encoding);
    } catch (error) {
      this.#warnings.emit({ message: `dropping an unreadable cold entry (${key})`, cause: error });
      cold.delete(key);
      metrics.cold.misses++;
      return undefined;
    }
    const entry: HotEntry = {
      value,
      tokens: record.tokens,
      deps: record.deps,
      bytes: record.bytes,
      expiresAt: record.expiresAt,
      checkedEpoch: -1,
      hotUntil: 0,
    };
    if (this.#hot.set(key, entry, this.#now()))
      this.#index.add(
        key,
        entry.deps.map((dep) => dep.path),
      );
    cold.touch(key);
    metrics.cold.hits++;
    metrics.tokensSaved += record.tokens;
    return value;
  }

  #validity(deps: readonly RecordedDependency[]): Validity {
    let validity: Validity = VALID;
    for (const dep of deps) {
      const hash = this.#tree.currentHash(dep.path);
      if (hash === undefined) validity = PENDING;
      else if (hash !== dep.hash) return STALE;
    }
    return validity;
  }

  /** Canonical recorded dependencies, or `undefined` if one cannot be tracked. */
  #record(deps: readonly Dependency[]): RecordedDependency[] | undefined {
    const recorded: RecordedDependency[] = [];
    const seen = new Set<string>();
    for (const dep of deps) {
      const resolved = this.#tree.resolve(dep.path);
      if (resolved === undefined) return undefined;
      const last = resolved.length - 1;
      for (let index = 0; index <= last; index++) {
        const step = resolved[index]!;
        if (seen.has(step.path)) continue;
        seen.add(step.path);
        const isTarget = index === last;
        recorded.push({
          path: step.path,
          kind: isTarget ? (dep.kind ?? 'file') : 'symlink',
          hash: isTarget && dep.hash !== undefined ? dep.hash : step.hash,
        });
      }
    }
    return recorded;
  }

  #onHotRemove(key: string, entry: HotEntry, reason: HotRemoval): void {
    this.#index.remove(
      key,
      entry.deps.map((dep) => dep.path),
    );
    if (this.#disposed) return;
    if (reason === 'evict') {
      this.#metrics.hot.evictions++;
      // It earned its hot place recently: keep the cold copy young for LRU.
      this.#cold?.touch(key);
    } else if (reason === 'expire') {
      this.#metrics.hot.expired++;
    }
  }

  /** Drop the hot entries a tree update made stale, and queue the same for the cold tier. */
  #invalidate(update: TreeUpdate): void {
    const started = performance.now();
    let removed = 0;
    for (const change of update.changes) {
      const keys = this.#index.keysOf(change.path);
      if (keys === undefined) continue;
      for (const key of [...keys]) {
        const entry = this.#hot.peek(key);
        if (entry === undefined) continue;
        // An entry recorded against the new hash (set after the change) stays.
        if (entry.deps.some((dep) => dep.path === change.path && dep.hash !== change.hash)) {
          this.#hot.delete(key);
          removed++;
        }
      }
    }
    for (const folder of update.rulesChanged) {
      for (const key of this.#index.keysUnder(folder)) if (this.#hot.delete(key)) removed++;
    }
    this.#cold?.invalidate(update.changes);
    for (const folder of update.rulesChanged) this.#cold?.invalidateUnder(folder);
    this.#metrics.hot.invalidations += removed;
    this.#metrics.lastInvalidation = {
      paths: update.changes.length,
      entries: removed,
      ms: performance.now() - started,
    };
    this.#metrics.changed();
  }
}
