/** `npm test` checks the packaging configuration without packaging (which needs Electron's binary). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '..');
const config = parse(readFileSync(join(ROOT, 'build', 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
> & {
  asarUnpack: string[];
  files: string[];
  electronFuses: Record<string, boolean>;
  win: { target: string };
  mac: { target: Array<{ target: string }> };
  linux: { target: string };
};

test('electron-builder accepts the configuration against its own schema', async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as {
    DebugLogger: new (enabled: boolean) => unknown;
  };
  await validateConfiguration(config, new DebugLogger(false));
});

test('a configuration with an unknown key is rejected (the check can fail)', async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as {
    DebugLogger: new (enabled: boolean) => unknown;
  };
  await assert.rejects(
    validateConfiguration({ ...config, notAnOption: true }, new DebugLogger(false)),
    /notAnOption/,
  );
});

test('native modules are unpacked from the ASAR so they can be loaded', () => {
  for (const name of ['node-pty', 'better-sqlite3']) {
    assert.ok(
      config.asarUnpack.some((glob) => glob.includes(`node_modules/${name}`)),
      name,
    );
  }
});

test('the security fuses are set', () => {
  assert.equal(config.electronFuses['runAsNode'], false);
  assert.equal(config.electronFuses['onlyLoadAppFromAsar'], true);
  assert.equal(config.electronFuses['enableEmbeddedAsarIntegrityValidation'], true);
});

test('Windows NSIS, macOS DMG and Linux AppImage are built', () => {
  assert.equal(config.win.target, 'nsis');
  assert.equal(config.mac.target[0]?.target, 'dmg');
  assert.equal(config.linux.target, 'AppImage');
});

test('the package ships the built app and the compiled main process', () => {
  assert.ok(config.files.includes('dist/node/**/*'));
  assert.ok(config.files.includes('dist/web/**/*'));
});

test('the build emits the backend process entry the main process forks', () => {
  const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
    include: string[];
    exclude: string[];
  };
  assert.ok(build.include.includes('backend'));
  assert.ok(
    !build.exclude.some((glob) => glob.startsWith('backend/host') && glob.endsWith('main.ts')),
  );
  const main = readFileSync(join(ROOT, 'electron', 'main.ts'), 'utf8');
  assert.match(main, /join\(here, '\.\.', 'backend', 'host', 'main\.js'\)/);
  // The source it is emitted from.
  assert.ok(
    readFileSync(join(ROOT, 'backend', 'host', 'main.ts'), 'utf8').includes('startBackendHost'),
  );
});
