import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoTools, type RepoTool } from './repo-tools.ts';
import { createRepo, git, removeRepo } from './testing/git-ports.ts';

const KEY = `sk-ant-${'a1B2'.repeat(8)}`;

describe('read-only repository tools', () => {
  let repo: string;
  let commit: string;
  let tools: Map<string, RepoTool>;
  const run = (name: string, input: unknown) => (tools.get(name) as RepoTool).run(input);

  before(async () => {
    repo = await createRepo();
    writeFileSync(join(repo, 'config.txt'), `first\nkey=${KEY}\nthird\n`);
    await git(repo, 'add', '.');
    await git(repo, 'commit', '-q', '-m', 'config');
    commit = await git(repo, 'rev-parse', 'HEAD');
    // Work after the commit is not what is reviewed.
    writeFileSync(join(repo, 'config.txt'), 'changed on disk\n');
    tools = new Map(repoTools(repo, commit).map((t) => [t.definition.name, t]));
  });
  after(() => removeRepo(repo));

  test('read_file shows the committed version with line numbers, secrets hidden', async () => {
    const out = await run('read_file', { path: 'config.txt', offset: 2, limit: 1 });
    assert.equal(out.isError, false);
    assert.match(out.content, /^ {4}2 {2}key=\[REDACTED:anthropic-api-key\]/);
    assert.ok(!out.content.includes(KEY));
    assert.match(out.content, /lines 3-4 not shown/);
  });

  test('search and list read the commit; paths outside the repository are refused', async () => {
    assert.match((await run('search', { pattern: '^third' })).content, /^config\.txt:3:third$/m);
    assert.match((await run('list_files', {})).content, /^config\.txt$/m);
    const outside = await run('read_file', { path: '../etc/passwd' });
    assert.equal(outside.isError, true);
    assert.match(outside.content, /inside the repository/);
    assert.equal((await run('read_file', { path: 'missing.txt' })).isError, true);
  });
});
