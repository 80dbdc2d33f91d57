import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir, writeTree } from '../../cache/test-support/temp.ts';
import { importsOf, loadInstructions, MAX_IMPORT_DEPTH } from './instructions.ts';

const FIXTURES = fileURLToPath(new URL('../testing/claude-code-fixtures/', import.meta.url));
const PROJECT = join(FIXTURES, 'project');
const HOME = join(FIXTURES, 'home');

describe('instruction files (CLAUDE.md, AGENTS.md)', () => {
  test('home, then root down to the working folder, with imports after the file naming them', async () => {
    const loaded = await loadInstructions({
      workDir: join(PROJECT, 'packages', 'api'),
      root: PROJECT,
      homeDir: HOME,
    });
    assert.deepEqual(
      loaded.files.map((f) => [f.path.slice(FIXTURES.length), f.kind]),
      [
        ['home/.claude/CLAUDE.md', 'user'],
        ['project/CLAUDE.md', 'project'],
        ['project/docs/conventions.md', 'import'],
        ['project/AGENTS.md', 'import'],
        ['project/CLAUDE.local.md', 'local'],
        ['project/packages/api/CLAUDE.md', 'project'],
      ],
    );
    assert.equal(loaded.files[2]?.importedBy, join(PROJECT, 'CLAUDE.md'));
    // AGENTS.md was imported by CLAUDE.md: once, not again as the folder's own file.
    assert.equal(loaded.files.filter((f) => f.path.endsWith('AGENTS.md')).length, 1);
    assert.match(loaded.block, /Contents of .*home\/\.claude\/CLAUDE\.md \(user's private global/);
    assert.match(loaded.block, /Every request handler validates its input with zod/);
    assert.ok(
      loaded.block.indexOf('imperative mood') < loaded.block.indexOf('validates its input'),
    );
    assert.equal(
      loaded.tokens,
      loaded.files.reduce((sum, f) => sum + f.tokens, 0),
    );
    assert.ok(loaded.tokens > 50);
  });

  test('an import outside the repository is refused with a note; a cycle is read once', async () => {
    const loaded = await loadInstructions({ workDir: PROJECT, root: PROJECT });
    assert.ok(
      loaded.notes.some((n) =>
        /conventions\.md: imports .*etc\/hostname, outside the repository/.test(n),
      ),
      loaded.notes.join('\n'),
    );
    assert.equal(loaded.files.filter((f) => f.path.endsWith('/CLAUDE.md')).length, 1);
    assert.ok(!loaded.files.some((f) => f.path.includes('not-imported')));
    assert.ok(!loaded.notes.some((n) => n.includes('not-imported')));
  });

  test('code spans, code blocks, e-mail addresses and handles are not imports', () => {
    assert.deepEqual(
      importsOf(
        'See @a.md and @./b/c.md, `@d.md`, me@x.org, @alice, @angular/core.\n```\n@e.md\n```',
      ),
      ['a.md', './b/c.md'],
    );
  });

  test('imports stop at the depth limit; CLAUDE.local.md comes from the user checkout', async (t) => {
    const root = tempDir(t, 'troika-instr-');
    const local = tempDir(t, 'troika-local-');
    const chain: Record<string, string> = { 'CLAUDE.md': '@l1.md' };
    for (let i = 1; i <= MAX_IMPORT_DEPTH + 1; i++) chain[`l${i}.md`] = `level ${i} @l${i + 1}.md`;
    writeTree(root, chain);
    writeTree(local, { 'CLAUDE.local.md': 'from the checkout' });
    const loaded = await loadInstructions({ workDir: root, root, localRoot: local });
    assert.equal(loaded.files.filter((f) => f.kind === 'import').length, MAX_IMPORT_DEPTH);
    assert.ok(loaded.notes.some((n) => /more than 5 levels deep/.test(n)));
    assert.equal(loaded.files.at(-1)?.path, join(local, 'CLAUDE.local.md'));
  });

  test('no files: an empty block', async (t) => {
    const root = tempDir(t, 'troika-instr-');
    const loaded = await loadInstructions({ workDir: root, root });
    assert.deepEqual([loaded.block, loaded.files.length, loaded.tokens], ['', 0, 0]);
  });
});
