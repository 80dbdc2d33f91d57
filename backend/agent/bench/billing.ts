/**
 * What a benchmark run is billed, as Anthropic bills it: per request, the
 * uncached input at the base price, 5-minute cache writes at 1.25 times it,
 * cache reads at 0.1 times it, and the output (prompt caching docs,
 * "Pricing"). The figures come from each response's `usage`, which the
 * messages server fills from its prompt-cache emulation (with the model's
 * minimum cacheable prefix, `cacheMinTokens` in provider/models.ts).
 */
import type { RecordedRequest } from '../../testing/messages-server/index.ts';
import { costUsd } from '../../provider/models.ts';

export const CACHE_WRITE_MULTIPLIER = 1.25;
export const CACHE_READ_MULTIPLIER = 0.1;

export interface Bill {
  requests: number;
  uncachedInputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  /** Input tokens at the base price that cost what the prompts were billed: the goal's figure. */
  inputEquivalent: number;
  /** Everything, output included, in USD at the model's published prices. */
  usd: number;
}

export function bill(model: string, requests: readonly RecordedRequest[]): Bill {
  const total: Bill = {
    requests: 0,
    uncachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    outputTokens: 0,
    inputEquivalent: 0,
    usd: 0,
  };
  for (const request of requests) {
    const usage = request.usage;
    if (request.path !== '/v1/messages' || usage === undefined) continue;
    total.requests++;
    total.uncachedInputTokens += usage.input_tokens;
    total.cacheWriteTokens += usage.cache_creation_input_tokens;
    total.cacheReadTokens += usage.cache_read_input_tokens;
    total.outputTokens += usage.output_tokens;
    total.usd += costUsd(model, {
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheCreationInputTokens: usage.cache_creation_input_tokens,
      cacheReadInputTokens: usage.cache_read_input_tokens,
    });
  }
  total.inputEquivalent =
    total.uncachedInputTokens +
    CACHE_WRITE_MULTIPLIER * total.cacheWriteTokens +
    CACHE_READ_MULTIPLIER * total.cacheReadTokens;
  return total;
}
