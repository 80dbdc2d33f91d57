import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadNodePty } from '../../native/node-pty.ts';
import { outputBytes, readRawOutput } from './raw-output.ts';

test('after readRawOutput, node-pty delivers Buffers (on Unix), even though it spawned with utf8', async () => {
  const pty = loadNodePty().spawn('/bin/sh', ['-c', "printf '\\346\\274'"], { cols: 80, rows: 24 });
  readRawOutput(pty);
  const chunks: unknown[] = [];
  const data = pty.onData((chunk: unknown) => chunks.push(chunk));
  await new Promise<void>((resolve) => pty.onExit(() => resolve()));
  data.dispose();
  assert.ok(chunks.length > 0);
  assert.ok(
    chunks.every((chunk) => Buffer.isBuffer(chunk)),
    `got ${chunks.map((c) => typeof c).join()}`,
  );
  assert.deepEqual(Buffer.concat(chunks as Buffer[]), Buffer.from([0xe6, 0xbc]));
});

test('strings (as ConPTY delivers them) become their UTF-8 bytes; Buffers pass as they are', () => {
  assert.deepEqual(outputBytes('漢'), Buffer.from([0xe6, 0xbc, 0xa2]));
  const bytes = Buffer.from([0xff]);
  assert.equal(outputBytes(bytes), bytes);
});
