import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultTools } from './registry.ts';
import { fileToolContext } from './test-context.ts';

/** In the file outside the workspace: must never reach the model. */
const SECRET = 'TOPSECRET-outside-content';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'troika-confine-')));
const ws = join(base, 'ws');
const outside = join(base, 'outside');
after(() => rmSync(base, { recursive: true, force: true }));

before(() => {
  mkdirSync(join(outside, 'deeper'), { recursive: true });
  writeFileSync(join(outside, 'outside-only.txt'), `${SECRET}\n`);
  writeFileSync(join(outside, 'deeper', 'outside-deeper.txt'), `${SECRET}\n`);
  // Links out of the workspace at depth 1, 2 and 3, to a file and to a folder.
  for (const dir of ['.', 'a', 'a/b']) {
    mkdirSync(join(ws, dir), { recursive: true });
    symlinkSync(join(outside, 'outside-only.txt'), join(ws, dir, 'out-file'));
    symlinkSync(outside, join(ws, dir, 'out-dir'));
  }
  writeFileSync(join(ws, 'a', 'b', 'own.txt'), 'own content\n');
  mkdirSync(join(ws, 'real'));
  writeFileSync(join(ws, 'real', 'inner.txt'), 'inner content\n');
  // Links inside the workspace: to a folder, to a file, and loops back up.
  symlinkSync(join(ws, 'real'), join(ws, 'a', 'alias'));
  symlinkSync(join(ws, 'real', 'inner.txt'), join(ws, 'a', 'inner-link.txt'));
  symlinkSync(join(ws, 'a'), join(ws, 'a', 'b', 'loop'));
  symlinkSync(join(ws, 'real'), join(ws, 'real', 'self'));
  symlinkSync(join(ws, 'missing'), join(ws, 'broken'));
});

const tools = defaultTools();
function run(name: string, input: unknown) {
  return tools.run(name, input, fileToolContext(ws));
}

function assertNothingOutside(content: string): void {
  assert.doesNotMatch(content, /TOPSECRET|outside-only|outside-deeper|deeper/);
}

const LINK_OUT = '@ (symbolic link out of the workspace; not followed)';
const linkTo = (target: string) =>
  `@ -> ${target}/ (symbolic link to a workspace folder, listed under its own path)`;

describe('list_files and symbolic links', () => {
  test('links out of the workspace, at any depth, are shown as links and never descended', async () => {
    const result = await run('list_files', { depth: 10 });
    assert.equal(result.isError, false);
    assert.deepEqual(result.content.split('\n'), [
      'a/',
      `a/alias${linkTo('real')}`,
      'a/b/',
      `a/b/loop${linkTo('a')}`,
      `a/b/out-dir${LINK_OUT}`,
      `a/b/out-file${LINK_OUT}`,
      'a/b/own.txt',
      'a/inner-link.txt',
      `a/out-dir${LINK_OUT}`,
      `a/out-file${LINK_OUT}`,
      'broken@ (broken symbolic link)',
      `out-dir${LINK_OUT}`,
      `out-file${LINK_OUT}`,
      'real/',
      'real/inner.txt',
      `real/self${linkTo('real')}`,
    ]);
  });

  test('a link to a workspace folder outside the listed one is followed, and a loop is listed once', async () => {
    const result = await run('list_files', { path: 'a', depth: 10 });
    assert.deepEqual(result.content.split('\n'), [
      'alias/',
      'alias/inner.txt',
      `alias/self${linkTo('real')}`,
      'b/',
      `b/loop${linkTo('a')}`,
      `b/out-dir${LINK_OUT}`,
      `b/out-file${LINK_OUT}`,
      'b/own.txt',
      'inner-link.txt',
      `out-dir${LINK_OUT}`,
      `out-file${LINK_OUT}`,
    ]);
  });

  for (const path of ['out-dir', 'a/out-dir', 'a/b/out-dir', 'a/b/out-dir/deeper']) {
    test(`listing "${path}", a link out of the workspace or under one, is refused`, async () => {
      const result = await run('list_files', { path, depth: 10 });
      assert.equal(result.isError, true);
      assert.match(result.content, /leads outside the workspace through a symbolic link/);
      assert.doesNotMatch(result.content, /TOPSECRET|outside-deeper\.txt/);
    });
  }
});

describe('search_files and symbolic links', () => {
  test('files behind links out of the workspace are never read', async () => {
    const secret = await run('search_files', { pattern: 'TOPSECRET' });
    assert.equal(secret.content, 'No matches for /TOPSECRET/ in ..');
    const everything = await run('search_files', { pattern: '.', max_results: 500 });
    assertNothingOutside(everything.content);
    assert.deepEqual(everything.content.split('\n'), [
      'a/b/own.txt:1: own content',
      'a/inner-link.txt:1: inner content',
      'real/inner.txt:1: inner content',
    ]);
  });

  test('a link to a workspace folder outside the searched one is followed, and a loop searched once', async () => {
    const result = await run('search_files', { pattern: 'content', path: 'a' });
    assert.deepEqual(result.content.split('\n'), [
      'alias/inner.txt:1: inner content',
      'b/own.txt:1: own content',
      'inner-link.txt:1: inner content',
    ]);
  });

  for (const path of [
    'out-file',
    'out-dir',
    'a/out-file',
    'a/b/out-dir',
    'a/b/out-dir/deeper',
    'a/b/out-dir/outside-only.txt',
  ]) {
    test(`searching "${path}", a link out of the workspace or under one, is refused`, async () => {
      const result = await run('search_files', { pattern: '.', path });
      assert.equal(result.isError, true);
      assert.match(result.content, /leads outside the workspace through a symbolic link/);
      assert.doesNotMatch(result.content, /TOPSECRET|outside-deeper\.txt/);
    });
  }
});
