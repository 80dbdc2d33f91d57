import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileMatcher } from './matcher.ts';

describe('compileMatcher', () => {
  test('no matcher, "" and "*" match every tool', () => {
    for (const m of [undefined, '', '*']) assert.equal(compileMatcher(m)('anything'), true);
  });

  test('names separated by | match exactly and case-sensitively', () => {
    const m = compileMatcher('Bash|Edit');
    assert.deepEqual(['Bash', 'Edit', 'bash', 'EditX'].map(m), [true, true, false, false]);
  });

  test('a regular expression must match the whole name', () => {
    const m = compileMatcher('mcp__.*');
    assert.deepEqual(['mcp__github__x', 'x_mcp__'].map(m), [true, false]);
  });

  test('an invalid regular expression throws', () => {
    assert.throws(() => compileMatcher('Edit('), SyntaxError);
  });
});
