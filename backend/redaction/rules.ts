/**
 * What counts as a secret: one rule per kind, each a regular expression with
 * the part to hide. Rules look for the shape of a credential (a vendor prefix,
 * a PEM header, an `Authorization` header, an env-style assignment of a
 * secret-named variable to a literal), never for words like "token" alone, so
 * ordinary code (`token = getToken()`) is left as it is.
 */

/** One kind of secret. `secretGroup` names the capture group to hide; without it the whole match is hidden. */
export interface RedactionRule {
  readonly kind: string;
  /** Global (`g`) expression; scanned once per text. */
  readonly pattern: RegExp;
  /** Capture group holding the secret, when the match also holds context that stays visible (a key name, a header). */
  readonly secretGroup?: number;
  /** Extra check on a match (e.g. the variable name), when a regular expression alone would be too eager. */
  readonly accept?: (match: RegExpExecArray) => boolean;
  /** A literal every match contains; a text without it skips the rule (most texts hold no secret at all). */
  readonly hint?: string;
}

/** Words that make an env-style variable a secret when they appear as one of its `_`-separated parts. */
const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'SECRET',
  'TOKEN',
  'APIKEY',
  'CREDENTIALS',
  'PASSPHRASE',
]);
/** Two-word secret names (`API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`, `AUTH_KEY`). */
const SECRET_PAIRS = new Set([
  'API_KEY',
  'PRIVATE_KEY',
  'ACCESS_KEY',
  'AUTH_KEY',
  'SIGNING_KEY',
  'MASTER_KEY',
  'CLIENT_SECRET',
]);
/**
 * A variable ending in one of these describes a secret rather than holding it
 * (`TOKEN_URL`, `PASSWORD_FILE`, `TOKEN_TTL`), so its value is not hidden.
 */
const DESCRIPTIVE_SUFFIXES = new Set([
  'URL',
  'URI',
  'FILE',
  'PATH',
  'DIR',
  'NAME',
  'TYPE',
  'ID',
  'COUNT',
  'LIMIT',
  'LENGTH',
  'LEN',
  'SIZE',
  'TTL',
  'TIMEOUT',
  'EXPIRY',
  'EXPIRES',
  'HEADER',
  'FIELD',
  'PARAM',
  'ENDPOINT',
  'HOST',
  'PORT',
  'REGION',
  'MIN',
  'MAX',
]);

/** Whether an env-style variable name (`DB_PASSWORD`, `GITHUB_TOKEN`) holds a secret. */
export function isSecretVariable(name: string): boolean {
  const parts = name
    .toUpperCase()
    .split('_')
    .filter((part) => part.length > 0);
  const last = parts[parts.length - 1];
  if (last === undefined || DESCRIPTIVE_SUFFIXES.has(last)) return false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (SECRET_WORDS.has(part)) return true;
    const next = parts[i + 1];
    if (next !== undefined && SECRET_PAIRS.has(`${part}_${next}`)) return true;
  }
  return false;
}

/** A value that refers to a secret instead of holding it: `$VAR`, `${VAR}`, `$(cmd)`, `%VAR%`, `<placeholder>`. */
function isReference(value: string): boolean {
  return /^["']?(?:\$|%[A-Za-z_]|<[^>]*>["']?$)/.test(value);
}

/**
 * The rules, most specific first: a key with a vendor prefix is named by its
 * vendor even where a generic rule (an env assignment) would also match.
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
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/g,
    hint: 'sk-',
  },
  { kind: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  {
    kind: 'aws-secret-access-key',
    pattern:
      /\baws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    secretGroup: 1,
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
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    hint: 'eyJ',
  },
  {
    kind: 'authorization-header',
    // `Authorization: Bearer <token>` (or Basic, Token); a `$VAR` is a reference and stays.
    pattern:
      /\b(?:Proxy-)?Authorization["']?\s*[:=]\s*["']?(?:Bearer|Basic|Token|Bot)\s+([A-Za-z0-9._~+/=-]{8,})/gi,
    secretGroup: 1,
  },
  {
    kind: 'bearer-token',
    pattern: /\bBearer\s+([A-Za-z0-9_-]{8,}\.[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9_-]{24,}={0,2})/g,
    secretGroup: 1,
    hint: 'Bearer',
  },
  {
    kind: 'url-credentials',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"'`[\]]+:([^\s/?#@"'`[\]]+)@/gi,
    secretGroup: 1,
    hint: '://',
    accept: (match) => !isReference(match[1] ?? ''),
  },
  {
    kind: 'env-secret',
    // `NAME=value` or `export NAME=value` at a line start (.env files, shell, `env` output). Upper-case
    // names and no space before `=`: that is the env convention, and it keeps `token = next()` in code out.
    pattern:
      /^[ \t]*(?:export[ \t]+)?([A-Z_][A-Z0-9_]*)=[ \t]*("[^"\n]+"|'[^'\n]+'|[^\s"'#][^\s#]*)/gm,
    secretGroup: 2,
    accept: (match) => isSecretVariable(match[1] ?? '') && !isReference(match[2] ?? ''),
  },
  {
    kind: 'config-secret',
    // A quoted literal assigned to a secret-named key in JSON, YAML or code: `"password": "hunter22"`.
    pattern:
      /(["']?)\b([A-Za-z0-9_-]*?(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|passphrase))\1[ \t]*(?::|=|:=)[ \t]*(["'])([^"'\s]{6,})\3/gi,
    secretGroup: 4,
    accept: (match) =>
      isSecretVariable((match[2] ?? '').replace(/-/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2')) &&
      !isReference(match[4] ?? ''),
  },
];
