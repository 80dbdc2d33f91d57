import assert from 'node:assert/strict';
import { afterEach, test, mock } from 'node:test';
import { OutputBatcher } from './output-batcher.ts';

afterEach(() => mock.timers.reset());

function batcher(maxChars = 1000) {
  const sent: string[] = [];
  const b = new OutputBatcher({
    windowMs: 5,
    immediateChars: 3,
    maxChars,
    emit: (data) => sent.push(data),
  });
  return { b, sent };
}

test('small output is sent at once, even in quick succession (keystroke echoes are not delayed)', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher();
  b.push('a');
  b.push('b');
  b.push('c');
  assert.deepEqual(sent, ['a', 'b', 'c']);
  b.dispose();
});

test('beyond the immediate allowance, output within the window is sent as one chunk when it closes', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher();
  b.push('abc');
  b.push('d');
  b.push('e');
  assert.deepEqual(sent, ['abc']);
  mock.timers.tick(5);
  assert.deepEqual(sent, ['abc', 'de']);
  b.dispose();
});

test('while output keeps flowing, every window batches from its first chunk', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher();
  b.push('abcd');
  b.push('e');
  mock.timers.tick(5);
  b.push('f');
  b.push('g');
  assert.deepEqual(sent, ['abcd', 'e']);
  mock.timers.tick(5);
  assert.deepEqual(sent, ['abcd', 'e', 'fg']);
  mock.timers.tick(5);
  b.push('h');
  assert.deepEqual(
    sent,
    ['abcd', 'e', 'fg', 'h'],
    'a quiet window ends the flow: the next output goes at once',
  );
  b.dispose();
});

test('a batch reaching the size limit is sent without waiting', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher(4);
  b.push('abc');
  b.push('de');
  b.push('fg');
  assert.deepEqual(sent, ['abc', 'defg']);
  b.dispose();
});

test('flush sends pending output immediately and in order', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher();
  b.push('abc');
  b.push('d');
  b.flush();
  assert.deepEqual(sent, ['abc', 'd']);
  b.dispose();
});
