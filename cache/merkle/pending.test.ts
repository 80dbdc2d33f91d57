import assert from 'node:assert/strict';
import test from 'node:test';
import { PendingPaths } from './pending.ts';

test('a pending path unsettles itself, the folders above it and the paths below it only', () => {
  const pending = new PendingPaths();
  pending.mark('src/lib', false);
  assert.equal(pending.isSettled('src/lib'), false);
  assert.equal(pending.isSettled('src'), false);
  assert.equal(pending.isSettled(''), false);
  assert.equal(pending.isSettled('src/lib/a.ts'), false);
  assert.equal(pending.isSettled('src/other.ts'), true);
  assert.equal(pending.isSettled('docs'), true);
});

test('settling a handled mark clears it and its counts above', () => {
  const pending = new PendingPaths();
  pending.mark('a/b', false);
  const batch = pending.snapshot();
  for (const [path, mark] of batch) pending.settle(path, mark);
  assert.equal(pending.size, 0);
  assert.equal(pending.isSettled('a'), true);
});

test('a path marked again while its batch ran stays pending, and a deep mark stays deep', () => {
  const pending = new PendingPaths();
  pending.mark('a', true);
  const batch = pending.snapshot();
  pending.mark('a', false);
  for (const [path, mark] of batch) pending.settle(path, mark);
  assert.equal(pending.isSettled('a'), false);
  assert.equal(pending.snapshot().get('a')?.deep, true);
});
