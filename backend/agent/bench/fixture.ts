/**
 * The token benchmark's fixture repository: a small HTTP client library in
 * plain ES modules, with tests Node runs as they are (`node --test`).
 * Generated, deterministic (the same bytes every run), and sized like real
 * source files (100 to 400 lines), so a file read costs what it costs in a
 * real session. The anchors the script's edits replace are named here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Text the script's str_replace edits find, one per edited file. */
export const ANCHORS = {
  configDefaults: '  retries: 3,\n',
  clientRetries: '    const retries = options.retries ?? DEFAULTS.retries;\n',
  testMore: '// more tests below\n',
  readmeOptions: '## Options\n',
} as const;

const STATUS_TEXTS = [
  'OK',
  'Created',
  'Accepted',
  'No Content',
  'Moved Permanently',
  'Found',
  'Not Modified',
  'Bad Request',
  'Unauthorized',
  'Forbidden',
  'Not Found',
  'Conflict',
  'Gone',
  'Too Many Requests',
  'Internal Server Error',
  'Bad Gateway',
  'Service Unavailable',
  'Gateway Timeout',
];
const STATUS_CODES = [
  200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 409, 410, 429, 500, 502, 503, 504,
];
const HEADERS = [
  'accept',
  'accept-encoding',
  'authorization',
  'cache-control',
  'content-length',
  'content-type',
  'cookie',
  'etag',
  'if-match',
  'if-none-match',
  'last-modified',
  'location',
  'retry-after',
  'user-agent',
  'x-request-id',
];
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

function httpClient(): string {
  const methods = METHODS.map(
    (m) => `
  /**
   * Sends a ${m.toUpperCase()} request to \`path\` (relative to the base URL).
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<ClientResponse>}
   */
  ${m}(path, options = {}) {
    return this.request('${m.toUpperCase()}', path, options);
  }`,
  );
  const statusHelpers = STATUS_CODES.map(
    (code, i) => `
/** Whether \`response\` is a ${code} ${STATUS_TEXTS[i]}. */
export function is${(STATUS_TEXTS[i] ?? '').replace(/[^A-Za-z]/g, '')}(response) {
  return response.status === ${code};
}`,
  );
  return `/**
 * A small HTTP client over fetch: a base URL, default headers, retries with
 * backoff for idempotent requests, and JSON in and out.
 */
import { DEFAULTS, resolveOptions } from './config.mjs';
import { createLogger } from './logger.mjs';
import { backoffDelay, isRetryable, sleep } from './retry.mjs';
import { buildUrl, normalizePath } from './url.mjs';

const log = createLogger('http-client');

/** Methods that may be sent twice without changing the result twice. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export class HttpError extends Error {
  constructor(response, body) {
    super(\`HTTP \${response.status} \${response.statusText}\`);
    this.name = 'HttpError';
    this.status = response.status;
    this.body = body;
  }
}

/** Merges header objects; later ones win, names compared without case. */
export function mergeHeaders(...sources) {
  const merged = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined || value === null) continue;
      merged[name.toLowerCase()] = String(value);
    }
  }
  return merged;
}

/** Parses a response body by its content type. */
export async function parseBody(response) {
  const type = response.headers.get('content-type') ?? '';
  if (response.status === 204) return undefined;
  if (type.includes('application/json')) return response.json();
  if (type.startsWith('text/')) return response.text();
  return response.arrayBuffer();
}

export class HttpClient {
  /**
   * @param {ClientOptions} options
   */
  constructor(options = {}) {
    this.options = resolveOptions(options);
    this.baseUrl = this.options.baseUrl;
    this.headers = mergeHeaders(DEFAULTS.headers, this.options.headers);
    this.fetch = this.options.fetch ?? globalThis.fetch;
  }

  /**
   * Sends one request, retrying idempotent ones that fail in a retryable way.
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} options
   */
  async request(method, path, options = {}) {
    const url = buildUrl(this.baseUrl, normalizePath(path), options.query);
    const headers = mergeHeaders(this.headers, options.headers);
    const body = options.json === undefined ? options.body : JSON.stringify(options.json);
    if (options.json !== undefined) headers['content-type'] = 'application/json';
${ANCHORS.clientRetries}    const canRetry = IDEMPOTENT.has(method) || options.retryUnsafe === true;
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      try {
        const response = await this.fetch(url, { method, headers, body, signal: options.signal });
        log.debug(\`\${method} \${url} -> \${response.status} in \${Date.now() - started} ms\`);
        if (response.ok) return { status: response.status, headers: response.headers, body: await parseBody(response) };
        if (canRetry && attempt < retries && isRetryable(response.status)) {
          await sleep(backoffDelay(attempt, response.headers.get('retry-after')), options.signal);
          continue;
        }
        throw new HttpError(response, await parseBody(response).catch(() => undefined));
      } catch (error) {
        if (error instanceof HttpError || !canRetry || attempt >= retries || options.signal?.aborted) throw error;
        log.warn(\`\${method} \${url} failed (\${error.message}); retrying\`);
        await sleep(backoffDelay(attempt), options.signal);
      }
    }
  }
${methods.join('\n')}
}
${statusHelpers.join('\n')}
`;
}

function config(): string {
  const headerDocs = HEADERS.map((h) => ` *   - \`${h}\``).join('\n');
  const validators = ['baseUrl', 'retries', 'headers', 'fetch', 'userAgent', 'logLevel'].map(
    (name) => `
/** Checks \`options.${name}\`; throws a TypeError naming the option. */
function check${name[0]?.toUpperCase()}${name.slice(1)}(options) {
  const value = options.${name};
  if (value === undefined) return;
  if (!VALIDATORS.${name}(value)) throw new TypeError(\`Invalid option "${name}": \${String(value)}\`);
}`,
  );
  return `/**
 * Client options: defaults, validation, and resolution against the
 * environment. Headers the client understands:
${headerDocs}
 */

export const DEFAULTS = {
${ANCHORS.configDefaults}  baseUrl: 'http://localhost',
  userAgent: 'fixture-http-client/1.0',
  logLevel: 'info',
  headers: { accept: 'application/json' },
};

const VALIDATORS = {
  baseUrl: (v) => typeof v === 'string' && /^https?:\\/\\//.test(v),
  retries: (v) => Number.isInteger(v) && v >= 0 && v <= 10,
  headers: (v) => typeof v === 'object' && v !== null,
  fetch: (v) => typeof v === 'function',
  userAgent: (v) => typeof v === 'string' && v.length > 0,
  logLevel: (v) => ['debug', 'info', 'warn', 'error'].includes(v),
};
${validators.join('\n')}

/** Options with defaults filled in and every given value checked. */
export function resolveOptions(options = {}) {
  checkBaseUrl(options);
  checkRetries(options);
  checkHeaders(options);
  checkFetch(options);
  checkUserAgent(options);
  checkLogLevel(options);
  const env = globalThis.process?.env ?? {};
  return {
    ...DEFAULTS,
    baseUrl: options.baseUrl ?? env.FIXTURE_BASE_URL ?? DEFAULTS.baseUrl,
    ...options,
    headers: { ...DEFAULTS.headers, 'user-agent': options.userAgent ?? DEFAULTS.userAgent, ...options.headers },
  };
}
`;
}

function retry(): string {
  const table = STATUS_CODES.map(
    (code, i) =>
      `  [${code}, ${code === 429 || code >= 500 ? 'true' : 'false'}], // ${STATUS_TEXTS[i]}`,
  ).join('\n');
  const notes = Array.from(
    { length: 40 },
    (_, i) =>
      ` * - attempt ${i}: base delay ${Math.min(100 * 2 ** Math.min(i, 10), 30_000)} ms, plus up to 20% jitter`,
  ).join('\n');
  return `/**
 * Retrying: which statuses are worth another try, and how long to wait.
 * Delays grow exponentially from 100 ms and are capped at 30 s:
${notes}
 */

/** Statuses and whether a retry may succeed. */
export const RETRYABLE = new Map([
${table}
]);

export function isRetryable(status) {
  return RETRYABLE.get(status) ?? status >= 500;
}

/** Delay before retry \`attempt\` (0-based), honouring a Retry-After header in seconds. */
export function backoffDelay(attempt, retryAfter) {
  const seconds = Number(retryAfter);
  if (retryAfter && Number.isFinite(seconds)) return seconds * 1000;
  const base = Math.min(100 * 2 ** attempt, 30_000);
  return base + Math.floor(base * 0.2 * ((attempt * 7919) % 10) / 10);
}

/** Waits \`ms\`, or rejects when \`signal\` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
`;
}

function logger(): string {
  const levels = ['debug', 'info', 'warn', 'error'];
  const methods = levels.map(
    (level, i) => `
    /** Logs at ${level} level when the logger's level is ${levels
      .slice(0, i + 1)
      .reverse()
      .join(' or ')}. */
    ${level}(message, fields = {}) {
      if (LEVELS.${level} < threshold) return;
      sink.write(format('${level}', name, message, fields));
    },`,
  );
  return `/** A tiny structured logger: one line per event, level filtering, pluggable sink. */

export const LEVELS = { ${levels.map((l, i) => `${l}: ${i}`).join(', ')} };

let sink = { write: (line) => globalThis.process?.stderr?.write(line + '\\n') };

/** Replaces where log lines go (tests collect them). */
export function setSink(next) {
  sink = next;
}

/** One log line: time, level, logger name, message, then key=value fields. */
export function format(level, name, message, fields) {
  const pairs = Object.entries(fields).map(([k, v]) => \`\${k}=\${JSON.stringify(v)}\`);
  return [new Date(0).toISOString(), level.toUpperCase().padEnd(5), \`[\${name}]\`, message, ...pairs].join(' ');
}

export function createLogger(name, level = 'info') {
  const threshold = LEVELS[level] ?? LEVELS.info;
  return {${methods.join('\n')}
  };
}
`;
}

function url(): string {
  const cases = Array.from(
    { length: 30 },
    (_, i) =>
      ` * - buildUrl('https://api.example.com/v${i % 3}', '/items/${i}', { page: ${i} }) → https://api.example.com/v${i % 3}/items/${i}?page=${i}`,
  ).join('\n');
  return `/**
 * URL helpers. Examples:
${cases}
 */

/** \`path\` with exactly one leading slash and no trailing one (the root stays "/"). */
export function normalizePath(path) {
  const trimmed = String(path).replace(/\\/+$/, '');
  return trimmed.startsWith('/') ? trimmed || '/' : \`/\${trimmed}\`;
}

/** Base URL + path + query; undefined query values are left out, arrays repeat the key. */
export function buildUrl(base, path, query = {}) {
  const url = new URL(base.replace(/\\/+$/, '') + normalizePath(path));
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  return url.toString();
}
`;
}

function clientTest(): string {
  const cases = Array.from(
    { length: 12 },
    (_, i) => `
test('buildUrl joins base, path and query (case ${i})', () => {
  assert.equal(buildUrl('https://api.example.com/v${i % 3}', 'items/${i}', { page: ${i} }), 'https://api.example.com/v${i % 3}/items/${i}?page=${i}');
});`,
  );
  return `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient, mergeHeaders } from '../src/http-client.mjs';
import { buildUrl } from '../src/url.mjs';

test('mergeHeaders lower-cases names and lets later sources win', () => {
  assert.deepEqual(mergeHeaders({ Accept: 'a' }, { accept: 'b', 'X-Id': 1 }), { accept: 'b', 'x-id': '1' });
});

test('a GET returns the parsed JSON body', async () => {
  const fetch = async () => new Response(JSON.stringify({ ok: true }), { headers: { 'content-type': 'application/json' } });
  const client = new HttpClient({ baseUrl: 'https://api.example.com', fetch });
  assert.deepEqual((await client.get('/status')).body, { ok: true });
});
${cases.join('\n')}

${ANCHORS.testMore}`;
}

function configTest(): string {
  return `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULTS, resolveOptions } from '../src/config.mjs';

test('defaults apply when nothing is given', () => {
  assert.equal(resolveOptions().retries, DEFAULTS.retries);
});

test('an invalid option is refused by name', () => {
  assert.throws(() => resolveOptions({ retries: -1 }), /"retries"/);
});
`;
}

function readme(): string {
  const faq = Array.from(
    { length: 15 },
    (_, i) =>
      `### Question ${i + 1}\n\nAnswer ${i + 1}: the client retries idempotent requests only, so case ${i + 1} is safe to repeat.\n`,
  ).join('\n');
  return `# fixture-http-client

A small HTTP client over fetch, used as the token benchmark's fixture.

\`\`\`js
import { HttpClient } from './src/index.mjs';
const client = new HttpClient({ baseUrl: 'https://api.example.com' });
const { body } = await client.get('/items', { query: { page: 2 } });
\`\`\`

${ANCHORS.readmeOptions}
- \`baseUrl\`: where paths are resolved.
- \`retries\`: how often an idempotent request is retried (default 3).
- \`headers\`: sent with every request.

## FAQ

${faq}`;
}

const FILES: Record<string, () => string> = {
  'package.json': () =>
    JSON.stringify(
      {
        name: 'fixture-http-client',
        version: '1.0.0',
        type: 'module',
        scripts: { test: 'node --test' },
      },
      null,
      2,
    ) + '\n',
  'README.md': readme,
  'src/index.mjs': () =>
    "export { HttpClient, HttpError, mergeHeaders } from './http-client.mjs';\nexport { DEFAULTS } from './config.mjs';\n",
  'src/http-client.mjs': httpClient,
  'src/config.mjs': config,
  'src/retry.mjs': retry,
  'src/logger.mjs': logger,
  'src/url.mjs': url,
  'test/http-client.test.mjs': clientTest,
  'test/config.test.mjs': configTest,
};

/** Writes the fixture repository into `dir`; returns its file paths. */
export function writeFixture(dir: string): string[] {
  for (const [path, content] of Object.entries(FILES)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content());
  }
  return Object.keys(FILES);
}
