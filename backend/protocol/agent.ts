/**
 * Agents: Claude conversations that work in their own terminal and workspace,
 * which a person starts, watches, pauses, steers, approves and stops.
 *
 * Requests change an agent; every change is announced by events, so several
 * windows stay in step. `agent.transcript` streams the conversation as it is
 * written (text deltas, tool calls, tool results, user messages); `agent.get`
 * returns the whole stored transcript for a view opened later.
 */
import { z } from 'zod';
import { method } from './define.ts';
import type { AgentSummary, TranscriptMessage } from './payloads/agent.ts';

// The shapes the backend sends are schemas in payloads/agent.ts (the browser checks events against them).
export {
  AGENT_STATES,
  FINISH_STATUSES,
  type ActivePersona,
  type AgentCacheUsage,
  type AgentContextEvent,
  type AgentContextUsage,
  type AgentEvents,
  type AgentHookReport,
  type AgentState,
  type AgentSummary,
  type AgentUsage,
  type ModelUsage,
  type FinishReport,
  type FinishStatus,
  type HookEventLabel,
  type HookOutcome,
  type PendingApproval,
  type PendingQuestion,
  type PersonaTriggerMatch,
  type TranscriptBlock,
  type TranscriptEntry,
  type TranscriptMessage,
} from './payloads/agent.ts';

/** The longest task or message accepted; a pasted spec fits, a runaway client does not. */
export const MAX_AGENT_TEXT = 100_000;
/** A budget above this is a typo, not a plan. */
export const MAX_BUDGET_USD = 10_000;

const AgentId = z.string().min(1).max(64);
const Text = z.string().min(1).max(MAX_AGENT_TEXT);
const Budget = z.number().positive().max(MAX_BUDGET_USD);

export interface AgentDetail extends AgentSummary {
  transcript: TranscriptMessage[];
}

export const agentMethods = {
  /** Starts an agent on `task` in `workspace`; a 4th running agent is refused (`limit_reached`). */
  'agent.start': method(
    z.strictObject({
      task: Text,
      workspace: z.string().min(1).max(4096),
      model: z.string().min(1).max(100).optional(),
      budgetUsd: Budget.optional(),
      persona: z.string().min(1).max(MAX_AGENT_TEXT).optional(),
      /** In a git repository: the branch the agent starts from (its current tip), and where its work lands by default. Default: the checked-out branch. */
      baseBranch: z
        .string()
        .min(1)
        .max(255)
        .regex(/^(?!-)[^\s~^:?*[\\]+$/, 'not a branch name')
        .optional(),
    }),
  ).returns<AgentSummary>(),
  /** Agents of this session, newest first. */
  'agent.list': method(z.strictObject({})).returns<AgentSummary[]>(),
  /** One agent with its whole transcript (past runs too). */
  'agent.get': method(z.strictObject({ id: AgentId })).returns<AgentDetail>(),
  /** Past runs from the database, newest first. */
  'agent.history': method(
    z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }),
  ).returns<AgentSummary[]>(),
  /** Pauses at the next safe point; `interrupt` also sends Ctrl-C to the running command. */
  'agent.pause': method(
    z.strictObject({ id: AgentId, interrupt: z.boolean().optional() }),
  ).returns<AgentSummary>(),
  /** Continues a paused agent, or restarts a stopped, failed or interrupted one from its transcript; `budgetUsd` raises its cap. */
  'agent.resume': method(
    z.strictObject({ id: AgentId, budgetUsd: Budget.optional() }),
  ).returns<AgentSummary>(),
  /** Aborts the model stream and the running command; the agent ends `stopped`. */
  'agent.stop': method(z.strictObject({ id: AgentId })).returns<AgentSummary>(),
  /** Queues a message the agent receives at its very next step; on a finished agent it starts a new turn. */
  'agent.steer': method(z.strictObject({ id: AgentId, text: Text })).returns<AgentSummary>(),
  'agent.approve': method(
    z.strictObject({ id: AgentId, toolUseId: z.string().min(1).max(128) }),
  ).returns<AgentSummary>(),
  'agent.deny': method(
    z.strictObject({
      id: AgentId,
      toolUseId: z.string().min(1).max(128),
      reason: z.string().max(4096).optional(),
    }),
  ).returns<AgentSummary>(),
  /** Answers the agent's pending question. */
  'agent.answer': method(z.strictObject({ id: AgentId, text: Text })).returns<AgentSummary>(),
  /**
   * The user pins another persona (or none, `null`) on an agent of this
   * session, running or finished: a deliberate change of the cached prompt
   * prefix, announced and logged as `agent.persona`.
   */
  'agent.setPersona': method(
    z.strictObject({ id: AgentId, persona: z.nullable(z.string().min(1).max(100)) }),
  ).returns<AgentSummary>(),
};
