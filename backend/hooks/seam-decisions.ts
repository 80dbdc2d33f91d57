/**
 * Turning the pipeline's combined answers into what the agent loop does
 * (for troika-hooks.ts): the tool decision, hook text appended for the
 * model, and the notes that say which hook decided what.
 */
import { claudeToolName } from './claude-tools.ts';
import type { ToolCall, ToolDecision } from './runner.ts';
import type { PreToolUseResult } from './types.ts';

/** Marks hook-provided text appended to a prompt or a tool result. */
export const CONTEXT_HEADING = '[Context from hooks]';

export function withContext(text: string, context: readonly string[]): string {
  return context.length === 0 ? text : `${text}\n\n${CONTEXT_HEADING}\n${context.join('\n\n')}`;
}

/** The loop's decision from the pipeline's combined PreToolUse result (a `stop` is thrown before this). */
export function decisionOf(result: PreToolUseResult, answeredBy: string | undefined): ToolDecision {
  const changed = result.inputChangedBy.length > 0;
  if (result.decision === 'deny')
    return { action: 'deny', reason: result.reason ?? 'Blocked by a hook' };
  if (result.decision === 'ask')
    return {
      action: 'ask',
      reason: result.reason ?? 'A hook asks for approval',
      ...(changed && { input: result.input }),
    };
  if (answeredBy !== undefined && result.response !== undefined)
    return {
      action: 'respond',
      result: { content: result.response.content, isError: result.response.isError },
    };
  return changed ? { action: 'allow', input: result.input } : { action: 'allow' };
}

/** The note for a call a hook allowed that Troika would have asked about. */
export function liftedNote(result: PreToolUseResult, call: ToolCall): string {
  const why = result.reason === undefined ? '' : ` (${result.reason})`;
  return `Allowed ${claudeToolName(call.name, call.input)} without asking${why}; Troika would have asked: ${result.liftedAsk ?? 'approval'}.`;
}

/** What Claude Code's Notification says when a call waits for approval. */
export function permissionMessage(call: ToolCall): string {
  return `Claude needs your permission to use ${claudeToolName(call.name, call.input)}`;
}
