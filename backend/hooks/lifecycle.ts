/**
 * Claude Code's lifecycle events, as hooks get them: the session starting
 * (`SessionStart`) and ending (`SessionEnd`), the agent waiting on a person
 * (`Notification`), older turns about to be summarized (`PreCompact`), and
 * Troika about to ask a person to approve a call (`PermissionRequest`).
 * Each runs every hook with a `lifecycle` handler, in the pipeline's order;
 * see `HookPipeline.lifecycle` for how the answers combine.
 */
import type { CommonOutcome, CommonResult } from './types.ts';

/** Why a session started, in Claude Code's words (`startup` for a new agent, `resume` after Troika restarted, `compact` after a summary). */
export type SessionStartSource = 'startup' | 'resume' | 'clear' | 'compact';
/** Why a session ended, in Claude Code's words (Troika says `other`: the agent was deleted or the app quit). */
export type SessionEndReason = 'clear' | 'logout' | 'prompt_input_exit' | 'other';
/** What a notification is about: an approval (`permission_prompt`) or a question (`idle_prompt`). */
export type NotificationType = 'permission_prompt' | 'idle_prompt';

export type LifecycleEvent =
  | { readonly name: 'SessionStart'; readonly source: SessionStartSource }
  | { readonly name: 'SessionEnd'; readonly reason: SessionEndReason }
  | {
      readonly name: 'Notification';
      readonly message: string;
      readonly notificationType: NotificationType;
    }
  | {
      readonly name: 'PreCompact';
      readonly trigger: 'manual' | 'auto';
      readonly customInstructions: string;
    }
  | {
      readonly name: 'PermissionRequest';
      readonly toolName: string;
      readonly toolUseId: string;
      readonly toolInput: unknown;
    };

/** A PermissionRequest hook deciding in the person's place. */
export interface PermissionAnswer {
  readonly behavior: 'allow' | 'deny';
  /** For a deny: why, told to the model. */
  readonly message?: string;
  /** For an allow: the input to run instead. */
  readonly updatedInput?: unknown;
  /** For a deny: end the agent's run too. */
  readonly interrupt?: boolean;
}

export interface LifecycleOutcome extends CommonOutcome {
  /** Text for the model (SessionStart). */
  readonly additionalContext?: string;
  /** PermissionRequest only. */
  readonly permission?: PermissionAnswer;
}

export interface LifecycleResult extends CommonResult {
  /** A PermissionRequest answer: the first deny, else the first allow. */
  readonly permission: (PermissionAnswer & { readonly hook: string }) | undefined;
}
