import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  closeSync,
  openSync,
  readdirSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../native/sqlite.ts';
import type { ColdRecord } from '../entry.ts';
import { tempDir } from '../test-support/temp.ts';
import { ColdTier, type ColdTierOptions } from './cold-tier.ts';

function record(
  key: string,
  deps: ColdRecord['deps'] = [],
  overrides: Partial<ColdRecord> = {},
): ColdRecord {
  return {
    key,
    payload: `value of ${key}`,
    encoding: 'string',
    tokens: 10,
    deps,
    bytes: 100,
    expiresAt: Date.now() + 60_000,
    ...overrides,
  };
}

function open(
  t: TestContext,
  options: Partial<ColdTierOptions> & { file: string },
): { tier: ColdTier; warnings: string[] } {
  const warnings: string[] = [];
  const tier = ColdTier.open({
    maxBytes: 1024 * 1024,
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  t.after(() => tier.close());
  return { tier, warnings };
}

test('records survive close and reopen, values and dependencies intact', (t) => {
  const file = path.join(tempDir(t), 'cold.db');
  const first = ColdTier.open({ file, maxBytes: 1024 * 1024, onWarning: () => {} });
  first.put(
    record('k', [{ path: 'src/a.ts', kind: 'file', hash: 'h1' }], {
      payload: '{"a":1}',
      encoding: 'json',
    }),
  );
  first.close();
  const { tier } = open(t, { file });
  const found = tier.get('k');
  assert.equal(found?.payload, '{"a":1}');
  assert.equal(found?.encoding, 'json');
  assert.deepEqual(found?.deps, [{ path: 'src/a.ts', kind: 'file', hash: 'h1' }]);
});

test('a queued write is readable before it is flushed', (t) => {
  const { tier } = open(t, { file: path.join(tempDir(t), 'cold.db'), flushIntervalMs: 60_000 });
  tier.put(record('k'));
  assert.equal(tier.get('k')?.payload, 'value of k');
});

test('an expired record is not returned', (t) => {
  let now = 1_000_000;
  const { tier } = open(t, { file: path.join(tempDir(t), 'cold.db'), now: () => now });
  tier.put(record('k', [], { expiresAt: now + 1000 }));
  tier.flush();
  now += 1001;
  assert.equal(tier.get('k'), undefined);
  assert.equal(tier.stats().expired, 1);
});

test('over its size bound it evicts the least recently used records', (t) => {
  let now = 1_000_000;
  const { tier } = open(t, {
    file: path.join(tempDir(t), 'cold.db'),
    maxBytes: 1000,
    now: () => now,
  });
  for (let index = 0; index < 10; index++) {
    now += 1;
    tier.put(record(`k${index}`, [], { expiresAt: now + 60_000 }));
    tier.flush();
  }
  now += 1;
  tier.touch('k0'); // the oldest write, but recently read
  now += 1;
  tier.put(record('k10', [], { expiresAt: now + 60_000 }));
  tier.flush();
  const stats = tier.stats();
  assert.ok(stats.bytes <= 900, `bytes ${stats.bytes}`);
  assert.ok(stats.evictions >= 2);
  assert.notEqual(tier.get('k0'), undefined, 'the recently read record stays');
  assert.equal(tier.get('k1'), undefined, 'the least recently used goes first');
  assert.notEqual(tier.get('k10'), undefined);
});

test('invalidate removes records that recorded another hash for the path, and only those', (t) => {
  const { tier } = open(t, { file: path.join(tempDir(t), 'cold.db') });
  tier.put(record('old', [{ path: 'a.ts', kind: 'file', hash: 'h1' }]));
  tier.put(record('current', [{ path: 'a.ts', kind: 'file', hash: 'h2' }]));
  tier.put(record('other', [{ path: 'b.ts', kind: 'file', hash: 'h1' }]));
  tier.flush();
  tier.invalidate([{ path: 'a.ts', hash: 'h2' }]);
  tier.flush();
  assert.equal(tier.get('old'), undefined);
  assert.notEqual(tier.get('current'), undefined);
  assert.notEqual(tier.get('other'), undefined);
  assert.equal(tier.stats().invalidations, 1);
});

test('revalidate deletes records whose dependencies no longer hold', (t) => {
  const { tier } = open(t, { file: path.join(tempDir(t), 'cold.db') });
  tier.put(record('fresh', [{ path: 'a.ts', kind: 'file', hash: 'h1' }]));
  tier.put(
    record('stale', [
      { path: 'a.ts', kind: 'file', hash: 'h0' },
      { path: 'b.ts', kind: 'file', hash: 'h1' },
    ]),
  );
  const removed = tier.revalidate((depPath, hash) => (depPath === 'a.ts' ? hash === 'h1' : true));
  assert.equal(removed, 1);
  assert.equal(tier.get('stale'), undefined);
  assert.notEqual(tier.get('fresh'), undefined);
});

function setAside(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes('.corrupt-'));
}

test('a file that is not a database is set aside with a warning and the tier keeps working', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'cold.db');
  writeFileSync(file, 'this is not a database'.repeat(100));
  const { tier, warnings } = open(t, { file });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /set aside/);
  assert.deepEqual(setAside(dir).length, 1);
  tier.put(record('k'));
  tier.flush();
  assert.equal(tier.get('k')?.payload, 'value of k');
  assert.equal(tier.stats().rebuilds, 1);
});

test('a truncated database is set aside and rebuilt', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'cold.db');
  const first = ColdTier.open({ file, maxBytes: 64 * 1024 * 1024, onWarning: () => {} });
  for (let index = 0; index < 3000; index++)
    first.put(record(`k${index}`, [], { payload: 'x'.repeat(400) }));
  first.close();
  truncateSync(file, Math.floor(statSync(file).size / 2));
  const { tier, warnings } = open(t, { file });
  assert.equal(warnings.length, 1);
  assert.equal(setAside(dir).length, 1);
  tier.put(record('after'));
  tier.flush();
  assert.notEqual(tier.get('after'), undefined);
});

test('corruption found while running is survived: the file is rebuilt, reads miss, writes work', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'cold.db');
  const first = ColdTier.open({ file, maxBytes: 64 * 1024 * 1024, onWarning: () => {} });
  for (let index = 0; index < 2000; index++)
    first.put(record(`k${index}`, [], { payload: 'x'.repeat(300) }));
  first.close(); // checkpointed: every row now lives in the main file
  const { tier, warnings } = open(t, { file });
  // Damage the second half of the file (table pages) under the open connection.
  const size = statSync(file).size;
  const start = Math.floor(size / 2 / 4096) * 4096;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(size - start, 0x5a), 0, size - start, start);
  closeSync(fd);
  assert.equal(tier.get('k1500'), undefined);
  assert.equal(tier.stats().rebuilds, 1);
  assert.match(warnings.join('\n'), /set aside/);
  assert.equal(setAside(dir).length, 1);
  tier.put(record('after'));
  tier.flush();
  assert.equal(tier.get('after')?.payload, 'value of after');
});

test('two processes writing the same file at once leave it consistent and complete', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'shared.db');
  const fixture = fileURLToPath(new URL('./cold-tier-writer.fixture.ts', import.meta.url));
  const perWriter = 600;
  const run = (prefix: string): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fixture, file, prefix, String(perWriter)], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  const results = await Promise.all([run('one'), run('two')]);
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const db = openDatabase(file, { readonly: true });
  t.after(() => db.close());
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const count = (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  const meta = (
    db.prepare("SELECT value FROM meta WHERE name = 'entries'").get() as { value: number }
  ).value;
  // Each writer's final invalidation drops its entries on src/0.ts (every 50th index).
  const expected = 2 * (perWriter - perWriter / 50);
  assert.equal(count, expected);
  assert.equal(meta, count, 'the trigger-kept total agrees with the rows');
});
