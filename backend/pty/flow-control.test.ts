import assert from 'node:assert/strict';
import { afterEach, describe, mock, test } from 'node:test';
import { FlowController } from './flow-control.ts';
import { PtyManager } from './pty-manager.ts';
import { type Recorder, shScript, spawnRecorded } from './test-helpers.ts';

function controller() {
  const calls: string[] = [];
  const flow = new FlowController({
    highWatermark: 100,
    lowWatermark: 10,
    stallTimeoutMs: 1000,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  });
  return { flow, calls };
}

describe('FlowController', () => {
  afterEach(() => mock.timers.reset());

  test('a watched session pauses above the high watermark and resumes only below the low one', () => {
    const { flow, calls } = controller();
    flow.watch();
    flow.produced(100);
    assert.deepEqual(calls, []);
    flow.produced(1);
    assert.deepEqual(calls, ['pause']);
    flow.acknowledged(80);
    assert.deepEqual(calls, ['pause'], 'still 21 unacknowledged');
    flow.acknowledged(12);
    assert.deepEqual(calls, ['pause', 'resume']);
    flow.dispose();
  });

  test('a session nobody watches is never paused', () => {
    const { flow, calls } = controller();
    flow.produced(10_000);
    assert.deepEqual(calls, []);
    flow.dispose();
  });

  test('a renderer that stops acknowledging releases the session after the stall timeout', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { flow, calls } = controller();
    flow.watch();
    flow.produced(500);
    mock.timers.tick(999);
    assert.deepEqual(calls, ['pause']);
    mock.timers.tick(1);
    assert.deepEqual(calls, ['pause', 'resume']);
    flow.produced(10_000);
    assert.deepEqual(calls, ['pause', 'resume'], 'unwatched until a renderer acknowledges again');
    flow.dispose();
  });

  test('a re-attaching renderer resets the count, so output lost with an old tab cannot stall the session', () => {
    const { flow, calls } = controller();
    flow.watch();
    flow.produced(500);
    flow.watch();
    assert.deepEqual(calls, ['pause', 'resume']);
    assert.equal(flow.unacknowledged, 0);
    flow.dispose();
  });
});

/** Small marks (bytes), so a real flood crosses them many times within a short test. */
const LIMITS = {
  highWatermark: 50_000,
  lowWatermark: 10_000,
  stallTimeoutMs: 5_000,
  replayMaxBytes: 100_000,
};

describe('flow control on a real PTY', () => {
  let manager: PtyManager | undefined;
  let out: Recorder | undefined;
  afterEach(async () => {
    out?.dispose();
    await manager?.dispose();
  });

  test('a flood against a slow renderer keeps unacknowledged output bounded, and resumes as it catches up', async () => {
    manager = new PtyManager({ limits: LIMITS });
    const spawned = spawnRecorded(manager, shScript('yes flood-line-of-text'));
    const { session } = spawned;
    out = spawned.out;
    session.replay();
    // A slow renderer: parses 5,000 bytes every 2 ms.
    let acked = 0;
    let maxInFlight = 0;
    let pauses = 0;
    let wasPaused = false;
    while (acked < LIMITS.highWatermark * 10) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      maxInFlight = Math.max(maxInFlight, session.seq - acked);
      if (session.paused && !wasPaused) pauses++;
      const bytes = Math.min(5_000, session.seq - acked);
      if (bytes > 0) {
        session.acknowledge(bytes);
        acked += bytes;
      }
      // Read after the ack, which resumes synchronously: the flood can pause it again within one sleep.
      wasPaused = session.paused;
    }
    // One read (node-pty reads up to 64 KiB) may land after the count crosses the mark.
    assert.ok(
      maxInFlight <= LIMITS.highWatermark + 64 * 1024,
      `in flight peaked at ${maxInFlight}`,
    );
    assert.ok(pauses >= 2, `paused ${pauses} times: it paused and resumed repeatedly`);
  });

  test('the marks count bytes: multi-byte output pauses once its bytes (not its characters) pass the mark', async () => {
    manager = new PtyManager({ limits: LIMITS });
    // 20,000 characters, 60,000 bytes: over the high mark only when counted in bytes.
    const spawned = spawnRecorded(
      manager,
      shScript(`head -c 20000 /dev/zero | tr '\\0' x | sed 's/x/漢/g'; printf END`),
    );
    const { session } = spawned;
    out = spawned.out;
    session.replay();
    // The read that crossed the mark is emitted when its batch window closes.
    await out.until(() => session.paused && session.seq > LIMITS.highWatermark);
    assert.ok(session.seq <= LIMITS.highWatermark + 64 * 1024, `paused at ${session.seq} bytes`);
    assert.ok(out.text.length < LIMITS.highWatermark, 'fewer characters than the mark');
    session.acknowledge(session.seq);
    assert.equal(session.paused, false, 'all acknowledged: resumed');
    await out.untilExit();
    assert.equal(out.text, `${'漢'.repeat(20_000)}END`);
    assert.equal(session.seq, 60_003);
  });

  test('output a paused process wrote just before exiting is still delivered, before the exit', async () => {
    manager = new PtyManager({ limits: LIMITS });
    // More than the high watermark, so flow control pauses; the rest waits in the kernel's buffer when the process exits.
    const spawned = spawnRecorded(
      manager,
      shScript(`head -c ${LIMITS.highWatermark + 8_000} /dev/zero | tr '\\0' x; printf END`),
    );
    out = spawned.out;
    spawned.session.replay();
    await out.untilExit();
    assert.ok(out.text.endsWith('END'), `ends with ${JSON.stringify(out.text.slice(-20))}`);
    assert.equal(out.text.length, LIMITS.highWatermark + 8_003);
    assert.equal(out.textAtExit, out.text.length);
  });
});
