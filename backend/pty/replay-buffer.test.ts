import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplayBuffer } from './replay-buffer.ts';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

test('output within the bound is replayed exactly, ending at the bytes appended', () => {
  const buffer = new ReplayBuffer({ maxBytes: 100, alignWindowBytes: 10 });
  buffer.append(utf8('\x1b[31mred\x1b[0m\r\n'));
  buffer.append(utf8('😀 漢字'));
  assert.deepEqual(buffer.snapshot(), {
    data: '\x1b[31mred\x1b[0m\r\n😀 漢字',
    seq: Buffer.byteLength('\x1b[31mred\x1b[0m\r\n😀 漢字'),
  });
});

test('the bound counts bytes: old output is dropped beyond it, keeping the newest', () => {
  const buffer = new ReplayBuffer({ maxBytes: 1000, alignWindowBytes: 100 });
  let total = 0;
  for (let i = 0; i < 500; i++) {
    const line = utf8(`漢字 ${i}\r\n`);
    buffer.append(line);
    total += line.length;
  }
  const replay = buffer.snapshot();
  assert.equal(buffer.size, 1000);
  assert.ok(Buffer.byteLength(replay.data) <= 1000);
  assert.ok(replay.data.endsWith('漢字 499\r\n'));
  assert.ok(!replay.data.includes('漢字 1\r\n'));
  assert.equal(replay.seq, total);
});

test('after dropping, the replay starts at a line start rather than mid-line or mid escape sequence', () => {
  const buffer = new ReplayBuffer({ maxBytes: 30, alignWindowBytes: 20 });
  buffer.append(utf8('\x1b[38;5;196mfirst line\r\n'));
  buffer.append(utf8('second\r\nthird\r\n'));
  assert.deepEqual(buffer.snapshot(), { data: 'second\r\nthird\r\n', seq: 38 });
});

test('output ending inside a character is replayed without it, and seq points at its first byte', () => {
  const buffer = new ReplayBuffer({ maxBytes: 100, alignWindowBytes: 10 });
  const bytes = utf8('ab漢😀');
  buffer.append(bytes.subarray(0, 4));
  assert.deepEqual(buffer.snapshot(), { data: 'ab', seq: 2 });
  buffer.append(bytes.subarray(4, 6));
  assert.deepEqual(buffer.snapshot(), { data: 'ab漢', seq: 5 });
  buffer.append(bytes.subarray(6, 8));
  assert.deepEqual(buffer.snapshot(), { data: 'ab漢', seq: 5 });
  buffer.append(bytes.subarray(8));
  assert.deepEqual(buffer.snapshot(), { data: 'ab漢😀', seq: 9 });
});

test('bytes that can never complete a character are replayed (as U+FFFD), not held back', () => {
  const buffer = new ReplayBuffer({ maxBytes: 100, alignWindowBytes: 10 });
  buffer.append(Buffer.from([0x61, 0xe6, 0x62, 0xff]));
  assert.deepEqual(buffer.snapshot(), { data: 'a\ufffdb\ufffd', seq: 4 });
});

test('the ring keeps exactly the newest bytes across wrap-arounds; without a line break the text starts on a character boundary', () => {
  const maxBytes = 40_000;
  const buffer = new ReplayBuffer({ maxBytes, alignWindowBytes: 0 });
  const chunks: Buffer[] = [];
  let total = 0;
  for (let i = 0; total < 3 * maxBytes; i++) {
    // Cut at arbitrary byte offsets, so chunks (and the ring's start) fall inside characters.
    const text = utf8(`${i} résumé 😀 漢字 `.repeat((i % 7) + 1));
    const cut = i % text.length;
    for (const chunk of [text.subarray(0, cut), text.subarray(cut)]) {
      buffer.append(chunk);
      chunks.push(chunk);
      total += chunk.length;
    }
  }
  assert.equal(buffer.size, maxBytes);
  const kept = Buffer.concat(chunks).subarray(-maxBytes);
  let start = 0;
  while ((kept[start] as number) >> 6 === 0b10) start++;
  const replay = buffer.snapshot();
  assert.equal(replay.data, kept.toString('utf8', start));
  assert.equal(replay.seq, total);
  assert.ok(!replay.data.includes('\ufffd'), 'no character was cut');
});

test('a wrapped ring that ends mid-character and starts mid-character cuts the text on both boundaries', () => {
  const buffer = new ReplayBuffer({ maxBytes: 16_384, alignWindowBytes: 100 });
  // 16,385 bytes: the oldest byte is dropped, so the ring starts inside a character.
  const all = utf8('漢'.repeat(5462)).subarray(0, 16_385);
  buffer.append(all.subarray(0, 10_000));
  buffer.append(all.subarray(10_000));
  const replay = buffer.snapshot();
  // 16,385 = 3 * 5461 + 2: the last character lacks one byte; the first kept byte continues one.
  assert.equal(replay.data, '漢'.repeat(5460));
  assert.equal(replay.seq, 16_383);
});

test('a chunk larger than the bound keeps its tail', () => {
  const buffer = new ReplayBuffer({ maxBytes: 20_000, alignWindowBytes: 100 });
  buffer.append(utf8('start\r\n'));
  const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}\r\n`).join('');
  buffer.append(utf8(lines));
  const { data } = buffer.snapshot();
  assert.ok(data.endsWith('line 4999\r\n'));
  assert.ok(data.length <= 20_000);
  assert.match(data, /^line \d+\r\n/);
});

test('an empty buffer replays nothing, and clear empties it', () => {
  const buffer = new ReplayBuffer({ maxBytes: 100, alignWindowBytes: 10 });
  assert.deepEqual(buffer.snapshot(), { data: '', seq: 0 });
  buffer.append(utf8('hello'));
  buffer.clear();
  assert.deepEqual(buffer.snapshot(), { data: '', seq: 0 });
  buffer.append(utf8('again'));
  assert.deepEqual(buffer.snapshot(), { data: 'again', seq: 5 });
});
