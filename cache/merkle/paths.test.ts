import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { depthOf, isWithin, joinPath, parentOf, toRelative } from './paths.ts';

const root = path.resolve('/work/repo');

test('toRelative gives POSIX paths relative to the root, "" for the root itself', () => {
  assert.equal(toRelative(root, path.join(root, 'src', 'a.ts')), 'src/a.ts');
  assert.equal(toRelative(root, 'src/./b/../a.ts'), 'src/a.ts');
  assert.equal(toRelative(root, root), '');
});

test('toRelative refuses paths outside the root, including a sibling with the same prefix', () => {
  assert.equal(toRelative(root, '../elsewhere'), undefined);
  assert.equal(toRelative(root, path.resolve('/work/repo-other/a')), undefined);
});

test('isWithin matches the folder itself and descendants, not name prefixes', () => {
  assert.equal(isWithin('src/a.ts', 'src'), true);
  assert.equal(isWithin('src', 'src'), true);
  assert.equal(isWithin('srcx/a.ts', 'src'), false);
  assert.equal(isWithin('anything', ''), true);
});

test('parentOf, joinPath and depthOf agree on the root', () => {
  assert.equal(parentOf('a/b/c'), 'a/b');
  assert.equal(parentOf('a'), '');
  assert.equal(parentOf(''), undefined);
  assert.equal(joinPath('', 'a'), 'a');
  assert.equal(joinPath('a', 'b'), 'a/b');
  assert.equal(depthOf(''), 0);
  assert.equal(depthOf('a/b'), 2);
});

test('canonical relative paths pass through; anything else is normalized', () => {
  assert.equal(toRelative(root, 'src/a.ts'), 'src/a.ts');
  assert.equal(toRelative(root, 'src//a.ts'), 'src/a.ts');
  assert.equal(toRelative(root, 'src/a.ts/'), 'src/a.ts');
  assert.equal(toRelative(root, './src/a.ts'), 'src/a.ts');
  assert.equal(toRelative(root, 'src/../../x'), undefined);
  assert.equal(toRelative(root, '..'), undefined);
  assert.equal(toRelative(root, '.'), '');
});
