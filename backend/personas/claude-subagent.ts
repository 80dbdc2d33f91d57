/**
 * Claude Code's subagent fields in Troika's terms: `tools` as Claude Code
 * writes it (`Read, Grep, Glob` or a YAML list) becomes the persona's allow
 * list, and `model` (`sonnet`, `opus`, `haiku`, `inherit` or a model id)
 * becomes a model id.
 *
 * The allow list keeps Claude Code's tool names: the persona hook matches a
 * call by every name it has (`hooks/claude-tools.ts` gives `Read` for an
 * editor view, `Write` for a create, `Glob` and `LS` for list_files…), so
 * `tools: Read, Grep` lets the agent view files but not write them, which
 * mapping `Read` to the whole editor tool would not.
 */
import { MODEL_PRICES } from '../provider/models.ts';
import {
  ANSWER_QUESTION_TOOL_NAME,
  SUBMIT_PLAN_TOOL_NAME,
  SUBMIT_REVIEW_TOOL_NAME,
} from '../protocol/tool-names.ts';

/** Claude Code tool → the name a Troika call answers to; several may share one. */
const CLAUDE_TOOLS: Readonly<Record<string, string>> = {
  read: 'Read',
  write: 'Write',
  edit: 'Edit',
  multiedit: 'Edit',
  glob: 'Glob',
  ls: 'LS',
  grep: 'Grep',
  bash: 'Bash',
  bashoutput: 'Bash',
  killbash: 'Bash',
  killshell: 'Bash',
  notebookread: 'Read',
};

/** Troika's own tool names, accepted as they are (a plan role's answering tools among them). */
const TROIKA_TOOLS = new Set([
  'bash',
  'str_replace_based_edit_tool',
  'list_files',
  'search_files',
  'finish',
  'ask_user',
  SUBMIT_PLAN_TOOL_NAME,
  SUBMIT_REVIEW_TOOL_NAME,
  ANSWER_QUESTION_TOOL_NAME,
]);

/**
 * Troika's control tools: every persona keeps them, since an agent that
 * cannot finish or ask cannot end its task. Claude Code has no counterpart
 * to list.
 */
export const ALWAYS_ALLOWED_TOOLS: readonly string[] = ['finish', 'ask_user'];

export interface MappedTools {
  /** The allow list, in first-seen order, with {@link ALWAYS_ALLOWED_TOOLS} at the end. */
  readonly allow: readonly string[];
  /** Names Troika has no tool for (WebFetch, TodoWrite, Task, mcp__…), for a note. */
  readonly unknown: readonly string[];
}

/** `Read, Grep` or `[Read, Grep]` or `- Read` lines, as names. */
export function toolList(value: unknown): string[] | undefined {
  if (typeof value === 'string')
    return value
      .split(/[,\s]+/)
      .map((name) => name.trim())
      .filter((name) => name !== '');
  if (Array.isArray(value) && value.every((name) => typeof name === 'string'))
    return value.map((name) => name.trim()).filter((name) => name !== '');
  return undefined;
}

/** A Claude Code tool list as the persona's allow list. */
export function mapClaudeTools(names: readonly string[]): MappedTools {
  const allow: string[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    // `Bash(git:*)` narrows a tool in Claude Code; the tool itself is what a persona allows.
    const bare = name.replace(/\(.*\)$/, '');
    const mapped = TROIKA_TOOLS.has(bare) ? bare : CLAUDE_TOOLS[bare.toLowerCase()];
    if (mapped === undefined) unknown.push(name);
    else if (!allow.includes(mapped)) allow.push(mapped);
  }
  for (const name of ALWAYS_ALLOWED_TOOLS) if (!allow.includes(name)) allow.push(name);
  return { allow, unknown };
}

/** The newest model of a family: the first id of MODEL_PRICES (newest first) with its prefix. */
function newest(family: string): string | undefined {
  return Object.keys(MODEL_PRICES).find((id) => id.startsWith(`claude-${family}-`));
}

export interface MappedModel {
  /** The model id; `undefined` for "the agent's own model" (`inherit`, or none given). */
  readonly model: string | undefined;
  /** Set when the value was not understood (then the agent's model is used). */
  readonly note?: string;
}

/** Claude Code's `model` field as a model id. */
export function mapClaudeModel(value: unknown): MappedModel {
  if (value === undefined || value === null) return { model: undefined };
  if (typeof value !== 'string' || value.trim() === '')
    return { model: undefined, note: 'model: not a model name; the agent keeps its own model' };
  const name = value.trim().toLowerCase();
  if (name === 'inherit') return { model: undefined };
  if (name === 'sonnet' || name === 'opus' || name === 'haiku') {
    const id = newest(name);
    return id === undefined
      ? {
          model: undefined,
          note: `model: no ${name} model is known; the agent keeps its own model`,
        }
      : { model: id };
  }
  if (/^claude-[a-z0-9.-]+$/.test(name)) return { model: name };
  return {
    model: undefined,
    note: `model: "${value}" is not a model Troika knows; the agent keeps its own model`,
  };
}
