/**
 * How many tokens each model's context window holds, beside the price table
 * (models.ts) so a new model gets both. Every Claude model Troika prices has
 * the standard 200,000-token window; larger windows need a beta header Troika
 * does not send, so they do not apply. The Models API reports the same
 * figure as `max_input_tokens`.
 */
import { MODEL_PRICES } from './models.ts';

/** The standard Claude context window; also assumed for a model not on file (a proxy's alias). */
export const DEFAULT_CONTEXT_WINDOW = 200_000;

/** Models whose window differs from {@link DEFAULT_CONTEXT_WINDOW}; none of the priced ones today. */
export const MODEL_CONTEXT_WINDOWS: Readonly<Record<string, number>> = {};

/** The context window of `model` in tokens. */
export function contextWindowOf(model: string): number {
  const undated = model.replace(/-\d{8}$/, '');
  return MODEL_CONTEXT_WINDOWS[model] ?? MODEL_CONTEXT_WINDOWS[undated] ?? DEFAULT_CONTEXT_WINDOW;
}

/** Whether `model` is one Troika knows (priced), so its window is not a guess. */
export function knowsModel(model: string): boolean {
  return model in MODEL_PRICES || model.replace(/-\d{8}$/, '') in MODEL_PRICES;
}
