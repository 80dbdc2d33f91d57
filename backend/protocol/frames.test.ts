import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  encodeJsonFrame,
  encodePtyOutputHeader,
  FrameError,
  FrameReader,
  type DownlinkMessage,
  type PtyOutputFrame,
} from './frames.ts';

function outputFrame(frame: PtyOutputFrame): Uint8Array {
  return Buffer.concat([encodePtyOutputHeader(frame), frame.bytes]);
}

const json = '{"type":"event","event":"system.welcome","data":{"connectionId":"c-1 — é ✓"}}';
const output: PtyOutputFrame = {
  id: 'pty-7',
  seq: 123_456_789_012,
  bytes: Buffer.from('hello 漢字 🎉\r\n'),
};
const stream = Buffer.concat([
  encodeJsonFrame(json),
  outputFrame(output),
  encodeJsonFrame('{}'),
  outputFrame({ id: 'x', seq: 0, bytes: new Uint8Array(0) }),
]);

function plain(messages: DownlinkMessage[]): unknown[] {
  return messages.map((m) =>
    typeof m === 'string' ? m : { id: m.id, seq: m.seq, bytes: Buffer.from(m.bytes).toString() },
  );
}

const expected = [
  json,
  { id: 'pty-7', seq: 123_456_789_012, bytes: 'hello 漢字 🎉\r\n' },
  '{}',
  { id: 'x', seq: 0, bytes: '' },
];

test('frames come back whole from one chunk', () => {
  assert.deepEqual(plain(new FrameReader().push(stream)), expected);
});

test('frames come back whole however the stream is cut', () => {
  for (let size = 1; size <= stream.length; size += size < 16 ? 1 : 7) {
    const reader = new FrameReader();
    const messages: DownlinkMessage[] = [];
    for (let i = 0; i < stream.length; i += size)
      messages.push(...reader.push(stream.subarray(i, i + size)));
    assert.deepEqual(plain(messages), expected, `cut every ${size} bytes`);
    assert.equal(reader.pendingBytes, 0);
  }
});

test('output within one chunk is a view, not a copy', () => {
  const chunk = outputFrame(output);
  const [frame] = new FrameReader().push(chunk);
  assert.ok(typeof frame === 'object');
  assert.equal(frame.bytes.buffer, chunk.buffer);
  const spanning = new FrameReader();
  spanning.push(chunk.subarray(0, 3));
  const [copied] = spanning.push(chunk.subarray(3));
  assert.ok(typeof copied === 'object');
  assert.notEqual(copied.bytes.buffer, chunk.buffer);
});

test('an unfinished frame waits for the rest', () => {
  const reader = new FrameReader();
  assert.deepEqual(reader.push(stream.subarray(0, 10)), []);
  assert.equal(reader.pendingBytes, 10);
});

test('a corrupt stream is an error naming the problem', () => {
  const badKind = encodeJsonFrame('{}');
  badKind[4] = 9;
  assert.throws(() => new FrameReader().push(badKind), FrameError);
  assert.throws(
    () => new FrameReader().push(new Uint8Array([0, 0, 0, 0, 1])),
    /length 0 is out of range/,
  );
  assert.throws(
    () => new FrameReader().push(new Uint8Array([255, 255, 255, 255, 1])),
    /out of range/,
  );
  const short = outputFrame(output).subarray(0, 12);
  new DataView(short.buffer, short.byteOffset).setUint32(0, 8, true);
  assert.throws(() => new FrameReader().push(short), /shorter than its header/);
});
