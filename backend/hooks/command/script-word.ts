/**
 * Finds the script a hook command line runs, so it can be run from a copy
 * (see `script-copies.ts`): the first word when it is a path (`./x.sh`,
 * `"$CLAUDE_PROJECT_DIR"/.claude/hooks/x.sh`), or the first operand of a known
 * interpreter (`bash ./x.sh`, `python3 -u scripts/h.py`, `/usr/bin/env node
 * h.mjs`). Only plain words are read: anything the shell would expand other
 * than `$CLAUDE_PROJECT_DIR` (other variables, globs, `~`, command
 * substitution) leaves the command as written.
 */
import { normalize } from 'node:path';

export interface ScriptWord {
  /** The word's place in the command line, `[start, end)`: it is replaced there by the copy's path. */
  readonly start: number;
  readonly end: number;
  /** Absolute, or relative to the project folder (the working folder, `$CLAUDE_PROJECT_DIR`). */
  readonly path: string;
}

/** Runners whose first operand is the script they run. */
const INTERPRETERS =
  /^(?:(?:ba|da|k|z|fi)?sh|python[0-9.]*|node|nodejs|ruby|perl|php|pwsh|tsx|Rscript|lua)$/;
/** Options after which the interpreter runs inline code or a module, not a file. */
const INLINE_CODE = /^(?:-[A-Za-z]*[cemp]|--eval|--command|--print)$/;
const PROJECT_DIR = /^\$(?:CLAUDE_PROJECT_DIR\b|\{CLAUDE_PROJECT_DIR\})/;
/** Characters a word may hold unquoted without the shell doing anything with them. */
const PLAIN = /[A-Za-z0-9_@%+=:,./-]/;
/** Marks `$CLAUDE_PROJECT_DIR` in a parsed word. */
const PROJECT = '\u0000project';

interface Word {
  start: number;
  end: number;
  /** The word as the shell would see it, or undefined when it needs an expansion not handled here. */
  value: string | undefined;
}

function readWord(line: string, start: number): Word {
  let value: string | undefined = '';
  let i = start;
  const fail = () => (value = undefined);
  while (i < line.length && !/\s/.test(line[i] ?? '')) {
    const c = line[i] ?? '';
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return { start, end: line.length, value: undefined };
      if (value !== undefined) value += line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        const project = PROJECT_DIR.exec(line.slice(j));
        if (project) {
          if (value !== undefined) value += PROJECT;
          j += project[0].length;
        } else if ('$`\\'.includes(line[j] ?? '')) {
          fail();
          j++;
        } else {
          if (value !== undefined) value += line[j];
          j++;
        }
      }
      if (j >= line.length) return { start, end: line.length, value: undefined };
      i = j + 1;
    } else if (c === '$') {
      const project = PROJECT_DIR.exec(line.slice(i));
      if (!project) return { start, end: i, value: undefined };
      if (value !== undefined) value += PROJECT;
      i += project[0].length;
    } else if (PLAIN.test(c)) {
      if (value !== undefined) value += c;
      i++;
    } else if (';&|<>()'.includes(c) && i > start) {
      // An operator ends the word as whitespace would (`./x.sh;`, `./x.sh>log`).
      return { start, end: i, value };
    } else return { start, end: i, value: undefined };
  }
  return { start, end: i, value };
}

function words(line: string, count: number): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (out.length < count) {
    while (i < line.length && /\s/.test(line[i] ?? '')) i++;
    if (i >= line.length) break;
    const word = readWord(line, i);
    out.push(word);
    if (word.value === undefined) break;
    i = word.end;
  }
  return out;
}

function scriptPath(value: string): string | undefined {
  if (value.includes(PROJECT)) {
    if (!value.startsWith(PROJECT)) return undefined;
    const rest = value.slice(PROJECT.length).replace(/^[/\\]+/, '');
    return rest === '' || rest.includes(PROJECT) ? undefined : normalize(rest);
  }
  return normalize(value);
}

function baseName(value: string): string {
  return value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\')) + 1);
}

/** The script `command` runs, when it names one as a plain path; undefined otherwise. */
export function findScriptWord(command: string): ScriptWord | undefined {
  const list = words(command, 8);
  let index = 0;
  if (list[0]?.value !== undefined && baseName(list[0].value) === 'env') index++;
  const first = list[index];
  if (first?.value === undefined) return undefined;
  // A variable assignment (`FOO=1 ./x.sh`) or a command from the PATH: nothing to copy.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first.value)) return undefined;
  const name = baseName(first.value);
  if (!INTERPRETERS.test(name)) {
    if (!/[/\\]/.test(first.value)) return undefined;
    const path = scriptPath(first.value);
    return path === undefined ? undefined : { start: first.start, end: first.end, path };
  }
  for (const word of list.slice(index + 1)) {
    if (word.value === undefined) return undefined;
    if (word.value === '--') continue;
    if (word.value.startsWith('-')) {
      if (INLINE_CODE.test(word.value)) return undefined;
      continue;
    }
    const path = scriptPath(word.value);
    return path === undefined ? undefined : { start: word.start, end: word.end, path };
  }
  return undefined;
}
