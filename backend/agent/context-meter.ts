/**
 * How full the model's context window is. The API's own count is the truth:
 * the prompt tokens it reported for the last request (uncached input plus
 * cache writes plus cache reads). What was added since (the reply, tool
 * results, messages) is estimated, as is everything before the first report.
 *
 * Estimate: every part of a request (a tool definition's JSON, the system
 * text, a text block, a tool call's name and JSON input, a tool result's
 * text) costs ceil(utf8 bytes / 4) tokens, the rule the token cache and the
 * test Messages server use. Only differences between estimates are added to
 * the reported count, so the estimate's bias mostly cancels out.
 */
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { ModelRequestSpec } from '../provider/request-builder.ts';

/** About four bytes per token for English text and code. */
export const BYTES_PER_TOKEN = 4;
/** An image, whatever its size (the vision docs put a large one at about 1,600 tokens). */
const IMAGE_TOKENS = 1_600;

export function estimateTextTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

function withoutCacheControl(value: unknown): string {
  return (
    JSON.stringify(value, (key, inner: unknown) => (key === 'cache_control' ? undefined : inner)) ??
    ''
  );
}

export function estimateBlockTokens(block: ContentBlockParam): number {
  switch (block.type) {
    case 'text':
      return estimateTextTokens(block.text);
    case 'thinking':
      return estimateTextTokens(block.thinking);
    case 'redacted_thinking':
      return estimateTextTokens(block.data);
    case 'tool_use':
      return estimateTextTokens(block.name + JSON.stringify(block.input ?? {}));
    case 'tool_result': {
      const content = block.content;
      if (content === undefined) return 0;
      if (typeof content === 'string') return estimateTextTokens(content);
      return content.reduce(
        (sum, inner) => sum + estimateBlockTokens(inner as ContentBlockParam),
        0,
      );
    }
    case 'image':
      return IMAGE_TOKENS;
    default:
      return estimateTextTokens(withoutCacheControl(block));
  }
}

export function estimateMessageTokens(message: MessageParam): number {
  if (typeof message.content === 'string') return estimateTextTokens(message.content);
  return message.content.reduce((sum, block) => sum + estimateBlockTokens(block), 0);
}

/** Estimated prompt tokens of a whole request: tools, system, persona, messages. */
export function estimateRequestTokens(spec: ModelRequestSpec): number {
  let total =
    estimateTextTokens(spec.system) + (spec.persona ? estimateTextTokens(spec.persona) : 0);
  for (const tool of spec.tools) total += estimateTextTokens(withoutCacheControl(tool));
  for (const message of spec.messages) total += estimateMessageTokens(message);
  return total;
}

export class ContextMeter {
  readonly window: number;
  /** The last request the API reported on: its prompt tokens, and what Troika had estimated for it. */
  #last: { reported: number; estimated: number } | undefined;

  constructor(window: number) {
    this.window = window;
  }

  /** The API reported `promptTokens` for a request Troika estimated at `estimated`. */
  observe(promptTokens: number, estimated: number): void {
    this.#last = { reported: promptTokens, estimated };
  }

  /** Expected prompt tokens of a request estimated at `estimated`. */
  tokensFor(estimated: number): number {
    if (!this.#last) return estimated;
    return Math.max(0, this.#last.reported + estimated - this.#last.estimated);
  }
}
