/**
 * Hook events and what hooks answer, named after Claude Code's hooks
 * (`UserPromptSubmit`, `PreToolUse`, `PostToolUse`, `Stop`, `SubagentStop`, and the
 * lifecycle events of {@link LIFECYCLE_EVENTS}) so that people who know
 * those know these. `ModelRequest` is Troika's own event, for built-in hooks
 * only: it runs before every model request (persona block, tool-result
 * clearing).
 */
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';

/**
 * Claude Code's events that tell a hook about the session rather than
 * change a call: run through {@link Hook.lifecycle} (see lifecycle.ts).
 */
export const LIFECYCLE_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'Notification',
  'PreCompact',
  'PermissionRequest',
] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENTS)[number];

/** The events a user's command hook can subscribe to. */
export const HOOK_EVENTS = [
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Stop',
  'SubagentStop',
  ...LIFECYCLE_EVENTS,
] as const;
export type HookEventName = (typeof HOOK_EVENTS)[number];
/** Every event of the pipeline, the built-in-only one included. */
export type PipelineEventName = HookEventName | 'ModelRequest';

export type Awaitable<T> = T | Promise<T>;

/**
 * How an agent's shell reads commands. The same union as the terminal's
 * `ShellDialect` (agent/tools/shell-commands.ts), which is assignable to it;
 * spelled out here so that hooks need not import the agent's tools.
 */
export type ShellDialect = 'posix' | 'fish' | 'powershell';

/** The agent a pipeline runs for. */
export interface HookSession {
  readonly agentId: string;
  /** The agent's working folder; command hooks run in it. */
  readonly cwd: string;
  /** A file holding the transcript, when there is one (Claude Code's `transcript_path`); else `''`. */
  readonly transcriptPath: string;
  /** How the agent's shell reads commands (the policy reads them the same way); default POSIX. */
  readonly shellDialect?: ShellDialect;
}

/** A tool's result, as the model gets it. Same shape as the runtime's `ToolResult`. */
export interface ToolOutput {
  readonly content: string;
  readonly isError: boolean;
}

/** Where a user message came from. */
export type PromptSource = 'task' | 'steer' | 'answer';

export interface UserPromptSubmitEvent {
  readonly prompt: string;
  /** Unknown when the runtime does not say. */
  readonly source?: PromptSource;
}

export interface PreToolUseEvent {
  readonly toolName: string;
  readonly toolUseId: string;
  /** The input as it stands after earlier hooks changed it. */
  readonly toolInput: unknown;
}

export interface PostToolUseEvent {
  readonly toolName: string;
  readonly toolUseId: string;
  readonly toolInput: unknown;
  /** The result as it stands after earlier hooks changed it. */
  readonly toolResponse: ToolOutput;
  /** The hook that answered in the tool's place (a cache hit), when the tool did not run. */
  readonly answeredBy?: string;
}

export interface StopEvent {
  /** True when the agent is already continuing because a Stop hook said so (Claude Code's `stop_hook_active`). */
  readonly stopHookActive: boolean;
  /** The text of the model's last reply (Claude Code's `last_assistant_message`), when known. */
  readonly lastAssistantMessage?: string;
  /**
   * How the run ended: `done` (the agent finished; Claude Code's Stop), or
   * `stopped` / `failed` (a person stopped it, an error ended it: Claude Code
   * runs no Stop hooks then, and command hooks are not run). Default `done`.
   */
  readonly outcome?: 'done' | 'stopped' | 'failed';
  /**
   * The agent is a plan's subagent (started by the plan layer): its end runs
   * the SubagentStop command hooks instead of Stop, as Claude Code does for a
   * subagent. Default false.
   */
  readonly subagent?: boolean;
}

/** The parts of a model request hooks may set. */
export interface ModelRequestState {
  /** The persona system block; `undefined` for none. */
  readonly persona: string | undefined;
  /** The conversation as the request sends it (never the stored one); left out when a caller has none to offer. */
  readonly messages?: MessageParam[];
}

// ----- what one hook answers ---------------------------------------------------------------------

/** Fields any hook may answer (Claude Code's common JSON output). */
export interface CommonOutcome {
  /** End the agent's run with this reason (Claude Code's `"continue": false` with `stopReason`). */
  readonly stop?: string;
  /** A note for the person watching, not for the model. */
  readonly systemMessage?: string;
}

/** Strictest first: a deny beats an ask beats an allow. */
export type PermissionDecision = 'allow' | 'ask' | 'deny';

export interface PreToolUseOutcome extends CommonOutcome {
  readonly decision?: PermissionDecision;
  /**
   * For an ask: another hook's allow cannot lift it (a permission rule's
   * ask, a write outside the workspace). Troika's other asks are lifted by a
   * hook's allow, as Claude Code's own prompt is.
   */
  readonly firm?: boolean;
  /** Why: shown to the model for a deny, to the person for an ask. */
  readonly reason?: string;
  /** The input to use instead (later hooks and the tool see it). */
  readonly updatedInput?: unknown;
  /** Answer in the tool's place: the tool does not run (a cache hit, a short reference). */
  readonly response?: ToolOutput;
  /** Text the model gets next to the tool's result. */
  readonly additionalContext?: string;
}

export interface PostToolUseOutcome extends CommonOutcome {
  /** The result to give the model instead. */
  readonly updatedResponse?: ToolOutput;
  /** Text the model gets next to the result (Claude Code's `additionalContext`, and a `block` reason). */
  readonly additionalContext?: string;
}

export interface UserPromptSubmitOutcome extends CommonOutcome {
  /** Refuse the prompt: it is not sent, and this reason is shown to the person. */
  readonly block?: string;
  /** The prompt to send instead (built-in hooks only: redaction). */
  readonly updatedPrompt?: string;
  /** Text the model gets with the prompt. */
  readonly additionalContext?: string;
}

export interface StopOutcome extends CommonOutcome {
  /** Do not stop: the agent goes on with this text as its instruction. */
  readonly block?: string;
}

export interface ModelRequestOutcome {
  /** Set the persona block; `null` removes it. */
  readonly persona?: string | null;
  /** Send these messages instead (a view with older tool results cleared); the stored conversation is unchanged. */
  readonly messages?: MessageParam[];
}

// ----- what the pipeline answers -----------------------------------------------------------------

/** A hook's note for the person watching. */
export interface HookMessage {
  readonly hook: string;
  readonly text: string;
}

/** A hook ending the run. */
export interface HookStop {
  readonly hook: string;
  readonly reason: string;
}

/** What every combined result has. */
export interface CommonResult {
  /** Set when a hook asked to end the agent's run; the first one wins. */
  readonly stop: HookStop | undefined;
  readonly systemMessages: readonly HookMessage[];
  /** Text for the model, in hook order. */
  readonly additionalContext: readonly string[];
}

export interface UserPromptSubmitResult extends CommonResult {
  readonly prompt: string;
  /** Set when a hook refused the prompt; later hooks did not run. */
  readonly blocked: { readonly hook: string; readonly reason: string } | undefined;
}

export interface PreToolUseResult extends CommonResult {
  /** `allow` when no hook objected. */
  readonly decision: PermissionDecision;
  /** Reasons of the hooks that gave the winning decision, joined; `undefined` for a plain allow. */
  readonly reason: string | undefined;
  /** Hooks that gave the winning decision. */
  readonly decidedBy: readonly string[];
  /** Set when a hook's allow lifted asks (Troika's own prompt is skipped): the asks it lifted. */
  readonly liftedAsk?: string;
  /** The input after every change. */
  readonly input: unknown;
  /** Hooks that changed the input, in order. */
  readonly inputChangedBy: readonly string[];
  /** An answer given in the tool's place; never set together with a deny. */
  readonly response: (ToolOutput & { readonly hook: string }) | undefined;
}

export interface PostToolUseResult extends CommonResult {
  readonly response: ToolOutput;
  /** Hooks that changed the result, in order. */
  readonly changedBy: readonly string[];
}

export interface StopResult extends CommonResult {
  /** Set when a hook said not to stop yet: the instruction to continue with (reasons joined). */
  readonly continueWith: string | undefined;
  /** The hooks that said not to stop yet. */
  readonly blockedBy: readonly string[];
}

// ----- failures ----------------------------------------------------------------------------------

/** Why a hook failed. */
export type HookFailureKind = 'error' | 'timeout' | 'exit-code' | 'invalid-output' | 'spawn';

/**
 * A hook that failed, timed out or answered nonsense. Every one is reported
 * to the runtime (for the agent's events); none is skipped silently.
 */
export interface HookFailure {
  readonly hook: string;
  readonly event: PipelineEventName;
  readonly kind: HookFailureKind;
  readonly message: string;
  /** For a tool event. */
  readonly toolName?: string;
  readonly toolUseId?: string;
  /** For a command hook that ran. */
  readonly exitCode?: number | null;
  readonly stderr?: string;
  /** What the pipeline did about it: went on without the hook, or blocked (a hook that fails closed). */
  readonly effect: 'ignored' | 'blocked';
}
