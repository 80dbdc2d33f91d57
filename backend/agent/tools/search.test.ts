import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../server/test-support.ts';
import { createSearchTool } from './search.ts';
import { fileToolContext } from './test-context.ts';
import type { ToolContext, ToolResult } from './tool.ts';

/** Exponential backtracking: (a+)+$ against a run of a's that does not end the line. */
const CATASTROPHIC = '(a+)+$';
const EVIL_LINE = `${'a'.repeat(34)}!`;

let ws: string;
before(() => {
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'troika-search-')));
  // a.txt is searched first (the walk is sorted): its match comes before the endless line.
  writeFileSync(join(ws, 'a.txt'), 'aaa\n');
  writeFileSync(join(ws, 'b.txt'), `${EVIL_LINE}\n`);
});
after(() => rmSync(ws, { recursive: true, force: true }));

function context(signal: AbortSignal): ToolContext {
  return fileToolContext(ws, signal);
}

describe('a catastrophic pattern in search_files', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const getPage = async () => {
    const response = await fetch(`${server.origin}/`, { headers: { Cookie: server.cookie } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Troika test/);
  };

  test('leaves the event loop free, and Stop ends it at once', async (t) => {
    // The first fetch loads the HTTP client: not what is measured here.
    await getPage();
    const tool = createSearchTool({ timeLimitMs: 120_000 });
    const stop = new AbortController();
    let result: ToolResult | undefined;
    const search = tool
      .run({ pattern: CATASTROPHIC }, context(stop.signal))
      .then((r) => (result = r));
    t.after(() => stop.abort());

    // Long enough for the worker to have started and be deep in the backtracking.
    await sleep(1500);
    // Ordering, not timing: pages are served while the search is still
    // backtracking, which a blocked event loop could not do.
    for (let i = 0; i < 3; i++) await getPage();
    assert.equal(result, undefined, 'the search had already finished');

    // Stop ends the search long before its 120 s limit (it is terminated, not waited for).
    const stopped = performance.now();
    stop.abort();
    const final = await search;
    const stoppedIn = performance.now() - stopped;
    assert.ok(stoppedIn < 10_000, `Stop took ${Math.round(stoppedIn)} ms`);
    assert.equal(final.isError, true);
    assert.match(final.content, /interrupted by the user/);
    assert.match(final.content, /a\.txt:1: aaa/);
  });
});

describe('search_files limits', () => {
  test('the time limit stops the search with a message naming the pattern, and the matches so far', async () => {
    const tool = createSearchTool({ timeLimitMs: 2000 });
    const result = await tool.run({ pattern: CATASTROPHIC }, context(new AbortController().signal));
    assert.equal(result.isError, true);
    assert.match(result.content, /The search for \/\(a\+\)\+\$\/ in \. did not finish within 2 s/);
    assert.match(result.content, /use a simpler pattern/);
    assert.match(result.content, /Matches found before it stopped:\na\.txt:1: aaa$/);
  });

  test('a long line is matched on its first 4000 characters only', async () => {
    const long = join(ws, 'long.txt');
    writeFileSync(long, `near ${'x'.repeat(5000)} far\n`);
    const tool = createSearchTool();
    const signal = new AbortController().signal;
    const near = await tool.run({ pattern: 'near', path: 'long.txt' }, context(signal));
    assert.match(near.content, /^long\.txt:1: near x+…$/);
    const far = await tool.run({ pattern: 'far', path: 'long.txt' }, context(signal));
    assert.equal(far.content, 'No matches for /far/ in long.txt.');
    rmSync(long);
  });
});
