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

/**
 * Messages as plain values, with the pieces of one output frame joined; also
 * checks that every piece's position is the previous one's plus its length.
 */
function plain(messages: DownlinkMessage[]): unknown[] {
  const joined: unknown[] = [];
  let open: { id: string; seq: number; bytes: Buffer } | undefined;
  for (const m of messages) {
    if (typeof m === 'string') {
      open = undefined;
      joined.push(m);
      continue;
    }
    if (open && open.id === m.id && m.seq === open.seq + m.bytes.length && m.bytes.length > 0) {
      open.bytes = Buffer.concat([open.bytes, m.bytes]);
      open.seq = m.seq;
      continue;
    }
    open = { id: m.id, seq: m.seq, bytes: Buffer.from(m.bytes) };
    joined.push(open);
  }
  return joined.map((m) =>
    typeof m === 'string'
      ? m
      : { ...(m as object), bytes: (m as { bytes: Buffer }).bytes.toString() },
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

test('messages and output come back intact however the stream is cut', () => {
  for (let size = 1; size <= stream.length; size += size < 16 ? 1 : 7) {
    const reader = new FrameReader();
    const messages: DownlinkMessage[] = [];
    for (let i = 0; i < stream.length; i += size)
      messages.push(...reader.push(stream.subarray(i, i + size)));
    assert.deepEqual(plain(messages), expected, `cut every ${size} bytes`);
    assert.equal(reader.pendingBytes, 0);
  }
});

test('output is passed on as it arrives, each piece a view into its own chunk', () => {
  const frame = outputFrame(output);
  const headerBytes = frame.length - output.bytes.length;
  const reader = new FrameReader();
  const first = frame.subarray(0, headerBytes + 5);
  const second = frame.subarray(headerBytes + 5);
  const [head] = reader.push(first);
  assert.ok(head && typeof head === 'object', 'the first bytes go on before the frame is complete');
  assert.equal(Buffer.from(head.bytes).toString(), 'hello');
  assert.equal(head.seq, output.seq - (output.bytes.length - 5));
  assert.equal(head.bytes.buffer, first.buffer);
  const [rest] = reader.push(second);
  assert.ok(rest && typeof rest === 'object');
  assert.equal(rest.seq, output.seq);
  assert.equal(rest.bytes.buffer, second.buffer);
  assert.equal(Buffer.concat([head.bytes, rest.bytes]).toString(), 'hello 漢字 🎉\r\n');
  assert.equal(reader.pendingBytes, 0);
});

test('output within one chunk is one view, not a copy', () => {
  const chunk = outputFrame(output);
  const messages = new FrameReader().push(chunk);
  assert.equal(messages.length, 1);
  const [frame] = messages;
  assert.ok(typeof frame === 'object');
  assert.equal(frame.bytes.buffer, chunk.buffer);
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
