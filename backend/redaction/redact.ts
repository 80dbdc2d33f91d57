/**
 * Secret redaction: every credential found in a text is replaced by
 * `[REDACTED:<kind>]` before the text reaches the model, the transcript, the
 * event log or the cache. The configured API key and any other exact value
 * the runtime registers are hidden wherever they appear; shapes of well-known
 * credentials are found by {@link DEFAULT_RULES}.
 *
 * Redaction is idempotent: a marker never matches a rule, so text can be
 * redacted again on its way to another sink.
 *
 * @example
 * const redactor = new Redactor();
 * redactor.addSecret(process.env.ANTHROPIC_API_KEY ?? '');
 * redactor.redact('Authorization: Bearer abcdefgh12345678'); // 'Authorization: Bearer [REDACTED:authorization-header]'
 */
import { DEFAULT_RULES, type RedactionRule } from './rules.ts';

export type { RedactionRule } from './rules.ts';
export { DEFAULT_RULES, isSecretVariable } from './rules.ts';

/**
 * Registered values shorter than this are refused: hiding every "admin" or
 * "1234" in the output would garble it and protect nothing.
 */
export const MIN_EXACT_SECRET_LENGTH = 8;

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
  /** Their kinds, each once, in the order first met. */
  readonly kinds: readonly string[];
}

interface CompiledRule {
  readonly rule: RedactionRule;
  /** The rule's pattern with match indices (`d`), to replace just the secret group. */
  readonly regex: RegExp;
}

function compile(rule: RedactionRule): CompiledRule {
  const flags = new Set(rule.pattern.flags);
  flags.add('g');
  flags.add('d');
  return { rule, regex: new RegExp(rule.pattern.source, [...flags].join('')) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces secrets in text. One instance per app is enough; it holds no per-text state. */
export class Redactor {
  readonly #rules: readonly CompiledRule[];
  /** Exact values, by kind; longest first, so a value containing another is hidden whole. */
  readonly #secrets = new Map<string, string>();
  #exact: RegExp | undefined;

  constructor(options: { rules?: readonly RedactionRule[] } = {}) {
    this.#rules = (options.rules ?? DEFAULT_RULES).map(compile);
  }

  /**
   * Hide `value` wherever it appears from now on (the configured API key, a
   * token the user entered). Returns false, registering nothing, for a value
   * shorter than {@link MIN_EXACT_SECRET_LENGTH}.
   */
  addSecret(value: string, kind: string = CONFIGURED_SECRET_KIND): boolean {
    const trimmed = value.trim();
    if (trimmed.length < MIN_EXACT_SECRET_LENGTH) return false;
    this.#secrets.set(trimmed, kind);
    const alternatives = [...this.#secrets.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    this.#exact = new RegExp(alternatives.join('|'), 'g');
    return true;
  }

  /** `text` with every secret replaced by its marker. */
  redact(text: string): string {
    return this.scan(text).text;
  }

  /** Like {@link redact}, and says how many secrets of which kinds were replaced. */
  scan(text: string): RedactionResult {
    let current = text;
    let count = 0;
    const kinds: string[] = [];
    const found = (kind: string): void => {
      count++;
      if (!kinds.includes(kind)) kinds.push(kind);
    };
    if (this.#exact !== undefined && this.#secrets.size > 0) {
      current = current.replace(this.#exact, (secret) => {
        const kind = this.#secrets.get(secret) ?? CONFIGURED_SECRET_KIND;
        found(kind);
        return redactionMarker(kind);
      });
    }
    for (const compiled of this.#rules) {
      if (compiled.rule.hint !== undefined && !current.includes(compiled.rule.hint)) continue;
      current = applyRule(current, compiled, found);
    }
    return { text: current, count, kinds };
  }
}

function applyRule(
  text: string,
  { rule, regex }: CompiledRule,
  found: (kind: string) => void,
): string {
  regex.lastIndex = 0;
  let out = '';
  let copied = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    if (match[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    if (rule.accept !== undefined && !rule.accept(match)) continue;
    const span: readonly [number, number] | undefined =
      rule.secretGroup === undefined
        ? [match.index, match.index + match[0].length]
        : match.indices?.[rule.secretGroup];
    // Already hidden by an earlier, more specific rule.
    if (span === undefined || text.startsWith(MARKER_PREFIX, span[0])) continue;
    out += text.slice(copied, span[0]) + redactionMarker(rule.kind);
    copied = span[1];
    found(rule.kind);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A redactor with the default rules and no registered values. */
const shared = new Redactor();

/** `text` with secrets of the default kinds replaced (no registered values; use a {@link Redactor} for those). */
export function redact(text: string): string {
  return shared.redact(text);
}
