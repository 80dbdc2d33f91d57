/**
 * The JSON a command hook reads on stdin, field for field as Claude Code
 * sends it: `session_id`, `transcript_path`, `cwd`, `permission_mode`,
 * `hook_event_name`, then per event `prompt`; `tool_name`, `tool_input`,
 * `tool_use_id` (and `tool_response` after the call); `stop_hook_active` and
 * `last_assistant_message` (SubagentStop adds `agent_id` and
 * `agent_transcript_path`: a plan agent is its own session, so they repeat
 * `session_id` and `transcript_path`); SessionStart's `source`, SessionEnd's `reason`,
 * Notification's `message` and `notification_type`, PreCompact's `trigger`
 * and `custom_instructions`, PermissionRequest's `tool_name`, `tool_input`
 * and `permission_suggestions` (none: Troika has no rule to suggest).
 * Tool names and inputs are in Claude Code's vocabulary (see
 * `claude-tools.ts`); `troika_tool_name` gives Troika's own name.
 */
import { toClaudeResponse, toClaudeTool } from '../claude-tools.ts';
import type { LifecycleEvent } from '../lifecycle.ts';
import type {
  HookSession,
  PostToolUseEvent,
  PreToolUseEvent,
  StopEvent,
  UserPromptSubmitEvent,
} from '../types.ts';

/** An event with its name, as a command hook receives it. */
export type CommandHookEvent =
  | { readonly name: 'UserPromptSubmit'; readonly event: UserPromptSubmitEvent }
  | { readonly name: 'PreToolUse'; readonly event: PreToolUseEvent }
  | { readonly name: 'PostToolUse'; readonly event: PostToolUseEvent }
  | { readonly name: 'Stop' | 'SubagentStop'; readonly event: StopEvent }
  | { readonly name: LifecycleEvent['name']; readonly event: LifecycleEvent };

/** Troika asks the person for risky calls; Claude Code calls that mode "default". */
const PERMISSION_MODE = 'default';

/** The stdin JSON for `input` in `session`. */
export function hookInput(input: CommandHookEvent, session: HookSession): Record<string, unknown> {
  const common = {
    session_id: session.agentId,
    transcript_path: session.transcriptPath,
    cwd: session.cwd,
    permission_mode: PERMISSION_MODE,
    hook_event_name: input.name,
  };
  switch (input.name) {
    case 'UserPromptSubmit':
      return { ...common, prompt: input.event.prompt };
    case 'Stop':
    case 'SubagentStop': {
      const last = input.event.lastAssistantMessage;
      return {
        ...common,
        stop_hook_active: input.event.stopHookActive,
        ...(last !== undefined && { last_assistant_message: last }),
        ...(input.name === 'SubagentStop' && {
          agent_id: session.agentId,
          agent_transcript_path: session.transcriptPath,
        }),
      };
    }
    case 'PreToolUse':
    case 'PostToolUse': {
      const { toolName, toolInput } = toClaudeTool(
        input.event.toolName,
        input.event.toolInput,
        session.cwd,
      );
      const tool = {
        tool_name: toolName,
        tool_input: toolInput,
        tool_use_id: input.event.toolUseId,
        troika_tool_name: input.event.toolName,
      };
      if (input.name === 'PreToolUse') return { ...common, ...tool };
      const response = input.event.toolResponse;
      return {
        ...common,
        ...tool,
        tool_response: toClaudeResponse(
          input.event.toolName,
          input.event.toolInput,
          response,
          session.cwd,
        ),
      };
    }
    default:
      return { ...common, ...lifecycleFields(input.event, session.cwd) };
  }
}

function lifecycleFields(event: LifecycleEvent, cwd: string): Record<string, unknown> {
  switch (event.name) {
    case 'SessionStart':
      return { source: event.source };
    case 'SessionEnd':
      return { reason: event.reason };
    case 'Notification':
      return { message: event.message, notification_type: event.notificationType };
    case 'PreCompact':
      return { trigger: event.trigger, custom_instructions: event.customInstructions };
    case 'PermissionRequest': {
      const { toolName, toolInput } = toClaudeTool(event.toolName, event.toolInput, cwd);
      return {
        tool_name: toolName,
        tool_input: toolInput,
        permission_suggestions: [],
        troika_tool_name: event.toolName,
      };
    }
  }
}
