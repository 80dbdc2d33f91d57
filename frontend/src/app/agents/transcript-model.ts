import { signal } from '@angular/core';
import type {
  FinishReport,
  TranscriptBlock,
  TranscriptEntry,
  TranscriptMessage,
} from '../../../../backend/protocol/index.ts';

/** What a hook or the user decided about a tool call. */
export type ToolDecision = 'awaiting approval' | 'approved' | 'denied by you' | 'blocked by policy';

export type TranscriptItem =
  /** `continue`: a message that started a new run after the agent had finished (not a steer of a running one). */
  | {
      kind: 'user';
      key: number;
      source: 'task' | 'steer' | 'continue' | 'answer' | 'note';
      text: string;
    }
  | { kind: 'assistant'; key: number; text: string; streaming: boolean; persona: string | null }
  | {
      kind: 'tool';
      key: number;
      id: string;
      name: string;
      input: unknown;
      result: { content: string; isError: boolean } | null;
      running: boolean;
      decision: ToolDecision | null;
    }
  | {
      kind: 'notice';
      key: number;
      level: 'info' | 'warning' | 'error';
      text: string;
      source?: string;
    }
  /** The agent's closing report (its `finish` tool), and the user's answer when it asked one. */
  | { kind: 'report'; key: number; id: string; report: FinishReport; answer: string | null };

type ToolItem = Extract<TranscriptItem, { kind: 'tool' }>;

/** The runtime's tool through which an agent ends its work with a report. */
const FINISH_TOOL = 'finish';

function asReport(input: unknown): FinishReport {
  const i = (input ?? {}) as Partial<FinishReport>;
  return {
    status: i.status ?? 'COMPLETE',
    summary: typeof i.summary === 'string' ? i.summary : '',
    assumptions: Array.isArray(i.assumptions) ? i.assumptions : [],
    blockers: Array.isArray(i.blockers) ? i.blockers : [],
    question: typeof i.question === 'string' ? i.question : null,
  };
}

/** The runtime's own words in tool results: how a hook's or the user's decision shows in the conversation. */
const BLOCKED_PREFIX = 'This tool call was blocked';
const DENIED_PREFIX = 'The user denied this tool call';
/** A note the runtime adds as a user turn; not something the user wrote. */
/** User messages the runtime writes (not the person): an output-limit nudge, a Stop hook's feedback. */
const RUNTIME_NOTES = [/^Your reply reached the output token limit/, /^Stop hook feedback:\n/];

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((b: { text?: unknown }) => (typeof b.text === 'string' ? b.text : ''))
      .join('');
  return '';
}

function decisionOf(content: string, asked: boolean): ToolDecision | null {
  if (content.startsWith(BLOCKED_PREFIX)) return 'blocked by policy';
  if (content.startsWith(DENIED_PREFIX)) return 'denied by you';
  return asked ? 'approved' : null;
}

/**
 * An agent's conversation as the panel shows it, built from the stored
 * messages and then kept current by `agent.transcript` entries: streaming
 * text, tool calls with their input and result, the user's messages, and
 * notices (retries, errors, why a run ended).
 */
export class TranscriptModel {
  readonly #items = signal<readonly TranscriptItem[]>([]);
  readonly items = this.#items.asReadonly();
  #list: TranscriptItem[] = [];
  #nextKey = 1;
  #seenAssistant = new Set<number>();
  #asked = new Set<string>();
  #persona: string | null = null;
  #userTexts = 0;

  /** The persona new assistant text is attributed to. */
  setPersona(persona: string | null): void {
    this.#persona = persona;
  }

  /** Rebuilds from stored messages (a view opened later, or a reconnection). */
  load(messages: readonly TranscriptMessage[]): void {
    this.#list = [];
    this.#seenAssistant = new Set();
    this.#userTexts = 0;
    for (const message of messages) this.#addMessage(message, true);
    this.#publish();
  }

  apply(entry: TranscriptEntry): void {
    switch (entry.kind) {
      case 'text_delta': {
        const last = this.#list.at(-1);
        if (last?.kind === 'assistant' && last.streaming)
          this.#replace(this.#list.length - 1, { ...last, text: last.text + entry.text });
        else
          this.#push({
            kind: 'assistant',
            key: 0,
            text: entry.text,
            streaming: true,
            persona: this.#persona,
          });
        break;
      }
      case 'turn_discarded':
        this.#dropStreaming();
        this.#push({
          kind: 'notice',
          key: 0,
          level: 'warning',
          text: `The reply broke off and is tried again: ${entry.reason}`,
        });
        break;
      case 'message':
        this.#addMessage(entry.message, false);
        break;
      case 'tool_call': {
        if (entry.name === FINISH_TOOL) {
          this.#addReport(entry.toolUseId, asReport(entry.input));
          break;
        }
        const index = this.#toolIndex(entry.toolUseId);
        const item = this.#list[index] as ToolItem | undefined;
        if (item) this.#replace(index, { ...item, running: true });
        else
          this.#push({
            kind: 'tool',
            key: 0,
            id: entry.toolUseId,
            name: entry.name,
            input: entry.input,
            result: null,
            running: true,
            decision: null,
          });
        break;
      }
      case 'tool_result':
        this.#setResult(entry.toolUseId, entry.content, entry.isError);
        break;
      case 'user_message':
        // An answer shows as the result of the ask_user call that asked.
        if (entry.source === 'answer') break;
        this.#userTexts++;
        if (!this.#hasUserText(entry.text))
          this.#push({
            kind: 'user',
            key: 0,
            source: entry.source === 'steer' && this.#afterEnd() ? 'continue' : entry.source,
            text: entry.text,
          });
        break;
    }
    this.#publish();
  }

  /** A tool call is held for the user's decision. */
  approvalAsked(toolUseId: string): void {
    this.#asked.add(toolUseId);
    const index = this.#toolIndex(toolUseId);
    const item = this.#list[index] as ToolItem | undefined;
    if (item && !item.result) this.#replace(index, { ...item, decision: 'awaiting approval' });
    this.#publish();
  }

  /** A line from Troika: why a run ended, a hook's decision or failure, a persona change. */
  notice(level: 'info' | 'warning' | 'error', text: string, source?: string): void {
    const last = this.#list.at(-1);
    if (last?.kind === 'notice' && last.text === text) return;
    this.#push({ kind: 'notice', key: 0, level, text, ...(source ? { source } : {}) });
    this.#publish();
  }

  /**
   * The run is over (stopped, failed, done, paused): text that was still
   * streaming is what it is, so it stops showing the typing cursor.
   */
  settle(): void {
    if (!this.#list.some((item) => item.kind === 'assistant' && item.streaming)) return;
    this.#list = this.#list.map((item) =>
      item.kind === 'assistant' && item.streaming ? { ...item, streaming: false } : item,
    );
    this.#publish();
  }

  /** The agent's report (`agent.finish`): shown once, where its call is. */
  report(toolUseId: string, report: FinishReport): void {
    const index = this.#toolIndex(toolUseId);
    const item = this.#list[index];
    if (item?.kind === 'report') this.#replace(index, { ...item, report });
    else this.#addReport(toolUseId, report);
    this.#publish();
  }

  #addMessage(message: TranscriptMessage, stored: boolean): void {
    if (message.role === 'assistant') {
      this.#dropStreaming();
      if (this.#seenAssistant.has(message.seq)) return;
      this.#seenAssistant.add(message.seq);
      for (const block of message.content) this.#addAssistantBlock(block);
      return;
    }
    for (const block of message.content) {
      if (block.type === 'tool_result') {
        this.#setResult(
          String(block['tool_use_id']),
          resultText(block['content']),
          block['is_error'] === true,
        );
      } else if (block.type === 'text' && stored) {
        // Live, user text arrives as `user_message` entries; stored, it is read here.
        const text = String(block['text'] ?? '');
        const source =
          this.#userTexts++ === 0
            ? 'task'
            : RUNTIME_NOTES.some((n) => n.test(text))
              ? 'note'
              : this.#afterEnd()
                ? 'continue'
                : 'steer';
        this.#push({ kind: 'user', key: 0, source, text });
      }
    }
  }

  #addAssistantBlock(block: TranscriptBlock): void {
    if (block.type === 'text') {
      const text = String(block['text'] ?? '');
      if (text.trim())
        this.#push({ kind: 'assistant', key: 0, text, streaming: false, persona: this.#persona });
    } else if (block.type === 'tool_use' && block['name'] === FINISH_TOOL) {
      this.#addReport(String(block['id']), asReport(block['input']));
    } else if (block.type === 'tool_use') {
      const id = String(block['id']);
      if (this.#toolIndex(id) === -1) {
        this.#push({
          kind: 'tool',
          key: 0,
          id,
          name: String(block['name']),
          input: block['input'],
          result: null,
          running: false,
          decision: null,
        });
      }
    }
  }

  #addReport(id: string, report: FinishReport): void {
    if (this.#toolIndex(id) === -1)
      this.#push({ kind: 'report', key: 0, id, report, answer: null });
  }

  #setResult(toolUseId: string, content: string, isError: boolean): void {
    const index = this.#toolIndex(toolUseId);
    const found = this.#list[index];
    if (found?.kind === 'report') {
      // A report that asked the user: its result carries their answer.
      if (found.report.question && !isError && found.answer === null)
        this.#replace(index, { ...found, answer: content });
      return;
    }
    const item = found as ToolItem | undefined;
    if (!item || (item.result && !item.running)) return;
    this.#replace(index, {
      ...item,
      result: { content, isError },
      running: false,
      decision: decisionOf(content, this.#asked.has(toolUseId)),
    });
  }

  /**
   * Whether the conversation had come to an end: its last item (notices
   * aside) is the agent's report or its closing text, not a tool call. A user
   * message after that continues a finished agent; during a run it steers.
   */
  #afterEnd(): boolean {
    for (let i = this.#list.length - 1; i >= 0; i--) {
      const item = this.#list[i];
      if (item?.kind === 'notice') continue;
      return item?.kind === 'report' || (item?.kind === 'assistant' && !item.streaming);
    }
    return false;
  }

  #hasUserText(text: string): boolean {
    for (let i = this.#list.length - 1; i >= Math.max(0, this.#list.length - 3); i--) {
      const item = this.#list[i];
      if (item?.kind === 'user' && item.text === text) return true;
    }
    return false;
  }

  #toolIndex(id: string): number {
    return this.#list.findLastIndex(
      (item) => (item.kind === 'tool' || item.kind === 'report') && item.id === id,
    );
  }

  #dropStreaming(): void {
    this.#list = this.#list.filter((item) => !(item.kind === 'assistant' && item.streaming));
  }

  #push(item: TranscriptItem): void {
    this.#list.push({ ...item, key: this.#nextKey++ });
  }

  #replace(index: number, item: TranscriptItem): void {
    this.#list[index] = item;
  }

  #publish(): void {
    this.#items.set(this.#list.slice());
  }
}
