/**
 * Which model an agent uses by default, and what each model costs. The ids
 * come from the SDK's own `Model` union (deprecated ones are priced, for old
 * runs, but never the default); prices are Anthropic's published rates in USD
 * per million tokens, kept beside the ids so both change together.
 */
import type { Model } from '@anthropic-ai/sdk/resources/messages';

/** The current Sonnet: the best balance of speed, capability and price for coding agents. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5' satisfies Model;

export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** 5-minute cache write (the TTL Troika uses). */
  cacheWrite5mPerMTok: number;
  cacheWrite1hPerMTok: number;
  cacheReadPerMTok: number;
  /** Some models bill a whole request at a higher rate once its prompt exceeds a size. */
  longPrompt?: { aboveTokens: number; multiplier: number };
}

function price(
  input: number,
  output: number,
  write5m: number,
  write1h: number,
  read: number,
): ModelPrice {
  return {
    inputPerMTok: input,
    outputPerMTok: output,
    cacheWrite5mPerMTok: write5m,
    cacheWrite1hPerMTok: write1h,
    cacheReadPerMTok: read,
  };
}

const FABLE_5_1 = price(10, 50, 12.5, 20, 0.25);
const FABLE_5 = price(10, 50, 12.5, 20, 1);
const OPUS_5_5 = price(4, 20, 5, 8, 0.2);
const OPUS_4_5_TO_5 = price(5, 25, 6.25, 10, 0.5);
const SONNET_5 = price(2, 10, 2.5, 4, 0.2);
const SONNET_4 = price(3, 15, 3.75, 6, 0.3);
/** Haiku 5.5 bills prompts over 100,000 tokens at five times the base rates. */
const HAIKU_5_5: ModelPrice = {
  ...price(0.1, 0.5, 0.125, 0.2, 0.01),
  longPrompt: { aboveTokens: 100_000, multiplier: 5 },
};
const HAIKU_4_5 = price(1, 5, 1.25, 2, 0.1);

/** Every model id of the SDK's union that has a published price. */
export const MODEL_PRICES: Readonly<Partial<Record<Model, ModelPrice>>> = {
  'claude-fable-5-2': FABLE_5_1,
  'claude-mythos-5-2': FABLE_5_1,
  'claude-fable-5-1': FABLE_5_1,
  'claude-mythos-5-1': FABLE_5_1,
  'claude-fable-5': FABLE_5,
  'claude-mythos-5': FABLE_5,
  'claude-opus-5-5': OPUS_5_5,
  'claude-opus-5': OPUS_4_5_TO_5,
  'claude-opus-4-8': OPUS_4_5_TO_5,
  'claude-opus-4-7': OPUS_4_5_TO_5,
  'claude-opus-4-6': OPUS_4_5_TO_5,
  'claude-opus-4-5': OPUS_4_5_TO_5,
  'claude-opus-4-5-20251101': OPUS_4_5_TO_5,
  'claude-sonnet-5-5': SONNET_5,
  'claude-sonnet-5': SONNET_5,
  'claude-sonnet-4-6': SONNET_4,
  'claude-sonnet-4-5': SONNET_4,
  'claude-sonnet-4-5-20250929': SONNET_4,
  'claude-haiku-5-5': HAIKU_5_5,
  'claude-haiku-4-5': HAIKU_4_5,
  'claude-haiku-4-5-20251001': HAIKU_4_5,
};

/** OpenAI's cached input is its only cache rate (no writes are billed); written as a price with no cache writes. */
function openaiPrice(input: number, cachedInput: number, output: number): ModelPrice {
  return price(input, output, input, input, cachedInput);
}

/**
 * OpenAI's published rates (USD per million tokens) for the models an
 * OpenAI-compatible provider most often names, keyed as usage records them
 * (`openai:` + the model id). A local server's models have no entry: they are
 * charged as unknown (see {@link FALLBACK_PRICE}) until a price is set.
 */
export const OPENAI_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': openaiPrice(1.25, 0.125, 10),
  'gpt-5-mini': openaiPrice(0.25, 0.025, 2),
  'gpt-5-nano': openaiPrice(0.05, 0.005, 0.4),
  'gpt-4.1': openaiPrice(2, 0.5, 8),
  'gpt-4.1-mini': openaiPrice(0.4, 0.1, 1.6),
  'gpt-4.1-nano': openaiPrice(0.1, 0.025, 0.4),
  'gpt-4o': openaiPrice(2.5, 1.25, 10),
  'gpt-4o-mini': openaiPrice(0.15, 0.075, 0.6),
  o3: openaiPrice(2, 0.5, 8),
  'o4-mini': openaiPrice(1.1, 0.275, 4.4),
};

/**
 * For a model without a price on file (a new id, a proxy's alias) budgets must
 * still hold, so it is charged at the most expensive known rates and the cost
 * is reported as an estimate.
 */
export const FALLBACK_PRICE: ModelPrice = FABLE_5;

export interface PriceLookup {
  price: ModelPrice;
  /** False when {@link FALLBACK_PRICE} was used. */
  known: boolean;
}

function openaiPriceOf(model: string): PriceLookup {
  // A dated snapshot: gpt-4.1-2025-04-14.
  const found =
    OPENAI_MODEL_PRICES[model] ?? OPENAI_MODEL_PRICES[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
  return found ? { price: found, known: true } : { price: FALLBACK_PRICE, known: false };
}

/** The price of `model` as usage records it: an Anthropic id, or `openai:` and the OpenAI-compatible provider's id. */
export function priceOf(model: string): PriceLookup {
  if (model.startsWith('openai:')) return openaiPriceOf(model.slice('openai:'.length));
  const exact = (MODEL_PRICES as Record<string, ModelPrice | undefined>)[model];
  if (exact) return { price: exact, known: true };
  // A dated snapshot of a known alias: claude-foo-1-2-20260101.
  const undated = (MODEL_PRICES as Record<string, ModelPrice | undefined>)[
    model.replace(/-\d{8}$/, '')
  ];
  if (undated) return { price: undated, known: true };
  return { price: FALLBACK_PRICE, known: false };
}

/** Token counts of one response, as the API reports them. */
export interface UsageCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** Of the cache writes, how many were 1-hour ones (billed higher); 0 when unknown. */
  cacheCreation1hInputTokens?: number;
}

const PER_MILLION = 1_000_000;

/** The USD cost of one response's usage on `model`. */
export function costUsd(model: string, usage: UsageCounts): number {
  const { price: p } = priceOf(model);
  const promptTokens =
    usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  const multiplier =
    p.longPrompt && promptTokens > p.longPrompt.aboveTokens ? p.longPrompt.multiplier : 1;
  const write1h = Math.min(usage.cacheCreation1hInputTokens ?? 0, usage.cacheCreationInputTokens);
  const write5m = usage.cacheCreationInputTokens - write1h;
  const dollars =
    usage.inputTokens * p.inputPerMTok +
    usage.outputTokens * p.outputPerMTok +
    write5m * p.cacheWrite5mPerMTok +
    write1h * p.cacheWrite1hPerMTok +
    usage.cacheReadInputTokens * p.cacheReadPerMTok;
  return (dollars * multiplier) / PER_MILLION;
}

/**
 * The shortest prefix each model caches, in tokens: a breakpoint on a shorter
 * prefix is processed uncached, without an error. Documented values (prompt
 * caching docs, "Cache limitations"): 4,096 for Opus 4.5 and 4.6 and Haiku
 * 4.5, 2,048 for Sonnet 4.6, 1,024 for Sonnet 4.5 and earlier Sonnet and Opus
 * models. Models without a documented value take their family's newest
 * documented one (Opus 4,096, Sonnet 2,048, Haiku 4,096), others the largest.
 */
const CACHE_MIN_TOKENS: Readonly<Record<string, number>> = {
  'claude-opus-4-6': 4096,
  'claude-opus-4-5': 4096,
  'claude-haiku-4-5': 4096,
  'claude-sonnet-4-6': 2048,
  'claude-sonnet-4-5': 1024,
  'claude-opus-4-1': 1024,
  'claude-opus-4': 1024,
  'claude-sonnet-4': 1024,
};
const FAMILY_CACHE_MIN_TOKENS: ReadonlyArray<readonly [string, number]> = [
  ['opus', 4096],
  ['sonnet', 2048],
  ['haiku', 4096],
];
const LARGEST_CACHE_MIN_TOKENS = 4096;

/** The minimum cacheable prefix of `model`, in tokens. */
export function cacheMinTokens(model: string): number {
  const undated = model.replace(/-\d{8}$/, '');
  const exact = CACHE_MIN_TOKENS[undated];
  if (exact !== undefined) return exact;
  const family = FAMILY_CACHE_MIN_TOKENS.find(([name]) => undated.includes(name));
  return family?.[1] ?? LARGEST_CACHE_MIN_TOKENS;
}
