import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { tempDir, waitFor, writeTree } from '../../test-support/temp.ts';
import { hashBytes } from '../hash.ts';
import { MerkleTree } from '../tree.ts';

test('the recursive fs.watch backend reports an edit in a nested folder', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'src/deep/a.txt': 'one' });
  const tree = await MerkleTree.open({ root, watch: 'recursive' });
  t.after(() => tree.dispose());
  assert.equal(tree.watchBackend, 'recursive');
  writeFileSync(path.join(root, 'src/deep/a.txt'), 'two');
  await waitFor(
    () => tree.hashOf('src/deep/a.txt') === hashBytes(Buffer.from('two')).hash,
    3000,
    'the edit',
  );
});
