/**
 * A small tokenizer for PowerShell and cmd.exe command lines. No maintained
 * PowerShell parser exists for JavaScript (the real one is .NET's
 * System.Management.Automation.Language), so this reads just enough: words
 * with their quoting, separators, redirections and groups (`( )`, `$( )`,
 * `{ }`). One pass, no recursion: linear in the text.
 */
import type { Arg } from './scan.ts';

export type Token =
  | { readonly kind: 'word'; readonly arg: Arg }
  /** `;`, newline, `&&`, `||`, `|` (and cmd's `&`). */
  | { readonly kind: 'separator'; readonly text: string }
  | { readonly kind: 'redirect'; readonly text: string }
  | { readonly kind: 'open'; readonly text: string }
  | { readonly kind: 'close' }
  /** `$( … )` inside a double-quoted string: its commands, read separately. */
  | { readonly kind: 'embedded'; readonly text: string };

const SPACE = /[ \t\r\f\v\u00a0]/;
/** Characters that end a bare word. */
const BREAKS = { powershell: /[\s;|&(){}<>]/, cmd: /[\s&|()<>]/ } as const;

export function tokenize(source: string, dialect: 'powershell' | 'cmd'): Token[] {
  const tokens: Token[] = [];
  const ps = dialect === 'powershell';
  const escape = ps ? '`' : '^';
  const breaks = BREAKS[dialect];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (SPACE.test(c)) {
      i++;
    } else if (c === '\n') {
      tokens.push({ kind: 'separator', text: '\n' });
      i++;
    } else if (ps && c === '<' && next === '#') {
      const end = source.indexOf('#>', i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (ps && c === '#') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
    } else if (c === escape && next === '\n') {
      i += 2; // a line continuation
    } else if (c === ';' && ps) {
      tokens.push({ kind: 'separator', text: ';' });
      i++;
    } else if ((c === '&' || c === '|') && next === c) {
      tokens.push({ kind: 'separator', text: c + c });
      i += 2;
    } else if (c === '|' || (c === '&' && !ps)) {
      tokens.push({ kind: 'separator', text: c });
      i++;
    } else if (/[\d*]/.test(c) && next === '>') {
      i = redirect(source, i, tokens);
    } else if (c === '>' || (c === '<' && !ps)) {
      i = redirect(source, i, tokens);
    } else if (c === '(' || c === '{' || (ps && (c === '$' || c === '@') && next === '(')) {
      const text = c === '(' || c === '{' ? c : `${c}(`;
      tokens.push({ kind: 'open', text });
      i += text.length;
    } else if (c === ')' || (ps && c === '}')) {
      tokens.push({ kind: 'close' });
      i++;
    } else {
      const end = word(source, i, tokens, ps, breaks);
      // A character no rule takes (`<` in PowerShell) is a word of its own: always move on.
      if (end === i) tokens.push(wordToken(c, true, c));
      i = Math.max(end, i + 1);
    }
  }
  return tokens;
}

function redirect(source: string, start: number, tokens: Token[]): number {
  const match = /^[\d*]?(?:>>?|<)(?:&\d)?/.exec(source.slice(start, start + 5));
  const text = match?.[0] ?? source[start] ?? '>';
  tokens.push({ kind: 'redirect', text });
  return start + text.length;
}

/** A word, with quoted parts: `-Path:'C:\x'`, `"a $b"`, `C:\Program` `Files`. */
function word(source: string, start: number, tokens: Token[], ps: boolean, breaks: RegExp): number {
  let text = '';
  let literal = true;
  let prefix: string | undefined;
  const variable = () => {
    if (literal) prefix = text;
    literal = false;
  };
  let i = start;
  // `&` opens a PowerShell command (the call operator) and is a word of its own.
  if (ps && source[i] === '&') return (tokens.push(wordToken('&', true, '&')), i + 1);
  // `[IO.File]::Delete(…)`: a .NET call, not a command name.
  if (ps && source[i] === '[') variable();
  while (i < source.length) {
    const c = source[i] as string;
    if (breaks.test(c)) break;
    if (c === (ps ? '`' : '^') && i + 1 < source.length) {
      text += source[i + 1];
      i += 2;
    } else if (c === "'" && ps) {
      const end = singleQuoted(source, i + 1);
      text += source.slice(i + 1, end).replace(/''/g, "'");
      i = end + 1;
    } else if (c === '"') {
      const quoted = doubleQuoted(source, i + 1, ps);
      if (quoted.variable) variable();
      for (const embedded of quoted.embedded) tokens.push({ kind: 'embedded', text: embedded });
      text += quoted.text;
      i = quoted.end + 1;
    } else if ((ps && c === '$' && /[\w{:?$^]/.test(source[i + 1] ?? '')) || (!ps && c === '%')) {
      variable();
      text += c;
      i++;
    } else {
      text += c;
      i++;
    }
  }
  if (i > start) tokens.push(wordToken(text, literal, prefix ?? text));
  return i;
}

const wordToken = (text: string, literal: boolean, prefix: string): Token => ({
  kind: 'word',
  arg: { text, literal, prefix },
});

function singleQuoted(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    if (source[i] === "'" && source[i + 1] === "'") i += 2;
    else if (source[i] === "'") return i;
    else i++;
  }
  return source.length;
}

/** A double-quoted string: its text, whether it expands variables, its `$( … )` parts. */
function doubleQuoted(source: string, from: number, ps: boolean) {
  let text = '';
  let variable = false;
  const embedded: string[] = [];
  let i = from;
  while (i < source.length && source[i] !== '"') {
    const c = source[i] as string;
    if (ps && c === '`') {
      text += source[i + 1] ?? '';
      i += 2;
    } else if (ps && c === '$' && source[i + 1] === '(') {
      const end = closing(source, i + 2);
      embedded.push(source.slice(i + 2, end));
      variable = true;
      text += source.slice(i, end + 1);
      i = end + 1;
    } else {
      if ((ps && c === '$' && /[\w{:]/.test(source[i + 1] ?? '')) || (!ps && c === '%'))
        variable = true;
      text += c;
      i++;
    }
  }
  return { text, variable, embedded, end: i };
}

/** The `)` closing a `$(` (counting parentheses; quotes inside are not looked at). */
function closing(source: string, from: number): number {
  let depth = 1;
  for (let i = from; i < source.length; i++) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')' && --depth === 0) return i;
  }
  return source.length;
}
