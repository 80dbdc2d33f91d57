import assert from 'node:assert/strict';
import test from 'node:test';
import { cacheKey, stableStringify } from './key.ts';
import { KEY_INLINE_MAX_CHARS } from './limits.ts';

test('object key order does not change the key, at any depth', () => {
  assert.equal(
    cacheKey('grep', { pattern: 'x', options: { b: 1, a: 2 } }),
    cacheKey('grep', { options: { a: 2, b: 1 }, pattern: 'x' }),
  );
});

test('array order, values and the tool name do change the key', () => {
  const base = cacheKey('read', { paths: ['a', 'b'] });
  assert.notEqual(cacheKey('read', { paths: ['b', 'a'] }), base);
  assert.notEqual(cacheKey('read', { paths: ['a', 'c'] }), base);
  assert.notEqual(cacheKey('write', { paths: ['a', 'b'] }), base);
});

test('stableStringify follows JSON for undefined, non-finite numbers and toJSON', () => {
  assert.equal(
    stableStringify({ b: undefined, a: [undefined, NaN], d: new Date(0) }),
    '{"a":[null,null],"d":"1970-01-01T00:00:00.000Z"}',
  );
  assert.equal(stableStringify({ z: 1, a: 'x' }), JSON.stringify({ a: 'x', z: 1 }));
});

test('long inputs are keyed by their hash, and still distinctly', () => {
  const long = 'x'.repeat(KEY_INLINE_MAX_CHARS + 1);
  const key = cacheKey('read', { text: long });
  assert.match(key, /^read:sha256:[0-9a-f]{64}$/);
  assert.notEqual(cacheKey('read', { text: long + 'y' }), key);
});

test('cyclic input is refused rather than keyed ambiguously', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  assert.throws(() => cacheKey('x', cyclic), /cyclic/);
});
