import assert from 'node:assert/strict';
import { renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import { tempDir, waitFor, writeTree } from './test-support/temp.ts';
import { TokenCache, type CacheWarning, type TokenCacheOptions } from './token-cache.ts';
import type { CacheMetrics } from './metrics.ts';

interface Fixture {
  readonly root: string;
  readonly dir: string;
  readonly coldDbFile: string;
  readonly warnings: CacheWarning[];
}

function fixture(t: TestContext, files: Record<string, string>): Fixture {
  const dir = tempDir(t);
  const root = path.join(dir, 'ws');
  writeTree(root, { '.keep': '', ...files });
  return { root, dir, coldDbFile: path.join(dir, 'cold.db'), warnings: [] };
}

async function open(
  t: TestContext,
  f: Fixture,
  options: Partial<TokenCacheOptions> = {},
): Promise<TokenCache> {
  const cache = await TokenCache.open({
    root: f.root,
    coldDbFile: f.coldDbFile,
    watch: 'none',
    onWarning: (warning) => f.warnings.push(warning),
    ...options,
  });
  t.after(() => cache.dispose());
  return cache;
}

function edit(f: Fixture, relative: string, content: string): void {
  writeFileSync(path.join(f.root, relative), content);
}

test('a stored value is served while its file is unchanged', async (t) => {
  const f = fixture(t, { 'src/a.ts': 'A' });
  const cache = await open(t, f);
  assert.equal(cache.set('read:a', 'A', { deps: [{ path: 'src/a.ts' }] }), true);
  assert.equal(cache.get('read:a'), 'A');
  assert.equal(cache.metrics().hot.hits, 1);
});

test('after the file changes the entry is never served again', async (t) => {
  const f = fixture(t, { 'src/a.ts': 'A' });
  const cache = await open(t, f);
  cache.set('read:a', 'A', { deps: [{ path: 'src/a.ts' }] });
  edit(f, 'src/a.ts', 'B');
  const done = cache.touched(['src/a.ts']);
  assert.equal(cache.get('read:a'), undefined, 'not even before the rehash finishes');
  await done;
  assert.equal(cache.get('read:a'), undefined);
  assert.equal(cache.metrics().hot.invalidations, 1);
});

test('a change invalidates exactly the dependents of the file and of folders containing it', async (t) => {
  const f = fixture(t, { 'src/a.ts': 'A', 'src/b.ts': 'B', 'docs/x.md': 'X' });
  const cache = await open(t, f);
  cache.set('file-a', 1, { deps: [{ path: 'src/a.ts' }] });
  cache.set('file-b', 2, { deps: [{ path: 'src/b.ts' }] });
  cache.set('folder-src', 3, { deps: [{ path: 'src', kind: 'folder' }] });
  cache.set('folder-root', 4, { deps: [{ path: '', kind: 'folder' }] });
  cache.set('folder-docs', 5, { deps: [{ path: 'docs', kind: 'folder' }] });
  edit(f, 'src/a.ts', 'A2');
  await cache.touched(['src/a.ts']);
  assert.equal(cache.metrics().lastInvalidation?.entries, 3);
  assert.equal(cache.get('file-a'), undefined);
  assert.equal(cache.get('folder-src'), undefined);
  assert.equal(cache.get('folder-root'), undefined);
  assert.equal(cache.get('file-b'), 2);
  assert.equal(cache.get('folder-docs'), 5);
});

test('rewriting a file with identical content keeps its entries', async (t) => {
  const f = fixture(t, { 'a.ts': 'same' });
  const cache = await open(t, f);
  cache.set('k', 'v', { deps: [{ path: 'a.ts' }] });
  edit(f, 'a.ts', 'same');
  await cache.touched(['a.ts']);
  assert.equal(cache.get('k'), 'v');
});

test('an entry on a missing file is served until the file appears', async (t) => {
  const f = fixture(t, {});
  const cache = await open(t, f);
  cache.set('stat:new', 'not found', { deps: [{ path: 'src/new.ts' }] });
  assert.equal(cache.get('stat:new'), 'not found');
  writeTree(f.root, { 'src/new.ts': 'here' });
  await cache.touched(['src/new.ts']);
  assert.equal(cache.get('stat:new'), undefined);
});

test('deletes and renames invalidate dependents of both the old and the new path', async (t) => {
  const f = fixture(t, { 'old.ts': 'O' });
  const cache = await open(t, f);
  cache.set('read-old', 'O', { deps: [{ path: 'old.ts' }] });
  cache.set('read-new', 'missing', { deps: [{ path: 'new.ts' }] });
  renameSync(path.join(f.root, 'old.ts'), path.join(f.root, 'new.ts'));
  await cache.touched(['old.ts', 'new.ts']);
  assert.equal(cache.get('read-old'), undefined);
  assert.equal(cache.get('read-new'), undefined);
});

test('set refuses dependencies it cannot track: ignored, outside, or through a symlink leaving the root', async (t) => {
  const f = fixture(t, { '.gitignore': 'dist/\n', 'dist/out.js': '1' });
  const outside = tempDir(t);
  symlinkSync(outside, path.join(f.root, 'escape'));
  const cache = await open(t, f);
  assert.equal(cache.set('a', 1, { deps: [{ path: 'dist/out.js' }] }), false);
  assert.equal(cache.set('b', 1, { deps: [{ path: path.join(f.dir, 'elsewhere.txt') }] }), false);
  assert.equal(cache.set('c', 1, { deps: [{ path: 'escape/x.txt' }] }), false);
  assert.equal(cache.set('d', 1, { deps: [{ path: 'node_modules/x/index.js' }] }), false);
  assert.equal(cache.metrics().rejectedSets, 4);
  assert.equal(cache.get('a'), undefined);
});

test('a result read through an in-root symlink is invalidated by the target and by re-pointing the link', async (t) => {
  const f = fixture(t, { 'real/a.ts': 'A', 'other/a.ts': 'A' });
  symlinkSync('real', path.join(f.root, 'alias'));
  const cache = await open(t, f);
  cache.set('via-link', 'A', { deps: [{ path: 'alias/a.ts' }] });
  edit(f, 'real/a.ts', 'A2');
  await cache.touched(['real/a.ts']);
  assert.equal(cache.get('via-link'), undefined, 'target changed');
  cache.set('via-link', 'A2', { deps: [{ path: 'alias/a.ts' }] });
  rmSync(path.join(f.root, 'alias'));
  symlinkSync('other', path.join(f.root, 'alias'));
  await cache.touched(['alias']);
  assert.equal(cache.get('via-link'), undefined, 'link re-pointed');
});

test('hashes captured before the tool ran keep a result from being recorded as newer than it is', async (t) => {
  const f = fixture(t, { 'a.ts': 'v1' });
  const cache = await open(t, f);
  const deps = cache.capture([{ path: 'a.ts' }]);
  assert.ok(deps !== undefined);
  // The tool reads v1; meanwhile someone writes v2 and the tree learns it before set().
  edit(f, 'a.ts', 'v2');
  await cache.touched(['a.ts']);
  cache.set('read', 'v1 output', { deps });
  assert.equal(cache.get('read'), undefined);
});

test('hashOf answers "has this file changed since?"', async (t) => {
  const f = fixture(t, { 'a.ts': 'v1' });
  const cache = await open(t, f);
  const seen = cache.hashOf('a.ts');
  assert.equal(cache.hashOf(path.join(f.root, 'a.ts')), seen);
  edit(f, 'a.ts', 'v2');
  await cache.touched(['a.ts']);
  assert.notEqual(cache.hashOf('a.ts'), seen);
  assert.equal(cache.info('a.ts')?.size, 2);
});

test('entries survive a restart and come back from the cold tier into the hot one', async (t) => {
  const f = fixture(t, { 'a.ts': 'A' });
  const first = await TokenCache.open({ root: f.root, coldDbFile: f.coldDbFile, watch: 'none' });
  first.set('k', { lines: ['A'] }, { tokens: 42, deps: [{ path: 'a.ts' }] });
  await first.dispose();
  const cache = await open(t, f);
  assert.deepEqual(cache.get('k'), { lines: ['A'] });
  assert.deepEqual(cache.get('k'), { lines: ['A'] });
  const metrics = cache.metrics();
  assert.equal(metrics.cold.hits, 1);
  assert.equal(metrics.hot.hits, 1, 'promoted on the first hit');
  assert.equal(metrics.tokensSaved, 84);
});

test('a file changed while the app was closed is never served stale after restart', async (t) => {
  const f = fixture(t, { 'a.ts': 'A', 'b.ts': 'B' });
  const first = await TokenCache.open({ root: f.root, coldDbFile: f.coldDbFile, watch: 'none' });
  first.set('ka', 'A', { deps: [{ path: 'a.ts' }] });
  first.set('kb', 'B', { deps: [{ path: 'b.ts' }] });
  await first.dispose();
  edit(f, 'a.ts', 'A changed while closed');
  const cache = await open(t, f);
  assert.equal(cache.metrics().cold.invalidations, 1, 'revalidated on open');
  assert.equal(cache.get('ka'), undefined);
  assert.equal(cache.get('kb'), 'B');
});

test('an entry on a missing path is dropped after restart if that path became ignored', async (t) => {
  const f = fixture(t, {});
  const first = await TokenCache.open({ root: f.root, coldDbFile: f.coldDbFile, watch: 'none' });
  first.set('k', 'absent', { deps: [{ path: 'gen/out.js' }] });
  await first.dispose();
  writeTree(f.root, { '.gitignore': 'gen/\n', 'gen/out.js': 'now exists but ignored' });
  const cache = await open(t, f);
  assert.equal(cache.get('k'), undefined);
});

test('a .gitignore change drops entries under the folder it governs', async (t) => {
  const f = fixture(t, { 'src/a.ts': 'A' });
  const cache = await open(t, f);
  cache.set('k', 'missing', { deps: [{ path: 'src/gen/x.js' }] });
  writeTree(f.root, { 'src/.gitignore': 'gen/\n', 'src/gen/x.js': 'ignored now' });
  await cache.touched(['src/.gitignore', 'src/gen']);
  assert.equal(cache.get('k'), undefined);
});

test('the watcher alone is enough to stop serving a file edited by another process', async (t) => {
  const f = fixture(t, { 'a.ts': 'A' });
  const cache = await open(t, f, { watch: 'folders' });
  cache.set('k', 'A', { deps: [{ path: 'a.ts' }] });
  edit(f, 'a.ts', 'B');
  await waitFor(() => cache.get('k') === undefined, 3000, 'invalidation by the watcher');
  assert.equal(cache.metrics().workspace.watch, 'folders');
});

test('entries expire after their TTL', async (t) => {
  let now = Date.now();
  const f = fixture(t, {});
  const cache = await open(t, f, { now: () => now, coldTtlMs: 1000 });
  cache.set('k', 'v');
  await cache.dispose();
  now += 1001;
  const reopened = await open(t, f, { now: () => now, coldTtlMs: 1000 });
  assert.equal(reopened.get('k'), undefined);
});

test('metrics count hits, misses and tokens saved, and a change event is emitted', async (t) => {
  const f = fixture(t, { 'a.ts': 'A' });
  const cache = await open(t, f);
  const events: CacheMetrics[] = [];
  cache.on('change', (metrics) => events.push(metrics));
  cache.set('k', 'v', { tokens: 10, deps: [{ path: 'a.ts' }] });
  cache.get('k');
  cache.get('k');
  cache.get('nothing');
  const metrics = cache.metrics();
  assert.equal(metrics.hits, 2);
  assert.equal(metrics.misses, 1);
  assert.equal(metrics.hitRatio, 2 / 3);
  assert.equal(metrics.tokensSaved, 20);
  assert.equal(metrics.hot.entries, 1);
  await waitFor(() => events.length > 0, 2000, 'a change event');
  assert.equal(events[0]?.hits, 2);
});

test('a damaged cold file is reported through the warning and the cache works without losing its way', async (t) => {
  const f = fixture(t, { 'a.ts': 'A' });
  writeFileSync(f.coldDbFile, 'garbage'.repeat(1000));
  const cache = await open(t, f);
  assert.equal(f.warnings.length, 1);
  cache.set('k', 'v', { deps: [{ path: 'a.ts' }] });
  assert.equal(cache.get('k'), 'v');
  assert.equal(cache.metrics().cold.rebuilds, 1);
});

test('dispose releases the watcher and the database and can be called twice', async (t) => {
  const f = fixture(t, { 'a.ts': 'A' });
  const cache = await TokenCache.open({ root: f.root, coldDbFile: f.coldDbFile, watch: 'folders' });
  cache.set('k', 'v');
  await cache.dispose();
  await cache.dispose();
  assert.equal(cache.set('k2', 'v'), false);
  // The file is closed: another cache can open it and sees the flushed entry.
  const again = await open(t, f);
  assert.equal(again.get('k'), 'v');
});
