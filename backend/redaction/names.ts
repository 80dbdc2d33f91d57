/**
 * Which names hold a secret: `DB_PASSWORD`, `db_password`, `dbPassword`,
 * `X-Auth-Token`, `spring.datasource.password` do; `PASSWORD_FILE`,
 * `MAX_TOKENS`, `password_min_length`, `TOKENIZERS_PARALLELISM` do not. A name
 * is split into words (at `_`, `-`, `.` and camelCase humps); it is secret
 * when one word is a secret word (or two adjacent words a secret pair) and
 * its last word does not say it merely describes one (`…_URL`, `…_LENGTH`).
 */

/** Words that make a name a secret when they appear as one of its parts. */
const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'SECRET',
  'TOKEN',
  'APIKEY',
  'APITOKEN',
  'AUTHTOKEN',
  'ACCESSTOKEN',
  'SECRETKEY',
  'PRIVATEKEY',
  'CREDENTIALS',
  'PASSPHRASE',
]);
/** Two-word secret names (`API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`, …). */
const SECRET_PAIRS = new Set([
  'API_KEY',
  'PRIVATE_KEY',
  'ACCESS_KEY',
  'AUTH_KEY',
  'SIGNING_KEY',
  'MASTER_KEY',
  'ENCRYPTION_KEY',
  'SESSION_KEY',
  'CLIENT_SECRET',
]);
/**
 * A name ending in one of these describes a secret rather than holding it
 * (`TOKEN_URL`, `PASSWORD_FILE`, `TOKEN_TTL`, `password_min_length`), so its
 * value is not hidden.
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
  'POLICY',
  'HASH',
  'HINT',
  'PROMPT',
  'LABEL',
  'PATTERN',
  'REGEX',
  'RULES',
  'ENABLED',
  'REQUIRED',
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

/** Whether a key in any spelling (`dbPassword`, `db-password`, `app.db.password`, `X-Api-Key`) holds a secret. */
export function isSecretName(name: string): boolean {
  return isSecretVariable(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.]/g, '_'));
}
