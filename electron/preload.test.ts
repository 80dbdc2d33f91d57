import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BRIDGE_GLOBAL } from '../backend/protocol/bridge.ts';
import { PROTOCOL_CHANNEL } from './security.ts';

// The sandboxed preload cannot import local modules, so it repeats two names; they must agree.
const source = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');

test('the preload exposes the bridge under the name the renderer looks for', () => {
  assert.match(source, new RegExp(`exposeInMainWorld\\('${BRIDGE_GLOBAL}'`));
});

test('the preload uses the protocol channel the main process listens on', () => {
  assert.match(source, new RegExp(`const CHANNEL = '${PROTOCOL_CHANNEL}'`));
});

test('the preload exposes nothing but the bridge', () => {
  assert.equal(source.match(/exposeInMainWorld/g)?.length, 1);
  assert.doesNotMatch(source, /ipcRenderer\.(invoke|sendSync)|require\('(?!electron')/);
});
