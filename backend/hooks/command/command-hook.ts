/**
 * `hooks/command/` owns the user's command hooks: Claude Code's settings
 * format, running a command per event, reading its answer.
 *
 * A user's command hook as a pipeline hook: the event goes to the command as
 * JSON on stdin, in the agent's workspace, and its exit code and output
 * become the hook's answer (see `output.ts`). A script in the workspace runs
 * from the copy taken at load (see `script-copies.ts`).
 */
import { toolNames } from '../claude-tools.ts';
import type { Hook, HookContext } from '../hook.ts';
import type { LifecycleEvent } from '../lifecycle.ts';
import type { HookEventName, HookSession } from '../types.ts';
import { hookShell } from './hook-shell.ts';
import { compileMatcher, type ToolMatcher } from './matcher.ts';
import { interpretRun, type ToolCallInfo } from './output.ts';
import { hookInput, type CommandHookEvent } from './payload.ts';
import { runCommand } from './run-command.ts';
import { commandWithCopy } from './script-copies.ts';
import type { CommandHookSpec, HookSettings } from './settings.ts';

/**
 * Never handed to hook commands: a script has no use for Troika's own
 * credentials, and one that echoes its environment would send them to the model.
 */
export const WITHHELD_ENV_VARS: readonly string[] = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'TROIKA_OPENAI_API_KEY',
  'OPENAI_API_KEY',
  'TROIKA_TOKEN',
];
/** A command line shown in a hook name is cut here; the settings file has the rest. */
const SHOWN_COMMAND_CHARS = 60;

export interface CommandHookOptions {
  /** The environment commands inherit, before {@link WITHHELD_ENV_VARS} are removed. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

function hookEnv(
  base: NodeJS.ProcessEnv,
  session: HookSession,
  pluginRoot: string | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of WITHHELD_ENV_VARS) delete env[name];
  // Claude Code's variables, so scripts written for it find the project and their plugin.
  env['CLAUDE_PROJECT_DIR'] = session.cwd;
  if (pluginRoot !== undefined) env['CLAUDE_PLUGIN_ROOT'] = pluginRoot;
  else delete env['CLAUDE_PLUGIN_ROOT'];
  env['TROIKA_AGENT_ID'] = session.agentId;
  return env;
}

function shown(command: string): string {
  const line = command.replace(/\s+/g, ' ').trim();
  return line.length > SHOWN_COMMAND_CHARS ? `${line.slice(0, SHOWN_COMMAND_CHARS)}…` : line;
}

/** One command, for one event, with the matchers of every place it was listed. */
function commandHook(
  event: HookEventName,
  command: string,
  specs: readonly CommandHookSpec[],
  options: CommandHookOptions,
  shell: string | true,
): Hook {
  const matchers: ToolMatcher[] = specs.map((spec) => compileMatcher(spec.matcher));
  const timeoutMs = Math.max(...specs.map((spec) => spec.timeoutSeconds)) * 1000;
  const name = `command "${shown(command)}"`;
  // Specs are grouped by command line, so they share its script and copy.
  const scriptCopy = specs.find((spec) => spec.scriptCopy !== undefined)?.scriptCopy;
  const pluginRoot = specs.find((spec) => spec.pluginRoot !== undefined)?.pluginRoot;

  const run = async (input: CommandHookEvent, context: HookContext, call?: ToolCallInfo) => {
    const result = await runCommand({
      command: commandWithCopy(command, scriptCopy, context.session.cwd),
      cwd: context.session.cwd,
      env: hookEnv(options.env ?? process.env, context.session, pluginRoot),
      shell,
      stdin: JSON.stringify(hookInput(input, context.session)),
      timeoutMs,
      signal: context.signal,
    });
    return interpretRun(result, event, {
      hook: name,
      timeoutMs,
      ...(call !== undefined && { call }),
    });
  };

  const hook: Hook = {
    name,
    matches: (toolName, toolInput) =>
      toolNames(toolName, toolInput).some((candidate) => matchers.some((m) => m(candidate))),
  };
  switch (event) {
    case 'UserPromptSubmit':
      return { ...hook, userPromptSubmit: (e, context) => run({ name: event, event: e }, context) };
    case 'PreToolUse':
      return { ...hook, preToolUse: (e, context) => run({ name: event, event: e }, context, e) };
    case 'PostToolUse':
      return { ...hook, postToolUse: (e, context) => run({ name: event, event: e }, context, e) };
    case 'Stop':
    case 'SubagentStop':
      return {
        ...hook,
        // Claude Code runs Stop hooks when the agent finishes, not when a person stops it or an error ends it;
        // a subagent's end (a plan's agent) runs SubagentStop instead of Stop.
        stop: (e, context) =>
          (e.outcome ?? 'done') === 'done' && (e.subagent === true) === (event === 'SubagentStop')
            ? run({ name: event, event: e }, context)
            : undefined,
      };
    default:
      return {
        ...hook,
        lifecycle: (e, context) => {
          if (e.name !== event) return undefined;
          if (e.name === 'PermissionRequest') return run({ name: e.name, event: e }, context, e);
          const subject = lifecycleSubject(e);
          if (!matchers.some((m) => m(subject))) return undefined;
          return run({ name: e.name, event: e }, context);
        },
      };
  }
}

/** What a lifecycle event's matcher is compared with. */
function lifecycleSubject(event: Exclude<LifecycleEvent, { name: 'PermissionRequest' }>): string {
  switch (event.name) {
    case 'SessionStart':
      return event.source;
    case 'SessionEnd':
      return event.reason;
    case 'Notification':
      return event.notificationType;
    case 'PreCompact':
      return event.trigger;
  }
}

/**
 * The command hooks of a settings file, in file order. A command listed
 * twice for one event runs once (as in Claude Code), for any of its matchers.
 */
export function commandHooks(settings: HookSettings, options: CommandHookOptions = {}): Hook[] {
  const grouped = new Map<
    string,
    { event: HookEventName; command: string; specs: CommandHookSpec[] }
  >();
  for (const spec of settings.commands) {
    const key = `${spec.event}\0${spec.command}`;
    const group = grouped.get(key);
    if (group === undefined)
      grouped.set(key, { event: spec.event, command: spec.command, specs: [spec] });
    else group.specs.push(spec);
  }
  const shell = hookShell({ env: options.env ?? process.env });
  return [...grouped.values()].map((group) =>
    commandHook(group.event, group.command, group.specs, options, shell),
  );
}
