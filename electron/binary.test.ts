import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findElectronBinary } from './binary.ts';

const dir = mkdtempSync(join(tmpdir(), 'troika-electron-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a package without path.txt reports that the binary was never downloaded', () => {
  const packageDir = join(dir, 'never');
  mkdirSync(packageDir);
  const result = findElectronBinary({ env: {}, packageDir });
  assert.equal(result.found, false);
  assert.match(result.found ? '' : result.reason, /never downloaded/);
  // …and says how to get one: the command, or the override.
  assert.match(result.found ? '' : result.reason, /`node node_modules\/electron\/install\.js`/);
  assert.match(result.found ? '' : result.reason, /ELECTRON_OVERRIDE_DIST_PATH/);
});

test('a binary in dist/ beside path.txt is found', () => {
  const packageDir = join(dir, 'present');
  mkdirSync(join(packageDir, 'dist'), { recursive: true });
  writeFileSync(join(packageDir, 'path.txt'), 'electron');
  writeFileSync(join(packageDir, 'dist', 'electron'), '');
  assert.deepEqual(findElectronBinary({ env: {}, packageDir }), {
    found: true,
    path: join(packageDir, 'dist', 'electron'),
  });
});

test('ELECTRON_OVERRIDE_DIST_PATH wins, and a wrong one is reported', () => {
  const override = join(dir, 'override');
  mkdirSync(override);
  writeFileSync(join(override, 'electron'), '');
  const packageDir = join(dir, 'never');
  assert.deepEqual(
    findElectronBinary({ env: { ELECTRON_OVERRIDE_DIST_PATH: override }, packageDir }),
    {
      found: true,
      path: join(override, 'electron'),
    },
  );
  const missing = findElectronBinary({
    env: { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nope') },
    packageDir,
  });
  assert.equal(missing.found, false);
});
