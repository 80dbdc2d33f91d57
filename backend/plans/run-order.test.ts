import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { waitingOn } from './run-order.ts';
import { task } from './testing/fixtures.ts';

describe('waitingOn (the merge queue takes the longest waiting chain first)', () => {
  test('counts the longest chain of tasks depending on each, directly or not', () => {
    const chain = waitingOn([
      task('a'),
      task('b'),
      task('c'),
      task('d', { dependencies: ['a'] }),
      task('f', { dependencies: ['c'] }),
      task('h', { dependencies: ['f'] }),
      task('i', { dependencies: ['f', 'd'] }),
    ]);
    assert.deepEqual(Object.fromEntries(chain), { a: 2, b: 0, c: 2, d: 1, f: 1, h: 0, i: 0 });
  });
});
