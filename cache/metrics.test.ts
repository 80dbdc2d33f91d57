import assert from 'node:assert/strict';
import test from 'node:test';
import { MetricsRecorder, type CacheMetrics } from './metrics.ts';

function recorder(intervalMs = 10): MetricsRecorder {
  return new MetricsRecorder(
    {
      hotSize: () => ({ entries: 2, bytes: 100 }),
      cold: () => ({
        entries: 5,
        bytes: 500,
        evictions: 1,
        invalidations: 2,
        expired: 3,
        rebuilds: 0,
      }),
      workspace: () => ({ files: 1, folders: 1, symlinks: 0, bytes: 10, watch: 'none' }),
    },
    intervalMs,
  );
}

test('a read that misses hot and hits cold counts as one hit, not a miss', () => {
  const metrics = recorder();
  metrics.hot.hits = 3;
  metrics.hot.misses = 2; // one went on to hit cold, one missed everywhere
  metrics.cold.hits = 1;
  metrics.cold.misses = 1;
  const snapshot = metrics.snapshot();
  assert.equal(snapshot.hits, 4);
  assert.equal(snapshot.misses, 1);
  assert.equal(snapshot.hitRatio, 0.8);
  assert.equal(snapshot.cold.entries, 5);
  metrics.dispose();
});

test('the change event is coalesced: many changes, one event', async () => {
  const metrics = recorder(10);
  const events: CacheMetrics[] = [];
  metrics.onChange((snapshot) => events.push(snapshot));
  for (let i = 0; i < 1000; i++) {
    metrics.hot.hits++;
    metrics.changed();
  }
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(events.length, 1);
  assert.equal(events[0]?.hot.hits, 1000);
  metrics.dispose();
});
