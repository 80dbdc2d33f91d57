import assert from 'node:assert/strict';
import test from 'node:test';
import type { HotEntry } from '../entry.ts';
import { HotTier, type HotRemoval } from './hot-tier.ts';

function entry(bytes: number, expiresAt = Date.now() + 60_000): HotEntry {
  return { value: 'v', tokens: 1, deps: [], bytes, expiresAt, checkedEpoch: -1, hotUntil: 0 };
}

function tierWithLog(
  maxBytes: number,
  ttlMs = 60_000,
): { tier: HotTier; removed: Array<[string, HotRemoval]> } {
  const removed: Array<[string, HotRemoval]> = [];
  const tier = new HotTier({
    maxBytes,
    ttlMs,
    onRemove: (key, _entry, reason) => removed.push([key, reason]),
  });
  return { tier, removed };
}

test('the byte bound evicts the least recently used entry and says so', () => {
  const { tier, removed } = tierWithLog(800); // room for eight entries of 100 bytes
  for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) tier.set(key, entry(100));
  tier.get('a');
  tier.set('i', entry(100));
  assert.deepEqual(removed, [['b', 'evict']]);
  assert.equal(tier.bytes, 800);
});

test('an entry larger than its share of the tier is not stored', () => {
  const { tier } = tierWithLog(800);
  assert.equal(tier.set('huge', entry(500)), false);
  assert.equal(tier.get('huge'), undefined);
});

test('an entry is not served after its own expiry, even within the tier TTL', async () => {
  const { tier, removed } = tierWithLog(10_000);
  assert.equal(tier.set('short', entry(10, Date.now() + 20)), true);
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(tier.get('short'), undefined);
  assert.deepEqual(removed, [['short', 'expire']]);
});

test('overwriting a key reports the old entry as replaced', () => {
  const { tier, removed } = tierWithLog(10_000);
  tier.set('k', entry(10));
  tier.set('k', entry(20));
  assert.deepEqual(removed, [['k', 'set']]);
  assert.equal(tier.peek('k')?.bytes, 20);
});
