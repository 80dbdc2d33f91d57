import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplayBuffer } from './replay-buffer.ts';

test('output within the bound is replayed exactly', () => {
  const buffer = new ReplayBuffer({ maxChars: 100, alignWindowChars: 10 });
  buffer.append('\x1b[31mred\x1b[0m\r\n');
  buffer.append('😀 漢字');
  assert.equal(buffer.snapshot(), '\x1b[31mred\x1b[0m\r\n😀 漢字');
});

test('old output is dropped beyond the bound, keeping the newest', () => {
  const buffer = new ReplayBuffer({ maxChars: 1000, alignWindowChars: 100 });
  for (let i = 0; i < 500; i++) buffer.append(`line ${i}\r\n`);
  const replay = buffer.snapshot();
  assert.ok(buffer.size <= 1000);
  assert.ok(replay.endsWith('line 499\r\n'));
  assert.ok(!replay.includes('line 1\r\n'));
});

test('after dropping, the replay starts at a line start rather than mid-line or mid escape sequence', () => {
  const buffer = new ReplayBuffer({ maxChars: 30, alignWindowChars: 20 });
  buffer.append('\x1b[38;5;196mfirst line\r\n');
  buffer.append('second\r\nthird\r\n');
  assert.equal(buffer.snapshot(), 'second\r\nthird\r\n');
});
