/**
 * A hook: a named set of handlers, one per event it cares about. Built-in
 * hooks (policy, redaction, persona, cache, audit) and the user's command
 * hooks all have this shape and run in the same pipeline.
 */
import type { LifecycleEvent, LifecycleOutcome } from './lifecycle.ts';
import type {
  Awaitable,
  HookFailureKind,
  HookSession,
  ModelRequestOutcome,
  ModelRequestState,
  PostToolUseEvent,
  PostToolUseOutcome,
  PreToolUseEvent,
  PreToolUseOutcome,
  PreToolUseResult,
  StopEvent,
  StopOutcome,
  UserPromptSubmitEvent,
  UserPromptSubmitOutcome,
} from './types.ts';

/** What a handler gets besides the event. */
export interface HookContext {
  readonly session: HookSession;
  /** Aborted when the pipeline is disposed (the agent is stopped): a running command is killed. */
  readonly signal: AbortSignal;
}

export interface Hook {
  /** Shown in events and failure reports. */
  readonly name: string;
  /**
   * What happens when this hook fails: `'continue'` (default) reports it and
   * goes on without it, as Claude Code does for a failing command; `'block'`
   * reports it and refuses (a deny, a blocked prompt, a withheld result), for
   * hooks whose absence would be unsafe (policy, redaction).
   */
  readonly onFailure?: 'continue' | 'block';
  /** Tool events only: whether this hook handles calls of `toolName`. Default: all. */
  matches?(toolName: string, toolInput: unknown): boolean;

  userPromptSubmit?(
    event: UserPromptSubmitEvent,
    context: HookContext,
  ): Awaitable<UserPromptSubmitOutcome | undefined>;
  preToolUse?(
    event: PreToolUseEvent,
    context: HookContext,
  ): Awaitable<PreToolUseOutcome | undefined>;
  postToolUse?(
    event: PostToolUseEvent,
    context: HookContext,
  ): Awaitable<PostToolUseOutcome | undefined>;
  stop?(event: StopEvent, context: HookContext): Awaitable<StopOutcome | undefined>;
  /** SessionStart, SessionEnd, Notification, PreCompact, PermissionRequest (see lifecycle.ts). */
  lifecycle?(event: LifecycleEvent, context: HookContext): Awaitable<LifecycleOutcome | undefined>;
  /** Built-in hooks only: runs before every model request. */
  modelRequest?(
    state: ModelRequestState,
    context: HookContext,
  ): Awaitable<ModelRequestOutcome | undefined>;
  /**
   * Sees the combined PreToolUse result, whoever decided it and whether or
   * not this hook's own handler ran (a deny ends the handlers early). For
   * observers such as the audit log.
   */
  toolDecided?(
    event: PreToolUseEvent,
    result: PreToolUseResult,
    context: HookContext,
  ): Awaitable<void>;
  /** Release what the hook holds; called once, when its pipeline is disposed. */
  dispose?(): Awaitable<void>;
}

/** A failure a hook reports with details (a command hook's exit code and stderr). */
export class HookError extends Error {
  readonly kind: HookFailureKind;
  readonly exitCode: number | null | undefined;
  readonly stderr: string | undefined;
  constructor(
    kind: HookFailureKind,
    message: string,
    details: { exitCode?: number | null; stderr?: string } = {},
  ) {
    super(message);
    this.name = 'HookError';
    this.kind = kind;
    this.exitCode = details.exitCode;
    this.stderr = details.stderr;
  }
}
