import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadNative, NativeModuleError } from './load.ts';
import { loadNodePty } from './node-pty.ts';
import { openDatabase } from './sqlite.ts';

test('a missing native module fails with its name and the command that fixes it', () => {
  assert.throws(
    () =>
      loadNative('better-sqlite3', () => {
        throw Object.assign(new Error("Cannot find module 'better-sqlite3'"), {
          code: 'MODULE_NOT_FOUND',
        });
      }),
    (error: unknown) =>
      error instanceof NativeModuleError &&
      error.moduleName === 'better-sqlite3' &&
      /not installed or its compiled binary is missing/.test(error.message) &&
      error.message.includes('npm rebuild better-sqlite3'),
  );
});

test('a module that really does not exist is reported the same way', () => {
  assert.throws(
    () => loadNative('troika-no-such-native-module'),
    (error: unknown) =>
      error instanceof NativeModuleError &&
      error.message.includes('npm rebuild troika-no-such-native-module'),
  );
});

test('a binary built for another ABI names the ABI problem', () => {
  assert.throws(
    () =>
      loadNative('node-pty', () => {
        throw new Error(
          'The module was compiled against a different Node.js version using NODE_MODULE_VERSION 130.',
        );
      }),
    /different Node\.js\/Electron ABI[\s\S]*npm rebuild node-pty/,
  );
});

test('the real better-sqlite3 and node-pty load', () => {
  const db = openDatabase(':memory:');
  assert.equal((db.prepare('select 41 + 1 as v').get() as { v: number }).v, 42);
  db.close();
  assert.equal(typeof loadNodePty().spawn, 'function');
});
