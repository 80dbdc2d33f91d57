/**
 * What the agent loop calls: the one hook pipeline (`HookPipeline`, whose
 * hooks are all of the one `Hook` type) as the runtime sees it. The loop
 * hands over a user message, a model request, a tool call, a tool result, or
 * the end of a run, and gets back what to do: the combined answer of every
 * registered hook. {@link TroikaHooks} (troika-hooks.ts) is the
 * implementation; these types live here, below the agent layer, so that
 * hooks never import the agent and the agent imports only this seam.
 */
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import type { SessionStartSource } from './lifecycle.ts';
import type { ShellDialect, ToolOutput } from './types.ts';

/** The agent a call is made for, as it is at the time of the call. */
export interface HookAgent {
  readonly agentId: string;
  readonly workDir: string;
  readonly model: string;
  /** A persona name the user pinned, the user's own persona text, or none. */
  readonly persona: string | null;
  /** How the agent's shell reads commands, for the approval policy; default POSIX. */
  readonly shellDialect?: ShellDialect;
  /** Started by a plan (Claude Code's subagent): its end runs SubagentStop hooks, not Stop. */
  readonly subagent?: boolean;
}

/** A tool call the model asked for. */
export interface ToolCall {
  readonly toolUseId: string;
  readonly name: string;
  readonly input: unknown;
}

/** What the hooks decided about a tool call. */
export type ToolDecision =
  | { action: 'allow'; input?: unknown }
  | { action: 'ask'; reason: string; input?: unknown }
  | { action: 'deny'; reason: string }
  /** A hook answers in the tool's place (a cache hit): the tool does not run. */
  | { action: 'respond'; result: ToolOutput };

/** A UserPromptSubmit hook refused a user message: it is not sent to the model. */
export class PromptRefusedError extends Error {
  readonly hook: string;
  readonly reason: string;
  constructor(hook: string, reason: string) {
    super(`The message was refused by the ${hook} hook: ${reason}`);
    this.name = 'PromptRefusedError';
    this.hook = hook;
    this.reason = reason;
  }
}

/**
 * A hook ended the agent's run (Claude Code's `"continue": false` with its
 * `stopReason`, or a PermissionRequest deny with `interrupt`): the runtime
 * stops the agent with this message, and what was not run yet is not run.
 */
export class RunEndedByHookError extends Error {
  readonly hook: string;
  readonly reason: string;
  constructor(hook: string, reason: string) {
    super(`Stopped by the ${hook} hook: ${reason}`);
    this.name = 'RunEndedByHookError';
    this.hook = hook;
    this.reason = reason;
  }
}

/** How a run ended, for the Stop hooks. */
export interface RunOutcome {
  readonly state: string;
  readonly reason: string | null;
  /** The run was itself a continuation a Stop hook asked for (Claude Code's `stop_hook_active`). */
  readonly stopHookActive?: boolean;
  /** The text of the model's last reply, when it ended on one. */
  readonly lastAssistantMessage?: string;
}

/** Stop hooks said not to stop yet: the agent goes on with this text as a user message. */
export interface StopDecision {
  readonly continueWith: string;
  /** The hooks that asked, for the note. */
  readonly hooks: readonly string[];
}

/** What the agent waits on a person for, for Notification hooks. */
export interface WaitNotice {
  readonly message: string;
  readonly type: 'permission_prompt' | 'idle_prompt';
}

/**
 * The hook pipeline at the agent loop's seam. Every method runs the agent's
 * pipeline for one event and returns the final value (unchanged when no hook
 * changed it).
 */
export interface HookRunner {
  /** UserPromptSubmit: the message the model gets; throws {@link PromptRefusedError} for a refused one. */
  userPrompt(agent: HookAgent, text: string): Promise<string>;
  /** ModelRequest: the request as the hooks left it (persona block, cleared tool results). */
  modelRequest(agent: HookAgent, request: ModelRequestSpec): Promise<ModelRequestSpec>;
  /** PreToolUse: the combined decision (a deny beats an ask beats an allow). */
  toolDecision(agent: HookAgent, call: ToolCall): Promise<ToolDecision>;
  /** PostToolUse: the result the model gets. */
  toolResult(agent: HookAgent, call: ToolCall, result: ToolOutput): Promise<ToolOutput>;
  /**
   * Stop: the agent's run ended (done, failed, stopped), called before the
   * end is announced. For a `done` run, Stop hooks may answer that it should
   * go on; the runtime then continues with the decision's text.
   */
  stop(agent: HookAgent, outcome: RunOutcome): Promise<StopDecision | undefined | void>;
  /** Older turns were summarized: results they held are no longer in the model's context. */
  compacted(agent: HookAgent): Promise<void>;
  /** SessionStart: the agent's first run in this process (`startup` for a new conversation, `resume` for a stored one). */
  sessionStart?(agent: HookAgent, source: SessionStartSource): Promise<void>;
  /** PreCompact: older turns are about to be summarized. */
  preCompact?(agent: HookAgent, trigger: 'manual' | 'auto'): Promise<void>;
  /** Notification: the agent waits on a person (its question); approvals are notified by the hooks themselves. */
  waiting?(agent: HookAgent, notice: WaitNotice): Promise<void>;
}
