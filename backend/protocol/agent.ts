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

/** The longest task or message accepted; a pasted spec fits, a runaway client does not. */
export const MAX_AGENT_TEXT = 100_000;
/** A budget above this is a typo, not a plan. */
export const MAX_BUDGET_USD = 10_000;

export const AGENT_STATES = [
  'idle',
  'running',
  'paused',
  'waiting_approval',
  'waiting_answer',
  'done',
  'failed',
  'stopped',
] as const;
/**
 * - `idle`: not running (created, or cut off when Troika stopped; resumable)
 * - `running`: talking to the model or running a tool
 * - `paused`: holding at a safe point until resumed
 * - `waiting_approval`: a tool call needs the user's approve or deny
 * - `waiting_answer`: the agent asked the user a question
 * - `done`: the model finished its turn with nothing left to do
 * - `failed`: an error it could not recover from (the reason says which)
 * - `stopped`: stopped by the user, a budget, or shutdown (the reason says which)
 */
export type AgentState = (typeof AGENT_STATES)[number];

const AgentId = z.string().min(1).max(64);
const Text = z.string().min(1).max(MAX_AGENT_TEXT);
const Budget = z.number().positive().max(MAX_BUDGET_USD);

export interface AgentUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  costUsd: number;
}

/** A tool call held for the user's decision. */
export interface PendingApproval {
  toolUseId: string;
  tool: string;
  input: unknown;
  /** Why the policy asks, e.g. "recursive forced delete". */
  reason: string;
  /** What the call would do, for a person: the command line, or the file and change. */
  preview: string;
}

export interface PendingQuestion {
  toolUseId: string;
  question: string;
}

export interface AgentSummary {
  id: string;
  task: string;
  model: string;
  persona: string | null;
  /** The folder the user gave. */
  workspace: string;
  /** Where the agent works: its git worktree, or the folder itself. */
  workDir: string;
  /** The agent's git branch when it works in a worktree. */
  branch: string | null;
  state: AgentState;
  /** Why it is in this state, for a person (e.g. which budget stopped it). */
  stateReason: string | null;
  /** The agent's terminal (see `pty.*`), while it has one. */
  ptyId: string | null;
  budgetUsd: number | null;
  usage: AgentUsage;
  pendingApproval: PendingApproval | null;
  pendingQuestion: PendingQuestion | null;
  /** Steering messages waiting for the agent's next step. */
  queuedMessages: number;
  /** Whether `agent.resume` would continue it. */
  resumable: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A content block of a stored message, as the Messages API shapes it (text, tool_use, tool_result, thinking…). */
export interface TranscriptBlock {
  type: string;
  [key: string]: unknown;
}

export interface TranscriptMessage {
  seq: number;
  role: 'user' | 'assistant';
  content: TranscriptBlock[];
  createdAt: number;
}

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
    }),
  ).returns<AgentSummary>(),
  /** Agents of this session, newest first. */
  'agent.list': method(z.strictObject({})).returns<AgentSummary[]>(),
  /** One agent with its whole transcript (past runs too). */
  'agent.get': method(z.strictObject({ id: AgentId })).returns<AgentDetail>(),
  /** Past runs from the database, newest first. */
  'agent.history': method(z.strictObject({ limit: z.number().int().min(1).max(1000).optional() })).returns<AgentSummary[]>(),
  /** Pauses at the next safe point; `interrupt` also sends Ctrl-C to the running command. */
  'agent.pause': method(z.strictObject({ id: AgentId, interrupt: z.boolean().optional() })).returns<AgentSummary>(),
  /** Continues a paused agent, or restarts a stopped, failed or interrupted one from its transcript; `budgetUsd` raises its cap. */
  'agent.resume': method(z.strictObject({ id: AgentId, budgetUsd: Budget.optional() })).returns<AgentSummary>(),
  /** Aborts the model stream and the running command; the agent ends `stopped`. */
  'agent.stop': method(z.strictObject({ id: AgentId })).returns<AgentSummary>(),
  /** Queues a message the agent receives at its very next step; on a finished agent it starts a new turn. */
  'agent.steer': method(z.strictObject({ id: AgentId, text: Text })).returns<AgentSummary>(),
  'agent.approve': method(z.strictObject({ id: AgentId, toolUseId: z.string().min(1).max(128) })).returns<AgentSummary>(),
  'agent.deny': method(
    z.strictObject({ id: AgentId, toolUseId: z.string().min(1).max(128), reason: z.string().max(4096).optional() }),
  ).returns<AgentSummary>(),
  /** Answers the agent's pending question. */
  'agent.answer': method(z.strictObject({ id: AgentId, text: Text })).returns<AgentSummary>(),
};

/** One step of the conversation, as it happens. */
export type TranscriptEntry =
  /** A piece of assistant text while the model writes. */
  | { kind: 'text_delta'; text: string }
  /** The partial reply of a failed attempt is void; the retry streams anew. */
  | { kind: 'turn_discarded'; reason: string }
  /** A complete message was stored. */
  | { kind: 'message'; message: TranscriptMessage }
  | { kind: 'tool_call'; toolUseId: string; name: string; input: unknown }
  | { kind: 'tool_result'; toolUseId: string; content: string; isError: boolean }
  /** A user message: the task, a steer, or an answer. */
  | { kind: 'user_message'; text: string; source: 'task' | 'steer' | 'answer' };

export interface AgentEvents {
  'agent.state': { agentId: string; state: AgentState; reason: string | null; agent: AgentSummary };
  'agent.transcript': { agentId: string; entry: TranscriptEntry };
  'agent.usage': {
    agentId: string;
    /** This response's usage. */
    turn: Omit<AgentUsage, 'requests'>;
    total: AgentUsage;
    budgetUsd: number | null;
    /** Spent by all agents this session, against the global cap. */
    globalSpentUsd: number;
    globalBudgetUsd: number | null;
    /** False when the model had no price on file and the most expensive rates were used. */
    priceKnown: boolean;
  };
  'agent.approval': { agentId: string; approval: PendingApproval };
  'agent.question': { agentId: string; question: PendingQuestion };
  /** A model request failed; `retrying` says whether the agent tries again by itself. */
  'agent.error': { agentId: string; kind: string; message: string; retrying: boolean; attempt: number };
}
