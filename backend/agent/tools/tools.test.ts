import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { resolveInWorkspace } from './paths.ts';
import { defaultTools } from './registry.ts';
import type { ToolContext } from './tool.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'troika-tools-')));
after(() => rmSync(base, { recursive: true, force: true }));

let ws: string;
let outside: string;
let n = 0;
beforeEach(() => {
  ws = join(base, `ws-${++n}`);
  outside = join(base, `outside-${n}`);
  mkdirSync(ws);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
});

const tools = defaultTools();
function context(): ToolContext {
  return {
    workDir: ws,
    signal: new AbortController().signal,
    limits: { commandTimeoutMs: 5000, maxOutputChars: 30_000 },
    shell: () => Promise.reject(new Error('no shell in this test')),
    restartShell: () => Promise.reject(new Error('no shell in this test')),
    askUser: (q) => Promise.resolve(`answer to ${q}`),
  };
}
const run = (name: string, input: unknown) => tools.run(name, input, context());
const edit = (input: object) => run('str_replace_based_edit_tool', input);

describe('path confinement', () => {
  test('a relative path inside the workspace resolves', async () => {
    assert.equal(await resolveInWorkspace(ws, 'a/b.txt'), join(ws, 'a', 'b.txt'));
  });

  test('an absolute path inside the workspace resolves', async () => {
    assert.equal(await resolveInWorkspace(ws, join(ws, 'x.txt')), join(ws, 'x.txt'));
  });

  test('".." leaving the workspace is refused', async () => {
    await assert.rejects(resolveInWorkspace(ws, '../outside/secret.txt'), /outside the workspace/);
  });

  test('an absolute path elsewhere is refused', async () => {
    await assert.rejects(resolveInWorkspace(ws, '/etc/passwd'), /outside the workspace/);
  });

  test('a symlink pointing out of the workspace is refused', async () => {
    symlinkSync(outside, join(ws, 'link'));
    await assert.rejects(resolveInWorkspace(ws, 'link/secret.txt'), /symbolic link/);
  });

  test('a new file under a symlinked folder pointing out is refused', async () => {
    symlinkSync(outside, join(ws, 'link'));
    await assert.rejects(resolveInWorkspace(ws, 'link/new/file.txt'), /symbolic link/);
  });

  test('a dangling symlink is refused', async () => {
    symlinkSync(join(outside, 'missing.txt'), join(ws, 'dangling'));
    await assert.rejects(resolveInWorkspace(ws, 'dangling'), /symbolic link to a missing target/);
  });

  test('a symlink that stays inside the workspace is allowed', async () => {
    mkdirSync(join(ws, 'real'));
    symlinkSync(join(ws, 'real'), join(ws, 'alias'));
    assert.equal(await resolveInWorkspace(ws, 'alias/f.txt'), join(ws, 'real', 'f.txt'));
  });
});

describe('text editor tool', () => {
  test('create writes a new file, creating folders', async () => {
    const result = await edit({ command: 'create', path: 'src/a.txt', file_text: 'one\ntwo\n' });
    assert.equal(result.isError, false);
    assert.equal(readFileSync(join(ws, 'src', 'a.txt'), 'utf8'), 'one\ntwo\n');
  });

  test('view shows numbered lines', async () => {
    writeFileSync(join(ws, 'a.txt'), 'alpha\nbeta');
    const result = await edit({ command: 'view', path: 'a.txt' });
    assert.equal(result.content, '     1\talpha\n     2\tbeta');
  });

  test('view_range shows only the lines asked for', async () => {
    writeFileSync(join(ws, 'a.txt'), 'l1\nl2\nl3\nl4');
    const result = await edit({ command: 'view', path: join(ws, 'a.txt'), view_range: [2, 3] });
    assert.equal(result.content, '     2\tl2\n     3\tl3');
  });

  test('view on a folder lists it', async () => {
    mkdirSync(join(ws, 'src'));
    writeFileSync(join(ws, 'src', 'main.ts'), '');
    const result = await edit({ command: 'view', path: '.' });
    assert.match(result.content, /^src\/$/m);
    assert.match(result.content, /^src\/main\.ts$/m);
  });

  test('str_replace replaces a unique match', async () => {
    writeFileSync(join(ws, 'a.txt'), 'let x = 1;\nlet y = 2;\n');
    const result = await edit({
      command: 'str_replace',
      path: 'a.txt',
      old_str: 'x = 1',
      new_str: 'x = 10',
    });
    assert.equal(result.isError, false);
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'let x = 10;\nlet y = 2;\n');
  });

  test('str_replace with no match is an error that says so', async () => {
    writeFileSync(join(ws, 'a.txt'), 'abc');
    const result = await edit({
      command: 'str_replace',
      path: 'a.txt',
      old_str: 'zzz',
      new_str: 'q',
    });
    assert.equal(result.isError, true);
    assert.match(result.content, /No match found/);
  });

  test('str_replace with several matches is an error and changes nothing', async () => {
    writeFileSync(join(ws, 'a.txt'), 'x x');
    const result = await edit({
      command: 'str_replace',
      path: 'a.txt',
      old_str: 'x',
      new_str: 'y',
    });
    assert.equal(result.isError, true);
    assert.match(result.content, /Found 2 matches/);
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'x x');
  });

  test('insert puts text after the given line', async () => {
    writeFileSync(join(ws, 'a.txt'), 'one\nthree');
    const result = await edit({
      command: 'insert',
      path: 'a.txt',
      insert_line: 1,
      insert_text: 'two\n',
    });
    assert.equal(result.isError, false);
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'one\ntwo\nthree');
  });

  test('insert past the end is an error', async () => {
    writeFileSync(join(ws, 'a.txt'), 'one');
    const result = await edit({
      command: 'insert',
      path: 'a.txt',
      insert_line: 5,
      insert_text: 'x',
    });
    assert.equal(result.isError, true);
    assert.match(result.content, /past the end/);
  });

  test('writing outside the workspace is an error and writes nothing', async () => {
    const result = await edit({ command: 'create', path: '../outside-x.txt', file_text: 'x' });
    assert.equal(result.isError, true);
    assert.match(result.content, /outside the workspace/);
  });

  test('reading a file through an escaping symlink is an error', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'peek.txt'));
    const result = await edit({ command: 'view', path: 'peek.txt' });
    assert.equal(result.isError, true);
    assert.doesNotMatch(result.content, /secret$/);
  });

  test('viewing a missing file is an error naming it', async () => {
    const result = await edit({ command: 'view', path: 'nope.txt' });
    assert.equal(result.isError, true);
    assert.match(result.content, /nope\.txt does not exist/);
  });
});

describe('malformed tool input', () => {
  test('a missing required field is named in an error result', async () => {
    const result = await edit({ command: 'create', path: 'a.txt' });
    assert.equal(result.isError, true);
    assert.match(result.content, /Invalid input for str_replace_based_edit_tool: "file_text"/);
  });

  test('an unknown editor command is named', async () => {
    const result = await edit({ command: 'undo_edit', path: 'a.txt' });
    assert.equal(result.isError, true);
    assert.match(result.content, /"command" must be one of view, create, str_replace, insert/);
  });

  test('a wrong type is named', async () => {
    const result = await run('search_files', { pattern: 42 });
    assert.equal(result.isError, true);
    assert.match(result.content, /"pattern"/);
  });

  test('an unknown tool is an error listing the tools', async () => {
    const result = await run('teleport', {});
    assert.equal(result.isError, true);
    assert.match(result.content, /no tool named "teleport".*bash/);
  });

  test('bash without a command is an error', async () => {
    const result = await run('bash', {});
    assert.equal(result.isError, true);
    assert.match(result.content, /non-empty "command"/);
  });
});

describe('list and search tools', () => {
  beforeEach(() => {
    mkdirSync(join(ws, 'src'));
    mkdirSync(join(ws, 'build'));
    writeFileSync(join(ws, '.gitignore'), 'build/\n');
    writeFileSync(join(ws, 'src', 'a.ts'), 'export const answer = 42;\n// TODO: more\n');
    writeFileSync(join(ws, 'src', 'b.md'), 'todo in docs\n');
    writeFileSync(join(ws, 'build', 'out.js'), 'const answer = 42;\n');
  });

  test('list shows files and folders and leaves out ignored ones', async () => {
    const result = await run('list_files', {});
    assert.deepEqual(result.content.split('\n'), ['src/', 'src/a.ts', 'src/b.md']);
  });

  test('search finds matching lines with their location', async () => {
    const result = await run('search_files', { pattern: 'answer' });
    assert.equal(result.content, 'src/a.ts:1: export const answer = 42;');
  });

  test('search is case-insensitive by default and honours a glob', async () => {
    const result = await run('search_files', { pattern: 'todo', glob: '**/*.ts' });
    assert.equal(result.content, 'src/a.ts:2: // TODO: more');
  });

  test('an invalid regular expression is an error', async () => {
    const result = await run('search_files', { pattern: '(' });
    assert.equal(result.isError, true);
    assert.match(result.content, /not a valid regular expression/);
  });

  test('search outside the workspace is refused', async () => {
    const result = await run('search_files', { pattern: 'secret', path: outside });
    assert.equal(result.isError, true);
  });
});

describe('ask_user tool', () => {
  test('returns the user answer', async () => {
    const result = await run('ask_user', { question: 'which db?' });
    assert.equal(result.content, 'The user answered: answer to which db?');
  });
});
