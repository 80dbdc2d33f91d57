/** Reading one persona file: YAML front matter between `---` lines, then the Markdown role prompt. */
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { PersonaFrontMatter, type Persona, type PersonaOrigin } from './persona.ts';

/** A persona file that cannot be used; the message names the file and the field. */
export class PersonaError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'PersonaError';
    this.file = file;
  }
}

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;

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

/**
 * Parse a persona file's text. `file` is used in error messages and kept as
 * the persona's `source`.
 * @throws {PersonaError} naming the file and the field that is wrong.
 */
export function parsePersona(text: string, file: string, origin: PersonaOrigin): Persona {
  const normalized = normalize(text);
  const match = FRONT_MATTER.exec(normalized);
  if (match === null) {
    throw new PersonaError(file, 'must start with YAML front matter between "---" lines');
  }
  const document = parseDocument(match[1] ?? '');
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    const line = yamlError.linePos?.[0].line;
    // Line numbers count from the file's start: the front matter begins on line 2.
    const where = line === undefined ? '' : ` (line ${line + 1})`;
    const message = (yamlError.message.split('\n')[0] ?? '').replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    throw new PersonaError(file, `front matter is not valid YAML${where}: ${message}`);
  }
  const parsed = PersonaFrontMatter.safeParse(document.toJS() ?? {});
  if (!parsed.success) throw new PersonaError(file, describeIssues(parsed.error));
  const prompt = normalized.slice(match[0].length).trim();
  if (prompt === '') throw new PersonaError(file, 'has no role prompt after the front matter');
  const front = parsed.data;
  const tools =
    front.tools === undefined
      ? undefined
      : {
          ...(front.tools.allow !== undefined && { allow: front.tools.allow }),
          ...(front.tools.deny !== undefined && { deny: front.tools.deny }),
        };
  return {
    name: front.name,
    description: front.description,
    triggers: front.triggers,
    priority: front.priority,
    ...(tools !== undefined && { tools }),
    prompt,
    source: file,
    origin,
  };
}
