/**
 * Reads a bash (or sh, zsh) command as the shell parses it, with unbash, and
 * walks every command in it: in lists, pipelines, subshells, functions,
 * if/for/while bodies, command and process substitutions. Each command's words
 * go to commands.ts; redirections are checked for writes outside.
 */
import { forEachChild, parse } from 'unbash';
import type {
  Assignment,
  Command,
  HereDoc,
  HereString,
  ParsedScript,
  Pipeline,
  Redirect,
  SyntaxNode,
  Word,
  WordPart,
} from 'unbash';
import { checkCommand, isFetcher } from './commands.ts';
import type { Stdin } from './scan.ts';
import { MAX_DEPTH, type Arg, type Scan } from './scan.ts';

export function analysePosix(source: string, scan: Scan): void {
  let script: ParsedScript;
  try {
    script = parse(source);
  } catch (error) {
    scan.hit('unparsable', error instanceof Error ? error.message : String(error));
    return;
  }
  visit(script, scan);
}

function visit(node: SyntaxNode, scan: Scan): void {
  if (scan.depth >= MAX_DEPTH) {
    scan.hit('unparsable', 'nested too deeply');
    return;
  }
  // Words and substitutions are parsed when first visited: count what that reads.
  if (
    'text' in node &&
    (node.type === 'Word' || node.type.endsWith('Expansion') || node.type === 'ProcessSubstitution')
  ) {
    if (!scan.read(node.text.length)) return;
  }
  scan.depth++;
  // A subshell's `cd` does not change where later commands run.
  const cwd = scan.cwd;
  const subshell =
    node.type === 'Subshell' ||
    node.type === 'CommandExpansion' ||
    node.type === 'ProcessSubstitution';
  try {
    switch (node.type) {
      case 'Script': {
        const error = (node as ParsedScript).errors?.[0];
        if (error) scan.hit('unparsable', error.message);
        break;
      }
      case 'Pipeline':
        return pipeline(node, scan);
      case 'Command':
        command(node, scan);
        break;
      case 'Redirect':
        redirect(node, scan);
        break;
    }
    forEachChild(node, (child) => visit(child, scan));
  } finally {
    scan.depth--;
    if (subshell) scan.cwd = cwd;
  }
}

/**
 * `curl … | sh`: a shell or interpreter after a download in a pipe runs what
 * was downloaded; after anything else, it runs code that cannot be read here.
 */
function pipeline(node: Pipeline, scan: Scan): void {
  let downloaded = false;
  for (const [index, part] of node.commands.entries()) {
    if (part.type !== 'Command') {
      visit(part, scan);
      continue;
    }
    const piped: Stdin | undefined = downloaded
      ? { kind: 'network' }
      : index > 0
        ? { kind: 'pipe' }
        : undefined;
    const ran = command(part, scan, piped);
    downloaded ||= isFetcher(ran);
    forEachChild(part, (child) => visit(child, scan));
  }
}

/** Parts that turn one word into other words, or into file names, when the shell runs it. */
const EXPANDING = new Set(['Glob', 'ExtendedGlob', 'BraceExpansion']);

function command(node: Command, scan: Scan, piped?: Stdin): string | undefined {
  if (node.name === undefined) return undefined;
  // `/bin/r? -rf x`, `{rm,-rf,x}`: the command is only known once expanded.
  if (node.name.parts?.some((part) => EXPANDING.has(part.type))) {
    scan.hit('unknownCommand', node.name.text);
    return undefined;
  }
  const words = [node.name, ...node.args].map((w) => (w.type === 'Word' ? arg(w) : assignment(w)));
  return checkCommand(words, scan, piped ?? stdinOf(node));
}

/** A here-document or here-string feeding the command: it may be the code a shell runs. */
function stdinOf(node: Command): Stdin | undefined {
  const input = node.redirects.find(
    (r): r is HereDoc | HereString => r.type === 'HereDoc' || r.type === 'HereString',
  );
  if (input === undefined) return undefined;
  if (input.type === 'HereDoc') return { kind: 'text', text: input.body.text };
  const target = input.target === undefined ? undefined : arg(input.target);
  return { kind: 'text', text: target?.literal ? target.text : undefined };
}

/** Operators that write their target (`>&` too, unless it names a descriptor). */
const WRITES = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);

function redirect(node: Redirect, scan: Scan): void {
  if (!WRITES.has(node.operator) || node.target === undefined) return;
  const target = arg(node.target);
  if (node.operator === '>&' && /^(?:\d+|-)$/.test(target.text)) return;
  scan.write(target);
}

/** `NAME=value` as an argument (`alias x="…"`, `export A=$b`): the value's quotes removed. */
function assignment(node: Assignment): Arg {
  const head = `${node.name}${node.append ? '+=' : '='}`;
  if (node.value.type !== 'Word') return { text: node.text, literal: false, prefix: head };
  const value = arg(node.value);
  return { text: head + value.text, literal: value.literal, prefix: head + value.prefix };
}

/**
 * A word as the shell would see it after quote removal. With an expansion in
 * it, `text` keeps the expansions' source (`"$HOME/x"` → `$HOME/x`).
 */
export function arg(word: Word): Arg {
  const parts = word.parts;
  if (parts === undefined) return { text: word.value, literal: true, prefix: word.value };
  let text = '';
  let prefix: string | undefined;
  for (const part of parts) {
    const literal = literalText(part);
    if (literal === undefined) prefix ??= text;
    text += literal ?? unquoted(part);
  }
  return prefix === undefined
    ? { text: word.value, literal: true, prefix: word.value }
    : { text, literal: false, prefix };
}

/** A part holding an expansion, quotes removed around it. */
function unquoted(part: WordPart): string {
  if (part.type !== 'DoubleQuoted' && part.type !== 'LocaleString') return part.text;
  return part.parts.map((child) => (child.type === 'Literal' ? child.value : child.text)).join('');
}

function literalText(part: WordPart): string | undefined {
  switch (part.type) {
    case 'Literal':
    case 'SingleQuoted':
    case 'AnsiCQuoted':
    case 'Glob':
    case 'ExtendedGlob':
      return part.type === 'ExtendedGlob' ? part.text : part.value;
    case 'DoubleQuoted':
    case 'LocaleString': {
      let text = '';
      for (const child of part.parts) {
        if (child.type !== 'Literal') return undefined;
        text += child.value;
      }
      return text;
    }
    default:
      return undefined;
  }
}
