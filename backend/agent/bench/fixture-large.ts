/**
 * The exploration session's fixture: a larger repository (a job-queue
 * service, 24 modules in five folders, 150 to 700 lines each, plus docs and
 * tests), generated deterministically so every run reads the same bytes.
 * Module sizes follow what agents meet in real services: most files a few
 * thousand tokens, a few large ones that are read by ranges.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Folder → module names and sizes (functions per module; about 18 lines each). */
const MODULES: Record<string, ReadonlyArray<readonly [string, number]>> = {
  'src/core': [
    ['queue', 38],
    ['scheduler', 30],
    ['worker', 24],
    ['job', 14],
    ['registry', 10],
  ],
  'src/store': [
    ['sqlite-store', 34],
    ['memory-store', 12],
    ['migrations', 16],
    ['locks', 9],
  ],
  'src/net': [
    ['http-server', 26],
    ['routes', 20],
    ['auth', 12],
    ['rate-limit', 9],
  ],
  'src/util': [
    ['backoff', 8],
    ['clock', 8],
    ['ids', 8],
    ['logger', 11],
    ['metrics', 15],
    ['config', 18],
  ],
  'src/cli': [
    ['main', 12],
    ['commands', 22],
    ['format', 10],
    ['prompts', 8],
  ],
};

/** Scales every module: a long exploration of this repository passes 100,000 prompt tokens, as real ones of large repositories do. */
const SIZE = 1.5;

/** The text an edit of the session replaces (one per edited file). */
export const LARGE_ANCHORS = {
  queueRetry: '  // retry policy: see backoff.mjs\n',
  configDefaults: '  maxAttempts: 5,\n',
} as const;

const VERBS = [
  'load',
  'save',
  'check',
  'apply',
  'build',
  'parse',
  'merge',
  'drain',
  'track',
  'emit',
];
const NOUNS = [
  'job',
  'batch',
  'lease',
  'entry',
  'state',
  'limit',
  'token',
  'route',
  'event',
  'slot',
];

function fn(module: string, i: number): string {
  const name = `${VERBS[i % VERBS.length]}${NOUNS[(i * 7) % NOUNS.length]?.replace(/^./, (c) => c.toUpperCase())}${i}`;
  return `
/**
 * ${name}: part of ${module}. Takes the ${NOUNS[i % NOUNS.length]} and the
 * options, validates both, and returns the updated value; throws a TypeError
 * that names the field when the input is malformed.
 * @param {object} input
 * @param {object} [options]
 */
export function ${name}(input, options = {}) {
  if (input === null || typeof input !== 'object') throw new TypeError('${name}: input must be an object');
  const limit = options.limit ?? ${10 + (i % 17)};
  const entries = Object.entries(input).slice(0, limit);
  const result = {};
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    result[key] = typeof value === 'string' ? value.trim() : value;
  }
  return { ...result, updatedAt: options.now?.() ?? 0, step: ${i} };
}`;
}

function moduleText(folder: string, name: string, functions: number): string {
  const imports =
    name === 'queue'
      ? "import { delayFor } from '../util/backoff.mjs';\nimport { createLogger } from '../util/logger.mjs';\n"
      : name === 'logger'
        ? ''
        : "import { createLogger } from '../util/logger.mjs';\n";
  const extra =
    name === 'queue'
      ? `\nexport const RETRY = {\n${LARGE_ANCHORS.queueRetry}  attempts: (job) => job.attempts ?? 0,\n  delay: (job) => delayFor(job.attempts ?? 0),\n};\n`
      : name === 'config'
        ? `\nexport const DEFAULTS = {\n${LARGE_ANCHORS.configDefaults}  leaseMs: 30_000,\n  pollMs: 250,\n};\n`
        : '';
  const body = Array.from({ length: Math.round(functions * SIZE) }, (_, i) =>
    fn(`${folder}/${name}`, i),
  ).join('\n');
  return `/**
 * ${folder}/${name}: one part of the job-queue service. See docs/architecture.md.
 */
${imports}
const log = ${name === 'logger' ? 'console' : `createLogger('${name}')`};
${extra}${body}
`;
}

function docs(): string {
  const sections = Object.entries(MODULES)
    .map(
      ([folder, modules]) =>
        `## ${folder}\n\n${modules.map(([m]) => `- \`${m}.mjs\`: ${m.replace('-', ' ')} for the service; tested in test/${m}.test.mjs.`).join('\n')}\n`,
    )
    .join('\n');
  return `# Architecture\n\nJobs enter through the HTTP server, are stored, leased by workers, retried with backoff.\n\n${sections}`;
}

/** Writes the repository into `dir`; returns its file paths. */
export function writeLargeFixture(dir: string): string[] {
  const files: Record<string, string> = {
    'package.json':
      JSON.stringify({ name: 'jobq', type: 'module', scripts: { test: 'node --test' } }, null, 2) +
      '\n',
    'README.md': '# jobq\n\nA small job-queue service. See docs/architecture.md.\n',
    'docs/architecture.md': docs(),
    'test/queue.test.mjs':
      "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { RETRY } from '../src/core/queue.mjs';\n\ntest('a new job has no attempts', () => {\n  assert.equal(RETRY.attempts({}), 0);\n});\n",
  };
  for (const [folder, modules] of Object.entries(MODULES))
    for (const [name, functions] of modules)
      files[`${folder}/${name}.mjs`] = moduleText(folder, name, functions);
  // backoff.mjs must export what queue.mjs imports.
  files['src/util/backoff.mjs'] +=
    '\nexport function delayFor(attempt) {\n  return Math.min(100 * 2 ** attempt, 30_000);\n}\n';
  files['src/util/logger.mjs'] +=
    '\nexport function createLogger(name) {\n  return { info: () => name, warn: () => name, debug: () => name };\n}\n';
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return Object.keys(files);
}
