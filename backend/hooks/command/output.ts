/**
 * What a command hook's exit code and output mean, by Claude Code's rules:
 *
 * - exit 0: success. JSON on stdout (an object) may carry `continue`,
 *   `stopReason`, `systemMessage`, `decision` ("block"; "approve" for
 *   PreToolUse), `reason`, and `hookSpecificOutput` with `permissionDecision`
 *   (allow / deny / ask), `permissionDecisionReason`, `updatedInput`,
 *   `additionalContext`. Plain text on stdout is context for the model on
 *   UserPromptSubmit and ignored elsewhere.
 * - exit 2: block, with stderr as the reason: PreToolUse denies the call
 *   (the model reads why), PostToolUse feeds stderr to the model,
 *   UserPromptSubmit refuses the prompt, Stop keeps the agent going,
 *   PermissionRequest denies; on SessionStart, SessionEnd, Notification and
 *   PreCompact it cannot block and stderr is shown to the person.
 * - SessionStart: `additionalContext`, or plain stdout, is context for the
 *   model; PermissionRequest: `hookSpecificOutput.decision` (`behavior`
 *   allow / deny, `message`, `updatedInput`, `interrupt`) answers for the person.
 * - any other exit, a timeout, or unreadable JSON: a failure, reported and
 *   otherwise ignored (the call goes ahead), as Claude Code does.
 */
import { fromClaudeInput } from '../claude-tools.ts';
import { HookError } from '../hook.ts';
import type { LifecycleOutcome } from '../lifecycle.ts';
import type {
  CommonOutcome,
  HookEventName,
  PostToolUseOutcome,
  PreToolUseOutcome,
  StopOutcome,
  UserPromptSubmitOutcome,
} from '../types.ts';
import { parseHookJson, type HookJson as JsonOutput } from './hook-json.ts';
import type { CommandRun } from './run-command.ts';

/** Claude Code's "block" exit code. */
export const BLOCKING_EXIT_CODE = 2;
/** Stderr kept in a failure report: enough to diagnose, bounded for the event log. */
const MAX_REPORTED_STDERR_CHARS = 4_000;

export type CommandOutcome =
  PreToolUseOutcome | PostToolUseOutcome | UserPromptSubmitOutcome | StopOutcome | LifecycleOutcome;

/** The call a tool event was about: an `updatedInput` is mapped back onto it. */
export interface ToolCallInfo {
  readonly toolName: string;
  readonly toolInput: unknown;
}

function clip(text: string): string {
  return text.length > MAX_REPORTED_STDERR_CHARS
    ? `${text.slice(0, MAX_REPORTED_STDERR_CHARS)}…`
    : text;
}

function common(json: JsonOutput): CommonOutcome {
  return {
    ...(json.continue === false && { stop: json.stopReason ?? 'A hook ended the run' }),
    ...(json.systemMessage !== undefined && { systemMessage: json.systemMessage }),
  };
}

function fromJson(
  json: JsonOutput,
  event: HookEventName,
  call: ToolCallInfo | undefined,
  hook: string,
): CommandOutcome {
  const specific = json.hookSpecificOutput;
  const context = specific?.additionalContext;
  switch (event) {
    case 'PreToolUse': {
      const legacy =
        json.decision === 'approve' ? 'allow' : json.decision === 'block' ? 'deny' : undefined;
      const permission = specific?.permissionDecision;
      const decision = permission === 'defer' ? undefined : (permission ?? legacy);
      const reason = specific?.permissionDecisionReason ?? json.reason;
      const updated = specific?.updatedInput;
      return {
        ...common(json),
        ...(decision !== undefined && {
          decision,
          reason: reason ?? (decision === 'allow' ? undefined : `${hook} said ${decision}`),
        }),
        ...(updated !== undefined &&
          call !== undefined && {
            updatedInput: fromClaudeInput(call.toolName, call.toolInput, updated),
          }),
        ...(context !== undefined && { additionalContext: context }),
      } satisfies PreToolUseOutcome;
    }
    case 'PostToolUse': {
      const feedback =
        json.decision === 'block' ? (json.reason ?? `${hook} flagged this result`) : undefined;
      const text = [feedback, context]
        .filter((part): part is string => part !== undefined)
        .join('\n\n');
      return {
        ...common(json),
        ...(text !== '' && { additionalContext: text }),
      } satisfies PostToolUseOutcome;
    }
    case 'UserPromptSubmit':
      return {
        ...common(json),
        ...(json.decision === 'block' && { block: json.reason ?? `${hook} refused the prompt` }),
        ...(context !== undefined && { additionalContext: context }),
      } satisfies UserPromptSubmitOutcome;
    case 'Stop':
    case 'SubagentStop':
      return {
        ...common(json),
        ...(json.decision === 'block' && {
          block: json.reason ?? `${hook} asked the agent to continue`,
        }),
      } satisfies StopOutcome;
    case 'PermissionRequest': {
      const answer = specific?.decision;
      return {
        ...common(json),
        ...(answer !== undefined && {
          permission: {
            behavior: answer.behavior,
            ...(answer.message !== undefined && { message: answer.message }),
            ...(answer.interrupt !== undefined && { interrupt: answer.interrupt }),
            ...(answer.updatedInput !== undefined &&
              call !== undefined && {
                updatedInput: fromClaudeInput(call.toolName, call.toolInput, answer.updatedInput),
              }),
          },
        }),
      } satisfies LifecycleOutcome;
    }
    default:
      return {
        ...common(json),
        ...(event === 'SessionStart' && context !== undefined && { additionalContext: context }),
      } satisfies LifecycleOutcome;
  }
}

function blocking(event: HookEventName, reason: string): CommandOutcome {
  switch (event) {
    case 'PreToolUse':
      return { decision: 'deny', reason } satisfies PreToolUseOutcome;
    case 'PostToolUse':
      return { additionalContext: reason } satisfies PostToolUseOutcome;
    case 'UserPromptSubmit':
      return { block: reason } satisfies UserPromptSubmitOutcome;
    case 'Stop':
    case 'SubagentStop':
      return { block: reason } satisfies StopOutcome;
    case 'PermissionRequest':
      return { permission: { behavior: 'deny', message: reason } } satisfies LifecycleOutcome;
    default:
      return { systemMessage: reason } satisfies LifecycleOutcome;
  }
}

/**
 * The outcome of a finished command, or `undefined` for "no opinion".
 * @throws {HookError} for a failure: not started, timed out, killed, an exit code other than 0 and 2, or bad JSON.
 */
export function interpretRun(
  run: CommandRun,
  event: HookEventName,
  options: { hook: string; timeoutMs: number; call?: ToolCallInfo },
): CommandOutcome | undefined {
  const stderr = clip(run.stderr.trim());
  if (run.spawnError !== undefined)
    throw new HookError('spawn', `could not be started (${run.spawnError.message})`);
  if (run.timedOut) {
    throw new HookError(
      'timeout',
      `did not finish within ${options.timeoutMs / 1000} s and was killed`,
      { exitCode: null, stderr },
    );
  }
  if (run.aborted)
    throw new HookError('error', 'was killed because the agent stopped', {
      exitCode: null,
      stderr,
    });
  if (run.exitCode === BLOCKING_EXIT_CODE)
    return blocking(event, stderr || `Blocked by ${options.hook}`);
  if (run.exitCode !== 0) {
    const how =
      run.exitCode === null
        ? `was killed by ${run.signal ?? 'a signal'}`
        : `exited with code ${run.exitCode}`;
    throw new HookError('exit-code', stderr ? `${how}: ${stderr.split('\n')[0]}` : how, {
      exitCode: run.exitCode,
      stderr,
    });
  }
  const stdout = run.stdout.trim();
  if (stdout === '') return undefined;
  if (stdout.startsWith('{'))
    return fromJson(parseHookJson(stdout, event), event, options.call, options.hook);
  return event === 'UserPromptSubmit' || event === 'SessionStart'
    ? { additionalContext: stdout }
    : undefined;
}
