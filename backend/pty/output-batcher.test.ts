import assert from 'node:assert/strict';
import { afterEach, test, mock } from 'node:test';
import { OutputBatcher } from './output-batcher.ts';

afterEach(() => mock.timers.reset());

/** A batcher fed and read as text, for readable expectations; `immediateBytes` is 3. */
function batcher(maxBytes = 1000) {
  const sent: string[] = [];
  const b = new OutputBatcher({
    windowMs: 5,
    immediateBytes: 3,
    maxBytes,
    emit: (bytes) => sent.push(bytes.toString('utf8')),
  });
  return { b, sent, push: (text: string) => b.push(Buffer.from(text)) };
}

test('small output is sent at once, even in quick succession (keystroke echoes are not delayed)', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent, push } = batcher();
  push('a');
  push('b');
  push('c');
  assert.deepEqual(sent, ['a', 'b', 'c']);
  b.dispose();
});

test('beyond the immediate allowance, output within the window is sent as one chunk when it closes', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent, push } = batcher();
  push('abc');
  push('d');
  push('e');
  assert.deepEqual(sent, ['abc']);
  mock.timers.tick(5);
  assert.deepEqual(sent, ['abc', 'de']);
  b.dispose();
});

test('while output keeps flowing, every window batches from its first chunk', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent, push } = batcher();
  push('abcd');
  push('e');
  mock.timers.tick(5);
  push('f');
  push('g');
  assert.deepEqual(sent, ['abcd', 'e']);
  mock.timers.tick(5);
  assert.deepEqual(sent, ['abcd', 'e', 'fg']);
  mock.timers.tick(5);
  push('h');
  assert.deepEqual(
    sent,
    ['abcd', 'e', 'fg', 'h'],
    'a quiet window ends the flow: the next output goes at once',
  );
  b.dispose();
});

test('a batch reaching the size limit is sent without waiting', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent, push } = batcher(4);
  push('abc');
  push('de');
  push('fg');
  assert.deepEqual(sent, ['abc', 'defg']);
  b.dispose();
});

test('flush sends pending output immediately and in order', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent, push } = batcher();
  push('abc');
  push('d');
  b.flush();
  assert.deepEqual(sent, ['abc', 'd']);
  b.dispose();
});

test('the allowances count bytes, not characters', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent, push } = batcher(6);
  push('漢');
  push('x');
  assert.deepEqual(sent, ['漢'], 'three bytes use up the immediate allowance');
  push('字');
  push('é');
  assert.deepEqual(sent, ['漢', 'x字é'], 'six bytes pending reach the size limit');
  b.dispose();
});

test('pending chunks are joined byte for byte, a character split between them included', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const sent: Buffer[] = [];
  const b = new OutputBatcher({
    windowMs: 5,
    immediateBytes: 0,
    maxBytes: 1000,
    emit: (bytes) => sent.push(bytes),
  });
  const bytes = Buffer.from('a😀b');
  b.push(bytes.subarray(0, 3));
  b.push(bytes.subarray(3));
  mock.timers.tick(5);
  assert.deepEqual(sent, [bytes]);
  b.dispose();
});
