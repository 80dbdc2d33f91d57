import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { DEFAULT_SESSION_LIMITS } from './pty-session.ts';
import { PtyManager } from './pty-manager.ts';
import { type Recorder, shScript, spawnRecorded } from './test-helpers.ts';
import { incompleteTailLength } from './utf8.ts';

describe('every byte right', () => {
  let manager: PtyManager;
  const recorders: Recorder[] = [];
  afterEach(async () => {
    for (const r of recorders.splice(0)) r.dispose();
    await manager.dispose();
  });

  test('UTF-8 characters split across writes arrive intact, as bytes and as text', async () => {
    manager = new PtyManager();
    const text = 'emoji 😀👩‍💻🚀 CJK 漢字かなカナ한국어 mixed ✓é';
    // Three bytes per write, 2 ms apart, so reads end inside multi-byte sequences.
    const writer = `const b = Buffer.from(${JSON.stringify(text)}); const s = new Int32Array(new SharedArrayBuffer(4));
      for (let i = 0; i < b.length; i += 3) { require('fs').writeSync(1, b.subarray(i, i + 3)); Atomics.wait(s, 0, 0, 2); }`;
    const { session, out } = spawnRecorded(
      manager,
      { cols: 120, rows: 24, shell: process.execPath, args: ['-e', writer] },
      { keepChunks: true },
    );
    recorders.push(out);
    await out.untilExit();
    assert.equal(out.text, text);
    assert.deepEqual(out.bytes(), Buffer.from(text));
    assert.ok(out.chunks > 1, 'it really arrived in several chunks');
    assert.ok(
      out.outputs.some(({ bytes }) => incompleteTailLength(bytes, 0, bytes.length) > 0),
      'some chunk really ended inside a character',
    );
    assert.equal(out.seqMismatches, 0, 'each position is the bytes emitted so far');
    assert.equal(session.seq, Buffer.byteLength(text));
  });

  test('positions count bytes: one CJK character moves the stream by three', async () => {
    manager = new PtyManager();
    const { session, out } = spawnRecorded(manager, shScript(`printf '\\346\\274\\242'`), {
      keepChunks: true,
    });
    recorders.push(out);
    await out.untilExit();
    assert.equal(out.text, '漢');
    assert.equal(session.seq, 3);
    assert.equal(out.outputs.at(-1)?.seq, 3);
  });

  test('the bytes are the ones the process wrote, even where they are not valid UTF-8', async () => {
    manager = new PtyManager();
    // No newline: the terminal would turn it into \r\n.
    const { out } = spawnRecorded(manager, shScript(`printf 'x\\377a\\303(\\346\\274'`), {
      keepChunks: true,
    });
    recorders.push(out);
    await out.untilExit();
    // Decoded and encoded again, each invalid byte would come out as EF BF BD.
    assert.deepEqual(out.bytes(), Buffer.from([0x78, 0xff, 0x61, 0xc3, 0x28, 0xe6, 0xbc]));
    assert.equal(out.text, 'x\ufffda\ufffd(', 'the unfinished last character is not text yet');
  });

  test('the terminal keeps its UTF-8 mode (IUTF8), which node-pty sets only for its utf8 encoding', async () => {
    manager = new PtyManager();
    const { out } = spawnRecorded(manager, shScript('stty -a'));
    recorders.push(out);
    await out.untilExit();
    assert.match(out.text, /(^|\s)iutf8(\s|$)/);
  });

  test('a replay taken while output ends inside a character leaves it out, and the live bytes complete it', async () => {
    manager = new PtyManager();
    // Echo off, so the line that releases the rest prints nothing.
    const { session, out } = spawnRecorded(
      manager,
      shScript(`stty -echo; printf 'ab\\346\\274'; read go; printf '\\242 done'`),
      { keepChunks: true },
    );
    recorders.push(out);
    await out.until((r) => r.byteCount === 4);
    const replay = session.replay();
    assert.deepEqual(replay, { data: 'ab', seq: 2 });
    assert.equal(session.seq, 4);
    session.write('\r');
    await out.untilExit();
    // What a renderer does: write the replay, then the live bytes past its position.
    const live = out.outputs
      .filter(({ seq }) => seq > replay.seq)
      .map(({ bytes, seq }) => bytes.subarray(Math.max(0, replay.seq - (seq - bytes.length))));
    assert.ok(
      out.outputs.some(({ bytes, seq }) => seq - bytes.length < replay.seq && seq > replay.seq),
      'a live chunk straddles the replay position',
    );
    assert.equal(replay.data + Buffer.concat(live).toString('utf8'), 'ab漢 done');
    assert.equal(out.text, 'ab漢 done');
  });

  test('a replay of more output than it keeps starts at a line and ends at the session position', async () => {
    manager = new PtyManager({ limits: { ...DEFAULT_SESSION_LIMITS, replayMaxBytes: 1000 } });
    const { session, out } = spawnRecorded(
      manager,
      shScript(`i=0; while [ $i -lt 300 ]; do printf '漢字 %d\\n' $i; i=$((i+1)); done`),
    );
    recorders.push(out);
    await out.untilExit();
    const replay = session.replay();
    assert.ok(Buffer.byteLength(replay.data) <= 1000);
    assert.match(replay.data, /^漢字 \d+\r\n/);
    assert.ok(replay.data.endsWith('漢字 299\r\n'));
    assert.equal(replay.seq, session.seq);
    assert.equal(session.seq, out.byteCount);
  });

  test('output written just before a fast exit is delivered, and the exit comes after it', async () => {
    manager = new PtyManager();
    // Several at once: the lost-tail race shows under load.
    const runs = Array.from({ length: 5 }, (_, i) =>
      spawnRecorded(
        manager,
        shScript(`head -c 50000 /dev/zero | tr '\\0' ${i}; printf LAST-${i}; exit 7`),
      ),
    );
    recorders.push(...runs.map((r) => r.out));
    await Promise.all(runs.map(({ out }) => out.untilExit()));
    runs.forEach(({ out }, i) => {
      // Compared as a verdict, not the strings: a 50 kB diff helps nobody.
      assert.equal(
        out.text === `${String(i).repeat(50000)}LAST-${i}`,
        true,
        `run ${i}: ${out.text.length} chars ending ${JSON.stringify(out.text.slice(-12))}`,
      );
      assert.equal(out.textAtExit, out.text.length, 'no output after the exit');
      assert.deepEqual(out.exit, { exitCode: 7, signal: null });
    });
  });
});
