/**
 * Agents' stored runs, as the database holds them: a past run's summary and
 * transcript, the run history, reports that arrive for a run with no live
 * agent, and, at start-up, marking the runs a crash or a shutdown cut off so
 * that they can be resumed from their transcript (the resume itself rebuilds
 * a live agent, see agent-builder.ts).
 */
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentStore } from '../persistence/store.ts';
import type { AgentDetail, AgentSummary } from '../protocol/agent.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { EmitAgentEvent } from './agent-deps.ts';
import { AgentInsights, storedInsights } from './agent-insights.ts';
import { applyHookReport, AUDIT_EVENT_TYPE, type HookReport } from './hook-reports.ts';
import { ACTIVE_STATES, buildSummary } from './summary.ts';

/** Past runs listed when the caller gives no limit. */
export const DEFAULT_HISTORY_LIMIT = 100;

export const INTERRUPTED_REASON =
  'Interrupted: Troika stopped while this agent was running. Resume to continue from its transcript.';

export class StoredRuns {
  readonly #store: AgentStore;
  readonly #now: () => number;

  constructor(store: AgentStore, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  /** The stored record of agent `id`; a protocol `not_found` when there is none. */
  record(id: string): AgentRecord {
    const record = this.#store.agents.get(id);
    if (!record) throw new ProtocolError('not_found', `No agent with id "${id}"`);
    return record;
  }

  summary(record: AgentRecord): AgentSummary {
    return buildSummary(
      record,
      this.#store.usage.totalsFor(record.id),
      undefined,
      storedInsights(this.#store.events, record.id),
    );
  }

  /** A past run with its stored transcript. */
  detail(id: string): AgentDetail {
    const record = this.record(id);
    const transcript = this.#store.transcript.list(id).map((row) => ({
      ...row,
      content: row.content as AgentDetail['transcript'][number]['content'],
    }));
    return { ...this.summary(record), transcript };
  }

  /** Every stored run, newest first; `live` gives a live agent's own summary. */
  history(limit: number, live: (id: string) => AgentSummary | undefined): AgentSummary[] {
    return this.#store.agents.list(limit).map((record) => live(record.id) ?? this.summary(record));
  }

  /** A run cut off by a crash: stopping it only records the decision. */
  stop(id: string): AgentSummary {
    const record = this.record(id);
    if (record.state === 'idle')
      this.#store.agents.updateState(id, 'stopped', 'Stopped by the user', this.#now());
    return this.summary(this.record(id));
  }

  /** A hook report for a run with no live agent: logged (and announced, audit records excepted). */
  hookReport(agentId: string, report: HookReport, emit: EmitAgentEvent): void {
    if (!this.#store.agents.get(agentId)) return;
    if (report.type === 'audit') {
      this.#store.events.appendSoon(agentId, AUDIT_EVENT_TYPE, report.record, this.#now());
      return;
    }
    const insights = new AgentInsights(storedInsights(this.#store.events, agentId));
    applyHookReport(report, {
      agentId,
      insights,
      store: this.#store,
      emit,
      now: this.#now,
      publish: () => undefined,
    });
  }

  /** After a restart: runs still marked active were cut off; they become idle and resumable. */
  markInterrupted(): void {
    const now = this.#now();
    for (const record of this.#store.agents.listInStates([...ACTIVE_STATES])) {
      this.#store.agents.updateState(record.id, 'idle', INTERRUPTED_REASON, now);
      this.#store.events.append(
        record.id,
        'agent.state',
        { state: 'idle', reason: INTERRUPTED_REASON },
        now,
      );
    }
  }
}
