/**
 * The Node version guard: on an old Node the entry scripts name the version
 * they need, instead of Node failing on the `.ts` extension.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = join(import.meta.dirname, '..');
const GUARD = join(ROOT, 'scripts', 'require-node.cjs');
const dir = mkdtempSync(join(tmpdir(), 'troika-require-node-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The guard beside a package.json that asks for `engines`, run by this Node. */
function runGuard(engines: string): { status: number | null; stderr: string } {
  const root = mkdtempSync(join(dir, 'repo-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(GUARD, join(root, 'scripts', 'require-node.cjs'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ engines: { node: engines } }));
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'require-node.cjs')], {
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

test('a Node older than package.json asks for is refused with the version it needs', () => {
  const { status, stderr } = runGuard('^98.1.0 || >=99.0.0');
  assert.equal(status, 1);
  assert.match(stderr, /Troika needs Node\.js \^98\.1\.0 or >=99\.0\.0/);
  assert.match(stderr, new RegExp(`this is Node ${process.version.replace(/\./g, '\\.')}`));
  assert.doesNotMatch(stderr, /Unknown file extension/);
});

test('the Node running the tests passes the real package.json', () => {
  const result = spawnSync(process.execPath, [GUARD], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});

test('the entry scripts a user types run the guard before any .ts file', () => {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  for (const name of ['start', 'start:web', 'test', 'test:unit', 'test:e2e', 'bench'])
    assert.match(scripts[name] ?? '', /^node scripts\/require-node\.cjs && /, name);
});
