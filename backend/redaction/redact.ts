/**
 * `redaction/` owns secret redaction for every output path.
 *
 * Secret redaction: every credential found in a text is replaced by
 * `[REDACTED:<kind>]` before the text reaches the model, the transcript, the
 * event log, the cache or the recorded terminal. Secrets are found two ways:
 * by shape and key name ({@link DEFAULT_RULES}, wherever they stand in a
 * line), and by value: the configured API key, the secret-named variables of
 * the environment, and every value a rule once found are hidden wherever they
 * appear later, with or without a key beside them (see `values.ts`). Share
 * one redactor among all a process's output paths, so a value learned from a
 * tool result is also hidden in the terminal recording.
 *
 * Redaction is idempotent: a marker never matches a rule, so text can be
 * redacted again on its way to another sink.
 *
 * @example
 * const redactor = new Redactor();
 * redactor.addSecret(process.env.ANTHROPIC_API_KEY ?? '');
 * redactor.redact('Authorization: Bearer abcdefgh12345678'); // 'Authorization: Bearer [REDACTED:authorization-header]'
 */
import { DEFAULT_RULES, isSecretVariable, type RedactionRule } from './rules.ts';
import { hiddenWithin, rawSpan, visibleText } from './terminal.ts';
import { SecretValues } from './values.ts';

export type { RedactionRule } from './rules.ts';
export { DEFAULT_RULES, isSecretName, isSecretVariable } from './rules.ts';
export { MAX_LEARNED_SECRETS, MIN_EXACT_SECRET_LENGTH } from './values.ts';

/** The kind shown for a value registered with {@link Redactor.addSecret} without one. */
export const CONFIGURED_SECRET_KIND = 'configured-secret';

const MARKER_PREFIX = '[REDACTED:';

/** The text that replaces a secret of `kind`. */
export function redactionMarker(kind: string): string {
  return `${MARKER_PREFIX}${kind}]`;
}

/** What {@link Redactor.scan} found. */
export interface RedactionResult {
  readonly text: string;
  /** Number of secrets replaced. */
  readonly count: number;
  /** Their kinds, each once: registered values first, then in the order of the rules. */
  readonly kinds: readonly string[];
}

interface CompiledRule {
  readonly rule: RedactionRule;
  /** The rule's pattern with match indices (`d`), to replace just the secret group. */
  readonly regex: RegExp;
  readonly groups: readonly number[] | undefined;
  /** The rule's `lineHint`, global, to find the lines it is tried on; rules sharing a hint share it. */
  readonly lineHint: RegExp | undefined;
}

/** A stretch of text to hide; `rank` orders kinds when stretches overlap (lower wins). */
interface Span {
  start: number;
  end: number;
  kind: string;
  rank: number;
}

function compile(rule: RedactionRule, hints: Map<RegExp, RegExp>): CompiledRule {
  let lineHint = rule.lineHint && hints.get(rule.lineHint);
  if (rule.lineHint !== undefined && lineHint === undefined) {
    lineHint = new RegExp(rule.lineHint.source, 'gi');
    hints.set(rule.lineHint, lineHint);
  }
  const flags = new Set(rule.pattern.flags);
  flags.add('g');
  flags.add('d');
  const groups =
    rule.secretGroup === undefined
      ? undefined
      : typeof rule.secretGroup === 'number'
        ? [rule.secretGroup]
        : rule.secretGroup;
  return {
    rule,
    regex: new RegExp(rule.pattern.source, [...flags].join('')),
    groups,
    lineHint,
  };
}

/** Replaces secrets in text. One instance per process: it holds the values to hide, no per-text state. */
export class Redactor {
  readonly #rules: readonly CompiledRule[];
  readonly #values = new SecretValues();

  constructor(options: { rules?: readonly RedactionRule[] } = {}) {
    const hints = new Map<RegExp, RegExp>();
    this.#rules = (options.rules ?? DEFAULT_RULES).map((rule) => compile(rule, hints));
  }

  /**
   * Hide `value` wherever it appears from now on (the configured API key, a
   * token the user entered). Returns false, registering nothing, for a value
   * shorter than {@link MIN_EXACT_SECRET_LENGTH}.
   */
  addSecret(value: string, kind: string = CONFIGURED_SECRET_KIND): boolean {
    return this.#values.add(value, kind);
  }

  /**
   * Hide the values of the secret-named variables of `env` (`GITHUB_TOKEN`,
   * `DB_PASSWORD`): agents' shells inherit them, and `echo $GITHUB_TOKEN`
   * prints one with no name beside it. Returns how many were registered.
   */
  addSecretsFromEnv(env: Readonly<Record<string, string | undefined>>): number {
    let added = 0;
    for (const [name, value] of Object.entries(env)) {
      if (value !== undefined && isSecretVariable(name) && this.#values.add(value, 'env-secret'))
        added++;
    }
    return added;
  }

  /** `text` with every secret replaced by its marker. */
  redact(text: string): string {
    return this.scan(text).text;
  }

  /** Like {@link redact}, and says how many secrets of which kinds were replaced. */
  scan(text: string): RedactionResult {
    const spans = this.#spans(text);
    if (spans.length === 0) return { text, count: 0, kinds: [] };
    const kinds = [...new Set([...spans].sort((a, b) => a.rank - b.rank).map((span) => span.kind))];
    let out = '';
    let copied = 0;
    for (const span of spans) {
      out += text.slice(copied, span.start) + redactionMarker(span.kind);
      copied = span.end;
    }
    return { text: out + text.slice(copied), count: spans.length, kinds };
  }

  /**
   * `raw` terminal output with every secret replaced: secrets are looked for
   * in the text as it reads (escape sequences and carriage returns taken
   * out), so a value `grep --color` painted is still found.
   */
  redactTerminal(raw: string): string {
    const visible = visibleText(raw);
    const spans = this.#spans(visible.text);
    if (spans.length === 0) return raw;
    let out = '';
    let copied = 0;
    for (const span of spans) {
      const [start, end] = rawSpan(visible, span.start, span.end);
      out +=
        raw.slice(copied, start) +
        redactionMarker(span.kind) +
        hiddenWithin(visible, raw, start, end);
      copied = end;
    }
    return out + raw.slice(copied);
  }

  /** The secrets of `text`, in order, overlapping ones merged; values found are remembered. */
  #spans(text: string): Span[] {
    const spans: Span[] = [];
    this.#values.find(text, (start, end, kind) => spans.push({ start, end, kind, rank: -1 }));
    let learned = false;
    // The lines of each hint, found once per text for all the rules that share it.
    const hinted = new Map<RegExp, Line[]>();
    this.#rules.forEach((compiled, rank) => {
      const { rule, lineHint } = compiled;
      if (rule.hint !== undefined && !text.includes(rule.hint)) return;
      const found = (start: number, end: number) => {
        spans.push({ start, end, kind: rule.kind, rank });
        if (rule.kind !== 'private-key')
          learned = this.#values.learn(unquote(text.slice(start, end)), rule.kind) || learned;
      };
      if (lineHint === undefined) return findRule(text, compiled, found);
      let lines = hinted.get(lineHint);
      if (lines === undefined) hinted.set(lineHint, (lines = linesWith(text, lineHint)));
      for (const [from, to] of lines)
        findRule(text.slice(from, to), compiled, (start, end) => found(from + start, from + end));
    });
    // A value first seen in this very text is hidden where it stands bare in it too.
    if (learned) {
      this.#values.find(text, (start, end, kind) =>
        spans.push({ start, end, kind, rank: this.#rules.length }),
      );
    }
    return merge(spans);
  }
}

/** A line of a text: [start, end) without its newline. */
type Line = readonly [number, number];

/** The lines of `text` that `hint` (global) matches in, in order, each once. */
function linesWith(text: string, hint: RegExp): Line[] {
  const lines: Line[] = [];
  hint.lastIndex = 0;
  for (let match = hint.exec(text); match !== null; match = hint.exec(text)) {
    const start = text.lastIndexOf('\n', match.index) + 1;
    const newline = text.indexOf('\n', match.index + match[0].length);
    const end = newline === -1 ? text.length : newline;
    lines.push([start, end]);
    hint.lastIndex = end + 1;
  }
  return lines;
}

function unquote(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

function findRule(
  text: string,
  { rule, regex, groups }: CompiledRule,
  found: (start: number, end: number) => void,
): void {
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    if (match[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    if (rule.accept !== undefined && !rule.accept(match)) continue;
    let span: readonly [number, number] | undefined;
    if (groups === undefined) span = [match.index, match.index + match[0].length];
    else
      for (const group of groups) {
        span = match.indices?.[group];
        if (span !== undefined) break;
      }
    // Already hidden (text redacted before).
    if (span === undefined || text.startsWith(MARKER_PREFIX, span[0])) continue;
    found(span[0], span[1]);
  }
}

/** Spans sorted by start, overlapping ones joined; a joined span takes the kind of its best-ranked part. */
function merge(spans: Span[]): Span[] {
  if (spans.length <= 1) return spans;
  spans.sort((a, b) => a.start - b.start || a.rank - b.rank);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      if (span.rank < last.rank) {
        last.rank = span.rank;
        last.kind = span.kind;
      }
    } else merged.push({ ...span });
  }
  return merged;
}

/** A redactor with the default rules and no registered values (it does remember what it finds). */
const shared = new Redactor();

/** `text` with secrets of the default kinds replaced (no registered values; use a {@link Redactor} for those). */
export function redact(text: string): string {
  return shared.redact(text);
}
