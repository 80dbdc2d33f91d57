/**
 * The runtime's own hooks (`AgentHook` in backend/agent/pipeline.ts: the
 * policy today) as pipeline hooks, so they run in the same pipeline, in the
 * documented order, with their decisions combined and audited like any other.
 */
import type {
  AgentHook,
  HookContext as AgentHookContext,
  ToolDecision,
} from '../../agent/pipeline.ts';
import type { Hook } from '../hook.ts';
import type { PreToolUseOutcome } from '../types.ts';

function outcomeOf(decision: ToolDecision | undefined): PreToolUseOutcome | undefined {
  if (decision === undefined) return undefined;
  switch (decision.action) {
    case 'deny':
      return { decision: 'deny', reason: decision.reason };
    case 'respond':
      return { response: decision.result };
    case 'ask':
      return {
        decision: 'ask',
        reason: decision.reason,
        ...(decision.input !== undefined && { updatedInput: decision.input }),
      };
    case 'allow':
      return {
        decision: 'allow',
        ...(decision.input !== undefined && { updatedInput: decision.input }),
      };
  }
}

/**
 * `agentHook` as a pipeline hook. `context` gives the runtime's view of the
 * agent (model, persona) at call time. `failClosed` makes a throwing hook a
 * deny (right for a policy: a broken policy must not let everything through).
 */
export function fromAgentHook(
  agentHook: AgentHook,
  context: () => AgentHookContext,
  options: { failClosed?: boolean } = {},
): Hook {
  const hook: Hook = {
    name: agentHook.name,
    ...(options.failClosed === true && { onFailure: 'block' as const }),
  };
  return {
    ...hook,
    ...(agentHook.beforeToolCall !== undefined && {
      preToolUse: async (event) =>
        outcomeOf(
          await agentHook.beforeToolCall?.(context(), {
            toolUseId: event.toolUseId,
            name: event.toolName,
            input: event.toolInput,
          }),
        ),
    }),
    ...(agentHook.afterToolCall !== undefined && {
      postToolUse: async (event) => {
        const call = { toolUseId: event.toolUseId, name: event.toolName, input: event.toolInput };
        const result = await agentHook.afterToolCall?.(context(), call, event.toolResponse);
        return result === undefined ? undefined : { updatedResponse: result };
      },
    }),
    ...(agentHook.onUserPrompt !== undefined && {
      userPromptSubmit: async (event) => {
        const text = await agentHook.onUserPrompt?.(context(), event.prompt);
        return text === undefined ? undefined : { updatedPrompt: text };
      },
    }),
  };
}
