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

/** Small marks, so a real flood crosses them many times within a short test. */
const LIMITS = {
  highWatermark: 50_000,
  lowWatermark: 10_000,
  stallTimeoutMs: 5_000,
  replayMaxChars: 100_000,
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
    // A slow renderer: parses 5,000 characters every 2 ms.
    let acked = 0;
    let maxInFlight = 0;
    let pauses = 0;
    let wasPaused = false;
    while (acked < LIMITS.highWatermark * 10) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      maxInFlight = Math.max(maxInFlight, session.seq - acked);
      if (session.paused && !wasPaused) pauses++;
      wasPaused = session.paused;
      const chars = Math.min(5_000, session.seq - acked);
      if (chars > 0) {
        session.acknowledge(chars);
        acked += chars;
      }
    }
    // One read (node-pty reads up to 64 KiB) may land after the count crosses the mark.
    assert.ok(
      maxInFlight <= LIMITS.highWatermark + 64 * 1024,
      `in flight peaked at ${maxInFlight}`,
    );
    assert.ok(pauses >= 2, `paused ${pauses} times: it paused and resumed repeatedly`);
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
