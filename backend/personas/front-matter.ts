/**
 * Reading a persona file's front matter as leniently as Claude Code does.
 *
 * Real subagent files are not always valid YAML: a one-line `description`
 * holding `<example>Context: … user: "…"</example>` has colons and quotes a
 * strict parser rejects ("Nested mappings are not allowed…"). Claude Code
 * loads such files, so Troika must too. The front matter is first parsed as
 * YAML; when that fails, it is read line by line: a line starting in column 0
 * with `key:` starts a field, every other line continues the one before, and
 * a field's value is taken as YAML only when it reads as a list or a mapping
 * (`[a, b]`, `- a` lines, an indented block) and as plain text otherwise.
 */
import { parse, parseDocument } from 'yaml';

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;
const FIELD_START = /^([A-Za-z_][\w-]*):(?:[ \t]+(.*)|[ \t]*)$/;

export interface FrontMatter {
  /** The fields, as YAML would give them (or as the lenient reading found them). */
  readonly data: Record<string, unknown>;
  /** The Markdown after the front matter. */
  readonly body: string;
  /** Set when the strict YAML parse failed and the lenient reading was used: the YAML error, with its line. */
  readonly lenient?: string;
}

/** The front matter does not close, or is neither YAML nor `key: value` lines. */
export class FrontMatterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrontMatterError';
  }
}

function yamlErrorText(error: {
  message: string;
  linePos?: [{ line: number }, ...unknown[]];
}): string {
  const line = error.linePos?.[0].line;
  // Line numbers count from the file's start: the front matter begins on line 2.
  const where = line === undefined ? '' : ` (line ${line + 1})`;
  const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return `front matter is not valid YAML${where}: ${message}`;
}

/** A field's raw text as a value: YAML when it is structured, else the text itself. */
function fieldValue(first: string, rest: readonly string[]): unknown {
  const trimmedFirst = first.trim();
  const structured =
    (trimmedFirst === '' && rest.some((line) => line.trim() !== '')) ||
    /^\[.*\]$/.test(trimmedFirst) ||
    /^\{.*\}$/.test(trimmedFirst);
  if (structured) {
    try {
      return parse([trimmedFirst, ...rest].join('\n'));
    } catch {
      // Not YAML after all: fall through to text.
    }
  }
  const text = [trimmedFirst, ...rest.map((line) => line.trim())]
    .filter((line) => line !== '')
    .join('\n');
  // Quotes around a whole value are the writer's, not part of the text.
  const quoted = /^(["'])([\s\S]*)\1$/.exec(text);
  if (quoted !== null) {
    const inner = quoted[2] ?? '';
    return quoted[1] === '"' ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"') : inner;
  }
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** The line-by-line reading used when strict YAML fails. */
function lenientFields(source: string): Record<string, unknown> | undefined {
  const fields: Array<{ key: string; first: string; rest: string[] }> = [];
  for (const line of source.split('\n')) {
    const start = FIELD_START.exec(line);
    if (start !== null) {
      fields.push({ key: start[1] ?? '', first: start[2] ?? '', rest: [] });
      continue;
    }
    const current = fields[fields.length - 1];
    if (current === undefined) {
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      return undefined;
    }
    current.rest.push(line);
  }
  if (fields.length === 0) return undefined;
  const data: Record<string, unknown> = {};
  for (const field of fields) data[field.key] = fieldValue(field.first, field.rest);
  return data;
}

/**
 * Split `text` (LF line ends) into front matter and body.
 * @throws {FrontMatterError} when there is no front matter or it cannot be read either way.
 */
export function readFrontMatter(text: string): FrontMatter {
  const match = FRONT_MATTER.exec(text);
  if (match === null)
    throw new FrontMatterError('must start with YAML front matter between "---" lines');
  const source = match[1] ?? '';
  const body = text.slice(match[0].length);
  const document = parseDocument(source);
  const yamlError = document.errors[0];
  if (yamlError === undefined) {
    const value: unknown = document.toJS() ?? {};
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new FrontMatterError('front matter must be a mapping of fields');
    return { data: value as Record<string, unknown>, body };
  }
  const strictError = yamlErrorText(yamlError);
  const data = lenientFields(source);
  if (data === undefined) throw new FrontMatterError(strictError);
  return { data, body, lenient: strictError };
}
