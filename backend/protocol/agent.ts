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

/** How the agent ended its work, in its own words (its `finish` tool). */
export const FINISH_STATUSES = ['COMPLETE', 'NEEDS_CLARIFICATION', 'BLOCKED'] as const;
/**
 * - `COMPLETE`: the task is done; the run ends `done`
 * - `NEEDS_CLARIFICATION`: it needs a decision from the user; it waits for an answer
 * - `BLOCKED`: it cannot go on (a missing tool, access, a broken environment); it waits for an answer
 */
export type FinishStatus = (typeof FINISH_STATUSES)[number];

/** The agent's closing report. */
export interface FinishReport {
  status: FinishStatus;
  /** What was done and how it was checked. */
  summary: string;
  /** What it took for granted without being told. */
  assumptions: string[];
  /** What stops it (BLOCKED), or what is still open. */
  blockers: string[];
  /** Put to the user for NEEDS_CLARIFICATION and BLOCKED; their answer resumes the agent. */
  question: string | null;
}

/** The persona shaping the agent's work, and why it was chosen. */
export interface ActivePersona {
  name: string;
  /** For a person: "pinned by the user", or the triggers that matched. */
  reason: string;
  pinned: boolean;
}

/** What the token cache did for one agent (token figures use the estimate utf8 bytes / 4). */
export interface AgentCacheUsage {
  /** Read-only tool calls the cache looked at. */
  lookups: number;
  /** Answered from the token cache: the tool did not run. */
  hits: number;
  misses: number;
  /** Answered with a short reference to a result the conversation already holds. */
  references: number;
  /** Tokens not sent because a reference replaced an unchanged result. */
  savedTokens: number;
  /** Tokens of results served from the cache instead of running the tool (still sent). */
  servedTokens: number;
}

/** The conversation against the model's context window. */
export interface AgentContextUsage {
  /** Tokens the next request is expected to take: the last reported prompt plus an estimate of what was added since. */
  tokens: number;
  /** The model's context window in tokens. */
  window: number;
  /** How often older turns were summarized to make room. */
  compactions: number;
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
  /** The persona in the system prompt now; null for none. */
  activePersona: ActivePersona | null;
  /** Tokens the token cache saved this agent, hits and misses. */
  cache: AgentCacheUsage;
  /** Context window use; null before the first model request of this session. */
  context: AgentContextUsage | null;
  /** The agent's latest closing report (its `finish` tool), if it gave one. */
  report: FinishReport | null;
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
    /** What the token cache saved so far. */
    cache: AgentCacheUsage;
    context: AgentContextUsage | null;
  };
  'agent.approval': { agentId: string; approval: PendingApproval };
  'agent.question': { agentId: string; question: PendingQuestion };
  /** A model request failed; `retrying` says whether the agent tries again by itself. */
  'agent.error': {
    agentId: string;
    kind: string;
    message: string;
    retrying: boolean;
    attempt: number;
  };
  /** A hook failed, timed out, refused a message, left a note, or could not be loaded: never skipped silently. */
  'agent.hook': AgentHookReport;
  /** The persona changed (chosen by triggers, pinned, or turned off): a deliberate change of the cached prompt prefix. */
  'agent.persona': {
    agentId: string;
    persona: ActivePersona | null;
    previous: string | null;
    matched: PersonaTriggerMatch | null;
  };
  /** The token cache answered or missed a read-only call. */
  'agent.cache': { agentId: string; cache: AgentCacheUsage };
  /** Older turns were summarized to stay within the context window (the original task is kept verbatim). */
  'agent.context': AgentContextEvent;
  /** The agent called `finish`: its report, and for NEEDS_CLARIFICATION and BLOCKED a question follows. */
  'agent.finish': { agentId: string; toolUseId: string; report: FinishReport };
}

/** Hook events, as Claude Code names them, plus Troika's `ModelRequest` and `Load` (reading the hook and persona files). */
export type HookEventLabel =
  'UserPromptSubmit' | 'PreToolUse' | 'PostToolUse' | 'Stop' | 'ModelRequest' | 'Load';

/**
 * - `failed`: threw, exited with a code other than 0 and 2, could not start, or answered nonsense
 * - `timed_out`: ran past its timeout and was killed
 * - `refused`: a UserPromptSubmit hook refused a message (it was not sent)
 * - `note`: a message for the person watching
 * - `unsupported`: asked for something the runtime does not do (e.g. a Stop hook asking to continue)
 * - `not_loaded`: the hooks file or a persona file could not be used
 */
export type HookOutcome =
  'failed' | 'timed_out' | 'refused' | 'note' | 'unsupported' | 'not_loaded';

export interface AgentHookReport {
  agentId: string;
  /** The hook's name: a built-in (`policy`, `redaction`, `persona`, `cache`, `audit`) or `command "…"`. */
  hook: string;
  event: HookEventLabel;
  outcome: HookOutcome;
  message: string;
  /** What happened to the call or message: went on without the hook, or was blocked; null for notes. */
  effect: 'ignored' | 'blocked' | null;
  toolName: string | null;
  toolUseId: string | null;
  /** A command hook's exit code and error output, when it ran. */
  exitCode: number | null;
  stderr: string | null;
}

/** Which of a persona's triggers matched the work. */
export interface PersonaTriggerMatch {
  keywords: string[];
  globs: string[];
  tools: string[];
}

export interface AgentContextEvent {
  agentId: string;
  /** `compacted`: older turns were replaced by a summary; `skipped`: nothing could be summarized. */
  kind: 'compacted' | 'skipped';
  /** Estimated tokens before and after. */
  tokensBefore: number;
  tokensAfter: number;
  window: number;
  /** Messages replaced by the summary in this compaction. */
  summarizedMessages: number;
  /** Compactions of this agent so far, this one included. */
  compactions: number;
  /** The model sees the task, the summary, then the stored messages from this seq on (0: every message). */
  keptFromSeq: number;
  /** The summary the model sees in place of the older turns after this event (empty when there is none yet). */
  summary: string;
  /** Why it was skipped. */
  reason: string | null;
}
