/**
 * The hook settings file, in Claude Code's format, so an existing
 * `.claude/settings.json` can be pointed at as it is:
 *
 * ```json
 * { "hooks": { "PreToolUse": [
 *   { "matcher": "Bash|Edit", "hooks": [{ "type": "command", "command": "./check.sh", "timeout": 60 }] }
 * ] } }
 * ```
 *
 * Other top-level keys (permissions, env…) are left alone. Events and hook
 * types Troika does not run (SubagentStart, `"type": "prompt"`…) are listed in
 * `warnings` rather than refused, so a file written for Claude Code loads.
 * A matcher applies to the tool name (PreToolUse, PostToolUse,
 * PermissionRequest), SessionStart's `source`, SessionEnd's `reason`,
 * Notification's `notification_type` and PreCompact's `trigger`; it is
 * ignored on UserPromptSubmit and Stop, as in Claude Code, and on
 * SubagentStop (Claude Code matches its agent type; a plan's agents have
 * none).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { HOOK_EVENTS, type HookEventName } from '../types.ts';
import { compileMatcher } from './matcher.ts';
import { copyHookScripts } from './script-copies.ts';

/** Claude Code's default command timeout. */
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 60;
/** A hook that needs longer than this is a job, not a hook. */
export const MAX_COMMAND_TIMEOUT_SECONDS = 3600;
/** A settings file is small; a larger one is the wrong file. */
export const MAX_SETTINGS_FILE_BYTES = 1024 * 1024;

/** One command to run for an event. */
import type { CommandHookSpec, HookSettings } from './spec.ts';

export type { CommandHookSpec, HookSettings, ScriptCopy } from './spec.ts';

/** A settings file that cannot be used; the message names the file and the field. */
export class HookSettingsError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'HookSettingsError';
    this.file = file;
  }
}

const HookEntry = z
  .looseObject({
    type: z.string().min(1),
    command: z.string().optional(),
    timeout: z.number().positive().max(MAX_COMMAND_TIMEOUT_SECONDS).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.type === 'command' && (entry.command === undefined || entry.command.trim() === '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: 'a command hook needs a non-empty "command"',
      });
    }
  });

const MatcherGroup = z
  .looseObject({ matcher: z.string().optional(), hooks: z.array(HookEntry) })
  .superRefine((group, ctx) => {
    try {
      compileMatcher(group.matcher);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['matcher'],
        message: `not a valid regular expression (${(error as Error).message})`,
      });
    }
  });

const SettingsFile = z.looseObject({
  hooks: z.record(z.string(), z.array(MatcherGroup)).optional(),
});

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

const EVENTS = new Set<string>(HOOK_EVENTS);
/** Events whose hooks ignore the matcher (Claude Code's rule): there is nothing to match. */
const UNMATCHED_EVENTS = new Set<HookEventName>(['UserPromptSubmit', 'Stop', 'SubagentStop']);
/** Claude Code's events Troika has no counterpart for, with why, for the warning. */
const NOT_RUN: Readonly<Record<string, string>> = {
  SubagentStart: "a plan's agent starts as a whole agent: its SessionStart hooks run",
};

/**
 * Validate parsed settings. `file` is used in messages only.
 * @throws {HookSettingsError} naming the field that is wrong.
 */
export function parseHookSettings(value: unknown, file: string): HookSettings {
  const parsed = SettingsFile.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HookSettingsError(
      file,
      `${fieldPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const commands: CommandHookSpec[] = [];
  const warnings: string[] = [];
  const groupsByEvent = parsed.data.hooks ?? {};
  for (const name of Object.keys(groupsByEvent)) {
    if (!EVENTS.has(name)) {
      const why = NOT_RUN[name];
      warnings.push(
        `${file}: hooks.${name}: Troika does not run ${name} hooks${why ? ` (${why})` : ''}; ignored`,
      );
    }
  }
  for (const event of HOOK_EVENTS) {
    const groups = groupsByEvent[event] ?? [];
    groups.forEach((group, groupIndex) => {
      group.hooks.forEach((entry, entryIndex) => {
        const origin = `${file}: hooks.${event}[${groupIndex}].hooks[${entryIndex}]`;
        if (entry.type !== 'command' || entry.command === undefined) {
          warnings.push(
            `${origin}: Troika runs only "command" hooks, not "${entry.type}"; ignored`,
          );
          return;
        }
        commands.push({
          event,
          matcher: UNMATCHED_EVENTS.has(event) ? undefined : group.matcher,
          command: entry.command,
          timeoutSeconds: entry.timeout ?? DEFAULT_COMMAND_TIMEOUT_SECONDS,
          origin,
        });
      });
    });
  }
  return { file, commands, warnings };
}

/** A plugin's hooks file is `<plugin>/hooks/hooks.json`; a little deeper is allowed, a whole tree is not searched. */
const PLUGIN_SEARCH_LEVELS = 3;

/**
 * The Claude Code plugin `file` belongs to: the nearest folder above it with
 * `.claude-plugin/plugin.json`. Its hooks get `CLAUDE_PLUGIN_ROOT`, as in Claude Code.
 */
export function pluginRootOf(file: string): string | undefined {
  let dir = dirname(file);
  for (let level = 0; level < PLUGIN_SEARCH_LEVELS; level++) {
    if (existsSync(join(dir, '.claude-plugin', 'plugin.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

export interface LoadHookSettingsOptions {
  /** A missing file is an error, not "no hooks" (the user named it). */
  required?: boolean;
  /** Copy the scripts the commands run into this private folder, and run them from there (see `script-copies.ts`). */
  scriptCopyDir?: string;
}

/**
 * Read and validate a settings file. A file that does not exist means no
 * command hooks, unless `required`.
 * @throws {HookSettingsError} for unreadable, oversized, non-JSON or invalid settings.
 */
export async function loadHookSettings(
  file: string,
  options: LoadHookSettingsOptions = {},
): Promise<HookSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.required !== true)
      return { file, commands: [], warnings: [] };
    throw new HookSettingsError(file, `cannot be read (${(error as Error).message})`);
  }
  if (Buffer.byteLength(text) > MAX_SETTINGS_FILE_BYTES) {
    throw new HookSettingsError(file, `is larger than ${MAX_SETTINGS_FILE_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new HookSettingsError(file, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = parseHookSettings(value, file);
  const pluginRoot = pluginRootOf(file);
  const settings =
    pluginRoot === undefined
      ? parsed
      : { ...parsed, commands: parsed.commands.map((spec) => ({ ...spec, pluginRoot })) };
  return options.scriptCopyDir === undefined
    ? settings
    : copyHookScripts(settings, options.scriptCopyDir);
}
