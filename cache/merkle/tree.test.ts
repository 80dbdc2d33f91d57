import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import { tempDir, writeTree } from '../test-support/temp.ts';
import { hashBytes, MISSING_HASH } from './hash.ts';
import { MerkleTree, type TreeUpdate } from './tree.ts';

async function openTree(t: TestContext, root: string): Promise<MerkleTree> {
  const tree = await MerkleTree.open({ root, watch: 'none' });
  t.after(() => tree.dispose());
  return tree;
}

function collect(tree: MerkleTree): TreeUpdate[] {
  const updates: TreeUpdate[] = [];
  tree.onUpdate((update) => updates.push(update));
  return updates;
}

function changedPaths(updates: TreeUpdate[]): string[] {
  return [
    ...new Set(updates.flatMap((update) => update.changes.map((change) => change.path))),
  ].sort();
}

test('a file hash is its content hash, independent of where the file is', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'a/x.txt': 'same', 'b/y.txt': 'same' });
  const tree = await openTree(t, root);
  assert.equal(tree.hashOf('a/x.txt'), hashBytes(Buffer.from('same')).hash);
  assert.equal(tree.hashOf('a/x.txt'), tree.hashOf(path.join(root, 'b/y.txt')));
  assert.notEqual(tree.hashOf('a'), tree.hashOf('b'), 'folder hashes include child names');
});

test('.gitignore, .git and node_modules are left out of the tree', async (t) => {
  const root = tempDir(t);
  writeTree(root, {
    '.gitignore': 'dist/\n*.log\n',
    'dist/out.js': '1',
    'debug.log': '1',
    'node_modules/lib/index.js': '1',
    '.git/HEAD': 'ref',
    'src/index.ts': '1',
  });
  const tree = await openTree(t, root);
  assert.equal(tree.hashOf('dist/out.js'), undefined);
  assert.equal(tree.hashOf('debug.log'), undefined);
  assert.equal(tree.hashOf('node_modules'), undefined);
  assert.equal(tree.hashOf('.git/HEAD'), undefined);
  assert.notEqual(tree.hashOf('src/index.ts'), undefined);
  assert.deepEqual(tree.stats(), { files: 2, folders: 2, symlinks: 0, bytes: tree.stats().bytes });
});

test('editing a file changes its hash and every folder above it, and nothing else', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'src/a/x.ts': '1', 'src/b/y.ts': '2', 'docs/readme.md': '3' });
  const tree = await openTree(t, root);
  const before = { y: tree.hashOf('src/b'), docs: tree.hashOf('docs') };
  const updates = collect(tree);
  writeFileSync(path.join(root, 'src/a/x.ts'), 'changed');
  await tree.touched(['src/a/x.ts']);
  assert.deepEqual(changedPaths(updates), ['', 'src', 'src/a', 'src/a/x.ts']);
  assert.equal(tree.hashOf('src/b'), before.y);
  assert.equal(tree.hashOf('docs'), before.docs);
});

test('rewriting a file with the same content reports no change', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'a.txt': 'same' });
  const tree = await openTree(t, root);
  const updates = collect(tree);
  writeFileSync(path.join(root, 'a.txt'), 'same');
  await tree.touched(['a.txt']);
  assert.equal(updates.length, 0);
});

test('a path is pending (no hash) from touched() until it is rehashed', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'src/a.txt': '1', 'other.txt': '2' });
  const tree = await openTree(t, root);
  appendFileSync(path.join(root, 'src/a.txt'), 'more');
  const done = tree.touched(['src/a.txt']);
  assert.equal(tree.hashOf('src/a.txt'), undefined);
  assert.equal(tree.hashOf('src'), undefined, 'a folder above a pending path is pending');
  assert.notEqual(tree.hashOf('other.txt'), undefined, 'unrelated paths keep answering');
  await done;
  assert.equal(tree.hashOf('src/a.txt'), hashBytes(Buffer.from('1more')).hash);
});

test('creating and deleting files and folders is reported path by path', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'keep.txt': 'k' });
  const tree = await openTree(t, root);
  const updates = collect(tree);
  writeTree(root, { 'new/deep/file.txt': 'n' });
  await tree.touched(['new/deep/file.txt']);
  assert.deepEqual(changedPaths(updates), ['', 'new', 'new/deep', 'new/deep/file.txt']);
  updates.length = 0;
  rmSync(path.join(root, 'new'), { recursive: true });
  await tree.touched(['new']);
  assert.deepEqual(
    updates
      .flatMap((update) => update.changes)
      .filter((change) => change.hash === MISSING_HASH)
      .map((c) => c.path)
      .sort(),
    ['new', 'new/deep', 'new/deep/file.txt'],
  );
  assert.equal(tree.stats().files, 1);
});

test('renaming a folder moves its whole subtree', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'old/a.txt': 'a', 'old/sub/b.txt': 'b' });
  const tree = await openTree(t, root);
  const hashOfB = tree.hashOf('old/sub/b.txt');
  renameSync(path.join(root, 'old'), path.join(root, 'new'));
  await tree.touched(['old', 'new']);
  assert.equal(tree.hashOf('old/sub/b.txt'), undefined);
  assert.equal(tree.hashOf('new/sub/b.txt'), hashOfB);
});

test('changing .gitignore brings paths in and pushes them out', async (t) => {
  const root = tempDir(t);
  writeTree(root, { '.gitignore': '*.tmp\n', 'a.tmp': 'x', 'b.txt': 'y' });
  const tree = await openTree(t, root);
  assert.equal(tree.hashOf('a.tmp'), undefined);
  const updates = collect(tree);
  writeFileSync(path.join(root, '.gitignore'), '*.txt\n');
  await tree.touched(['.gitignore']);
  assert.notEqual(tree.hashOf('a.tmp'), undefined);
  assert.equal(tree.hashOf('b.txt'), undefined);
  assert.deepEqual(
    updates.flatMap((update) => update.rulesChanged),
    [''],
  );
});

test('symlinks are hashed by target text and never followed by the scan', async (t) => {
  const outside = tempDir(t);
  writeTree(outside, { 'secret.txt': 'outside' });
  const root = tempDir(t);
  writeTree(root, { 'a.txt': 'inside' });
  symlinkSync(outside, path.join(root, 'escape'));
  const tree = await openTree(t, root);
  assert.equal(tree.info('escape')?.kind, 'symlink');
  assert.equal(tree.hashOf('escape/secret.txt'), undefined);
  assert.equal(
    tree.resolve('escape/secret.txt'),
    undefined,
    'a dependency through it is untrackable',
  );
  assert.equal(tree.stats().files, 1);
});

test('resolve follows symlinks inside the root and records each link', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'real/a.txt': 'content' });
  symlinkSync('real', path.join(root, 'alias'));
  const tree = await openTree(t, root);
  const resolved = tree.resolve('alias/a.txt');
  assert.deepEqual(
    resolved?.map((step) => step.path),
    ['alias', 'real/a.txt'],
  );
  assert.equal(resolved?.[1]?.hash, tree.hashOf('real/a.txt'));
});

test('resolve answers MISSING for an absent tracked path and nothing for an ignored one', async (t) => {
  const root = tempDir(t);
  writeTree(root, { '.gitignore': 'build/\n' });
  const tree = await openTree(t, root);
  assert.deepEqual(tree.resolve('src/not-yet.ts'), [
    { path: 'src/not-yet.ts', hash: MISSING_HASH },
  ]);
  assert.equal(tree.resolve('build/x.js'), undefined);
  assert.equal(tree.resolve('../outside.txt'), undefined);
});

test('a file replaced by a folder of the same name is rescanned whole', async (t) => {
  const root = tempDir(t);
  writeTree(root, { thing: 'file' });
  const tree = await openTree(t, root);
  rmSync(path.join(root, 'thing'));
  mkdirSync(path.join(root, 'thing'));
  writeFileSync(path.join(root, 'thing/inner.txt'), 'x');
  await tree.touched(['thing']);
  assert.equal(tree.info('thing')?.kind, 'folder');
  assert.notEqual(tree.hashOf('thing/inner.txt'), undefined);
});
