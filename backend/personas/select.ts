/**
 * Choosing a persona for a task.
 *
 * The rule, in order:
 * 1. A pinned persona (chosen by the user) wins, whatever the triggers say.
 * 2. Otherwise every persona is scored against the task:
 *    {@link KEYWORD_SCORE} per distinct keyword found in the task text,
 *    {@link GLOB_SCORE} per distinct glob matching at least one of the files,
 *    {@link TOOL_SCORE} per distinct trigger tool among the tools.
 * 3. The highest score wins; a tie goes to the higher `priority`, then to the
 *    name first in alphabetical order (so the choice never depends on load order).
 * 4. If no persona scores above zero, the persona whose description fits the
 *    task best is chosen (see describe.ts), when one fits well enough and
 *    may change files (a read-only persona is never a guess). A
 *    single keyword is weak evidence too: when that is all the triggers
 *    found, a description that fits clearly better wins over it.
 */
import picomatch from 'picomatch';
import { chooseByDescription } from './describe.ts';
import type { Persona } from './persona.ts';

/** A keyword in the task is weak evidence: words are ambiguous ("design" a button). */
export const KEYWORD_SCORE = 1;
/** A file the task names or touches is strong evidence of the area of work. */
export const GLOB_SCORE = 2;
/** A tool the agent uses says something about the work, as much as a keyword. */
export const TOOL_SCORE = 1;

/** Tools that change files or run commands, by Claude Code's names and Troika's. */
const CHANGING_TOOLS = new Set([
  'Bash',
  'Edit',
  'Write',
  'MultiEdit',
  'bash',
  'str_replace_based_edit_tool',
]);

/**
 * Whether the persona may change anything. One that may not (the reviewer)
 * is never guessed from a description: taking an agent's hands away on a
 * guess ("merge" in a task) would stall it; its triggers or a pin choose it.
 */
function canChange(persona: Persona): boolean {
  const allow = persona.tools?.allow;
  return allow === undefined || allow.some((tool) => CHANGING_TOOLS.has(tool));
}

/** What a persona is chosen for. */
export interface PersonaQuery {
  /** The task or message text. */
  readonly task: string;
  /** Workspace-relative paths (with `/`) the task names or the agent has touched. */
  readonly files?: readonly string[];
  /** Tool names the agent is about to use or has used. */
  readonly tools?: readonly string[];
}

/** The triggers of one persona that matched, for the agent's events. */
export interface PersonaMatch {
  readonly keywords: readonly string[];
  readonly globs: readonly string[];
  readonly tools: readonly string[];
}

export interface PersonaChoice {
  readonly persona: Persona;
  /** 0 when pinned. */
  readonly score: number;
  readonly matched: PersonaMatch;
  readonly pinned: boolean;
  /** One line for a person: why this persona. */
  readonly reason: string;
}

/** A pinned name that no loaded persona has. */
export class UnknownPersonaError extends Error {
  constructor(name: string, available: readonly Persona[]) {
    super(
      `There is no persona named "${name}". Available: ${available.map((p) => p.name).join(', ') || 'none'}.`,
    );
    this.name = 'UnknownPersonaError';
  }
}

/** Endings that keep a keyword's meaning: "test" matches "tests", "tested", "testing". */
const INFLECTIONS = ['s', 'es', 'd', 'ed', 'ing', 'er', 'ers'];
const INFLECTION_PATTERN = `(?:${INFLECTIONS.join('|')})?`;
const WORD = /[\p{L}\p{N}_]+/gu;
const WHOLE_WORD = /^[\p{L}\p{N}_]+$/u;
const SPACE_ONLY = /^\s+$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A task's words, lower-cased, with where each sits. Keywords are matched
 * against these rather than by one regular expression each: a pattern with
 * Unicode letter classes costs about a millisecond to compile (twice: V8
 * compiles it again once it is hot), and the built-in personas alone have
 * close to two hundred keywords, so the first prompts of a run paid over
 * 100 ms each.
 */
interface TaskWords {
  text: string;
  words: { word: string; start: number; end: number }[];
  /** word → the indexes in `words` where it occurs. */
  at: Map<string, number[]>;
}

let lastWords: TaskWords | undefined;

function taskWords(text: string): TaskWords {
  if (lastWords?.text === text) return lastWords;
  const words: TaskWords['words'] = [];
  const at = new Map<string, number[]>();
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase();
    const list = at.get(word);
    if (list === undefined) at.set(word, [words.length]);
    else list.push(words.length);
    words.push({ word, start: match.index, end: match.index + match[0].length });
  }
  lastWords = { text, words, at };
  return lastWords;
}

/** Keywords with characters outside words ("c++", "node.js") keep a pattern of their own. */
const keywordPatterns = new Map<string, RegExp>();

function keywordPattern(parts: readonly string[]): RegExp {
  const key = parts.join(' ');
  let pattern = keywordPatterns.get(key);
  if (pattern === undefined) {
    // Whole words only, any case; spaces in a phrase match any run of whitespace.
    const body = parts.map(escapeRegExp).join('\\s+');
    pattern = new RegExp(
      `(?<![\\p{L}\\p{N}_])${body}${INFLECTION_PATTERN}(?![\\p{L}\\p{N}_])`,
      'iu',
    );
    keywordPatterns.set(key, pattern);
  }
  return pattern;
}

/** Whether `keyword` (a word or a phrase; the last word may take an ending) is in the task, any case. */
function mentions(task: string, keyword: string): boolean {
  const parts = keyword.trim().toLowerCase().split(/\s+/);
  const last = parts.at(-1) ?? '';
  if (last === '') return false;
  if (!parts.every((part) => WHOLE_WORD.test(part))) return keywordPattern(parts).test(task);
  const { text, words, at } = taskWords(task);
  const ends = [last, ...INFLECTIONS.map((ending) => last + ending)];
  for (const end of ends) {
    for (const index of at.get(end) ?? []) {
      const first = index - (parts.length - 1);
      if (first < 0) continue;
      let found = true;
      for (let i = 0; i < parts.length - 1 && found; i++) {
        const word = words[first + i];
        const next = words[first + i + 1];
        found =
          word !== undefined &&
          next !== undefined &&
          word.word === parts[i] &&
          SPACE_ONLY.test(text.slice(word.end, next.start));
      }
      if (found) return true;
    }
  }
  return false;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Which of `persona`'s triggers match `query`, and the score they add up to. */
export function scorePersona(
  persona: Persona,
  query: PersonaQuery,
): { score: number; matched: PersonaMatch } {
  const keywords = distinct(persona.triggers.keywords).filter((keyword) =>
    mentions(query.task, keyword),
  );
  const files = query.files ?? [];
  const globs =
    files.length === 0
      ? []
      : distinct(persona.triggers.globs).filter((glob) => {
          const isMatch = picomatch(glob, { dot: true, nocase: true });
          return files.some((file) => isMatch(file));
        });
  const used = new Set((query.tools ?? []).map((tool) => tool.toLowerCase()));
  const tools = distinct(persona.triggers.tools).filter((tool) => used.has(tool.toLowerCase()));
  const score =
    keywords.length * KEYWORD_SCORE + globs.length * GLOB_SCORE + tools.length * TOOL_SCORE;
  return { score, matched: { keywords, globs, tools } };
}

function describe(matched: PersonaMatch): string {
  const parts: string[] = [];
  if (matched.keywords.length > 0) parts.push(`keywords ${matched.keywords.join(', ')}`);
  if (matched.globs.length > 0) parts.push(`files matching ${matched.globs.join(', ')}`);
  if (matched.tools.length > 0) parts.push(`tools ${matched.tools.join(', ')}`);
  return parts.join('; ');
}

/**
 * The persona for `query` by the rule in this module's header, or
 * `undefined` when none applies.
 * @throws {UnknownPersonaError} when `pinned` names no persona in `personas`.
 */
export function choosePersona(
  query: PersonaQuery,
  personas: readonly Persona[],
  pinned?: string,
): PersonaChoice | undefined {
  if (pinned !== undefined) {
    const persona = personas.find((p) => p.name === pinned);
    if (persona === undefined) throw new UnknownPersonaError(pinned, personas);
    return {
      persona,
      score: 0,
      matched: { keywords: [], globs: [], tools: [] },
      pinned: true,
      reason: 'pinned by the user',
    };
  }
  let best: { persona: Persona; score: number; matched: PersonaMatch } | undefined;
  for (const persona of personas) {
    const { score, matched } = scorePersona(persona, query);
    if (score === 0) continue;
    if (best === undefined || outranks({ persona, score }, best))
      best = { persona, score, matched };
  }
  if (best === undefined || best.score <= KEYWORD_SCORE) {
    const fit = chooseByDescription(query.task, personas);
    if (fit !== undefined && fit.persona !== best?.persona && canChange(fit.persona)) {
      const why =
        best === undefined
          ? 'no trigger matched'
          : `only the keyword ${best.matched.keywords.join(', ')} matched ${best.persona.name}`;
      return {
        persona: fit.persona,
        score: 0,
        matched: NO_MATCH,
        pinned: false,
        reason: `${why}; ${fit.reason}`,
      };
    }
    if (best === undefined) return undefined;
  }
  return {
    ...best,
    pinned: false,
    reason: `matched ${describe(best.matched)} (score ${best.score})`,
  };
}

const NO_MATCH: PersonaMatch = { keywords: [], globs: [], tools: [] };

function outranks(
  a: { persona: Persona; score: number },
  b: { persona: Persona; score: number },
): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.persona.priority !== b.persona.priority) return a.persona.priority > b.persona.priority;
  return a.persona.name < b.persona.name;
}
