import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { defaultTools } from './registry.ts';
import { fileToolContext } from './test-context.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'troika-bounds-')));
after(() => rmSync(base, { recursive: true, force: true }));
let ws: string;
let n = 0;
beforeEach(() => {
  ws = join(base, `ws-${++n}`);
  mkdirSync(ws);
});

const tools = defaultTools();
function run(name: string, input: unknown) {
  return tools.run(name, input, fileToolContext(ws));
}
const edit = (input: object) => run('str_replace_based_edit_tool', input);

describe('tool work bounded whatever the model sends', () => {
  test('inserting 200,000 lines at once works (no argument spread)', async () => {
    writeFileSync(join(ws, 'f.txt'), 'first\nlast');
    const many = Array.from({ length: 200_000 }, (_, i) => `line ${i}`).join('\n');
    const result = await edit({
      command: 'insert',
      path: 'f.txt',
      insert_line: 1,
      insert_text: many,
    });
    assert.equal(result.isError, false, result.content);
    const lines = readFileSync(join(ws, 'f.txt'), 'utf8').split('\n');
    assert.equal(lines.length, 200_002);
    assert.deepEqual(
      [lines[0], lines[1], lines[200_000], lines[200_001]],
      ['first', 'line 0', 'line 199999', 'last'],
    );
  });

  test('str_replace counts a million occurrences and names the count', async () => {
    writeFileSync(join(ws, 'big.txt'), 'ab'.repeat(1_000_000));
    const result = await edit({
      command: 'str_replace',
      path: 'big.txt',
      old_str: 'a',
      new_str: 'c',
    });
    assert.equal(result.isError, true);
    assert.match(result.content, /Found 1000000 matches for old_str/);
  });

  test('str_replace reports the line of a unique match', async () => {
    writeFileSync(join(ws, 'f.txt'), 'one\ntwo\nthree\n');
    const result = await edit({
      command: 'str_replace',
      path: 'f.txt',
      old_str: 'three',
      new_str: '3',
    });
    assert.match(result.content, /^ {5}3\t3$/m);
  });

  test('viewing a folder of 3,000 files stops at 1,000 entries with a note', async () => {
    for (let i = 0; i < 3000; i++) writeFileSync(join(ws, `f${String(i).padStart(4, '0')}`), '');
    const result = await edit({ command: 'view', path: '.' });
    const lines = result.content.split('\n');
    assert.equal(lines.length, 1 + 1000 + 1);
    assert.equal(lines[1000], 'f0999');
    assert.match(lines[1001] ?? '', /stopped at 1000 entries/);
  });

  test('a path longer than PATH_MAX is refused before any work', async () => {
    const result = await run('list_files', { path: 'a/'.repeat(500_000) });
    assert.equal(result.isError, true);
    assert.match(result.content, /is 1000000 characters long; paths are limited to 4096/);
  });
});
