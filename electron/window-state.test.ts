import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_SIZE, loadWindowState, restoreBounds, saveWindowState } from './window-state.ts';

const dir = mkdtempSync(join(tmpdir(), 'troika-window-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const screen = { x: 0, y: 0, width: 2560, height: 1400 };

test('saved state survives a save and load', () => {
  const file = join(dir, 'state.json');
  const state = { bounds: { x: 40, y: 50, width: 1600, height: 1000 }, maximized: true };
  saveWindowState(file, state);
  assert.deepEqual(loadWindowState(file), state);
});

test('a corrupt state file is ignored, not fatal', () => {
  const file = join(dir, 'corrupt.json');
  writeFileSync(file, '{"bounds": {"x": "left"');
  assert.equal(loadWindowState(file), undefined);
  assert.equal(loadWindowState(join(dir, 'missing.json')), undefined);
});

test('a window saved on a display that is gone opens centred on the primary one', () => {
  const saved = { bounds: { x: 3000, y: 100, width: 1600, height: 1000 }, maximized: false };
  const bounds = restoreBounds(saved, [screen]);
  assert.equal(bounds.width, DEFAULT_SIZE.width);
  assert.equal(bounds.x, (screen.width - DEFAULT_SIZE.width) / 2);
});

test('a visible saved window keeps its place, clamped to the display', () => {
  const saved = { bounds: { x: 100, y: 80, width: 4000, height: 900 }, maximized: false };
  assert.deepEqual(restoreBounds(saved, [screen]), { x: 100, y: 80, width: 2560, height: 900 });
});
