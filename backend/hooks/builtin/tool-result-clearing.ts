/**
 * Tool-result clearing, as Anthropic's context editing does it
 * (`clear_tool_uses_20250919`), applied by Troika to the request view: once
 * the tool results the model sees exceed {@link ClearingSettings.triggerTokens},
 * older results are replaced by {@link CLEARED_PLACEHOLDER}, which tells the
 * model how to get one back. The stored transcript stays whole (the UI shows
 * everything); only what is sent changes.
 *
 * What is never cleared: the task and every other text, the tool calls
 * themselves (so the model still sees what it asked), the most recent
 * {@link ClearingSettings.keepToolUses} results, the results of excluded
 * tools (`finish`, `ask_user`: the user's answers), and results too small to
 * be worth a placeholder. Blocks are rewritten in place, never removed, so
 * every tool_use keeps its tool_result.
 *
 * Prompt caching: the API caches exact prefixes, so a clearing changes the
 * prefix from the first newly cleared result on and that suffix is written
 * to the cache again. Clearings therefore come in batches: the cleared set
 * only grows at a clearing, which frees at least
 * {@link ClearingSettings.clearAtLeastTokens}, and between two clearings
 * every request is the previous one plus the new turns, byte for byte.
 *
 * Results already superseded by a newer full copy of the same read (the
 * token cache's ledger knows them: a file viewed again after an edit, or sent
 * again in full) go in the same batch even when recent: the newer copy is
 * the one the model works from.
 */
import type {
  ContentBlockParam,
  MessageParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { ASK_USER_TOOL_NAME, FINISH_TOOL_NAME } from '../../protocol/tool-names.ts';
import { estimateTokens } from './cache-hook.ts';

/** When and what to clear. */
export interface ClearingSettings {
  /** Clearing is considered once the uncleared tool results in a request add up to this many tokens. */
  readonly triggerTokens: number;
  /** The latest results are kept whatever their size: the model is working from them. */
  readonly keepToolUses: number;
  /** A clearing happens only when it frees at least this many tokens: each one rewrites the cached prefix after it. */
  readonly clearAtLeastTokens: number;
  /** Results smaller than this are kept: a placeholder would save next to nothing. */
  readonly minResultTokens: number;
  /** Tools whose results are never cleared. */
  readonly excludeTools: readonly string[];
}

/**
 * Troika clears for cost as well as for room, so its trigger is far below
 * the API's default (100,000 input tokens, a context-window guard): every
 * token left in the history is sent again with every request.
 */
export const DEFAULT_TRIGGER_TOKENS = 10_000;
/** The API's own default: the results of about the last turn, which the model acts on next. */
export const DEFAULT_KEEP_TOOL_USES = 3;
/** Half the trigger: a clearing frees at least a couple of source files, so the prefix it rewrites pays off within a few requests. */
export const DEFAULT_CLEAR_AT_LEAST_TOKENS = 5_000;
/** About four times the placeholder's own size: below it, a clearing would save next to nothing per result. */
export const DEFAULT_MIN_RESULT_TOKENS = 100;

export const DEFAULT_CLEARING: ClearingSettings = {
  triggerTokens: DEFAULT_TRIGGER_TOKENS,
  keepToolUses: DEFAULT_KEEP_TOOL_USES,
  clearAtLeastTokens: DEFAULT_CLEAR_AT_LEAST_TOKENS,
  minResultTokens: DEFAULT_MIN_RESULT_TOKENS,
  excludeTools: [FINISH_TOOL_NAME, ASK_USER_TOOL_NAME],
};

/** What the model sees in place of a cleared result; its tool call above still says what it was. */
export const CLEARED_PLACEHOLDER =
  '[Tool result cleared to save context. If you need it again, make the same call again: an unchanged file or search is answered at once, in full.]';

/** One clearing: the results it cleared and the tokens that no longer go with every request. */
export interface Clearing {
  readonly toolUseIds: readonly string[];
  /** Tokens of the cleared results minus their placeholders'. */
  readonly tokensFreed: number;
  /** Results cleared so far, these included. */
  readonly totalCleared: number;
}

export interface ClearedView {
  readonly messages: MessageParam[];
  /** Set when this request cleared more results. */
  readonly clearing: Clearing | undefined;
}

interface ResultSlot {
  readonly id: string;
  readonly toolName: string | undefined;
  readonly tokens: number;
}

function resultTokens(block: ToolResultBlockParam): number {
  const content = block.content;
  if (content === undefined) return 0;
  if (typeof content === 'string') return estimateTokens(content);
  return content.reduce(
    (sum, inner) =>
      sum + estimateTokens(inner.type === 'text' ? inner.text : JSON.stringify(inner)),
    0,
  );
}

/** The tool results of `messages` in order, each with the name of the tool that produced it. */
function resultSlots(messages: readonly MessageParam[]): ResultSlot[] {
  const names = new Map<string, string>();
  const slots: ResultSlot[] = [];
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'tool_use') names.set(block.id, block.name);
      else if (block.type === 'tool_result')
        slots.push({
          id: block.tool_use_id,
          toolName: names.get(block.tool_use_id),
          tokens: resultTokens(block),
        });
    }
  }
  return slots;
}

/**
 * One agent's clearing state: the results cleared so far. It only grows (a
 * result once cleared stays cleared), which keeps the prefix before each
 * clearing point byte-identical from request to request.
 */
export class ToolResultClearing {
  readonly settings: ClearingSettings;
  readonly #cleared = new Set<string>();
  readonly #placeholderTokens = estimateTokens(CLEARED_PLACEHOLDER);

  constructor(settings: ClearingSettings = DEFAULT_CLEARING) {
    this.settings = settings;
  }

  /** Whether the model sees a placeholder in place of this result. */
  isCleared(toolUseId: string): boolean {
    return this.#cleared.has(toolUseId);
  }

  /**
   * The request view of `messages` (never mutated; returned as is when
   * nothing in it is cleared): results cleared before stay cleared, and when
   * the thresholds are crossed a new batch is cleared.
   * @param superseded results with a newer full copy of the same read later in the conversation.
   */
  apply(messages: MessageParam[], superseded: ReadonlySet<string> = new Set()): ClearedView {
    const clearing = this.#maybeClear(resultSlots(messages), superseded);
    return { messages: this.#view(messages), clearing };
  }

  #maybeClear(slots: readonly ResultSlot[], superseded: ReadonlySet<string>): Clearing | undefined {
    const { triggerTokens, keepToolUses, clearAtLeastTokens, minResultTokens, excludeTools } =
      this.settings;
    const visible = slots.filter((slot) => !this.#cleared.has(slot.id));
    if (visible.reduce((sum, slot) => sum + slot.tokens, 0) < triggerTokens) return undefined;
    const recent = new Set(
      slots.slice(Math.max(0, slots.length - keepToolUses)).map((slot) => slot.id),
    );
    const batch = visible.filter(
      (slot) =>
        (!recent.has(slot.id) || superseded.has(slot.id)) &&
        slot.tokens >= minResultTokens &&
        (slot.toolName === undefined || !excludeTools.includes(slot.toolName)),
    );
    const tokensFreed = batch.reduce((sum, slot) => sum + slot.tokens - this.#placeholderTokens, 0);
    if (batch.length === 0 || tokensFreed < clearAtLeastTokens) return undefined;
    for (const slot of batch) this.#cleared.add(slot.id);
    return {
      toolUseIds: batch.map((slot) => slot.id),
      tokensFreed,
      totalCleared: this.#cleared.size,
    };
  }

  #view(messages: MessageParam[]): MessageParam[] {
    const cleared = (block: ContentBlockParam) =>
      block.type === 'tool_result' && this.#cleared.has(block.tool_use_id);
    const touched = (message: MessageParam) =>
      typeof message.content !== 'string' && message.content.some(cleared);
    if (this.#cleared.size === 0 || !messages.some(touched)) return messages;
    return messages.map((message) => {
      if (typeof message.content === 'string' || !touched(message)) return message;
      const content = message.content.map((block) =>
        cleared(block) ? ({ ...block, content: CLEARED_PLACEHOLDER } as ContentBlockParam) : block,
      );
      return { ...message, content } as MessageParam;
    });
  }
}
