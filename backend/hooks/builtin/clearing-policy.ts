/**
 * When clearing tool results lowers the bill, as prompt caching bills it.
 *
 * A result left in the history costs a cache read (0.1x the input price) on
 * every later request. Clearing it stops that, but changes the prompt from
 * its position on, so this request writes that whole suffix to the cache
 * again (1.25x instead of 0.1x). And a cleared result the model needs again
 * is read again: written once more and read for the rest of the session.
 * So a batch is cleared only when
 *
 *   saved reads over the expected rest of the session
 *     - the expected cost of re-reads
 *     - {@link REWRITE_HEDGE} x the rewrite of the suffix after the cache entry it reads up to  >  0,
 *
 * and the batch is the one with the best margin: every result after its
 * earliest one that is worth clearing on its own goes with it (the suffix is
 * rewritten anyway), so clearings come rarely and in large steps.
 *
 * The rest of the session is unknown; a session that has run n requests is
 * expected to run about n more (the median of a memoryless length, and the
 * shape of agent sessions, which end at any point). The chance that a cleared
 * result is needed again is learned per agent: (re-reads of cleared results + 1)
 * / (results cleared + 2), starting at one half; a result superseded by a
 * newer full copy of the same read is never needed again.
 */
export const CACHE_WRITE = 1.25;
export const CACHE_READ = 0.1;
/**
 * A clearing must save its rewrite this many times over. Clearing now gives
 * up the option of one larger clearing later (each clearing pays a rewrite),
 * so a margin just above one rewrite clears too often, in small steps. The
 * value is the best of 1 to 4 in the token benchmark's exploration session
 * (all on, billed 290k, 291k, 280k, 289k base-price tokens, with the clearing
 * request reading the prefix up to its anchor): tuned on the benchmark, and
 * the differences are small (4%).
 */
export const REWRITE_HEDGE = 3;

/** A result that may be cleared, with its place in the prompt. */
export interface Candidate {
  readonly id: string;
  /** Tokens of the prompt before this result. */
  readonly start: number;
  /** Tokens no longer sent if it is cleared (its size minus the placeholder's). */
  readonly freed: number;
  /** A newer full copy of the same read follows it. */
  readonly superseded: boolean;
}

export interface PolicyInput {
  readonly candidates: readonly Candidate[];
  /** Tokens of the whole prompt. */
  readonly promptTokens: number;
  /** Requests this agent has made so far, this one included. */
  readonly requests: number;
  /** Probability that a cleared result is read again. */
  readonly rereadChance: number;
  /**
   * Tokens of the prompt a clearing from `start` still reads from the cache:
   * the end of the latest cache entry before `start` that is still valid
   * (see the anchors of `tool-result-clearing.ts`). Default: `start` itself.
   */
  readonly readTo?: (start: number) => number;
}

export interface PolicyDecision {
  readonly ids: readonly string[];
  readonly freed: number;
  /** Expected saving in base-price input tokens (positive when clearing pays). */
  readonly margin: number;
}

/** The batch worth clearing now, or undefined when none lowers the expected bill. */
export function cacheAwareBatch(input: PolicyInput): PolicyDecision | undefined {
  const remaining = Math.max(1, input.requests);
  const value = (c: Candidate) => {
    const chance = c.superseded ? 0 : input.rereadChance;
    // A re-read writes the result again and is read for about half the rest of the session.
    const reread = chance * c.freed * (CACHE_WRITE + (CACHE_READ * remaining) / 2);
    return c.freed * CACHE_READ * remaining - reread;
  };
  const sorted = [...input.candidates].sort((a, b) => a.start - b.start);
  let best: PolicyDecision | undefined;
  for (const [index, first] of sorted.entries()) {
    if (value(first) <= 0) continue;
    const batch = sorted.slice(index).filter((c) => c === first || value(c) > 0);
    const freed = batch.reduce((sum, c) => sum + c.freed, 0);
    const readTo = input.readTo?.(first.start) ?? first.start;
    const rewrite = (CACHE_WRITE - CACHE_READ) * Math.max(0, input.promptTokens - readTo - freed);
    const margin = batch.reduce((sum, c) => sum + value(c), 0) - REWRITE_HEDGE * rewrite;
    if (margin > 0 && (best === undefined || margin > best.margin))
      best = { ids: batch.map((c) => c.id), freed, margin };
  }
  return best;
}

/** The learned chance that a cleared result is needed again (Laplace's rule of succession). */
export function rereadChance(rereads: number, cleared: number): number {
  return (rereads + 1) / (cleared + 2);
}
