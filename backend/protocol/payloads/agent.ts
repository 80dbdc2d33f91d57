/**
 * What the backend says about agents (event payloads, and the summaries its
 * answers carry), as schemas: the one definition of these shapes. The types
 * are inferred from them; the renderer checks every inbound event against
 * them. zod/mini only: the browser loads this file (see events.ts).
 */
import * as z from 'zod/mini';

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
const AgentStateSchema = z.enum(AGENT_STATES);

const AgentUsageSchema = z.object({
  requests: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheCreationInputTokens: z.number(),
  cacheReadInputTokens: z.number(),
  costUsd: z.number(),
});
export type AgentUsage = z.infer<typeof AgentUsageSchema>;

/** One model's share of an agent's usage: after a fallback, each model is billed at its own rates. */
const ModelUsageSchema = z.object({
  /** As usage records it: an Anthropic id, or `openai:` and the OpenAI-compatible provider's id. */
  model: z.string(),
  requests: z.number(),
  costUsd: z.number(),
});
export type ModelUsage = z.infer<typeof ModelUsageSchema>;

/** A tool call held for the user's decision. */
const PendingApprovalSchema = z.object({
  toolUseId: z.string(),
  tool: z.string(),
  input: z.unknown(),
  /** Why the policy asks, e.g. "recursive forced delete". */
  reason: z.string(),
  /** What the call would do, for a person: the command line, or the file and change. */
  preview: z.string(),
});
export type PendingApproval = z.infer<typeof PendingApprovalSchema>;

const PendingQuestionSchema = z.object({ toolUseId: z.string(), question: z.string() });
export type PendingQuestion = z.infer<typeof PendingQuestionSchema>;

/** How the agent ended its work, in its own words (its `finish` tool). */
export const FINISH_STATUSES = ['COMPLETE', 'NEEDS_CLARIFICATION', 'BLOCKED'] as const;
/**
 * - `COMPLETE`: the task is done; the run ends `done`
 * - `NEEDS_CLARIFICATION`: it needs a decision from the user; it waits for an answer
 * - `BLOCKED`: it cannot go on (a missing tool, access, a broken environment); it waits for an answer
 */
export type FinishStatus = (typeof FINISH_STATUSES)[number];

/** The agent's closing report. */
const FinishReportSchema = z.object({
  status: z.enum(FINISH_STATUSES),
  /** What was done and how it was checked. */
  summary: z.string(),
  /** What it took for granted without being told. */
  assumptions: z.array(z.string()),
  /** What stops it (BLOCKED), or what is still open. */
  blockers: z.array(z.string()),
  /** Put to the user for NEEDS_CLARIFICATION and BLOCKED; their answer resumes the agent. */
  question: z.nullable(z.string()),
});
export type FinishReport = z.infer<typeof FinishReportSchema>;

/** The persona shaping the agent's work, and why it was chosen. */
const ActivePersonaSchema = z.object({
  name: z.string(),
  /** For a person: "pinned by the user", or the triggers that matched. */
  reason: z.string(),
  pinned: z.boolean(),
});
export type ActivePersona = z.infer<typeof ActivePersonaSchema>;

/** What the token cache did for one agent (token figures use the estimate utf8 bytes / 4). */
const AgentCacheUsageSchema = z.object({
  /** Read-only tool calls the cache looked at. */
  lookups: z.number(),
  /** Answered from the token cache: the tool did not run. */
  hits: z.number(),
  misses: z.number(),
  /** Answered with a short reference to a result the conversation already holds. */
  references: z.number(),
  /** Tokens not sent because a reference replaced an unchanged result. */
  savedTokens: z.number(),
  /** Tokens of results served from the cache instead of running the tool (still sent). */
  servedTokens: z.number(),
});
export type AgentCacheUsage = z.infer<typeof AgentCacheUsageSchema>;

/** The conversation against the model's context window. */
const AgentContextUsageSchema = z.object({
  /** Tokens the next request is expected to take: the last reported prompt plus an estimate of what was added since. */
  tokens: z.number(),
  /** The model's context window in tokens. */
  window: z.number(),
  /** How often older turns were summarized to make room. */
  compactions: z.number(),
});
export type AgentContextUsage = z.infer<typeof AgentContextUsageSchema>;

export const AgentSummarySchema = z.object({
  id: z.string(),
  task: z.string(),
  model: z.string(),
  persona: z.nullable(z.string()),
  /** The folder the user gave. */
  workspace: z.string(),
  /** Where the agent works: its git worktree, or the folder itself. */
  workDir: z.string(),
  /** The agent's git branch when it works in a worktree. */
  branch: z.nullable(z.string()),
  state: AgentStateSchema,
  /** Why it is in this state, for a person (e.g. which budget stopped it). */
  stateReason: z.nullable(z.string()),
  /** The agent's terminal (see `pty.*`), while it has one. */
  ptyId: z.nullable(z.string()),
  budgetUsd: z.nullable(z.number()),
  usage: AgentUsageSchema,
  pendingApproval: z.nullable(PendingApprovalSchema),
  pendingQuestion: z.nullable(PendingQuestionSchema),
  /** Steering messages waiting for the agent's next step. */
  queuedMessages: z.number(),
  /** Whether `agent.resume` would continue it. */
  resumable: z.boolean(),
  /** The persona in the system prompt now; null for none. */
  activePersona: z.nullable(ActivePersonaSchema),
  /** Tokens the token cache saved this agent, hits and misses. */
  cache: AgentCacheUsageSchema,
  /** Context window use; null before the first model request of this session. */
  context: z.nullable(AgentContextUsageSchema),
  /** The agent's latest closing report (its `finish` tool), if it gave one. */
  report: z.nullable(FinishReportSchema),
  /**
   * The agent whose slot it runs in (a plan's planner answering the builder
   * that waits for it): while that one holds a slot, the two count as one.
   */
  slotOf: z.optional(z.nullable(z.string())),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AgentSummary = z.infer<typeof AgentSummarySchema>;

/** A content block of a stored message, as the Messages API shapes it (text, tool_use, tool_result, thinking…): its other fields pass as they are. */
const TranscriptBlockSchema = z.looseObject({ type: z.string() });
export type TranscriptBlock = z.infer<typeof TranscriptBlockSchema>;

const TranscriptMessageSchema = z.object({
  seq: z.number(),
  role: z.enum(['user', 'assistant']),
  content: z.array(TranscriptBlockSchema),
  createdAt: z.number(),
});
export type TranscriptMessage = z.infer<typeof TranscriptMessageSchema>;

/** One step of the conversation, as it happens. */
const TranscriptEntrySchema = z.discriminatedUnion('kind', [
  /** A piece of assistant text while the model writes. */
  z.object({ kind: z.literal('text_delta'), text: z.string() }),
  /** The partial reply of a failed attempt is void; the retry streams anew. */
  z.object({ kind: z.literal('turn_discarded'), reason: z.string() }),
  /** A complete message was stored. */
  z.object({ kind: z.literal('message'), message: TranscriptMessageSchema }),
  z.object({
    kind: z.literal('tool_call'),
    toolUseId: z.string(),
    name: z.string(),
    input: z.unknown(),
  }),
  z.object({
    kind: z.literal('tool_result'),
    toolUseId: z.string(),
    content: z.string(),
    isError: z.boolean(),
    /** Of the call's time, the wait for the agent's shell to come up (it starts alongside the first model request). */
    shellWaitMs: z.optional(z.number()),
  }),
  /** A user message: the task, a steer, or an answer. */
  z.object({
    kind: z.literal('user_message'),
    text: z.string(),
    source: z.enum(['task', 'steer', 'answer']),
  }),
]);
export type TranscriptEntry = z.infer<typeof TranscriptEntrySchema>;

/** Hook events, as Claude Code names them, plus Troika's `ModelRequest` and `Load` (reading the hook and persona files). */
const HookEventLabelSchema = z.enum([
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Stop',
  'SubagentStop',
  'SessionStart',
  'SessionEnd',
  'Notification',
  'PreCompact',
  'PermissionRequest',
  'ModelRequest',
  'Load',
]);
export type HookEventLabel = z.infer<typeof HookEventLabelSchema>;

/**
 * - `failed`: threw, exited with a code other than 0 and 2, could not start, or answered nonsense
 * - `timed_out`: ran past its timeout and was killed
 * - `refused`: a UserPromptSubmit hook refused a message (it was not sent)
 * - `note`: a message for the person watching
 * - `unsupported`: asked for something the runtime does not do
 * - `not_loaded`: the hooks file or a persona file could not be used
 */
const HookOutcomeSchema = z.enum([
  'failed',
  'timed_out',
  'refused',
  'note',
  'unsupported',
  'not_loaded',
]);
export type HookOutcome = z.infer<typeof HookOutcomeSchema>;

const AgentHookReportSchema = z.object({
  agentId: z.string(),
  /** The hook's name: a built-in (`policy`, `redaction`, `persona`, `cache`, `audit`) or `command "…"`. */
  hook: z.string(),
  event: HookEventLabelSchema,
  outcome: HookOutcomeSchema,
  message: z.string(),
  /** What happened to the call or message: went on without the hook, or was blocked; null for notes. */
  effect: z.nullable(z.enum(['ignored', 'blocked'])),
  toolName: z.nullable(z.string()),
  toolUseId: z.nullable(z.string()),
  /** A command hook's exit code and error output, when it ran. */
  exitCode: z.nullable(z.number()),
  stderr: z.nullable(z.string()),
});
export type AgentHookReport = z.infer<typeof AgentHookReportSchema>;

/** Which of a persona's triggers matched the work. */
const PersonaTriggerMatchSchema = z.object({
  keywords: z.array(z.string()),
  globs: z.array(z.string()),
  tools: z.array(z.string()),
});
export type PersonaTriggerMatch = z.infer<typeof PersonaTriggerMatchSchema>;

const AgentContextEventSchema = z.object({
  agentId: z.string(),
  /** `compacted`: older turns were replaced by a summary; `skipped`: nothing could be summarized. */
  kind: z.enum(['compacted', 'skipped']),
  /** Estimated tokens before and after. */
  tokensBefore: z.number(),
  tokensAfter: z.number(),
  window: z.number(),
  /** Messages replaced by the summary in this compaction. */
  summarizedMessages: z.number(),
  /** Compactions of this agent so far, this one included. */
  compactions: z.number(),
  /** The model sees the task, the summary, then the stored messages from this seq on (0: every message). */
  keptFromSeq: z.number(),
  /** The summary the model sees in place of the older turns after this event (empty when there is none yet). */
  summary: z.string(),
  /** Why it was skipped. */
  reason: z.nullable(z.string()),
});
export type AgentContextEvent = z.infer<typeof AgentContextEventSchema>;

export const agentEventSchemas = {
  'agent.state': z.object({
    agentId: z.string(),
    state: AgentStateSchema,
    reason: z.nullable(z.string()),
    agent: AgentSummarySchema,
  }),
  'agent.transcript': z.object({ agentId: z.string(), entry: TranscriptEntrySchema }),
  'agent.usage': z.object({
    agentId: z.string(),
    /** This response's usage. */
    turn: z.omit(AgentUsageSchema, { requests: true }),
    /** The model that answered (not the alias the agent names). */
    model: z.string(),
    total: AgentUsageSchema,
    /** The total split by the model that answered, in order of first use. */
    byModel: z.array(ModelUsageSchema),
    budgetUsd: z.nullable(z.number()),
    /** Spent by all agents this session, against the global cap. */
    globalSpentUsd: z.number(),
    globalBudgetUsd: z.nullable(z.number()),
    /** False when the model had no price on file and the most expensive rates were used. */
    priceKnown: z.boolean(),
    /** What the token cache saved so far. */
    cache: AgentCacheUsageSchema,
    context: z.nullable(AgentContextUsageSchema),
  }),
  'agent.approval': z.object({ agentId: z.string(), approval: PendingApprovalSchema }),
  'agent.question': z.object({ agentId: z.string(), question: PendingQuestionSchema }),
  /** A model request failed; `retrying` says whether the agent tries again by itself. */
  'agent.error': z.object({
    agentId: z.string(),
    kind: z.string(),
    message: z.string(),
    retrying: z.boolean(),
    attempt: z.number(),
  }),
  /** A hook failed, timed out, refused a message, left a note, or could not be loaded: never skipped silently. */
  'agent.hook': AgentHookReportSchema,
  /**
   * The instruction files (CLAUDE.md, AGENTS.md…) in the agent's system prompt: when first read, and
   * whenever one changed (`changed`: the cached prompt prefix changes at the next turn).
   */
  'agent.instructions': z.object({
    agentId: z.string(),
    files: z.array(
      z.object({
        path: z.string(),
        /** `user` (~/.claude/CLAUDE.md), `project`, `local` (CLAUDE.local.md) or `import`. */
        kind: z.string(),
        /** Estimated (utf8 bytes / 4). */
        tokens: z.number(),
        importedBy: z.optional(z.string()),
      }),
    ),
    tokens: z.number(),
    /** What was skipped and why (an import outside the repository, a file too large). */
    notes: z.array(z.string()),
    changed: z.boolean(),
  }),
  /** The persona changed (chosen by triggers, pinned, or turned off): a deliberate change of the cached prompt prefix. */
  'agent.persona': z.object({
    agentId: z.string(),
    persona: z.nullable(ActivePersonaSchema),
    previous: z.nullable(z.string()),
    matched: z.nullable(PersonaTriggerMatchSchema),
  }),
  /** A turn moved to the next model of its alias's chain after a transient failure; later turns stay there. */
  'agent.model': z.object({
    agentId: z.string(),
    /** The alias whose chain it is (`coder`, …), or null for a concrete model. */
    alias: z.nullable(z.string()),
    from: z.object({ provider: z.string(), model: z.string() }),
    to: z.object({ provider: z.string(), model: z.string() }),
    /** The failure, as the user would have been told it. */
    reason: z.string(),
    faultKind: z.string(),
  }),
  /** The token cache answered or missed a read-only call. */
  'agent.cache': z.object({ agentId: z.string(), cache: AgentCacheUsageSchema }),
  /** Older turns were summarized to stay within the context window (the original task is kept verbatim). */
  'agent.context': AgentContextEventSchema,
  /** The agent called `finish`: its report, and for NEEDS_CLARIFICATION and BLOCKED a question follows. */
  'agent.finish': z.object({
    agentId: z.string(),
    toolUseId: z.string(),
    report: FinishReportSchema,
  }),
};

export type AgentEvents = {
  [E in keyof typeof agentEventSchemas]: z.infer<(typeof agentEventSchemas)[E]>;
};
