import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { discardChanges, keepChanges, readChanges, type ChangesTarget } from './changes.ts';
import { prepareWorkspace } from './workspace.ts';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'troika-changes-')));
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' });

describe('agent changes against the start of its worktree', () => {
  let n = 0;
  let target: ChangesTarget;
  let worktree: string;

  beforeEach(async () => {
    const repo = join(root, `repo-${++n}`);
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.email', 'dev@example.com');
    git(repo, 'config', 'user.name', 'Dev');
    writeFileSync(join(repo, 'a.txt'), 'one\ntwo\n');
    writeFileSync(join(repo, 'b.txt'), 'keep me\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'start');
    const ws = await prepareWorkspace(repo, `agent-${n}`, join(root, `worktrees-${n}`));
    worktree = ws.worktree as string;
    target = { agentId: `agent-${n}`, worktree, repo, branch: ws.branch };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('lists edits, deletions and new files with their patches', async () => {
    writeFileSync(join(worktree, 'a.txt'), 'one\nTWO\nthree\n');
    rmSync(join(worktree, 'b.txt'));
    writeFileSync(join(worktree, 'new.txt'), 'hello\n');
    const changes = await readChanges(target, false);
    assert.equal(changes.available, true);
    assert.deepEqual(
      changes.files.map((f) => [f.path, f.status, f.additions, f.deletions, f.uncommitted]),
      [
        ['a.txt', 'modified', 2, 1, true],
        ['b.txt', 'deleted', 0, 1, true],
        ['new.txt', 'added', 1, 0, true],
      ],
    );
    assert.match(changes.files[0]?.patch ?? '', /^-two$/m);
    assert.match(changes.files[2]?.patch ?? '', /^\+hello$/m);
    assert.equal(changes.actionable, true);
  });

  test('keep commits on the agent branch; the diff against the start still shows it, committed', async () => {
    writeFileSync(join(worktree, 'new.txt'), 'hello\n');
    await keepChanges(worktree, 'Keep the greeting');
    const changes = await readChanges(target, false);
    assert.equal(changes.commits, 1);
    assert.deepEqual(
      changes.files.map((f) => [f.path, f.uncommitted]),
      [['new.txt', false]],
    );
    assert.match(git(worktree, 'log', '-1', '--format=%s'), /Keep the greeting/);
  });

  test('discarding one file restores it and leaves the others', async () => {
    writeFileSync(join(worktree, 'a.txt'), 'changed\n');
    writeFileSync(join(worktree, 'new.txt'), 'hello\n');
    const base = git(worktree, 'rev-parse', 'HEAD').trim();
    await discardChanges(worktree, base, 'a.txt');
    assert.equal(readFileSync(join(worktree, 'a.txt'), 'utf8'), 'one\ntwo\n');
    assert.deepEqual(
      (await readChanges(target, false)).files.map((f) => f.path),
      ['new.txt'],
    );
    await discardChanges(worktree, base, 'new.txt');
    assert.equal(existsSync(join(worktree, 'new.txt')), false);
  });

  test('discarding everything goes back to the start, kept commits included', async () => {
    writeFileSync(join(worktree, 'new.txt'), 'hello\n');
    await keepChanges(worktree, 'kept');
    writeFileSync(join(worktree, 'a.txt'), 'changed\n');
    const base = git(join(root, `repo-${n}`), 'rev-parse', 'HEAD').trim();
    await discardChanges(worktree, base);
    const changes = await readChanges(target, false);
    assert.deepEqual(changes.files, []);
    assert.equal(changes.commits, 0);
  });

  test('a running agent shows its changes but they cannot be kept or discarded', async () => {
    writeFileSync(join(worktree, 'a.txt'), 'changed\n');
    const changes = await readChanges(target, true);
    assert.equal(changes.files.length, 1);
    assert.equal(changes.actionable, false);
    assert.match(changes.reason ?? '', /running/);
  });

  test('a plain folder has nothing to compare with, and says so', async () => {
    const changes = await readChanges(
      { agentId: 'x', worktree: null, repo: root, branch: null },
      false,
    );
    assert.equal(changes.available, false);
    assert.match(changes.reason ?? '', /not a git worktree/);
  });
});
