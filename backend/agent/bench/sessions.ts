/**
 * The token benchmark's sessions: three plans for the honest model
 * (honest-model.ts), each over a fixture repository. A plan says what the
 * model needs and does; the model itself leaves out reads of what it still
 * sees and makes again the ones it lost, so a plan may list a read twice.
 *
 * Why these shapes. The figures come from the replay, reported in issue 20,
 * of four public Claude Code sessions (28 to 63 tool calls each) through
 * Troika's agent loop, and from the published behaviour of such agents:
 * - sessions run a few dozen tool calls, most of them reads, and file reads
 *   dominate the tokens (source files of a few hundred lines, 1k to 7k tokens);
 * - the same file is read again mostly as *another range* of it, or *after
 *   editing it* (to check the edit); an unchanged file read again in full
 *   while its result is still in context is rare (references fired once in
 *   the four replays);
 * - an exploration of an unfamiliar, larger repository reads many files and
 *   several ranges of the large ones, searches, and edits little, late;
 * - an edit-test loop edits, runs the tests, and reads the file again after
 *   each edit; formatters and `sed -i` change files behind the editor's back;
 * - near the end, agents check their fix against what they found first: the
 *   same search again, a module read at the start (unchanged). The model
 *   skips such a read while its result is in view; once it has left the
 *   context it is made again, and these are the repeated unchanged reads the
 *   hit ratio counts (a handful per session, as in the replays).
 *
 * `timeout` is the benchmark's original session (34 planned calls, small
 * files), `exploration` the long read-heavy one (large repository, about 50
 * calls, whole-file reads up to 11k tokens, prompts past 100k tokens late in
 * the session), `edit-test` the loop (about 30 calls).
 */
import type { ScriptedToolUse } from '../../testing/messages-server/index.ts';
import { ANCHORS, writeFixture } from './fixture.ts';
import { LARGE_ANCHORS, writeLargeFixture } from './fixture-large.ts';
import type { Intent, Step } from './honest-model.ts';

export interface BenchSession {
  readonly name: string;
  readonly task: string;
  /** Writes the session's repository into a folder; returns its files. */
  readonly fixture: (dir: string) => string[];
  readonly plan: readonly Step[];
}

const use = (u: ScriptedToolUse): Intent => ({ use: u });
const view = (path: string, range?: [number, number]): Intent =>
  use({
    name: 'str_replace_based_edit_tool',
    input:
      range === undefined
        ? { command: 'view', path }
        : { command: 'view', path, view_range: range },
  });
const edit = (path: string, oldStr: string, newStr: string): Intent =>
  use({
    name: 'str_replace_based_edit_tool',
    input: { command: 'str_replace', path, old_str: oldStr, new_str: newStr },
  });
const search = (pattern: string, path?: string): Intent =>
  use({ name: 'search_files', input: path === undefined ? { pattern } : { pattern, path } });
const list = (path?: string): Intent =>
  use({ name: 'list_files', input: path === undefined ? {} : { path } });
const bash = (command: string, changes?: string[]): Intent => ({
  use: { name: 'bash', input: { command } },
  ...(changes !== undefined && { changes }),
});
const finish = (summary: string): Intent =>
  use({ name: 'finish', input: { status: 'COMPLETE', summary, assumptions: [] } });
const TEST = 'node --test --test-reporter=dot';

const TIMEOUT: BenchSession = {
  name: 'timeout',
  task: 'Add a request timeout option (timeoutMs, default 30 s) to the HTTP client, with a test, and document it in the README.',
  fixture: writeFixture,
  plan: [
    [list(), view('README.md'), view('package.json')],
    [search('request\\(', 'src'), view('src/http-client.mjs')],
    [view('src/config.mjs'), view('src/retry.mjs')],
    [search('timeout'), view('test/http-client.test.mjs')],
    [view('src/http-client.mjs')],
    [
      edit(
        'src/config.mjs',
        ANCHORS.configDefaults,
        `${ANCHORS.configDefaults}  timeoutMs: 30_000,\n`,
      ),
    ],
    [view('src/config.mjs'), view('src/http-client.mjs')],
    [
      edit(
        'src/http-client.mjs',
        ANCHORS.clientRetries,
        `${ANCHORS.clientRetries}    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULTS.timeoutMs;\n    options = { ...options, signal: options.signal ?? AbortSignal.timeout(timeoutMs) };\n`,
      ),
    ],
    [view('src/http-client.mjs')],
    [view('src/retry.mjs'), search('timeout', 'src')],
    [bash(TEST)],
    [view('test/http-client.test.mjs'), view('src/logger.mjs')],
    [
      edit(
        'test/http-client.test.mjs',
        ANCHORS.testMore,
        `test('a request that outlives timeoutMs is aborted', async () => {\n  const fetch = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));\n  const client = new HttpClient({ baseUrl: 'https://api.example.com', fetch, retries: 0 });\n  await assert.rejects(client.get('/slow', { timeoutMs: 20 }), /timeout|aborted/i);\n});\n\n${ANCHORS.testMore}`,
      ),
    ],
    [bash(TEST)],
    [view('src/http-client.mjs'), view('README.md')],
    [
      edit(
        'README.md',
        ANCHORS.readmeOptions,
        `${ANCHORS.readmeOptions}- \`timeoutMs\`: abort a request after this many milliseconds (default 30,000).\n`,
      ),
    ],
    [search('timeout', 'src'), list()],
    [view('src/config.mjs'), view('src/retry.mjs')],
    [bash('wc -l src/*.mjs test/*.mjs')],
    [view('test/http-client.test.mjs')],
    [view('src/http-client.mjs'), view('src/logger.mjs')],
    [
      finish(
        'Added timeoutMs (default 30 s), applied per request as an abort signal, with a test and docs.',
      ),
    ],
  ],
};

const EXPLORATION: BenchSession = {
  name: 'exploration',
  task: 'A job whose worker crashes while holding its lease is never retried. Find out why and fix it.',
  fixture: writeLargeFixture,
  plan: [
    [list(), view('README.md'), view('docs/architecture.md')],
    [list('src')],
    [search('lease', 'src')],
    [view('src/core/queue.mjs')],
    [view('src/core/worker.mjs'), view('src/store/locks.mjs')],
    [search('retry', 'src')],
    [view('src/util/backoff.mjs'), view('src/core/job.mjs')],
    [view('src/store/sqlite-store.mjs', [1, 200])],
    [view('src/store/sqlite-store.mjs', [200, 420])],
    [search('attempts', 'src')],
    [view('src/core/scheduler.mjs')],
    [view('src/core/registry.mjs'), view('src/util/clock.mjs')],
    [view('src/store/sqlite-store.mjs', [400, 653])],
    [view('src/net/routes.mjs', [1, 150])],
    [view('src/net/http-server.mjs')],
    [search('maxAttempts', 'src')],
    [view('src/util/config.mjs')],
    [view('src/store/migrations.mjs')],
    [view('src/core/queue.mjs', [300, 420])],
    [view('src/core/worker.mjs', [100, 200])],
    [view('src/util/metrics.mjs'), view('src/util/logger.mjs')],
    [view('src/net/routes.mjs', [150, 300])],
    [search('delayFor', 'src')],
    [view('src/cli/commands.mjs', [1, 120])],
    [view('src/store/memory-store.mjs')],
    [view('src/core/queue.mjs', [600, 736])],
    [view('src/store/sqlite-store.mjs', [150, 260])],
    [search('leaseUntil|expired', 'src')],
    [view('src/net/auth.mjs'), view('src/net/rate-limit.mjs')],
    [view('src/cli/main.mjs')],
    [view('src/cli/commands.mjs', [120, 400])],
    [view('src/util/ids.mjs'), view('src/cli/format.mjs')],
    [view('src/core/scheduler.mjs', [400, 600])],
    [view('test/queue.test.mjs')],
    [view('src/core/queue.mjs', [1, 120])],
    [
      edit(
        'src/core/queue.mjs',
        LARGE_ANCHORS.queueRetry,
        `${LARGE_ANCHORS.queueRetry}  // an expired lease counts as a failed attempt, so the job is retried\n  expired: (job, now) => job.leaseUntil !== undefined && job.leaseUntil < now,\n`,
      ),
    ],
    [
      edit(
        'src/util/config.mjs',
        LARGE_ANCHORS.configDefaults,
        `${LARGE_ANCHORS.configDefaults}  reclaimExpiredLeases: true,\n`,
      ),
    ],
    [bash(TEST)],
    // Checking the fix against what was found early: the same search and lock module again.
    [search('lease', 'src'), view('src/store/locks.mjs')],
    [view('src/core/queue.mjs', [1, 80])],
    [view('src/core/worker.mjs', [100, 200]), view('src/util/config.mjs', [1, 40])],
    [finish('Expired leases now count as failed attempts and are reclaimed; config flag added.')],
  ],
};

const retryLine = (n: number) => `${ANCHORS.clientRetries}    // per-request retries, step ${n}\n`;

const EDIT_TEST: BenchSession = {
  name: 'edit-test',
  task: 'Let callers set retries per request (options.retries), keep the tests green.',
  fixture: writeFixture,
  plan: [
    [view('src/http-client.mjs'), view('test/http-client.test.mjs')],
    [bash(TEST)],
    [edit('src/http-client.mjs', ANCHORS.clientRetries, retryLine(1))],
    [bash(TEST)],
    [view('src/http-client.mjs', [95, 140])],
    [edit('src/http-client.mjs', ANCHORS.clientRetries, retryLine(2))],
    [bash(TEST)],
    [view('src/http-client.mjs')],
    [
      edit(
        'test/http-client.test.mjs',
        ANCHORS.testMore,
        `test('retries can be set per request', () => {\n  assert.ok(true);\n});\n\n${ANCHORS.testMore}`,
      ),
    ],
    [bash(TEST)],
    [view('test/http-client.test.mjs', [50, 80])],
    [
      bash("sed -i 's/retryUnsafe/retryNonIdempotent/g' src/http-client.mjs", [
        'src/http-client.mjs',
      ]),
    ],
    [view('src/http-client.mjs')],
    [view('src/config.mjs')],
    [
      edit(
        'src/config.mjs',
        ANCHORS.configDefaults,
        `${ANCHORS.configDefaults}  perRequestRetries: true,\n`,
      ),
    ],
    [bash(TEST)],
    [view('src/config.mjs')],
    [edit('src/http-client.mjs', ANCHORS.clientRetries, retryLine(3))],
    [bash(TEST)],
    [view('src/http-client.mjs', [95, 160])],
    [bash('ls -la src test')],
    [view('src/http-client.mjs'), view('test/http-client.test.mjs')],
    [edit('src/http-client.mjs', ANCHORS.clientRetries, retryLine(4))],
    [bash(TEST)],
    [view('src/http-client.mjs')],
    [finish('options.retries now applies per request; tests pass.')],
  ],
};

export const SESSIONS: readonly BenchSession[] = [TIMEOUT, EXPLORATION, EDIT_TEST];
