/**
 * The hot tier: an in-memory LRU bounded by estimated bytes, with a TTL.
 * A thin layer over `lru-cache` that reports every removal and its reason, so
 * the dependency index and metrics stay exact.
 */
import { LRUCache } from 'lru-cache';
import type { HotEntry } from '../entry.ts';
import { HOT_MAX_ENTRY_FRACTION } from '../limits.ts';

/** Why an entry left the hot tier. */
export type HotRemoval = 'evict' | 'expire' | 'delete' | 'set';

export interface HotTierOptions {
  readonly maxBytes: number;
  readonly ttlMs: number;
  /** Called synchronously for every entry that leaves, including on overwrite. */
  readonly onRemove: (key: string, entry: HotEntry, reason: HotRemoval) => void;
}

export class HotTier {
  readonly #lru: LRUCache<string, HotEntry>;
  readonly #ttlMs: number;
  readonly #maxEntryBytes: number;

  constructor(options: HotTierOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntryBytes = Math.max(1, Math.floor(options.maxBytes / HOT_MAX_ENTRY_FRACTION));
    this.#lru = new LRUCache<string, HotEntry>({
      maxSize: options.maxBytes,
      maxEntrySize: this.#maxEntryBytes,
      sizeCalculation: (entry) => entry.bytes,
      ttl: options.ttlMs,
      // Expired entries are dropped when touched; a timer per entry would cost more than it saves.
      ttlAutopurge: false,
      allowStale: false,
      updateAgeOnGet: false,
      dispose: (entry, key, reason) => {
        options.onRemove(key, entry, reason === 'fetch' ? 'delete' : reason);
      },
    });
  }

  /** The entry, if present and not expired (an expired one is removed, reason `expire`). */
  get(key: string): HotEntry | undefined {
    return this.#lru.get(key);
  }

  /** Present and not expired, without refreshing its recency. */
  has(key: string): boolean {
    return this.#lru.has(key);
  }

  /**
   * Store an entry, living until the hot TTL or its own `expiresAt`, whichever
   * is first. Returns false (and stores nothing) when the entry alone exceeds
   * the per-entry bound or has already expired.
   */
  set(key: string, entry: HotEntry, now: number = Date.now()): boolean {
    const ttl = Math.min(this.#ttlMs, entry.expiresAt - now);
    if (entry.bytes > this.#maxEntryBytes || ttl <= 0) {
      this.#lru.delete(key);
      return false;
    }
    this.#lru.set(key, entry, { ttl });
    return true;
  }

  delete(key: string): boolean {
    return this.#lru.delete(key);
  }

  /** The entry without touching recency or expiry (for invalidation checks). */
  peek(key: string): HotEntry | undefined {
    return this.#lru.peek(key, { allowStale: true });
  }

  clear(): void {
    this.#lru.clear();
  }

  get entries(): number {
    return this.#lru.size;
  }

  get bytes(): number {
    return this.#lru.calculatedSize;
  }
}
