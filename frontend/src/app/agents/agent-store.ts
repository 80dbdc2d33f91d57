import { computed, signal } from '@angular/core';
import type {
  AgentSummary,
  EventMap,
  ModelUsage,
  MethodName,
  ParamsOf,
  TranscriptEntry,
  TranscriptMessage,
} from '../../../../backend/protocol/index.ts';
import type { ProtocolClient } from '../core/protocol-client';
import type { ControlTiming } from './control-timing';
import { messageOf } from './format';
import { TranscriptModel } from './transcript-model';

/** A control on its way to the backend; the panel shows it at once. */
export type PendingControl = 'pause' | 'resume' | 'stop' | 'approve' | 'deny' | 'answer';

/** The `done` reason of a run that ended with a COMPLETE report (backend/agent/tools/finish.ts). */
const COMPLETE_REASON = /^Complete: /;

export const WAITING_STATES: ReadonlySet<string> = new Set(['waiting_approval', 'waiting_answer']);
const ACTIVE_STATES: ReadonlySet<string> = new Set([
  'running',
  'paused',
  'waiting_approval',
  'waiting_answer',
]);

/**
 * One agent as the console sees it: its summary, transcript, usage and the
 * steering messages it has not taken in yet, as signals updated from the
 * backend's events; and its controls, which show their effect before the
 * backend answers (then the answer, or the error, replaces it).
 */
export class AgentStore {
  readonly id: string;
  readonly #client: ProtocolClient;
  readonly #timing: ControlTiming;
  readonly #summary;
  readonly summary;
  readonly transcript = new TranscriptModel();
  readonly #queued = signal<readonly string[]>([]);
  /** Steering messages sent but not yet taken in by the agent. */
  readonly queued = this.#queued.asReadonly();
  readonly #pending = signal<PendingControl | null>(null);
  readonly pending = this.#pending.asReadonly();
  /** A pause was asked for; the agent holds at its next safe point. */
  readonly #pauseRequested = signal(false);
  readonly pauseRequested = this.#pauseRequested.asReadonly();
  readonly #error = signal<string | null>(null);
  /** Why the last control failed, for the user. */
  readonly error = this.#error.asReadonly();
  /** The last problem reaching the model (a retry in progress, or the failure). */
  readonly #instructions = signal<EventMap['agent.instructions'] | null>(null);
  /** The instruction files (CLAUDE.md, AGENTS.md…) in the agent's system prompt, as last reported. */
  readonly instructions = this.#instructions.asReadonly();
  readonly #modelError = signal<EventMap['agent.error'] | null>(null);
  readonly modelError = this.#modelError.asReadonly();
  readonly #priceKnown = signal(true);
  /** Cost per model that answered, from the latest usage event; empty until one arrives. */
  readonly #byModel = signal<ModelUsage[]>([]);
  /**
   * While a stored transcript is being fetched, the live entries and reports
   * that arrive meanwhile; the snapshot replaces the list, so what is newer
   * than it is applied again afterwards (see {@link replayAfter}).
   */
  #arrivedDuringLoad: Arrival[] | null = null;
  readonly priceKnown = this.#priceKnown.asReadonly();
  readonly byModel = this.#byModel.asReadonly();

  readonly state = computed(() => this.summary().state);
  readonly waiting = computed(() => WAITING_STATES.has(this.state()));
  readonly active = computed(() => ACTIVE_STATES.has(this.state()));
  /** After its own budget stopped it, the cap a resume raises it to (twice the old one, or half again what it spent): else it would stop again at once. */
  readonly raisedBudget = computed(() => {
    const summary = this.summary();
    if (
      summary.state !== 'stopped' ||
      summary.budgetUsd === null ||
      !/this agent's budget/.test(summary.stateReason ?? '')
    )
      return null;
    return Math.max(summary.budgetUsd * 2, Math.ceil(summary.usage.costUsd * 150) / 100);
  });

  constructor(summary: AgentSummary, client: ProtocolClient, timing: ControlTiming) {
    this.id = summary.id;
    this.#client = client;
    this.#timing = timing;
    this.#summary = signal(summary);
    this.summary = this.#summary.asReadonly();
    this.transcript.setPersona(summary.activePersona?.name ?? summary.persona);
  }

  /** Fetches the stored transcript (after a start, a reconnection, or for a past run). */
  async load(): Promise<void> {
    const arrived: Arrival[] = [];
    this.#arrivedDuringLoad = arrived;
    try {
      const detail = await this.#client.request('agent.get', { id: this.id });
      this.#setSummary(detail);
      this.transcript.load(detail.transcript);
      for (const arrival of replayAfter(detail.transcript, arrived)) {
        if (arrival.kind === 'entry') this.transcript.apply(arrival.entry);
        else this.transcript.report(arrival.toolUseId, arrival.report);
      }
      // The newest summary, not the snapshot's: a state event may have come in during the fetch.
      const current = this.summary();
      if (current.pendingApproval) this.transcript.approvalAsked(current.pendingApproval.toolUseId);
      this.#noteEnd(current);
    } catch (error) {
      this.#error.set(`Could not load the conversation: ${messageOf(error)}`);
    } finally {
      if (this.#arrivedDuringLoad === arrived) this.#arrivedDuringLoad = null;
    }
  }

  onState(event: EventMap['agent.state']): void {
    this.#setSummary(event.agent);
    if (event.state === 'running') this.#modelError.set(null);
  }

  onTranscript(event: EventMap['agent.transcript']): void {
    const entry = event.entry;
    this.#arrivedDuringLoad?.push({ kind: 'entry', entry });
    this.transcript.apply(entry);
    if (entry.kind === 'user_message' && entry.source === 'steer') this.#takeQueued(entry.text);
    if (entry.kind === 'text_delta') this.#modelError.set(null);
  }

  onUsage(event: EventMap['agent.usage']): void {
    this.#summary.update((s) => ({
      ...s,
      usage: event.total,
      budgetUsd: event.budgetUsd,
      cache: event.cache,
      context: event.context,
    }));
    this.#priceKnown.set(event.priceKnown);
    this.#byModel.set(event.byModel);
  }

  /** A fallback: the model the agent names was failing, so its next model in the chain took over. */
  onModel(event: EventMap['agent.model']): void {
    // The failing model's retries are over: its "retrying" line goes, even if the next model starts with a tool call.
    this.#modelError.set(null);
    const name = (t: { provider: string; model: string }) => `${t.provider}:${t.model}`;
    this.transcript.notice(
      'warning',
      `Switched from ${name(event.from)} to ${name(event.to)}${event.alias ? ` (the ${event.alias} alias's next model)` : ''}: ${event.reason}`,
      'Model',
    );
  }

  onCache(event: EventMap['agent.cache']): void {
    this.#summary.update((s) => ({ ...s, cache: event.cache }));
  }

  onPersona(event: EventMap['agent.persona']): void {
    this.#summary.update((s) => ({ ...s, activePersona: event.persona }));
    this.transcript.setPersona(event.persona?.name ?? null);
    this.transcript.notice(
      'info',
      event.persona
        ? `${event.persona.name}: ${event.persona.reason}`
        : `No persona from here on${event.previous ? ` (was ${event.previous})` : ''}.`,
      'Persona',
    );
  }

  onInstructions(event: EventMap['agent.instructions']): void {
    this.#instructions.set(event);
    const names = event.files.map((f) => f.path.split(/[\\/]/).slice(-2).join('/')).join(', ');
    const what = names === '' ? 'none' : `${names} (~${event.tokens} tokens)`;
    this.transcript.notice(
      'info',
      event.changed
        ? `Instruction files changed: ${what}. The cached prompt prefix is rewritten at this turn.`
        : `Instruction files in the system prompt: ${what}.` +
            (event.notes.length > 0 ? ` ${event.notes.join(' ')}` : ''),
      'Instructions',
    );
  }

  /** A hook's failure, refusal or note: said in the conversation, never skipped silently. */
  onHook(event: EventMap['agent.hook']): void {
    const effect =
      event.effect === 'blocked'
        ? ' It was blocked.'
        : event.effect === 'ignored'
          ? ' Went on without it.'
          : '';
    const level =
      event.outcome === 'note' ? 'info' : event.effect === 'blocked' ? 'error' : 'warning';
    const outcome = event.outcome.replace('_', ' ');
    this.transcript.notice(
      level,
      `${event.hook} (${event.event}) ${outcome}: ${event.message}${effect}`,
      'Hook',
    );
  }

  onContext(event: EventMap['agent.context']): void {
    this.transcript.notice(
      event.kind === 'compacted' ? 'info' : 'warning',
      event.kind === 'compacted'
        ? `${event.summarizedMessages} older messages were summarized to fit the context window (${event.tokensBefore} → ${event.tokensAfter} tokens).`
        : `The context window is nearly full and nothing could be summarized${event.reason ? `: ${event.reason}` : ''}.`,
      'Context',
    );
  }

  onFinish(event: EventMap['agent.finish']): void {
    this.#arrivedDuringLoad?.push({
      kind: 'report',
      toolUseId: event.toolUseId,
      report: event.report,
    });
    this.#summary.update((s) => ({ ...s, report: event.report }));
    this.transcript.report(event.toolUseId, event.report);
  }

  onApproval(event: EventMap['agent.approval']): void {
    this.#summary.update((s) => ({ ...s, pendingApproval: event.approval }));
    this.transcript.approvalAsked(event.approval.toolUseId);
  }

  onQuestion(event: EventMap['agent.question']): void {
    this.#summary.update((s) => ({ ...s, pendingQuestion: event.question }));
  }

  onError(event: EventMap['agent.error']): void {
    this.#modelError.set(event);
    if (!event.retrying) this.transcript.notice('error', event.message);
  }

  pause(): Promise<void> {
    return this.#control('pause', 'agent.pause', { id: this.id }, () =>
      this.#pauseRequested.set(true),
    );
  }

  /** Continues a paused agent, or restarts a stopped one; `budgetUsd` raises its cap (after a budget stop). */
  resume(budgetUsd?: number): Promise<void> {
    const params = budgetUsd === undefined ? { id: this.id } : { id: this.id, budgetUsd };
    return this.#control('resume', 'agent.resume', params, () => this.#pauseRequested.set(false));
  }

  stop(): Promise<void> {
    return this.#control('stop', 'agent.stop', { id: this.id });
  }

  approve(): Promise<void> {
    const approval = this.summary().pendingApproval;
    if (!approval) return Promise.resolve();
    return this.#control('approve', 'agent.approve', {
      id: this.id,
      toolUseId: approval.toolUseId,
    });
  }

  deny(reason?: string): Promise<void> {
    const approval = this.summary().pendingApproval;
    if (!approval) return Promise.resolve();
    const params = reason
      ? { id: this.id, toolUseId: approval.toolUseId, reason }
      : { id: this.id, toolUseId: approval.toolUseId };
    return this.#control('deny', 'agent.deny', params);
  }

  answer(text: string): Promise<void> {
    return this.#control('answer', 'agent.answer', { id: this.id, text });
  }

  /**
   * Pins another persona (or none): the backend announces the change
   * (`agent.persona`), which updates the panel and notes it in the conversation.
   */
  async setPersona(name: string | null): Promise<void> {
    this.#error.set(null);
    try {
      this.#setSummary(
        await this.#client.request('agent.setPersona', { id: this.id, persona: name }),
      );
    } catch (error) {
      this.#error.set(`Could not change the persona: ${messageOf(error)}`);
    }
  }

  /** Queues a message; it shows as queued at once, and leaves the queue when the agent takes it in. */
  async steer(text: string): Promise<boolean> {
    const confirmed = this.#timing.begin('steer');
    this.#queued.update((q) => [...q, text]);
    this.#error.set(null);
    try {
      this.#setSummary(await this.#client.request('agent.steer', { id: this.id, text }));
      return true;
    } catch (error) {
      this.#queued.update((q) => {
        const index = q.lastIndexOf(text);
        return index === -1 ? q : [...q.slice(0, index), ...q.slice(index + 1)];
      });
      this.#error.set(`The message was not sent: ${messageOf(error)}`);
      return false;
    } finally {
      confirmed();
    }
  }

  async #control<M extends MethodName>(
    kind: PendingControl,
    method: M,
    params: ParamsOf<M>,
    onSuccess?: () => void,
  ): Promise<void> {
    if (this.#pending()) return;
    const confirmed = this.#timing.begin(kind);
    this.#pending.set(kind);
    this.#error.set(null);
    try {
      const summary = (await this.#client.request(method, params)) as AgentSummary;
      onSuccess?.();
      this.#setSummary(summary);
    } catch (error) {
      this.#error.set(`Could not ${kind}: ${messageOf(error)}`);
    } finally {
      this.#pending.set(null);
      confirmed();
    }
  }

  #setSummary(summary: AgentSummary): void {
    const previous = this.#summary();
    // Events and answers can cross: a newer summary is never replaced by an older one.
    if (summary.updatedAt < previous.updatedAt) return;
    this.#summary.set(summary);
    // Noted on whichever path brings the change first (a state event, a request's reply, a reload).
    if (summary.state !== previous.state) this.#noteEnd(summary);
    this.transcript.setPersona(summary.activePersona?.name ?? summary.persona);
    if (summary.state === 'paused' || !ACTIVE_STATES.has(summary.state))
      this.#pauseRequested.set(false);
    if (summary.state !== 'running') this.transcript.settle();
    if (
      summary.queuedMessages === 0 &&
      !ACTIVE_STATES.has(summary.state) &&
      summary.state !== 'idle'
    )
      this.#queued.set([]);
  }

  #takeQueued(delivered: string): void {
    this.#queued.update((q) => {
      const index = q.findIndex((text) => delivered.startsWith(text));
      return index === -1 ? q.slice(1) : [...q.slice(0, index), ...q.slice(index + 1)];
    });
  }

  /** Why a run ended, said once in the conversation (a budget stop, a failure). */
  #noteEnd(summary: AgentSummary): void {
    if (
      summary.state === 'stopped' ||
      summary.state === 'failed' ||
      (summary.state === 'idle' && summary.stateReason)
    ) {
      this.transcript.notice(
        summary.state === 'failed' ? 'error' : 'warning',
        summary.stateReason ?? `The agent ${summary.state}.`,
      );
    } else if (summary.state === 'done' && !COMPLETE_REASON.test(summary.stateReason ?? '')) {
      // A run that ended with a report says so in the report card; the reason would repeat it.
      this.transcript.notice('info', summary.stateReason ?? 'The agent finished its task.');
    }
  }
}

type Arrival =
  | { kind: 'entry'; entry: TranscriptEntry }
  | { kind: 'report'; toolUseId: string; report: EventMap['agent.finish']['report'] };

/**
 * What of the live stream a snapshot does not hold yet: everything after the
 * last stored message that the snapshot already contains. Entries before it
 * (text deltas, tool calls, results, user texts) are part of that snapshot;
 * stored messages after it are applied by their sequence number.
 */
export function replayAfter(
  snapshot: readonly TranscriptMessage[],
  arrived: readonly Arrival[],
): Arrival[] {
  const lastSeq = snapshot.reduce((max, m) => Math.max(max, m.seq), -1);
  let cut = -1;
  arrived.forEach((a, i) => {
    if (a.kind === 'entry' && a.entry.kind === 'message' && a.entry.message.seq <= lastSeq) cut = i;
  });
  return arrived.slice(cut + 1);
}
