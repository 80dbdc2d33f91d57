/**
 * The agent's conversation with the model, kept in memory and written through
 * to the transcript table message by message, so a crash loses at most the
 * message being streamed.
 *
 * Invariant kept here: the user turn after an assistant turn with tool calls
 * starts with one `tool_result` per call (the API requires that), and any text
 * (a steer, a note) follows them.
 *
 * After a compaction the model no longer sees every stored message: it sees
 * the first user message (the original task, verbatim) with a summary of the
 * older turns appended, then the stored messages from an assistant turn on.
 * Cutting before an assistant turn keeps every tool_use next to its results.
 * The stored transcript stays whole; the UI shows everything.
 */
import type {
  ContentBlockParam,
  MessageParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { TranscriptRepository } from '../persistence/transcript-repository.ts';
import type { TranscriptBlock, TranscriptMessage } from '../protocol/agent.ts';

export interface ConversationMessage {
  seq: number;
  role: 'user' | 'assistant';
  content: ContentBlockParam[];
  createdAt: number;
}

/** Older turns replaced, for the model, by a summary. */
export interface Compaction {
  /** The model's summary of the older turns; appended to the task message under a heading. */
  readonly summary: string;
  /** The model sees stored messages from this seq on; always an assistant turn. */
  readonly keepFromSeq: number;
  /** Compactions so far, this one included. */
  readonly count: number;
}

export class Conversation {
  readonly #agentId: string;
  readonly #store: TranscriptRepository;
  readonly #now: () => number;
  readonly #messages: ConversationMessage[];
  #compaction: Compaction | undefined;

  constructor(agentId: string, store: TranscriptRepository, now: () => number) {
    this.#agentId = agentId;
    this.#store = store;
    this.#now = now;
    this.#messages = store
      .list(agentId)
      .map((row) => ({ ...row, content: row.content as ContentBlockParam[] }));
  }

  /** The messages as the model sees them (see the compaction note above), as the API takes them. */
  get params(): MessageParam[] {
    const compaction = this.#compaction;
    const first = this.#messages[0];
    if (!compaction || !first)
      return this.#messages.map((m) => ({ role: m.role, content: m.content }) as MessageParam);
    const task = first.content.filter((b) => b.type !== 'tool_result');
    const head = {
      role: 'user',
      content: [...task, { type: 'text', text: summaryBlockText(compaction.summary) }],
    } as MessageParam;
    return [
      head,
      ...this.#messages
        .slice(compaction.keepFromSeq)
        .map((m) => ({ role: m.role, content: m.content }) as MessageParam),
    ];
  }

  get compaction(): Compaction | undefined {
    return this.#compaction;
  }

  /** The stored messages from `seq` on. */
  from(seq: number): readonly ConversationMessage[] {
    return this.#messages.slice(seq);
  }

  /**
   * From now on the model sees the task with `compaction.summary`, then the stored
   * messages from `compaction.keepFromSeq` (an assistant turn) on.
   */
  compact(compaction: Compaction): void {
    const kept = this.#messages[compaction.keepFromSeq];
    if (compaction.keepFromSeq < 1 || kept?.role !== 'assistant') {
      throw new Error(
        `A compaction must keep messages from an assistant turn; seq ${compaction.keepFromSeq} is not one`,
      );
    }
    this.#compaction = compaction;
  }

  get length(): number {
    return this.#messages.length;
  }

  get last(): ConversationMessage | undefined {
    return this.#messages.at(-1);
  }

  appendAssistant(content: ContentBlockParam[]): ConversationMessage {
    return this.#write({
      seq: this.#messages.length,
      role: 'assistant',
      content,
      createdAt: this.#now(),
    });
  }

  /**
   * Adds blocks to the pending user turn (creating it when the last message is
   * the assistant's): tool results go after earlier results and before any
   * text, so the turn stays valid whatever order they come in.
   */
  addUserBlocks(blocks: ContentBlockParam[]): ConversationMessage {
    const last = this.last;
    const base = last?.role === 'user' ? last : undefined;
    const existing = base?.content ?? [];
    const isResult = (b: ContentBlockParam) => b.type === 'tool_result';
    const content = [
      ...existing.filter(isResult),
      ...blocks.filter(isResult),
      ...existing.filter((b) => !isResult(b)),
      ...blocks.filter((b) => !isResult(b)),
    ];
    return this.#write({
      seq: base ? base.seq : this.#messages.length,
      role: 'user',
      content,
      createdAt: base?.createdAt ?? this.#now(),
    });
  }

  /** Tool calls of the last assistant turn that have no result yet, in order. */
  openToolUses(): ToolUseBlockParam[] {
    const index = this.#messages.findLastIndex((m) => m.role === 'assistant');
    if (index === -1) return [];
    const calls = (this.#messages[index] as ConversationMessage).content.filter(
      (b): b is ToolUseBlockParam => b.type === 'tool_use',
    );
    const answered = new Set(
      (this.#messages[index + 1]?.content ?? [])
        .filter((b): b is ToolResultBlockParam => b.type === 'tool_result')
        .map((b) => b.tool_use_id),
    );
    return calls.filter((c) => !answered.has(c.id));
  }

  /** Answers every open tool call with an error saying why it has no result, keeping the transcript valid to resume. */
  closeOpenToolUses(reason: string): ConversationMessage | undefined {
    const open = this.openToolUses();
    if (open.length === 0) return undefined;
    return this.addUserBlocks(
      open.map((call): ToolResultBlockParam => ({
        type: 'tool_result',
        tool_use_id: call.id,
        content: reason,
        is_error: true,
      })),
    );
  }

  toTranscript(): TranscriptMessage[] {
    return this.#messages.map(toTranscriptMessage);
  }

  #write(message: ConversationMessage): ConversationMessage {
    this.#store.put(this.#agentId, message);
    this.#messages[message.seq] = message;
    return message;
  }
}

export function toTranscriptMessage(message: ConversationMessage): TranscriptMessage {
  return {
    seq: message.seq,
    role: message.role,
    content: message.content as unknown as TranscriptBlock[],
    createdAt: message.createdAt,
  };
}

/** The heading of the summary block the model sees after the task. */
export function summaryBlockText(summary: string): string {
  return `[Earlier turns of this conversation were summarized to fit the context window. The message above is the original task, verbatim. Summary of the work so far:]\n\n${summary}`;
}
