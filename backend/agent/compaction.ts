/**
 * Making room in the context window: when a request would fill about
 * {@link COMPACT_AT_FRACTION} of it, the older turns are summarized by the
 * model (through the same provider and hook pipeline), and the model then
 * sees the original task verbatim, the summary, and the most recent turns
 * verbatim. The cut is always before an assistant turn, so every tool call
 * stays next to its results.
 */
import type { MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { Conversation } from './conversation.ts';
import { estimateMessageTokens } from './context-meter.ts';

/** The threshold: summarize at about 80% of the window, leaving room for the reply and a few more turns. */
export const COMPACT_AT_FRACTION = 0.8;
/** Recent turns kept verbatim take at most this share of the window, so a compaction frees most of it. */
export const KEEP_RECENT_FRACTION = 0.25;
/** A summary is a page, not a transcript; longer would eat the room it makes. */
export const SUMMARY_MAX_TOKENS = 4_096;

export const SUMMARY_INSTRUCTION = [
  'The conversation is about to exceed the context window, so the turns above will be replaced by your summary of them.',
  'Write that summary now, for yourself, so you can continue the task without them. Include:',
  '- what the task asks, and any decisions or constraints the user added since;',
  '- what you have done: files read, created and changed (with paths), commands run and their results;',
  '- what you learned that you still need (names, signatures, error messages, test results);',
  '- what is left to do, and what you were about to do next.',
  'Reply with the summary text only. Do not call tools.',
].join('\n');

export type CompactionPlan =
  | { readonly ok: true; readonly keepFromSeq: number; readonly summarized: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Where to cut: the earliest assistant turn from which the rest fits in
 * {@link KEEP_RECENT_FRACTION} of `window`; if even the latest turns are
 * larger, the latest assistant turn (only the last exchange is kept).
 */
export function planCompaction(conversation: Conversation, window: number): CompactionPlan {
  const start = conversation.compaction?.keepFromSeq ?? 1;
  const visible = conversation.from(start);
  // Candidates: assistant turns after `start`, so at least one message is summarized.
  const candidates = visible.filter((m, i) => i > 0 && m.role === 'assistant').map((m) => m.seq);
  if (candidates.length === 0)
    return {
      ok: false,
      reason:
        'Nothing older can be summarized: the task and the latest turn are all the conversation holds.',
    };
  const budget = window * KEEP_RECENT_FRACTION;
  let tail = 0;
  let chosen = candidates.at(-1) as number;
  const tokensBySeq = new Map(
    visible.map((m) => [
      m.seq,
      estimateMessageTokens({ role: m.role, content: m.content } as MessageParam),
    ]),
  );
  const last = visible.at(-1)?.seq ?? start;
  for (let seq = last; seq >= (candidates[0] as number); seq--) {
    tail += tokensBySeq.get(seq) ?? 0;
    if (tail > budget) break;
    if (candidates.includes(seq)) chosen = seq;
  }
  return { ok: true, keepFromSeq: chosen, summarized: chosen - start };
}

/**
 * The messages to summarize (what the model sees before the cut) with the
 * instruction appended to the last of them, a user turn.
 */
export function summaryRequestMessages(
  conversation: Conversation,
  keepFromSeq: number,
): MessageParam[] {
  const start = conversation.compaction?.keepFromSeq ?? 1;
  const view = conversation.params;
  // The view is [head, stored messages from `start`]; head stands for seqs 0..start-1.
  const before = view.slice(0, 1 + (keepFromSeq - start));
  const lastIndex = before.length - 1;
  const last = before[lastIndex];
  if (!last || last.role !== 'user') throw new Error('A compaction cut must follow a user turn');
  const content =
    typeof last.content === 'string'
      ? [{ type: 'text', text: last.content } as TextBlockParam]
      : last.content;
  before[lastIndex] = {
    role: 'user',
    content: [...content, { type: 'text', text: SUMMARY_INSTRUCTION }],
  };
  return before;
}
