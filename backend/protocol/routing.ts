/**
 * Model routing, as the user configures it: the providers Troika can talk
 * to, the model aliases agents name instead of a model (`coder`,
 * `reviewer`, …), and each alias's chain of concrete models (the first is
 * used; the next take over on transient failures).
 */
import { z } from 'zod';

/** `openai` is any OpenAI-compatible Chat Completions server (OpenAI, Ollama, llama.cpp, LM Studio, vLLM, LiteLLM). */
export const PROVIDER_IDS = ['anthropic', 'openai'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const MODEL_ALIASES = ['architect', 'coder', 'reviewer', 'fast', 'cheap'] as const;
export type ModelAlias = (typeof MODEL_ALIASES)[number];

/** Longest fallback chain: past this, an outage is an outage and the user should hear of it. */
export const MAX_CHAIN_LENGTH = 5;

export const ModelIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/, 'must be a model id such as claude-sonnet-4-6');

export const ModelTargetSchema = z.strictObject({
  provider: z.enum(PROVIDER_IDS),
  model: ModelIdSchema,
});
export type ModelTarget = z.output<typeof ModelTargetSchema>;

/** Per alias, the models to try in order. An alias left out keeps its default chain. */
export const AliasTableSchema = z.partialRecord(
  z.enum(MODEL_ALIASES),
  z.array(ModelTargetSchema).min(1, 'needs at least one model').max(MAX_CHAIN_LENGTH),
);
export type AliasTable = Record<ModelAlias, ModelTarget[]>;
