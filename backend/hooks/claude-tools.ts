/**
 * Troika's tools in Claude Code's vocabulary, so existing hook scripts work:
 * a matcher written for `Bash|Edit|Write` matches Troika's `bash` and text
 * editor calls, and a script reading `.tool_input.file_path` finds the file.
 *
 * | Troika call                                   | Claude Code name | input keys (Troika → Claude Code)            |
 * | --------------------------------------------- | ---------------- | -------------------------------------------- |
 * | `bash`                                        | `Bash`           | same keys                                    |
 * | `str_replace_based_edit_tool` `view`          | `Read`           | path → file_path (absolute)                  |
 * | `str_replace_based_edit_tool` `create`        | `Write`          | path → file_path, file_text → content        |
 * | `str_replace_based_edit_tool` `str_replace`   | `Edit`           | path → file_path, old_str → old_string, new_str → new_string |
 * | `str_replace_based_edit_tool` `insert`        | `Edit`           | path → file_path, insert_text → new_string   |
 * | `list_files`                                  | `LS` (also `Glob`) | path → path (absolute)                     |
 * | `search_files`                                | `Grep`           | path → path (absolute), other keys as named  |
 *
 * Keys without a counterpart keep their Troika name (`view_range`,
 * `insert_line`, `restart`). Paths are absolute, as Claude Code gives them.
 * A hook's `updatedInput` is mapped back the same way.
 */
import { isAbsolute, resolve } from 'node:path';
import {
  BASH_TOOL_NAME,
  EDITOR_TOOL_NAME,
  LIST_TOOL_NAME,
  SEARCH_TOOL_NAME,
} from '../protocol/tool-names.ts';

type Input = Record<string, unknown>;

/** Troika key → Claude Code key; a key naming a path is made absolute. */
interface KeyMapping {
  readonly troika: string;
  readonly claude: string;
  readonly path?: boolean;
}

interface ToolMapping {
  readonly claudeName: string;
  readonly keys: readonly KeyMapping[];
}

const PATH_AS_FILE: KeyMapping = { troika: 'path', claude: 'file_path', path: true };

const EDITOR_COMMANDS: Record<string, ToolMapping> = {
  view: { claudeName: 'Read', keys: [PATH_AS_FILE] },
  create: { claudeName: 'Write', keys: [PATH_AS_FILE, { troika: 'file_text', claude: 'content' }] },
  str_replace: {
    claudeName: 'Edit',
    keys: [
      PATH_AS_FILE,
      { troika: 'old_str', claude: 'old_string' },
      { troika: 'new_str', claude: 'new_string' },
    ],
  },
  insert: {
    claudeName: 'Edit',
    keys: [PATH_AS_FILE, { troika: 'insert_text', claude: 'new_string' }],
  },
};

const TOOLS: Record<string, ToolMapping> = {
  [BASH_TOOL_NAME]: { claudeName: 'Bash', keys: [] },
  [LIST_TOOL_NAME]: { claudeName: 'LS', keys: [{ troika: 'path', claude: 'path', path: true }] },
  [SEARCH_TOOL_NAME]: {
    claudeName: 'Grep',
    keys: [{ troika: 'path', claude: 'path', path: true }],
  },
};

function asInput(value: unknown): Input | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Input)
    : undefined;
}

function mappingOf(toolName: string, input: unknown): ToolMapping | undefined {
  if (toolName === EDITOR_TOOL_NAME) {
    const command = asInput(input)?.['command'];
    return typeof command === 'string' ? EDITOR_COMMANDS[command] : undefined;
  }
  return TOOLS[toolName];
}

/** A Troika tool call as Claude Code would name and shape it. */
export interface ClaudeToolCall {
  readonly toolName: string;
  readonly toolInput: unknown;
}

/** The Claude Code name of a call, or the Troika name when there is none. */
export function claudeToolName(toolName: string, input: unknown): string {
  return mappingOf(toolName, input)?.claudeName ?? toolName;
}

/**
 * Names a call also answers to in a matcher or a persona's tool list: Claude
 * Code's `Glob` finds files by pattern, which Troika does with list_files, so
 * a `Glob` hook or a persona allowed `Glob` covers it.
 */
const ALSO_KNOWN_AS: Readonly<Record<string, readonly string[]>> = { [LIST_TOOL_NAME]: ['Glob'] };

/** Names a matcher or a persona's tool list may use for this call: Troika's and Claude Code's. */
export function toolNames(toolName: string, input: unknown): string[] {
  const claude = claudeToolName(toolName, input);
  const names = claude === toolName ? [toolName] : [toolName, claude];
  return [...names, ...(ALSO_KNOWN_AS[toolName] ?? [])];
}

/** The call in Claude Code's shape; `cwd` makes paths absolute. */
export function toClaudeTool(toolName: string, input: unknown, cwd: string): ClaudeToolCall {
  const mapping = mappingOf(toolName, input);
  const source = asInput(input);
  if (mapping === undefined || source === undefined) return { toolName, toolInput: input };
  const renamed = new Map(mapping.keys.map((key) => [key.troika, key]));
  const out: Input = {};
  for (const [key, value] of Object.entries(source)) {
    const mapped = renamed.get(key);
    if (mapped === undefined) {
      out[key] = value;
      continue;
    }
    out[mapped.claude] =
      mapped.path === true && typeof value === 'string' && !isAbsolute(value)
        ? resolve(cwd, value)
        : value;
  }
  return { toolName: mapping.claudeName, toolInput: out };
}

/**
 * A hook's `updatedInput` (Claude Code shape) as Troika input for the
 * original call: mapped keys renamed back, the others taken as they are. The
 * editor's `command` stays what it was: a hook cannot turn a view into a write.
 */
export function fromClaudeInput(
  toolName: string,
  originalInput: unknown,
  updated: unknown,
): unknown {
  const mapping = mappingOf(toolName, originalInput);
  const source = asInput(updated);
  if (mapping === undefined || source === undefined) return updated;
  const renamed = new Map(mapping.keys.map((key) => [key.claude, key.troika]));
  const out: Input = {};
  for (const [key, value] of Object.entries(source)) out[renamed.get(key) ?? key] = value;
  if (toolName === EDITOR_TOOL_NAME) out['command'] = asInput(originalInput)?.['command'];
  return out;
}
