/**
 * What the hooks tell the runtime about an agent, in the protocol's terms:
 * failures, notes and refusals (`agent.hook`), persona changes
 * (`agent.persona`), token cache counters (`agent.cache`), tool-result
 * clearings (an `agent.hook` note) and audit records (kept in the event log
 * only). The hooks' own event shapes are translated here, so the agent loop
 * and the protocol do not depend on them.
 */
import type { AgentHookEvent } from '../hooks/hook-events.ts';
import type { AgentStore } from '../persistence/store.ts';
import type {
  ActivePersona,
  AgentCacheUsage,
  AgentHookReport,
  PersonaTriggerMatch,
} from '../protocol/agent.ts';
import type { EmitAgentEvent } from './agent-deps.ts';
import type { AgentInsights } from './agent-insights.ts';

export type HookReport =
  | { readonly type: 'hook'; readonly report: Omit<AgentHookReport, 'agentId'> }
  | {
      readonly type: 'persona';
      readonly persona: ActivePersona | null;
      readonly previous: string | null;
      readonly matched: PersonaTriggerMatch | null;
    }
  /** The agent's counters in this process (they start at zero when Troika starts). */
  | { readonly type: 'cache'; readonly stats: AgentCacheUsage }
  | { readonly type: 'audit'; readonly record: unknown };

/** Event type under which audit records go to the agent's event log; they are not published to the UI. */
export const AUDIT_EVENT_TYPE = 'hook.audit';

/** The name tool-result clearing reports under (it is the runtime's, not a user's hook). */
export const CONTEXT_EDITING_HOOK_NAME = 'context editing';

/** A hook report without a tool or a command's details. */
export function plainHookReport(
  hook: string,
  event: AgentHookReport['event'],
  outcome: AgentHookReport['outcome'],
  message: string,
  effect: AgentHookReport['effect'],
): Omit<AgentHookReport, 'agentId'> {
  return {
    hook,
    event,
    outcome,
    message,
    effect,
    toolName: null,
    toolUseId: null,
    exitCode: null,
    stderr: null,
  };
}

/** The hooks' event as a report for the runtime. */
export function toHookReport(event: AgentHookEvent): HookReport {
  switch (event.type) {
    case 'hook.failure': {
      const f = event.failure;
      return {
        type: 'hook',
        report: {
          hook: f.hook,
          event: f.event,
          outcome: f.kind === 'timeout' ? 'timed_out' : 'failed',
          message: f.message,
          effect: f.effect,
          toolName: f.toolName ?? null,
          toolUseId: f.toolUseId ?? null,
          exitCode: f.exitCode ?? null,
          stderr: f.stderr ?? null,
        },
      };
    }
    case 'hook.message':
      return {
        type: 'hook',
        report: plainHookReport(event.message.hook, event.event, 'note', event.message.text, null),
      };
    case 'hook.unsupported':
      return {
        type: 'hook',
        report: plainHookReport(
          event.hook,
          event.event,
          'unsupported',
          `Troika cannot do what this hook asked (${event.request}); it went on without it.`,
          'ignored',
        ),
      };
    case 'persona.change': {
      const c = event.change;
      return {
        type: 'persona',
        persona: c.name === null ? null : { name: c.name, reason: c.reason, pinned: c.pinned },
        previous: c.previous,
        matched:
          c.matched === undefined
            ? null
            : {
                keywords: [...c.matched.keywords],
                globs: [...c.matched.globs],
                tools: [...c.matched.tools],
              },
      };
    }
    case 'cache.stats': {
      const s = event.stats;
      return {
        type: 'cache',
        stats: {
          lookups: s.lookups,
          hits: s.hits,
          misses: s.misses,
          references: s.references,
          savedTokens: s.tokensSaved,
          servedTokens: s.tokensServedFromCache,
        },
      };
    }
    case 'context.cleared': {
      const c = event.clearing;
      const message =
        `Cleared ${c.toolUseIds.length} older tool result${c.toolUseIds.length === 1 ? '' : 's'} from what the model is sent ` +
        `(about ${c.tokensFreed} tokens fewer per request; ${c.totalCleared} cleared so far). The transcript keeps them; the model can make the same call again.`;
      return {
        type: 'hook',
        report: plainHookReport(CONTEXT_EDITING_HOOK_NAME, 'ModelRequest', 'note', message, null),
      };
    }
    case 'audit':
      return { type: 'audit', record: event.record };
  }
}

/** Where a live agent's hook reports go. */
export interface HookReportSink {
  readonly agentId: string;
  readonly insights: AgentInsights;
  readonly store: AgentStore;
  readonly emit: EmitAgentEvent;
  now(): number;
  /** Announces the agent's summary (the persona is part of it). */
  publish(): void;
}

/** Announces a report (audit records only go to the event log) and keeps what the summary shows. */
export function applyHookReport(report: HookReport, sink: HookReportSink): void {
  switch (report.type) {
    case 'hook':
      sink.emit('agent.hook', { agentId: sink.agentId, ...report.report });
      return;
    case 'persona':
      sink.insights.setPersona(report.persona);
      sink.emit('agent.persona', {
        agentId: sink.agentId,
        persona: report.persona,
        previous: report.previous,
        matched: report.matched,
      });
      sink.publish();
      return;
    case 'cache':
      sink.emit('agent.cache', {
        agentId: sink.agentId,
        cache: sink.insights.setCacheNow(report.stats),
      });
      return;
    case 'audit':
      sink.store.events.appendSoon(sink.agentId, AUDIT_EVENT_TYPE, report.record, sink.now());
      return;
  }
}
