import test from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, waitFor, writeTree } from '../../test-support/temp.ts';
import { hashBytes } from '../hash.ts';
import { MerkleTree } from '../tree.ts';

test('@parcel/watcher loads and reports an edit', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'a.txt': 'one' });
  const warnings: string[] = [];
  const tree = await MerkleTree.open({
    root,
    watch: 'parcel',
    onWarning: (message) => warnings.push(message),
  });
  t.after(() => tree.dispose());
  assert.equal(tree.watchBackend, 'parcel', `no fallback expected: ${warnings.join('; ')}`);
  writeFileSync(path.join(root, 'a.txt'), 'two');
  await waitFor(
    () => tree.hashOf('a.txt') === hashBytes(Buffer.from('two')).hash,
    3000,
    'the edit',
  );
});
