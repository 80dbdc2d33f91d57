/**
 * The README's folder map and the code agree: every backend folder that
 * holds code has a row naming its main file, that file opens with a comment
 * saying what the folder owns, and no row names a folder that is not there.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..');
const BACKEND = join(ROOT, 'backend');

interface Row {
  /** As the README writes it: `backend/agent/`. */
  readonly folder: string;
  /** `undefined` for a layer reserved for a folder not written yet (`—`). */
  readonly main: string | undefined;
}

function mapRows(): Row[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows: Row[] = [];
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // | layer | `backend/x/` | `main.ts` or — | owns |
    const folder = /^`(backend\/[^`]*)`$/.exec(cells[2] ?? '')?.[1];
    if (folder === undefined) continue;
    const main = /^`([^`]+\.ts)`$/.exec(cells[3] ?? '')?.[1];
    assert.ok(main !== undefined || cells[3] === '—', `README row for ${folder}: no main file`);
    rows.push({ folder, main });
  }
  return rows;
}

/** Folders under backend/ (backend/ itself included) with a .ts file of their own. */
function codeFolders(dir = BACKEND): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const own = entries.some((e) => e.isFile() && e.name.endsWith('.ts'))
    ? [`${relative(ROOT, dir)}/`]
    : [];
  return [
    ...own,
    ...entries.filter((e) => e.isDirectory()).flatMap((e) => codeFolders(join(dir, e.name))),
  ];
}

test('every backend folder with code is in the README folder map', () => {
  const listed = new Set(mapRows().map((row) => row.folder));
  const missing = codeFolders().filter((folder) => !listed.has(folder));
  assert.deepEqual(missing, [], 'add a row to the backend table of README.md "Folders"');
});

test('each listed folder exists, and its main file opens with what the folder owns', () => {
  for (const { folder, main } of mapRows()) {
    const dir = join(ROOT, folder);
    if (main === undefined) {
      assert.ok(!existsSync(dir), `${folder} exists now: name its main file in the README`);
      continue;
    }
    const file = join(dir, main);
    assert.ok(existsSync(file), `${folder}${main} (named in the README) does not exist`);
    const text = readFileSync(file, 'utf8');
    const opening = /^(?:#![^\n]*\n)?\/\*\*([\s\S]*?)\*\//.exec(text)?.[1];
    assert.ok(opening !== undefined, `${folder}${main} has no opening comment`);
    // The comment names the folder as the code around it does: `agent/tools/`, or `backend/` for the root.
    const name = folder === 'backend/' ? 'backend/' : folder.slice('backend/'.length);
    assert.ok(
      opening.replace(/\n \* ?/g, ' ').includes(`\`${name}\``),
      `the opening comment of ${folder}${main} does not say what \`${name}\` owns`,
    );
  }
});
