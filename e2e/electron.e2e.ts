/**
 * The desktop app, launched through Playwright's Electron driver, wherever an
 * Electron binary exists. Where none does (its download host is unreachable on
 * the build machines), it says so in one line and skips with that reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { _electron } from 'playwright-core';
import { findElectronBinary } from '../electron/binary.ts';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist', 'node', 'electron', 'main.js');
const binary = findElectronBinary();
const skip = binary.found ? false : `no Electron binary here: ${binary.reason}`;
if (skip) console.log(`electron e2e did not run: ${skip}`);

describe('desktop app (Electron)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'troika-electron-e2e-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('opens a window with the shell, connected to the in-process backend', { skip }, async () => {
    assert.ok(binary.found);
    const app = await _electron.launch({
      executablePath: binary.path,
      args: [MAIN],
      env: { ...process.env, TROIKA_DATA_DIR: dataDir } as Record<string, string>,
    });
    try {
      const window = await app.firstWindow();
      await window.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
      assert.equal(await window.getByRole('region', { name: /Agent slot/ }).count(), 3);
      const exposed = await window.evaluate(() => Object.keys((globalThis as unknown as { troika: object }).troika).sort());
      assert.deepEqual(exposed, ['onMessage', 'send']);
      const nodeVisible = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require);
      assert.equal(nodeVisible, 'undefined');
    } finally {
      await app.close();
    }
  });
});
