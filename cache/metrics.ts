/**
 * Counters of the cache and the snapshot the UI reads. Counting is plain field
 * increments on the hot path; the change event is coalesced to at most one per
 * {@link METRICS_CHANGE_INTERVAL_MS}.
 */
import { Listeners } from './events.ts';
import { METRICS_CHANGE_INTERVAL_MS } from './limits.ts';
import type { TreeStats } from './merkle/tree.ts';
import type { WatchBackend } from './merkle/watch/watcher.ts';

/** Counters of one tier. */
export interface TierMetrics {
  /** Reads this tier answered with a valid entry. */
  readonly hits: number;
  /** Reads this tier was asked and could not answer. */
  readonly misses: number;
  /** Entries held now (the cold figure counts every process sharing the file). */
  readonly entries: number;
  /** Estimated bytes held now. */
  readonly bytes: number;
  /** Entries removed to stay within the size bound. */
  readonly evictions: number;
  /** Entries removed because a file or folder they depended on changed. */
  readonly invalidations: number;
  /** Entries removed because their time to live ran out. */
  readonly expired: number;
}

/** The most recent invalidation round, for diagnostics. */
export interface InvalidationRound {
  /** Paths whose hash changed in the round. */
  readonly paths: number;
  /** Hot entries removed. */
  readonly entries: number;
  /** Time spent removing them (and queueing the cold removals), in milliseconds. */
  readonly ms: number;
}

/** A snapshot of everything the cache counts. */
export interface CacheMetrics {
  readonly hot: TierMetrics;
  readonly cold: TierMetrics & { readonly enabled: boolean; readonly rebuilds: number };
  /** Reads answered from either tier. */
  readonly hits: number;
  /** Reads answered with nothing. */
  readonly misses: number;
  /** hits / (hits + misses); 0 before the first read. */
  readonly hitRatio: number;
  /** Reads that missed because a dependency was being rehashed right then. */
  readonly pendingMisses: number;
  /** `set` calls refused: a dependency outside the workspace, ignored, or being rehashed. */
  readonly rejectedSets: number;
  /** Sum of the estimated tokens of every entry served. */
  readonly tokensSaved: number;
  readonly lastInvalidation: InvalidationRound | undefined;
  readonly workspace: TreeStats & { readonly watch: WatchBackend };
}

/** Mutable counters of one tier, owned by the cache. */
export class TierCounters {
  hits = 0;
  misses = 0;
  evictions = 0;
  invalidations = 0;
  expired = 0;
}

/** What the recorder needs to complete a snapshot. */
export interface MetricsSources {
  hotSize(): { entries: number; bytes: number };
  cold():
    | {
        entries: number;
        bytes: number;
        evictions: number;
        invalidations: number;
        expired: number;
        rebuilds: number;
      }
    | undefined;
  workspace(): TreeStats & { watch: WatchBackend };
}

export class MetricsRecorder {
  readonly hot = new TierCounters();
  readonly cold = new TierCounters();
  pendingMisses = 0;
  rejectedSets = 0;
  tokensSaved = 0;
  lastInvalidation: InvalidationRound | undefined;
  readonly #sources: MetricsSources;
  readonly #listeners = new Listeners<CacheMetrics>();
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(sources: MetricsSources, intervalMs: number = METRICS_CHANGE_INTERVAL_MS) {
    this.#sources = sources;
    this.#intervalMs = intervalMs;
  }

  /** Something changed: schedule one change event (nothing to do while nobody listens). */
  changed(): void {
    if (this.#timer !== undefined || this.#listeners.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#listeners.emit(this.snapshot());
    }, this.#intervalMs);
    this.#timer.unref();
  }

  onChange(listener: (metrics: CacheMetrics) => void): () => void {
    return this.#listeners.add(listener);
  }

  snapshot(): CacheMetrics {
    const hotSize = this.#sources.hotSize();
    const cold = this.#sources.cold();
    const hits = this.hot.hits + this.cold.hits;
    // A read that missed hot and then cold is one miss of the cache, counted once.
    const misses = this.hot.misses - this.cold.hits;
    return {
      hot: { ...tier(this.hot), ...hotSize },
      cold: {
        hits: this.cold.hits,
        misses: this.cold.misses,
        entries: cold?.entries ?? 0,
        bytes: cold?.bytes ?? 0,
        evictions: cold?.evictions ?? 0,
        invalidations: cold?.invalidations ?? 0,
        expired: cold?.expired ?? 0,
        enabled: cold !== undefined,
        rebuilds: cold?.rebuilds ?? 0,
      },
      hits,
      misses,
      hitRatio: hits + misses === 0 ? 0 : hits / (hits + misses),
      pendingMisses: this.pendingMisses,
      rejectedSets: this.rejectedSets,
      tokensSaved: this.tokensSaved,
      lastInvalidation: this.lastInvalidation,
      workspace: this.#sources.workspace(),
    };
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }
}

function tier(counters: TierCounters): Omit<TierMetrics, 'entries' | 'bytes'> {
  return {
    hits: counters.hits,
    misses: counters.misses,
    evictions: counters.evictions,
    invalidations: counters.invalidations,
    expired: counters.expired,
  };
}
