/**
 * What an agent's summary says beyond its record and usage: the active
 * persona, what the token cache saved, the context window, the closing
 * report. Live agents keep it here; for a past run (or a restart) it is read
 * back from the latest events of each kind in the agent's event log.
 */
import type { EventsRepository } from '../persistence/events-repository.ts';
import type {
  ActivePersona,
  AgentCacheUsage,
  AgentContextEvent,
  AgentContextUsage,
  AgentEvents,
  FinishReport,
} from '../protocol/agent.ts';
import type { Compaction } from './conversation.ts';
import { addCacheUsage, NO_CACHE_USAGE } from './cache-usage.ts';

export interface AgentInsightsView {
  activePersona: ActivePersona | null;
  cache: AgentCacheUsage;
  context: AgentContextUsage | null;
  report: FinishReport | null;
}

export const NO_INSIGHTS: AgentInsightsView = {
  activePersona: null,
  cache: NO_CACHE_USAGE,
  context: null,
  report: null,
};

function latest<E extends keyof AgentEvents>(
  events: EventsRepository,
  agentId: string,
  type: E,
): AgentEvents[E] | undefined {
  return events.latest(agentId, type)?.data as AgentEvents[E] | undefined;
}

/** A past run's insights, from its event log (the context window is known only while it runs). */
export function storedInsights(events: EventsRepository, agentId: string): AgentInsightsView {
  return {
    activePersona: latest(events, agentId, 'agent.persona')?.persona ?? null,
    cache: latest(events, agentId, 'agent.cache')?.cache ?? NO_CACHE_USAGE,
    context: null,
    report: latest(events, agentId, 'agent.finish')?.report ?? null,
  };
}

/** The compaction in force at the agent's latest context event, if any. */
export function storedCompaction(
  events: EventsRepository,
  agentId: string,
): Compaction | undefined {
  const event: AgentContextEvent | undefined = latest(events, agentId, 'agent.context');
  if (!event || event.compactions === 0 || event.keptFromSeq < 1) return undefined;
  return { summary: event.summary, keepFromSeq: event.keptFromSeq, count: event.compactions };
}

export class AgentInsights {
  #persona: ActivePersona | null;
  /** Cache counters of earlier processes; the hooks count this one's from zero. */
  readonly #cacheBefore: AgentCacheUsage;
  #cacheNow: AgentCacheUsage = NO_CACHE_USAGE;
  #context: AgentContextUsage | null = null;
  #report: FinishReport | null;

  constructor(stored: AgentInsightsView) {
    this.#persona = stored.activePersona;
    this.#cacheBefore = stored.cache;
    this.#report = stored.report;
  }

  get view(): AgentInsightsView {
    return {
      activePersona: this.#persona,
      cache: this.cache,
      context: this.#context,
      report: this.#report,
    };
  }

  get cache(): AgentCacheUsage {
    return addCacheUsage(this.#cacheBefore, this.#cacheNow);
  }

  get context(): AgentContextUsage | null {
    return this.#context;
  }

  setPersona(persona: ActivePersona | null): void {
    this.#persona = persona;
  }

  /** The hooks' counters for this process; returns the agent's totals. */
  setCacheNow(stats: AgentCacheUsage): AgentCacheUsage {
    this.#cacheNow = stats;
    return this.cache;
  }

  setContext(context: AgentContextUsage): void {
    this.#context = context;
  }

  setReport(report: FinishReport): void {
    this.#report = report;
  }
}
