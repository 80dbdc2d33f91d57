/**
 * The prompt as prompt caching sees it: one flat list of blocks in the order
 * tools → system → messages, each with its token estimate, a canonical key and
 * its breakpoint. Token totals and cache accounting both read this list, so
 * they can never disagree.
 */
import {
  contentBlockTokens,
  estimateTextTokens,
  jsonWithoutCacheControl,
  toolTokens,
} from './tokens.ts';
import type { CacheControl, ContentBlock, PromptRequest } from './types.ts';

export type PromptSection = 'tools' | 'system' | 'messages';

export interface PromptBlock {
  readonly section: PromptSection;
  /** What the cache key chains over: the block without `cache_control`, with its role. */
  readonly key: string;
  readonly tokens: number;
  /** The breakpoint placed on this block (explicit, or the top-level one). */
  readonly cacheControl: CacheControl | undefined;
}

function cacheControlOf(value: unknown): CacheControl | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const marker = (value as { cache_control?: unknown }).cache_control;
  return typeof marker === 'object' && marker !== null ? (marker as CacheControl) : undefined;
}

/** A `tool_result` carries its own marker or, failing that, its last nested one. */
function blockCacheControl(block: ContentBlock): CacheControl | undefined {
  const own = cacheControlOf(block);
  if (own || block.type !== 'tool_result' || !Array.isArray(block['content'])) return own;
  let nested: CacheControl | undefined;
  for (const inner of block['content'] as unknown[]) nested = cacheControlOf(inner) ?? nested;
  return nested;
}

/** Thinking blocks and empty text cannot carry a breakpoint (prompt caching docs). */
function canCarryBreakpoint(block: ContentBlock): boolean {
  if (block.type === 'thinking' || block.type === 'redacted_thinking') return false;
  return block.type !== 'text' || stringOf(block['text']) !== '';
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Flattens a validated request. A message whose content is a string is the
 * same as one text block, as the Messages API documents, so both give the same key.
 */
export function promptBlocks(request: PromptRequest): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  const carriers: boolean[] = [];
  const push = (block: PromptBlock, canCarry: boolean): void => {
    blocks.push(block);
    carriers.push(canCarry);
  };

  for (const tool of request.tools ?? []) {
    push(
      {
        section: 'tools',
        key: jsonWithoutCacheControl(tool),
        tokens: toolTokens(tool),
        cacheControl: cacheControlOf(tool),
      },
      true,
    );
  }

  const system =
    typeof request.system === 'string'
      ? [{ type: 'text', text: request.system }]
      : (request.system ?? []);
  for (const block of system) {
    push(
      {
        section: 'system',
        key: jsonWithoutCacheControl(block),
        tokens: estimateTextTokens(stringOf(block['text'])),
        cacheControl: cacheControlOf(block),
      },
      canCarryBreakpoint(block),
    );
  }

  // tool_choice and thinking settings invalidate the messages cache (docs'
  // invalidation table), so they are chained into the first message block's key.
  let context = `ctx|${JSON.stringify(request.tool_choice ?? null)}|${JSON.stringify(request.thinking ?? null)}|`;
  for (const message of request.messages) {
    const content: readonly ContentBlock[] =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : message.content;
    for (const block of content) {
      push(
        {
          section: 'messages',
          key: `${context}${message.role}|${jsonWithoutCacheControl(block)}`,
          tokens: contentBlockTokens(block),
          cacheControl: blockCacheControl(block),
        },
        canCarryBreakpoint(block),
      );
      context = '';
    }
  }

  return applyTopLevelCacheControl(blocks, carriers, request.cache_control);
}

/** Top-level `cache_control` puts a breakpoint on the last block that can carry one. */
function applyTopLevelCacheControl(
  blocks: PromptBlock[],
  carriers: readonly boolean[],
  marker: CacheControl | undefined,
): PromptBlock[] {
  if (!marker) return blocks;
  for (let index = blocks.length - 1; index >= 0; index--) {
    const block = blocks[index];
    if (!block || !carriers[index]) continue;
    blocks[index] = { ...block, cacheControl: block.cacheControl ?? marker };
    break;
  }
  return blocks;
}

/** The estimated input tokens of the whole prompt, before cache accounting. */
export function promptTokens(blocks: readonly PromptBlock[]): number {
  let total = 0;
  for (const block of blocks) total += block.tokens;
  return total;
}
