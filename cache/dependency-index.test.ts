import assert from 'node:assert/strict';
import test from 'node:test';
import { DependencyIndex } from './dependency-index.ts';

test('keysOf lists exactly the keys recorded for a path', () => {
  const index = new DependencyIndex();
  index.add('k1', ['src/a.ts', 'src']);
  index.add('k2', ['src/b.ts']);
  assert.deepEqual([...(index.keysOf('src/a.ts') ?? [])], ['k1']);
  assert.deepEqual([...(index.keysOf('src') ?? [])], ['k1']);
  assert.equal(index.keysOf('src/c.ts'), undefined);
});

test('remove forgets a key and drops paths left without dependents', () => {
  const index = new DependencyIndex();
  index.add('k1', ['a', 'b']);
  index.add('k2', ['b']);
  index.remove('k1', ['a', 'b']);
  assert.equal(index.keysOf('a'), undefined);
  assert.deepEqual([...(index.keysOf('b') ?? [])], ['k2']);
  assert.equal(index.paths, 1);
});

test('keysUnder covers the folder and its descendants but not name-prefixed siblings', () => {
  const index = new DependencyIndex();
  index.add('inside', ['src/a/x.ts']);
  index.add('folder', ['src']);
  index.add('sibling', ['srcx/y.ts']);
  assert.deepEqual([...index.keysUnder('src')].sort(), ['folder', 'inside']);
  assert.deepEqual([...index.keysUnder('')].sort(), ['folder', 'inside', 'sibling']);
});
