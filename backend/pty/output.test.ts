import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { PtyManager } from './pty-manager.ts';
import { type Recorder, shScript, spawnRecorded } from './test-helpers.ts';

describe('every byte right', () => {
  let manager: PtyManager;
  const recorders: Recorder[] = [];
  afterEach(async () => {
    for (const r of recorders.splice(0)) r.dispose();
    await manager.dispose();
  });

  test('UTF-8 characters split across writes arrive intact', async () => {
    manager = new PtyManager();
    const text = 'emoji 😀👩‍💻🚀 CJK 漢字かなカナ한국어 mixed ✓é';
    // Three bytes per write, 2 ms apart, so reads end inside multi-byte sequences.
    const writer = `const b = Buffer.from(${JSON.stringify(text)}); const s = new Int32Array(new SharedArrayBuffer(4));
      for (let i = 0; i < b.length; i += 3) { require('fs').writeSync(1, b.subarray(i, i + 3)); Atomics.wait(s, 0, 0, 2); }`;
    const { out } = spawnRecorded(manager, {
      cols: 120,
      rows: 24,
      shell: process.execPath,
      args: ['-e', writer],
    });
    recorders.push(out);
    await out.untilExit();
    assert.equal(out.text, text);
    assert.ok(out.chunks > 1, 'it really arrived in several chunks');
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
