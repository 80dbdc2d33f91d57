/** An agent's summary for the protocol, from its stored record plus what only a live agent knows. */
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { UsageTotals } from '../persistence/usage-repository.ts';
import type {
  AgentState,
  AgentSummary,
  PendingApproval,
  PendingQuestion,
} from '../protocol/agent.ts';
import { NO_INSIGHTS, type AgentInsightsView } from './agent-insights.ts';

export interface LiveAgentInfo {
  active: boolean;
  ptyId: string | null;
  pendingApproval: PendingApproval | null;
  pendingQuestion: PendingQuestion | null;
  queuedMessages: number;
  /** The agent whose slot it runs in, if any. */
  slotOf?: string | null | undefined;
}

/** States a new run can start from (paused continues the same run). */
export const RESUMABLE_STATES: ReadonlySet<AgentState> = new Set([
  'idle',
  'paused',
  'stopped',
  'failed',
]);
/** States in which a run holds one of the agent slots. */
export const ACTIVE_STATES: ReadonlySet<AgentState> = new Set([
  'running',
  'paused',
  'waiting_approval',
  'waiting_answer',
]);

const NOT_LIVE: LiveAgentInfo = {
  active: false,
  ptyId: null,
  pendingApproval: null,
  pendingQuestion: null,
  queuedMessages: 0,
};

export function buildSummary(
  record: AgentRecord,
  usage: UsageTotals,
  live: LiveAgentInfo = NOT_LIVE,
  insights: AgentInsightsView = NO_INSIGHTS,
): AgentSummary {
  const state = record.state as AgentState;
  return {
    id: record.id,
    task: record.task,
    model: record.model,
    persona: record.persona,
    workspace: record.workspace,
    workDir: record.workDir,
    branch: record.branch,
    state,
    stateReason: record.stateReason,
    ptyId: live.ptyId,
    budgetUsd: record.budgetUsd,
    usage,
    pendingApproval: live.pendingApproval,
    pendingQuestion: live.pendingQuestion,
    queuedMessages: live.queuedMessages,
    resumable: !live.active && RESUMABLE_STATES.has(state),
    activePersona: insights.activePersona,
    cache: insights.cache,
    context: insights.context,
    report: insights.report,
    ...(live.slotOf && { slotOf: live.slotOf }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
