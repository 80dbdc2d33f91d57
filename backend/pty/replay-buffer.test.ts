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

test('the ring keeps exactly the newest characters across wrap-arounds, surrogate pairs included', () => {
  const maxChars = 40_000;
  const buffer = new ReplayBuffer({ maxChars, alignWindowChars: 0 });
  let all = '';
  for (let i = 0; all.length < 3 * maxChars; i++) {
    const chunk = `${i} résumé 😀 漢字 `.repeat((i % 7) + 1);
    buffer.append(chunk);
    all += chunk;
  }
  assert.equal(buffer.size, maxChars);
  const expected = all.slice(-maxChars);
  const replay = buffer.snapshot();
  // Without a line break to align to, only a half surrogate pair at the start is dropped.
  assert.equal(
    replay,
    expected.charCodeAt(0) >= 0xdc00 && expected.charCodeAt(0) <= 0xdfff
      ? expected.slice(1)
      : expected,
  );
});

test('a chunk larger than the bound keeps its tail', () => {
  const buffer = new ReplayBuffer({ maxChars: 20_000, alignWindowChars: 100 });
  buffer.append('start\r\n');
  const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}\r\n`).join('');
  buffer.append(lines);
  const replay = buffer.snapshot();
  assert.ok(replay.endsWith('line 4999\r\n'));
  assert.ok(replay.length <= 20_000);
  assert.match(replay, /^line \d+\r\n/);
});

test('an empty buffer replays nothing, and clear empties it', () => {
  const buffer = new ReplayBuffer({ maxChars: 100, alignWindowChars: 10 });
  assert.equal(buffer.snapshot(), '');
  buffer.append('hello');
  buffer.clear();
  assert.equal(buffer.snapshot(), '');
  buffer.append('again');
  assert.equal(buffer.snapshot(), 'again');
});
