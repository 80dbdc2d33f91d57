/**
 * Troika's tools in Claude Code's vocabulary, so existing hook scripts work:
 * a matcher written for `Bash|Edit|Write` matches Troika's `bash` and text
 * editor calls, and a script reading `.tool_input.file_path` finds the file.
 *
 * | Troika call                                 | Claude Code | tool_input (Claude Code's keys)                            |
 * | ------------------------------------------- | ----------- | ---------------------------------------------------------- |
 * | `bash`                                      | `Bash`      | command (and Troika's `restart`)                           |
 * | `str_replace_based_edit_tool` `view`        | `Read`      | file_path; view_range → offset, limit                      |
 * | `str_replace_based_edit_tool` `create`      | `Write`     | file_path, content                                         |
 * | `str_replace_based_edit_tool` `str_replace` | `Edit`      | file_path, old_string, new_string, replace_all: false      |
 * | `str_replace_based_edit_tool` `insert`      | `Edit`      | file_path, old_string: "", new_string, insert_line         |
 * | `list_files`                                | `LS` (also matched as `Glob`) | path; depth, include_hidden as they are  |
 * | `search_files`                              | `Grep`      | pattern, path, glob, -i, head_limit, output_mode: content, -n |
 *
 * Paths are absolute, as Claude Code gives them. The editor's `command` is
 * not passed on (Claude Code's Read/Write/Edit have none, and scripts test
 * `.tool_input.command` to tell a Bash call). A hook's `updatedInput` is
 * mapped back; the editor's `command` stays what it was, so a hook cannot
 * turn a view into a write. `tool_response` is shaped per tool as Claude
 * Code's is (see {@link toClaudeResponse}).
 */
import { isAbsolute, resolve } from 'node:path';
import {
  BASH_TOOL_NAME,
  EDITOR_TOOL_NAME,
  LIST_TOOL_NAME,
  SEARCH_TOOL_NAME,
} from '../protocol/tool-names.ts';

type Input = Record<string, unknown>;

function asInput(value: unknown): Input | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Input)
    : undefined;
}

function absolute(value: unknown, cwd: string): unknown {
  return typeof value === 'string' && !isAbsolute(value) ? resolve(cwd, value) : value;
}

/** Copies `source` without `drop`, renaming keys by `rename` (Troika → Claude Code). */
function renamed(
  source: Input,
  rename: Record<string, string>,
  drop: readonly string[] = [],
): Input {
  const out: Input = {};
  for (const [key, value] of Object.entries(source)) {
    if (drop.includes(key)) continue;
    out[rename[key] ?? key] = value;
  }
  return out;
}

function invert(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([a, b]) => [b, a]));
}

interface ToolShape {
  readonly claudeName: string;
  toClaude(input: Input, cwd: string): Input;
  /** An updatedInput (Claude Code's keys) as Troika input; `original` supplies what a hook may not change. */
  fromClaude(updated: Input, original: Input): Input;
}

const PATH_KEYS = { path: 'file_path' };

const EDITOR: Record<string, ToolShape> = {
  view: {
    claudeName: 'Read',
    toClaude(input, cwd) {
      const out = renamed(input, PATH_KEYS, ['command', 'view_range']);
      out['file_path'] = absolute(out['file_path'], cwd);
      const range = input['view_range'];
      if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') {
        out['offset'] = range[0];
        if (range[1] !== -1) out['limit'] = range[1] - range[0] + 1;
      }
      return out;
    },
    fromClaude(updated) {
      const out = renamed(updated, invert(PATH_KEYS), ['offset', 'limit']);
      const offset = updated['offset'];
      const limit = updated['limit'];
      if (typeof offset === 'number' || typeof limit === 'number') {
        const from = typeof offset === 'number' ? offset : 1;
        out['view_range'] = [from, typeof limit === 'number' ? from + limit - 1 : -1];
      }
      return out;
    },
  },
  create: {
    claudeName: 'Write',
    toClaude(input, cwd) {
      const out = renamed(input, { ...PATH_KEYS, file_text: 'content' }, ['command']);
      out['file_path'] = absolute(out['file_path'], cwd);
      return out;
    },
    fromClaude: (updated) => renamed(updated, { file_path: 'path', content: 'file_text' }),
  },
  str_replace: {
    claudeName: 'Edit',
    toClaude(input, cwd) {
      const keys = { ...PATH_KEYS, old_str: 'old_string', new_str: 'new_string' };
      const out = renamed(input, keys, ['command']);
      out['file_path'] = absolute(out['file_path'], cwd);
      out['replace_all'] = false;
      return out;
    },
    fromClaude: (updated) =>
      renamed(updated, { file_path: 'path', old_string: 'old_str', new_string: 'new_str' }, [
        'replace_all',
      ]),
  },
  insert: {
    claudeName: 'Edit',
    toClaude(input, cwd) {
      const out = renamed(input, { ...PATH_KEYS, insert_text: 'new_string' }, ['command']);
      out['file_path'] = absolute(out['file_path'], cwd);
      out['old_string'] = '';
      return out;
    },
    fromClaude: (updated) =>
      renamed(updated, { file_path: 'path', new_string: 'insert_text' }, [
        'old_string',
        'replace_all',
      ]),
  },
};

const SEARCH_KEYS = { max_results: 'head_limit' };

const TOOLS: Record<string, ToolShape> = {
  [BASH_TOOL_NAME]: {
    claudeName: 'Bash',
    toClaude: (input) => ({ ...input }),
    fromClaude: (updated) => renamed(updated, {}, ['description', 'timeout', 'run_in_background']),
  },
  [LIST_TOOL_NAME]: {
    claudeName: 'LS',
    toClaude: (input, cwd) => ({ ...input, path: absolute(input['path'] ?? '.', cwd) }),
    fromClaude: (updated) => renamed(updated, {}, ['ignore']),
  },
  [SEARCH_TOOL_NAME]: {
    claudeName: 'Grep',
    toClaude(input, cwd) {
      const out = renamed(input, SEARCH_KEYS, ['case_sensitive']);
      out['path'] = absolute(input['path'] ?? '.', cwd);
      // Troika searches without regard to case unless told otherwise.
      out['-i'] = input['case_sensitive'] !== true;
      out['output_mode'] = 'content';
      out['-n'] = true;
      return out;
    },
    fromClaude(updated, original) {
      const out = renamed(updated, invert(SEARCH_KEYS), ['-i', 'output_mode', '-n', 'type']);
      const ignoreCase = updated['-i'];
      if (typeof ignoreCase === 'boolean') out['case_sensitive'] = !ignoreCase;
      else if (original['case_sensitive'] !== undefined)
        out['case_sensitive'] = original['case_sensitive'];
      return out;
    },
  },
};

function shapeOf(toolName: string, input: unknown): ToolShape | undefined {
  if (toolName === EDITOR_TOOL_NAME) {
    const command = asInput(input)?.['command'];
    return typeof command === 'string' ? EDITOR[command] : undefined;
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
  return shapeOf(toolName, input)?.claudeName ?? toolName;
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
  const shape = shapeOf(toolName, input);
  const source = asInput(input);
  if (shape === undefined || source === undefined) return { toolName, toolInput: input };
  return { toolName: shape.claudeName, toolInput: shape.toClaude(source, cwd) };
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
  const shape = shapeOf(toolName, originalInput);
  const source = asInput(updated);
  const original = asInput(originalInput) ?? {};
  if (shape === undefined || source === undefined) return updated;
  const out = shape.fromClaude(source, original);
  if (toolName === EDITOR_TOOL_NAME) out['command'] = original['command'];
  return out;
}

export { toClaudeResponse } from './claude-responses.ts';
