import assert from 'node:assert/strict';
import { afterEach, test, mock } from 'node:test';
import { OutputBatcher } from './output-batcher.ts';

afterEach(() => mock.timers.reset());

function batcher(maxChars = 1000) {
  const sent: string[] = [];
  const b = new OutputBatcher({ windowMs: 5, maxChars, emit: (data) => sent.push(data) });
  return { b, sent };
}

test('the first output after a quiet spell is sent at once (a keystroke echo is not delayed)', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher();
  b.push('a');
  assert.deepEqual(sent, ['a']);
  b.dispose();
});

test('output following within the window is sent as one chunk when it closes', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher();
  b.push('a');
  b.push('b');
  b.push('c');
  assert.deepEqual(sent, ['a']);
  mock.timers.tick(5);
  assert.deepEqual(sent, ['a', 'bc']);
  b.push('d');
  mock.timers.tick(5);
  mock.timers.tick(5);
  assert.deepEqual(sent, ['a', 'bc', 'd']);
  b.dispose();
});

test('a batch reaching the size limit is sent without waiting', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher(4);
  b.push('a');
  b.push('bc');
  b.push('de');
  assert.deepEqual(sent, ['a', 'bcde']);
  b.dispose();
});

test('flush sends pending output immediately and in order', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { b, sent } = batcher();
  b.push('a');
  b.push('b');
  b.flush();
  assert.deepEqual(sent, ['a', 'b']);
  b.dispose();
});
