/**
 * The hot tier: an in-memory LRU bounded by estimated bytes, with a TTL.
 * A thin layer over `lru-cache` that reports every removal and its reason, so
 * the dependency index and metrics stay exact.
 *
 * Expiry is checked here against a deadline stored on the entry rather than
 * with lru-cache's own TTL bookkeeping: measured, that bookkeeping costs about
 * a third of a read, and the entry carries its expiry anyway.
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

/**
 * Passed to every read: lru-cache otherwise allocates a fresh options object
 * per `get` (it writes `status` into it, which stays undefined here).
 */
const READ_OPTIONS: LRUCache.GetOptions<string, HotEntry, unknown> = {};

export class HotTier {
  readonly #lru: LRUCache<string, HotEntry>;
  readonly #ttlMs: number;
  readonly #maxEntryBytes: number;
  /** Set while an expired entry is deleted, so its removal is reported as `expire`. */
  #expiring = false;

  constructor(options: HotTierOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntryBytes = Math.max(1, Math.floor(options.maxBytes / HOT_MAX_ENTRY_FRACTION));
    this.#lru = new LRUCache<string, HotEntry>({
      maxSize: options.maxBytes,
      maxEntrySize: this.#maxEntryBytes,
      sizeCalculation: (entry) => entry.bytes,
      // Expired entries are dropped when read, or evicted as least recently used.
      dispose: (entry, key, reason) => {
        options.onRemove(
          key,
          entry,
          this.#expiring ? 'expire' : reason === 'fetch' ? 'delete' : reason,
        );
      },
    });
  }

  /** The entry, if present and not expired (an expired one is removed, reason `expire`). */
  get(key: string, now: number = Date.now()): HotEntry | undefined {
    const entry = this.#lru.get(key, READ_OPTIONS);
    if (entry === undefined || entry.hotUntil > now) return entry;
    this.#expiring = true;
    this.#lru.delete(key);
    this.#expiring = false;
    return undefined;
  }

  /**
   * Store an entry, living until the hot TTL or its own `expiresAt`, whichever
   * is first. Returns false (and stores nothing) when the entry alone exceeds
   * the per-entry bound or has already expired.
   */
  set(key: string, entry: HotEntry, now: number = Date.now()): boolean {
    const hotUntil = Math.min(now + this.#ttlMs, entry.expiresAt);
    if (entry.bytes > this.#maxEntryBytes || hotUntil <= now) {
      this.#lru.delete(key);
      return false;
    }
    entry.hotUntil = hotUntil;
    this.#lru.set(key, entry);
    return true;
  }

  delete(key: string): boolean {
    return this.#lru.delete(key);
  }

  /** The entry without touching recency or expiry (for invalidation checks). */
  peek(key: string): HotEntry | undefined {
    return this.#lru.peek(key);
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
