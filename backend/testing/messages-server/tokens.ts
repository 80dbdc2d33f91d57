/**
 * The server's token estimator. Deterministic, documented and additive, so a
 * benchmark can state "input tokens sent, counted by the server from the
 * request bodies" and a test can predict every number the server reports.
 *
 * Rule: every *part* of a prompt costs `ceil(utf8Bytes(part) / 4)` tokens, and
 * a prompt costs the sum of its parts. Parts are:
 * - a tool definition: its JSON serialization without `cache_control`;
 * - a system prompt: the string, or each text block's `text`;
 * - a message whose content is a string: that string;
 * - a content block:
 *   - `text` → its `text`; `thinking` → its `thinking`; `redacted_thinking` → its `data`;
 *   - `tool_use` / `server_tool_use` → its `name` followed by `JSON.stringify(input)`;
 *   - `tool_result` → its `content` string, or the sum of its nested blocks (0 when absent);
 *   - `image` → a flat {@link IMAGE_TOKENS};
 *   - anything else → its JSON serialization without `cache_control`.
 * Output tokens use the same rule on the generated text and tool uses, at least 1.
 *
 * It is not Claude's tokenizer (which is not public); it only has to be stable
 * and proportional to what the client sends.
 */
import type { ContentBlock } from './types.ts';

/** The usual rule of thumb for English text and code: about four bytes per token. */
export const BYTES_PER_TOKEN = 4;

/**
 * One image, whatever its size: the vision docs put a ~1.15-megapixel image
 * (the largest sent unresized) at about 1,600 tokens (width × height / 750).
 */
export const IMAGE_TOKENS = 1600;

export function estimateTextTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

/** JSON without any `cache_control` key: a marker moves between turns, content does not. */
export function jsonWithoutCacheControl(value: unknown): string {
  return JSON.stringify(value, (key, inner: unknown) =>
    key === 'cache_control' ? undefined : inner,
  );
}

function stringField(block: ContentBlock, field: string): string {
  const value = block[field];
  return typeof value === 'string' ? value : '';
}

export function contentBlockTokens(block: ContentBlock): number {
  switch (block.type) {
    case 'text':
      return estimateTextTokens(stringField(block, 'text'));
    case 'thinking':
      return estimateTextTokens(stringField(block, 'thinking'));
    case 'redacted_thinking':
      return estimateTextTokens(stringField(block, 'data'));
    case 'tool_use':
    case 'server_tool_use':
      return estimateTextTokens(stringField(block, 'name') + JSON.stringify(block['input'] ?? {}));
    case 'tool_result':
      return toolResultTokens(block['content']);
    case 'image':
      return IMAGE_TOKENS;
    default:
      return estimateTextTokens(jsonWithoutCacheControl(block));
  }
}

function toolResultTokens(content: unknown): number {
  if (typeof content === 'string') return estimateTextTokens(content);
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const nested of content as readonly ContentBlock[]) total += contentBlockTokens(nested);
  return total;
}

/** Tokens of a tool definition as the client sent it. */
export function toolTokens(tool: unknown): number {
  return estimateTextTokens(jsonWithoutCacheControl(tool));
}
