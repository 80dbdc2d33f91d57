/**
 * The token benchmark's fixed session: what a model does for the task "add a
 * request timeout option to the HTTP client, with a test and docs" over the
 * fixture repository (fixture.ts). It explores, re-reads files before and
 * after editing them (as agents do), searches, edits with str_replace, runs
 * the tests in its terminal, and ends with a `finish` report. Some turns make
 * several calls at once, as Claude does.
 *
 * The session is the same for both runs (the scripted model does not read
 * the results), so the runs differ only in what Troika sends.
 */
import type { ScriptedToolUse } from '../../testing/messages-server/index.ts';
import { ANCHORS } from './fixture.ts';

export const TASK =
  'Add a request timeout option (timeoutMs, default 30 s) to the HTTP client, with a test, and document it in the README.';

const view = (path: string): ScriptedToolUse => ({
  name: 'str_replace_based_edit_tool',
  input: { command: 'view', path },
});
const edit = (path: string, oldStr: string, newStr: string): ScriptedToolUse => ({
  name: 'str_replace_based_edit_tool',
  input: { command: 'str_replace', path, old_str: oldStr, new_str: newStr },
});
const search = (pattern: string, path?: string): ScriptedToolUse => ({
  name: 'search_files',
  input: path === undefined ? { pattern } : { pattern, path },
});
const list = (path?: string): ScriptedToolUse => ({
  name: 'list_files',
  input: path === undefined ? {} : { path },
});
const bash = (command: string): ScriptedToolUse => ({ name: 'bash', input: { command } });

/** One model turn: its tool calls, run in order. */
export const SESSION: readonly (readonly ScriptedToolUse[])[] = [
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
  [bash('node --test --test-reporter=dot')],
  [view('test/http-client.test.mjs'), view('src/logger.mjs')],
  [
    edit(
      'test/http-client.test.mjs',
      ANCHORS.testMore,
      `test('a request that outlives timeoutMs is aborted', async () => {\n  const fetch = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));\n  const client = new HttpClient({ baseUrl: 'https://api.example.com', fetch, retries: 0 });\n  await assert.rejects(client.get('/slow', { timeoutMs: 20 }), /timeout|aborted/i);\n});\n\n${ANCHORS.testMore}`,
    ),
  ],
  [bash('node --test --test-reporter=dot')],
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
    {
      name: 'finish',
      input: {
        status: 'COMPLETE',
        summary:
          'Added timeoutMs (default 30 s) to the client options, applied it as an abort signal per request, added a test, documented it. node --test passes.',
        assumptions: ['An explicit signal from the caller takes precedence over the timeout.'],
      },
    },
  ],
];

/** The calls in the order they run. */
export const CALLS: readonly ScriptedToolUse[] = SESSION.flat();

/** A read-only call's cache identity and the workspace paths its result depends on ('' is the root folder). */
function readOf(call: ScriptedToolUse): { key: string; dependsOn: string } | undefined {
  const input = call.input as Record<string, unknown>;
  if (call.name === 'str_replace_based_edit_tool' && input['command'] === 'view')
    return { key: `view ${String(input['path'])}`, dependsOn: String(input['path']) };
  if (call.name === 'list_files')
    return { key: `list ${String(input['path'] ?? '')}`, dependsOn: String(input['path'] ?? '') };
  if (call.name === 'search_files')
    return {
      key: `search ${String(input['pattern'])} in ${String(input['path'] ?? '')}`,
      dependsOn: String(input['path'] ?? ''),
    };
  return undefined;
}

function editedPath(call: ScriptedToolUse): string | undefined {
  const input = call.input as Record<string, unknown>;
  return call.name === 'str_replace_based_edit_tool' && input['command'] === 'str_replace'
    ? String(input['path'])
    : undefined;
}

function covers(dependsOn: string, path: string): boolean {
  return dependsOn === '' || path === dependsOn || path.startsWith(`${dependsOn}/`);
}

/**
 * Indexes (into {@link CALLS}) of repeated reads: a read-only call made
 * before with the same input, with no edit to what it depends on since. These
 * are the calls the cache can answer without running the tool; the hit ratio
 * is measured over them. (The test runs and `wc` write no tracked file.)
 */
export function repeatedReads(): number[] {
  const lastSeen = new Map<string, number>();
  const edits: Array<{ index: number; path: string }> = [];
  const repeated: number[] = [];
  CALLS.forEach((call, index) => {
    const path = editedPath(call);
    if (path !== undefined) edits.push({ index, path });
    const read = readOf(call);
    if (read === undefined) return;
    const before = lastSeen.get(read.key);
    if (
      before !== undefined &&
      !edits.some((e) => e.index > before && covers(read.dependsOn, e.path))
    )
      repeated.push(index);
    lastSeen.set(read.key, index);
  });
  return repeated;
}
