import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from '../../cache/test-support/temp.ts';
import { WorkspaceCaches } from './workspace-caches.ts';

describe('WorkspaceCaches', () => {
  test('agents in the same folder share one cache', async (t) => {
    const caches = new WorkspaceCaches({ watch: 'none' });
    t.after(() => caches.dispose());
    const ws = tempDir(t, 'troika-ws-');
    assert.equal(await caches.acquire(ws), await caches.acquire(ws));
  });

  test('the cache closes when the last holder lets go, and a new one opens after', async (t) => {
    const caches = new WorkspaceCaches({ watch: 'none' });
    t.after(() => caches.dispose());
    const ws = tempDir(t, 'troika-ws-');
    const first = await caches.acquire(ws);
    await caches.acquire(ws);
    await caches.release(ws);
    assert.equal(first.set('k', 'v'), true, 'still open while held');
    await caches.release(ws);
    assert.equal(first.set('k', 'v'), false, 'closed once released');
    assert.notEqual(await caches.acquire(ws), first);
  });

  test('each workspace gets its own cold file in the cold folder', async (t) => {
    const coldDir = join(tempDir(t, 'troika-cold-'), 'token-cache');
    const caches = new WorkspaceCaches({ watch: 'none', coldDir });
    t.after(() => caches.dispose());
    await caches.acquire(tempDir(t, 'troika-ws-'));
    await caches.acquire(tempDir(t, 'troika-ws-'));
    assert.ok(existsSync(coldDir));
    assert.equal(readdirSync(coldDir).filter((name) => name.endsWith('.db')).length, 2);
  });
});
