/**
 * Prompt caching, emulated from the prompt caching docs closely enough that
 * usage numbers behave like the real API's for the patterns agents use:
 *
 * - The cache key of a position is the exact prefix up to and including that
 *   block, in the order tools → system → messages (plus the model), without the
 *   `cache_control` markers themselves: a marker that moves on to the newest
 *   turn still hits what the previous turn wrote.
 * - Writes happen only at breakpoints, and only for prefixes of at least the
 *   minimum cacheable length; shorter ones are processed uncached, no error.
 * - On a read, each breakpoint checks its own position and the blocks before
 *   it, 20 positions in all, and the longest prefix found wins.
 * - An entry lives 5 minutes (or 1 hour with `ttl: '1h'`) from the start of
 *   the request that wrote or last read it, and exists only once a response
 *   has begun (so parallel requests do not see each other's writes).
 * - Usage: `cache_read_input_tokens` = the prefix read (position A);
 *   1-hour writes cover A → the last 1-hour breakpoint (B), 5-minute writes
 *   B → the last breakpoint (C); `cache_creation_input_tokens` = C − A; and
 *   `input_tokens` = everything after C, i.e. the total minus both cache fields.
 */
import { createHash } from 'node:crypto';
import type { PromptBlock } from './prompt-blocks.ts';
import { promptTokens } from './prompt-blocks.ts';

/** The documented minimum for most Sonnet and Opus models; Haiku and some Opus need more. */
export const DEFAULT_CACHE_MIN_TOKENS = 1024;

/** Positions one breakpoint checks on a read, itself included ("about 20 blocks"). */
export const CACHE_LOOKBACK_BLOCKS = 20;

/** Entry lifetimes for the two documented TTLs. */
export const CACHE_TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

export interface CacheAccounting {
  /** The whole prompt's estimate: the sum of the three input fields. */
  readonly totalInputTokens: number;
  /** Tokens neither read from nor written to the cache (`usage.input_tokens`). */
  readonly inputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
  readonly ephemeral5mInputTokens: number;
  readonly ephemeral1hInputTokens: number;
}

/** Accounting for one request; `commit()` when its response begins. */
export interface PendingCacheAccounting extends CacheAccounting {
  commit(): void;
}

export interface PromptCacheOptions {
  readonly minTokens?: number;
  /** Clock in milliseconds; tests move it to expire entries. */
  readonly now?: () => number;
}

interface CacheEntry {
  expiresAt: number;
  readonly ttlMs: number;
}

export class PromptCacheEmulator {
  readonly minTokens: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, CacheEntry>();

  constructor(options: PromptCacheOptions = {}) {
    this.minTokens = options.minTokens ?? DEFAULT_CACHE_MIN_TOKENS;
    this.#now = options.now ?? Date.now;
  }

  /** Live entries, for tests. */
  get size(): number {
    this.#prune(this.#now());
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  account(model: string, blocks: readonly PromptBlock[]): PendingCacheAccounting {
    const now = this.#now();
    this.#prune(now);
    const total = promptTokens(blocks);
    const hashes = chainHashes(model, blocks);
    const positions = cumulativeTokens(blocks);
    const breakpoints: number[] = [];
    blocks.forEach((block, index) => {
      if (block.cacheControl) breakpoints.push(index);
    });

    const hit = this.#longestHit(breakpoints, hashes);
    const read = hit < 0 ? 0 : at(positions, hit);
    const writes = breakpoints.filter(
      (index) => index > hit && at(positions, index) >= this.minTokens,
    );
    const lastWrite = writes.at(-1);
    const lastOneHourWrite = writes.filter((index) => ttlOf(blocks, index) === '1h').at(-1);
    const end = lastWrite === undefined ? read : at(positions, lastWrite);
    const oneHourEnd = lastOneHourWrite === undefined ? read : at(positions, lastOneHourWrite);

    return {
      totalInputTokens: total,
      inputTokens: total - end,
      cacheReadInputTokens: read,
      cacheCreationInputTokens: end - read,
      ephemeral1hInputTokens: oneHourEnd - read,
      ephemeral5mInputTokens: end - oneHourEnd,
      commit: () => {
        // Reading refreshes: the hit and every marked prefix inside it live on from this request.
        for (const index of breakpoints) {
          if (index > hit) continue;
          const entry = this.#entries.get(at(hashes, index));
          if (entry) entry.expiresAt = now + entry.ttlMs;
        }
        if (hit >= 0) {
          const entry = this.#entries.get(at(hashes, hit));
          if (entry) entry.expiresAt = now + entry.ttlMs;
        }
        for (const index of writes) {
          const ttlMs = CACHE_TTL_MS[ttlOf(blocks, index)];
          this.#entries.set(at(hashes, index), { expiresAt: now + ttlMs, ttlMs });
        }
      },
    };
  }

  #longestHit(breakpoints: readonly number[], hashes: readonly string[]): number {
    let best = -1;
    for (const breakpoint of breakpoints) {
      const lowest = Math.max(0, breakpoint - CACHE_LOOKBACK_BLOCKS + 1);
      for (let index = breakpoint; index >= lowest && index > best; index--) {
        if (this.#entries.has(at(hashes, index))) {
          best = index;
          break;
        }
      }
    }
    return best;
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

function ttlOf(blocks: readonly PromptBlock[], index: number): '5m' | '1h' {
  return blocks[index]?.cacheControl?.ttl ?? '5m';
}

function at<T>(values: readonly T[], index: number): T {
  const value = values[index];
  if (value === undefined) throw new RangeError(`no position ${index}`);
  return value;
}

/** hash(i) = sha256(hash(i − 1) + key(i)), seeded with the model: caches are per model. */
function chainHashes(model: string, blocks: readonly PromptBlock[]): string[] {
  let previous = createHash('sha256').update(`model|${model}`).digest('hex');
  return blocks.map((block) => {
    previous = createHash('sha256').update(previous).update('\n').update(block.key).digest('hex');
    return previous;
  });
}

function cumulativeTokens(blocks: readonly PromptBlock[]): number[] {
  let sum = 0;
  return blocks.map((block) => (sum += block.tokens));
}
