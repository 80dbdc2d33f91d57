import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import { tempDir, waitFor, writeTree } from '../../test-support/temp.ts';
import { hashBytes } from '../hash.ts';
import { MerkleTree } from '../tree.ts';

const hashOfText = (text: string): string => hashBytes(Buffer.from(text)).hash;

async function watched(t: TestContext, root: string): Promise<MerkleTree> {
  const tree = await MerkleTree.open({ root, watch: 'folders' });
  t.after(() => tree.dispose());
  assert.equal(tree.watchBackend, 'folders');
  return tree;
}

test('an edit made by another process is picked up without touched()', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'src/a.ts': 'v1' });
  const tree = await watched(t, root);
  writeFileSync(path.join(root, 'src/a.ts'), 'v2');
  await waitFor(() => tree.hashOf('src/a.ts') === hashOfText('v2'), 3000, 'the edit');
});

test('files in folders made by mkdir -p are seen, and so are later writes there', async (t) => {
  const root = tempDir(t);
  const tree = await watched(t, root);
  mkdirSync(path.join(root, 'new/a/b'), { recursive: true });
  writeFileSync(path.join(root, 'new/a/b/f.txt'), 'f');
  await waitFor(() => tree.hashOf('new/a/b/f.txt') === hashOfText('f'), 3000, 'the first file');
  writeFileSync(path.join(root, 'new/a/b/g.txt'), 'g');
  await waitFor(() => tree.hashOf('new/a/b/g.txt') === hashOfText('g'), 3000, 'the later file');
});

test('after a folder rename, writes inside it are reported under the new path', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'src/deep/n/c.txt': 'c' });
  const tree = await watched(t, root);
  renameSync(path.join(root, 'src/deep'), path.join(root, 'moved'));
  await waitFor(() => tree.hashOf('moved/n/c.txt') === hashOfText('c'), 3000, 'the moved file');
  assert.equal(tree.hashOf('src/deep'), undefined);
  writeFileSync(path.join(root, 'moved/n/c.txt'), 'c2');
  await waitFor(
    () => tree.hashOf('moved/n/c.txt') === hashOfText('c2'),
    3000,
    'the write after the move',
  );
});

test('a deleted folder leaves the tree', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'gone/x.txt': 'x', 'stay.txt': 's' });
  const tree = await watched(t, root);
  rmSync(path.join(root, 'gone'), { recursive: true });
  await waitFor(
    () => tree.info('gone') === undefined && tree.hashOf('') !== undefined,
    3000,
    'the removal',
  );
  assert.equal(tree.stats().files, 1);
});
