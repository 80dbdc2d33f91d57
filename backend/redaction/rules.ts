/**
 * What counts as a secret: one rule per kind, each a regular expression with
 * the part to hide. Rules look for the shape of a credential (a vendor prefix,
 * a PEM header, an `Authorization` header, a secret-named key assigned a
 * literal), never for words like "token" alone, so ordinary code
 * (`token = getToken()`) is left as it is.
 *
 * A secret is found wherever it stands in a line, whatever is before it: the
 * editor's numbered view (`    12\tDB_PASSWORD=…`), `cat -n`, grep and
 * search output (`path:12:DB_PASSWORD=…`, `path:12: DB_PASSWORD=…`), an
 * indented or `export`ed `.env` line, a colour escape. Key rules therefore
 * start a key where an identifier starts (a look-behind), not at the line's
 * start. The forms:
 *
 * - `env-secret`: `NAME=value`, `NAME="value"`, `NAME='value'` with an
 *   upper-case NAME (the env convention; `x=y` in code is left alone).
 * - `config-secret`: a quoted literal after a secret key in any spelling,
 *   with `:`, `=`, `:=` or `=>` (`"db_password": "…"`, `apiKey = '…'`,
 *   `password: "…"`); or an unquoted value filling the rest of the line
 *   (`password: hunter22` in YAML, `password = s3cret` in INI).
 *
 * Left alone, by decision:
 * - names that are not secret (`PORT=3000`, `DEBUG=true`) or that describe
 *   one (`TOKEN_URL`, `PASSWORD_FILE`, `password_min_length: 8`, `MAX_TOKENS`;
 *   see `names.ts`);
 * - values that are no secret whatever the key: booleans and nulls
 *   (`USE_TOKEN=true`, `password: null`), references (`$VAR`, `${VAR}`,
 *   `%VAR%`, `<your-token>`), quoted literals under 4 characters;
 * - an unquoted value that reads as code or a type: `password: string`,
 *   `token: Token`, `password = req.body.password`, `token = next`,
 *   `password: f(x),`. A lower-case `key = value` with a letters-only value
 *   is taken for code; its upper-case env form (`DB_PASSWORD=hunter`) is not.
 *
 * Linear time: every rule is scanned over whole tool results and terminal
 * recordings, so none may backtrack badly. Each key rule starts only where
 * an identifier run starts (the look-behind), so a run is tried once; no
 * quantified group can match the same text two ways; and the one rule that
 * must see the end of the line keeps `=` out of its value (but for trailing
 * padding), so an `a=a=a=…` line cannot make each `a` rescan the rest.
 */
export { isSecretName, isSecretVariable } from './names.ts';
import { isSecretName, isSecretVariable } from './names.ts';

/** One kind of secret. `secretGroup` names the capture group to hide; without it the whole match is hidden. */
export interface RedactionRule {
  readonly kind: string;
  /** Global (`g`) expression; scanned once per text. */
  readonly pattern: RegExp;
  /** Capture group holding the secret (the first that took part, when several), when the match also holds context that stays visible (a key name, a header). */
  readonly secretGroup?: number | readonly number[];
  /** Extra check on a match (e.g. the variable name), when a regular expression alone would be too eager. */
  readonly accept?: (match: RegExpExecArray) => boolean;
  /** A literal every match contains; a text without it skips the rule (most texts hold no secret at all). */
  readonly hint?: string;
  /**
   * Every match lies within one line, and that line matches this (case-insensitive) expression:
   * the rule is tried on those lines only. The key rules scan every identifier of a text; most
   * lines of code name no secret, so this spares the scan of a large file.
   */
  readonly lineHint?: RegExp;
}

/**
 * Every secret name holds one of these (see names.ts: each secret word and
 * pair contains `pass`, `secret`, `token`, `key` or `credential`).
 */
const SECRET_NAME_PART = /pass|secret|token|key|credential/i;

/** A value that refers to a secret instead of holding it: `$VAR`, `${VAR}`, `$(cmd)`, `%VAR%`, `<placeholder>`. */
function isReference(value: string): boolean {
  return /^["']?(?:\$|%[A-Za-z_]|<[^>]*>["']?$)/.test(value);
}

/** Values no key makes secret. */
const PLAIN_VALUES = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'none', 'nil']);
/** Type names, which follow `password:` in code far more often than a password does. */
const TYPE_WORDS = new Set([
  'string',
  'str',
  'number',
  'int',
  'integer',
  'float',
  'double',
  'bool',
  'boolean',
  'bytes',
  'buffer',
  'any',
  'unknown',
  'object',
  'text',
  'char',
  'varchar',
  'undefined',
  'secret',
  'password',
  'token',
]);

function unquote(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

/** Whether a value found after a secret key may be a secret at all. */
function mayBeSecret(value: string): boolean {
  return !isReference(value) && !PLAIN_VALUES.has(unquote(value).toLowerCase());
}

/** An unquoted value filling the line after `key:` or `key =`: is it a literal rather than code or a type? */
function isLiteral(value: string, separator: string): boolean {
  if (!mayBeSecret(value) || TYPE_WORDS.has(value.toLowerCase())) return false;
  // Calls, indexing, object literals, argument lists, generics: code.
  if (/[()[\]{};,<>]/.test(value)) return false;
  // `req.body.password`, `self.token`: a member chain without a digit is code.
  if (!/\d/.test(value) && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false;
  // `Token`, `SecretValue`: a type name.
  if (/^(?:[A-Z][a-z]+)+$/.test(value)) return false;
  // `token = next`: with `=`, a bare word is a variable.
  if (separator !== ':' && /^[A-Za-z_]+$/.test(value)) return false;
  return true;
}

/**
 * The rules, most specific first: a key with a vendor prefix is named by its
 * vendor even where a generic rule (an env assignment) also matches.
 */
export const DEFAULT_RULES: readonly RedactionRule[] = [
  {
    kind: 'private-key',
    // A whole PEM block; an unterminated one (cut off output) is hidden to the end of the text.
    pattern:
      /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$(?![\s\S]))/g,
    hint: 'PRIVATE KEY',
  },
  { kind: 'anthropic-api-key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g, hint: 'sk-ant-' },
  {
    kind: 'openai-api-key',
    pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/g,
    hint: 'sk-',
  },
  { kind: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  {
    kind: 'aws-secret-access-key',
    pattern:
      /\baws_?secret_?access_?key["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    secretGroup: 1,
    lineHint: SECRET_NAME_PART,
  },
  {
    kind: 'github-token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  },
  { kind: 'gitlab-token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, hint: 'glpat-' },
  { kind: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, hint: 'xox' },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, hint: 'AIza' },
  { kind: 'stripe-key', pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{20,}/g, hint: '_live_' },
  {
    kind: 'jwt',
    // The look-behind starts a token only where a run starts: `-eyJ-eyJ-…` must not rescan the run from each `eyJ`.
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    hint: 'eyJ',
  },
  {
    kind: 'authorization-header',
    // `Authorization: Bearer <token>` (or Basic, Token); a `$VAR` is a reference and stays.
    pattern:
      /\b(?:Proxy-)?Authorization["']?[ \t]*[:=][ \t]*["']?(?:Bearer|Basic|Token|Bot)[ \t]+([A-Za-z0-9._~+/=-]{8,})/gi,
    secretGroup: 1,
  },
  {
    kind: 'bearer-token',
    pattern: /\bBearer[ \t]+([A-Za-z0-9_-]{8,}\.[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9_-]{24,}={0,2})/g,
    secretGroup: 1,
    hint: 'Bearer',
  },
  {
    kind: 'url-credentials',
    pattern: /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"'`[\]]+:([^\s/?#@"'`[\]]+)@/gi,
    secretGroup: 1,
    hint: '://',
    accept: (match) => !isReference(match[1] ?? ''),
  },
  {
    kind: 'env-secret',
    // `NAME=value` wherever NAME starts (after `export `, a line number, a grep prefix). Upper-case
    // names and no space before `=`: the env convention, which keeps `token = next()` in code out.
    pattern: /(?<![A-Za-z0-9_$])([A-Z_][A-Z0-9_]*)=[ \t]*("[^"\n]+"|'[^'\n]+'|[^\s"'`#][^\s"'`]*)/g,
    secretGroup: 2,
    hint: '=',
    lineHint: SECRET_NAME_PART,
    accept: (match) => isSecretVariable(match[1] ?? '') && mayBeSecret(match[2] ?? ''),
  },
  {
    kind: 'config-secret',
    // A quoted literal after a secret key: `"password": "…"`, `apiKey = '…'`, `token => "…"`.
    pattern:
      /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1[ \t]*(?::=|=>|:|=)[ \t]*(?:"((?:[^"\\\n]|\\.){4,})"|'((?:[^'\\\n]|\\.){4,})')/g,
    secretGroup: [3, 4],
    lineHint: SECRET_NAME_PART,
    accept: (match) => isSecretName(match[2] ?? '') && mayBeSecret(match[3] ?? match[4] ?? ''),
  },
  {
    kind: 'config-secret',
    // An unquoted value filling the rest of the line: `password: hunter22` (YAML), `password = s3cret` (INI).
    pattern:
      /(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]*)(:[ \t]+|[ \t]*=[ \t]*)([^\s"'`#&*!|>{[=][^\s=]*={0,3})(?:[ \t]+#.*)?[ \t\r]*$/gm,
    secretGroup: 3,
    lineHint: SECRET_NAME_PART,
    accept: (match) =>
      isSecretName(match[1] ?? '') && isLiteral(match[3] ?? '', (match[2] ?? '').trim()),
  },
];
