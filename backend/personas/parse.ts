/**
 * Reading one persona file: front matter between `---` lines, then the
 * Markdown role prompt. Troika's persona files and Claude Code's subagent
 * files (`.claude/agents/*.md`) are both read as they are.
 */
import type { z } from 'zod';
import { mapClaudeModel, mapClaudeTools, toolList } from './claude-subagent.ts';
import { FrontMatterError, readFrontMatter } from './front-matter.ts';
import {
  KNOWN_KEYS,
  MAX_SUMMARY_LENGTH,
  PersonaFrontMatter,
  type Persona,
  type PersonaOrigin,
  type PersonaToolLimits,
} from './persona.ts';

/** A persona file that cannot be used; the message names the file and the field. */
export class PersonaError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'PersonaError';
    this.file = file;
  }
}

/** `triggers.keywords[2]`: how a person reads a field's place. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      const where = fieldPath(issue.path);
      return `${where === '' ? 'front matter' : where}: ${issue.message}${keys}`;
    })
    .join('; ');
}

/** Same text on every OS: LF line ends, no byte-order mark, no blank lines around the body. */
function normalize(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** The description up to its first `<example>`, on one line, cut to {@link MAX_SUMMARY_LENGTH}. */
export function summarize(description: string): string {
  const head = description.split(/<example>|\bExamples?:/i)[0] ?? description;
  const line = head.replace(/\\n/g, ' ').replace(/\s+/g, ' ').trim() || description.slice(0, 80);
  return line.length > MAX_SUMMARY_LENGTH ? `${line.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : line;
}

/** Edit distance up to 3, enough to tell a typo from another word. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known key an unknown one is a typo of, if any: unknown keys are kept
 * (Claude Code's `color`…), but `trigger:` for `triggers:` must not pass as one.
 */
function misspeltKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  return [...KNOWN_KEYS].find(
    (known) => known === lower || distance(lower, known) <= (known.length > 6 ? 2 : 1),
  );
}

function toolLimits(
  value: PersonaFrontMatter['tools'],
  notes: string[],
): PersonaToolLimits | undefined {
  if (value === undefined) return undefined;
  const names = toolList(value);
  if (names !== undefined) {
    // Claude Code's form: the tools the subagent may use.
    const { allow, unknown } = mapClaudeTools(names);
    if (unknown.length > 0)
      notes.push(`tools: Troika has no tool for ${unknown.join(', ')}; left out`);
    return { allow };
  }
  const limits = value as { allow?: string[]; deny?: string[] };
  return {
    ...(limits.allow !== undefined && { allow: limits.allow }),
    ...(limits.deny !== undefined && { deny: limits.deny }),
  };
}

/**
 * Parse a persona file's text. `file` is used in error messages and kept as
 * the persona's `source`.
 * @throws {PersonaError} naming the file and the field that is wrong.
 */
export function parsePersona(text: string, file: string, origin: PersonaOrigin): Persona {
  let front;
  try {
    front = readFrontMatter(normalize(text));
  } catch (error) {
    if (error instanceof FrontMatterError) throw new PersonaError(file, error.message);
    throw error;
  }
  const parsed = PersonaFrontMatter.safeParse(front.data);
  if (!parsed.success) throw new PersonaError(file, describeIssues(parsed.error));
  const prompt = front.body.trim();
  if (prompt === '') throw new PersonaError(file, 'has no role prompt after the front matter');
  const data = parsed.data;
  const notes: string[] = [];
  if (front.lenient !== undefined)
    notes.push(`${front.lenient}; read line by line, as Claude Code does`);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!KNOWN_KEYS.has(key)) extra[key] = value;
  const extraKeys = Object.keys(extra);
  const typo = extraKeys.map((key) => [key, misspeltKey(key)] as const).find(([, known]) => known);
  if (typo !== undefined)
    throw new PersonaError(file, `front matter: "${typo[0]}" looks like a misspelt "${typo[1]}"`);
  if (extraKeys.length > 0)
    notes.push(`${extraKeys.join(', ')}: not used by Troika; kept and ignored`);
  const tools = toolLimits(data.tools, notes);
  const model = mapClaudeModel(data.model);
  if (model.note !== undefined) notes.push(model.note);
  return {
    name: data.name,
    description: data.description,
    summary: summarize(data.description),
    triggers: data.triggers,
    priority: data.priority,
    ...(tools !== undefined && { tools }),
    ...(model.model !== undefined && { model: model.model }),
    ...(extraKeys.length > 0 && { extra }),
    ...(notes.length > 0 && { notes }),
    prompt,
    source: file,
    origin,
  };
}
