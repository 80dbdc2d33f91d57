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
 * Which batch, and whether at all, is decided by the cost of the bill
 * (`clearing-policy.ts`, the default): only when the cache reads a batch saves
 * over the expected rest of the session exceed the prefix rewrite it causes
 * and the expected re-reads. A result in the newest message is never cleared:
 * the model has not seen it yet.
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
import { cacheAwareBatch, rereadChance } from './clearing-policy.ts';

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
  /**
   * `cache-aware` (default): clear only when the bill goes down (see
   * `clearing-policy.ts`); `threshold`: whenever a batch frees at least
   * {@link clearAtLeastTokens}, as the API's context editing does.
   */
  readonly policy?: 'cache-aware' | 'threshold';
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
  policy: 'cache-aware',
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

/**
 * How long a cache entry a past request wrote is counted on: the API keeps a
 * 5-minute entry 5 minutes from its last use, and the anchor is used only by
 * the clearing request; a minute's margin covers that request's own latency.
 */
export const ANCHOR_LIFETIME_MS = 4 * 60_000;

/**
 * A place where a past request ended its newest user turn: the request
 * builder put a cache breakpoint there, so the API holds that prefix. It
 * stays a valid entry until a result before it is cleared after it was written.
 */
interface Anchor {
  /** The tool_result block that ended the user turn. */
  readonly id: string;
  /** Clearings done when it was written. */
  readonly generation: number;
  readonly writtenAt: number;
}

/** Anchors kept: the latest ones are the ones a clearing can use. */
const MAX_ANCHORS = 64;

const EPHEMERAL = { type: 'ephemeral' } as const;

interface ResultSlot {
  readonly id: string;
  readonly toolName: string | undefined;
  readonly tokens: number;
  /** Tokens of the messages before it. */
  readonly start: number;
  /** In the newest message: the model has not seen it yet. */
  readonly unseen: boolean;
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

function blockTokens(block: ContentBlockParam): number {
  if (block.type === 'tool_result') return resultTokens(block);
  if (block.type === 'text') return estimateTokens(block.text);
  if (block.type === 'tool_use') return estimateTokens(block.name + JSON.stringify(block.input));
  return estimateTokens(JSON.stringify(block));
}

/** The tool results of `messages` in order (with the tool that produced each), and the messages' tokens. */
function resultSlots(messages: readonly MessageParam[]): { slots: ResultSlot[]; total: number } {
  const names = new Map<string, string>();
  const slots: ResultSlot[] = [];
  let total = 0;
  messages.forEach((message, index) => {
    if (typeof message.content === 'string') {
      total += estimateTokens(message.content);
      return;
    }
    for (const block of message.content) {
      if (block.type === 'tool_use') names.set(block.id, block.name);
      const tokens = blockTokens(block);
      if (block.type === 'tool_result')
        slots.push({
          id: block.tool_use_id,
          toolName: names.get(block.tool_use_id),
          tokens,
          start: total,
          unseen: index === messages.length - 1,
        });
      total += tokens;
    }
  });
  return { slots, total };
}

/** Each tool call's identity (name and input), by tool_use_id: a call repeating a cleared one is a re-read. */
function callKeys(messages: readonly MessageParam[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const message of messages)
    if (typeof message.content !== 'string')
      for (const block of message.content)
        if (block.type === 'tool_use')
          keys.set(block.id, `${block.name} ${JSON.stringify(block.input)}`);
  return keys;
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
  /** Requests seen, and what the re-read chance is learned from. */
  #requests = 0;
  #rereads = 0;
  readonly #clearedKeys = new Set<string>();
  readonly #knownCalls = new Set<string>();
  /** Clearings so far, and the one each cleared result went in. */
  #generation = 0;
  readonly #clearedIn = new Map<string, number>();
  #anchors: Anchor[] = [];
  readonly #now: () => number;

  constructor(settings: ClearingSettings = DEFAULT_CLEARING, now: () => number = Date.now) {
    this.settings = settings;
    this.#now = now;
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
    this.#requests++;
    const keys = callKeys(messages);
    this.#countRereads(keys);
    const { slots, total } = resultSlots(messages);
    const found = this.#maybeClear(slots, total, superseded);
    const clearing = found?.clearing;
    if (clearing !== undefined)
      for (const id of clearing.toolUseIds) this.#clearedKeys.add(keys.get(id) ?? id);
    this.#remember(messages);
    return { messages: this.#view(messages, found?.anchor), clearing };
  }

  /** The newest user turn's end gets a breakpoint (request-builder.ts): the API holds that prefix from now on. */
  #remember(messages: readonly MessageParam[]): void {
    const last = messages.at(-1);
    if (last?.role !== 'user' || typeof last.content === 'string') return;
    const block = last.content.at(-1);
    if (block?.type !== 'tool_result') return;
    this.#anchors.push({
      id: block.tool_use_id,
      generation: this.#generation,
      writtenAt: this.#now(),
    });
    if (this.#anchors.length > MAX_ANCHORS) this.#anchors = this.#anchors.slice(-MAX_ANCHORS);
  }

  /**
   * The latest anchor a clearing from `start` can read up to: it ends at or
   * before `start`, is young enough to be held, and no result before it was
   * cleared after it was written (its prefix is byte for byte what it was).
   */
  #anchorBefore(
    start: number,
    bySlot: ReadonlyMap<string, ResultSlot>,
  ): { id: string; end: number } | undefined {
    const now = this.#now();
    let best: { id: string; end: number } | undefined;
    for (const anchor of this.#anchors) {
      const slot = bySlot.get(anchor.id);
      if (slot === undefined || now - anchor.writtenAt > ANCHOR_LIFETIME_MS) continue;
      const end = slot.start + slot.tokens;
      if (end > start || (best !== undefined && end <= best.end)) continue;
      const intact = [...this.#clearedIn].every(
        ([id, generation]) =>
          generation <= anchor.generation || (bySlot.get(id)?.start ?? Infinity) >= end,
      );
      if (intact) best = { id: anchor.id, end };
    }
    return best;
  }

  /** New calls that repeat a cleared one: the model needed what was cleared. */
  #countRereads(keys: ReadonlyMap<string, string>): void {
    for (const [id, key] of keys) {
      if (this.#knownCalls.has(id)) continue;
      this.#knownCalls.add(id);
      if (this.#clearedKeys.has(key)) this.#rereads++;
    }
  }

  #maybeClear(
    slots: readonly ResultSlot[],
    total: number,
    superseded: ReadonlySet<string>,
  ): { clearing: Clearing; anchor: string | undefined } | undefined {
    const { triggerTokens, keepToolUses, clearAtLeastTokens, minResultTokens, excludeTools } =
      this.settings;
    const visible = slots.filter((slot) => !this.#cleared.has(slot.id));
    if (visible.reduce((sum, slot) => sum + slot.tokens, 0) < triggerTokens) return undefined;
    const recent = new Set(
      slots.slice(Math.max(0, slots.length - keepToolUses)).map((slot) => slot.id),
    );
    // Never a result the model has not seen yet: it arrives in this very request.
    const eligible = visible.filter(
      (slot) =>
        !slot.unseen &&
        (!recent.has(slot.id) || superseded.has(slot.id)) &&
        slot.tokens >= minResultTokens &&
        (slot.toolName === undefined || !excludeTools.includes(slot.toolName)),
    );
    const bySlot = new Map(slots.map((slot) => [slot.id, slot]));
    const readTo = (start: number) => this.#anchorBefore(start, bySlot)?.end ?? 0;
    const batch =
      this.settings.policy === 'threshold'
        ? eligible
        : this.#worthClearing(eligible, total, superseded, readTo);
    const tokensFreed = batch.reduce((sum, slot) => sum + slot.tokens - this.#placeholderTokens, 0);
    if (batch.length === 0 || tokensFreed < clearAtLeastTokens) return undefined;
    const first = Math.min(...batch.map((slot) => slot.start));
    const anchor = this.#anchorBefore(first, bySlot)?.id;
    this.#generation++;
    for (const slot of batch) {
      this.#cleared.add(slot.id);
      this.#clearedIn.set(slot.id, this.#generation);
    }
    const clearing = {
      toolUseIds: batch.map((slot) => slot.id),
      tokensFreed,
      totalCleared: this.#cleared.size,
    };
    return { clearing, anchor };
  }

  /** The batch that lowers the expected bill (see `clearing-policy.ts`); empty when none does. */
  #worthClearing(
    eligible: readonly ResultSlot[],
    total: number,
    superseded: ReadonlySet<string>,
    readTo: (start: number) => number,
  ): ResultSlot[] {
    const decision = cacheAwareBatch({
      candidates: eligible.map((slot) => ({
        id: slot.id,
        start: slot.start,
        freed: slot.tokens - this.#placeholderTokens,
        superseded: superseded.has(slot.id),
      })),
      promptTokens: total,
      requests: this.#requests,
      rereadChance: rereadChance(this.#rereads, this.#cleared.size),
      readTo,
    });
    const ids = new Set(decision?.ids ?? []);
    return eligible.filter((slot) => ids.has(slot.id));
  }

  /**
   * `messages` with cleared results as placeholders and, on a request that
   * clears, a cache breakpoint on `anchor`: the prefix up to it is read from
   * the cache, and only what follows is written again.
   */
  #view(messages: MessageParam[], anchor?: string): MessageParam[] {
    const cleared = (block: ContentBlockParam) =>
      block.type === 'tool_result' && this.#cleared.has(block.tool_use_id);
    const anchored = (block: ContentBlockParam) =>
      block.type === 'tool_result' && block.tool_use_id === anchor;
    const touched = (message: MessageParam) =>
      typeof message.content !== 'string' &&
      message.content.some((block) => cleared(block) || anchored(block));
    if ((this.#cleared.size === 0 && anchor === undefined) || !messages.some(touched))
      return messages;
    return messages.map((message) => {
      if (typeof message.content === 'string' || !touched(message)) return message;
      const content = message.content.map((block) => {
        const shown = cleared(block)
          ? ({ ...block, content: CLEARED_PLACEHOLDER } as ContentBlockParam)
          : block;
        return anchored(block)
          ? ({ ...shown, cache_control: EPHEMERAL } as ContentBlockParam)
          : shown;
      });
      return { ...message, content } as MessageParam;
    });
  }
}
