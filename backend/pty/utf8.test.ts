import assert from 'node:assert/strict';
import { test } from 'node:test';
import { incompleteTailLength } from './utf8.ts';

test('a range ending inside a character reports the bytes of it that are there', () => {
  for (const char of ['é', '漢', '😀']) {
    const bytes = Buffer.from(`a${char}`);
    for (let cut = 2; cut < bytes.length; cut++)
      assert.equal(incompleteTailLength(bytes, 0, cut), cut - 1, `${char} cut after ${cut} bytes`);
    assert.equal(incompleteTailLength(bytes, 0, bytes.length), 0, `${char} complete`);
  }
});

test('ASCII, empty ranges and sequences that cannot complete end on a boundary', () => {
  assert.equal(incompleteTailLength(Buffer.from('abc'), 0, 3), 0);
  assert.equal(incompleteTailLength(Buffer.from('abc'), 1, 1), 0);
  // A lead byte interrupted by ASCII, a stray continuation byte, and bytes that never lead.
  assert.equal(incompleteTailLength(Buffer.from([0xe6, 0x61]), 0, 2), 0);
  assert.equal(incompleteTailLength(Buffer.from([0x61, 0x80]), 0, 2), 0);
  assert.equal(incompleteTailLength(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80]), 0, 5), 0);
  assert.equal(incompleteTailLength(Buffer.from([0xff]), 0, 1), 0);
});

test('the range start bounds the look back', () => {
  const bytes = Buffer.from('漢');
  assert.equal(incompleteTailLength(bytes, 1, 2), 0, 'the lead byte lies before the range');
  assert.equal(incompleteTailLength(bytes, 0, 2), 2);
});
