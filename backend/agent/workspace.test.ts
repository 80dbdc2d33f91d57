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
import { after, describe, test } from 'node:test';
import {
  hasUncommittedWork,
  prepareWorkspace,
  releaseWorkspace,
  restoreWorkspace,
  WorkspaceError,
} from './workspace.ts';
import { oneWorktreeChangeAt } from '../../native/git-lock.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'troika-ws-')));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

function gitRepo(): string {
  const repo = join(base, `repo-${++n}`);
  mkdirSync(join(repo, 'sub'), { recursive: true });
  const g = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  g('init', '-q', '-b', 'main');
  g('config', 'user.email', 't@example.com');
  g('config', 'user.name', 'T');
  writeFileSync(join(repo, 'README.md'), 'hello\n');
  writeFileSync(join(repo, 'sub', 'x.txt'), 'x\n');
  g('add', '.');
  g('commit', '-q', '-m', 'init');
  return repo;
}

const branchOf = (dir: string) =>
  execFileSync('git', ['branch', '--show-current'], { cwd: dir }).toString().trim();

describe('agent workspace', () => {
  test('a plain folder is used as it is', async () => {
    const folder = join(base, `plain-${++n}`);
    mkdirSync(folder);
    const ws = await prepareWorkspace(folder, 'a1', join(base, 'wt'));
    assert.deepEqual(ws, { folder, workDir: folder, worktree: null, branch: null, repoRoot: null });
  });

  test('a git repository gets a worktree on the agent branch', async () => {
    const repo = gitRepo();
    const ws = await prepareWorkspace(repo, 'a2', join(base, 'wt'));
    assert.equal(ws.branch, 'troika/a2');
    assert.notEqual(ws.workDir, repo);
    assert.equal(branchOf(ws.workDir), 'troika/a2');
    assert.equal(readFileSync(join(ws.workDir, 'README.md'), 'utf8'), 'hello\n');
    assert.equal(branchOf(repo), 'main', "the user's checkout is untouched");
  });

  test('a subfolder of a repository maps to the same subfolder in the worktree', async () => {
    const repo = gitRepo();
    const ws = await prepareWorkspace(join(repo, 'sub'), 'a3', join(base, 'wt'));
    assert.equal(ws.workDir, join(ws.worktree as string, 'sub'));
    assert.ok(existsSync(join(ws.workDir, 'x.txt')));
  });

  test('a worktree with uncommitted work is never removed', async () => {
    const repo = gitRepo();
    const ws = await prepareWorkspace(repo, 'a4', join(base, 'wt'));
    writeFileSync(join(ws.workDir, 'new.txt'), 'work in progress');
    assert.equal(await hasUncommittedWork(ws.workDir), true);
    assert.equal(await releaseWorkspace(ws), false);
    assert.equal(readFileSync(join(ws.workDir, 'new.txt'), 'utf8'), 'work in progress');
  });

  test('a clean worktree is removed, its branch kept, and it can be restored', async () => {
    const repo = gitRepo();
    const ws = await prepareWorkspace(repo, 'a5', join(base, 'wt'));
    assert.equal(await releaseWorkspace(ws), true);
    assert.equal(existsSync(ws.worktree as string), false);
    assert.match(
      execFileSync('git', ['branch', '--list', 'troika/a5'], { cwd: repo }).toString(),
      /troika\/a5/,
    );
    await restoreWorkspace(ws);
    assert.equal(branchOf(ws.workDir), 'troika/a5');
  });

  test('the branch is named after the task and starts from the chosen branch, which is recorded', async () => {
    const repo = gitRepo();
    const g = (...args: string[]) =>
      execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString().trim();
    g('checkout', '-q', '-b', 'dev');
    writeFileSync(join(repo, 'dev.txt'), 'dev\n');
    g('add', '.');
    g('commit', '-q', '-m', 'dev work');
    g('checkout', '-q', 'main');
    const ws = await prepareWorkspace(repo, 'a8', join(base, 'wt'), {
      task: 'Fix the Login form!\nand more',
      baseBranch: 'dev',
    });
    assert.match(ws.branch ?? '', /^troika\/fix-the-login-form-[0-9a-f]{4}$/);
    assert.equal(readFileSync(join(ws.workDir, 'dev.txt'), 'utf8'), 'dev\n');
    assert.equal(g('config', `branch.${ws.branch}.troikaBase`), 'dev');
    assert.equal(branchOf(repo), 'main', "the user's checkout is untouched");
    await assert.rejects(
      prepareWorkspace(repo, 'a9', join(base, 'wt'), { task: 't', baseBranch: 'nope' }),
      (e: unknown) => e instanceof WorkspaceError && /no branch "nope"/.test(e.message),
    );
    // An agent's start records the base behind its back: the caller holds the promise.
    const quick = await prepareWorkspace(repo, 'a8-quick', join(base, 'wt'), {
      task: 'quick',
      baseBranch: 'dev',
      recordInBackground: true,
    });
    assert.ok(quick.baseRecorded);
    await quick.baseRecorded;
    assert.equal(g('config', `branch.${quick.branch}.troikaBase`), 'dev');
  });

  test('a failed setup is reported, not fatal; a deleted branch is started again on restore', async () => {
    const repo = gitRepo();
    const ws = await prepareWorkspace(repo, 'a10', join(base, 'wt'), {
      task: 'Set up',
      setup: async () => 'Worktree setup "npm ci" exited with code 1',
    });
    assert.equal(ws.setupError, 'Worktree setup "npm ci" exited with code 1');
    assert.equal(await releaseWorkspace(ws), true);
    execFileSync('git', ['branch', '-D', ws.branch ?? ''], { cwd: repo, stdio: 'pipe' });
    await restoreWorkspace(ws);
    assert.equal(branchOf(ws.workDir), ws.branch);
  });

  test('a repository remembered from an earlier start is asked again once it has no commit to branch from', async () => {
    const repo = gitRepo();
    const first = await prepareWorkspace(repo, 'r1', join(base, 'wt'));
    assert.equal(first.branch, 'troika/r1');
    // HEAD made unborn again (an orphan branch): no worktree can start from it.
    execFileSync('git', ['checkout', '-q', '--orphan', 'fresh'], { cwd: repo });
    const again = await prepareWorkspace(repo, 'r2', join(base, 'wt'));
    assert.deepEqual(
      { workDir: again.workDir, branch: again.branch, repoRoot: again.repoRoot },
      { workDir: repo, branch: null, repoRoot: repo },
      'it works in place, as in a repository without a commit',
    );
    // A folder no longer in a repository at all is plain again.
    rmSync(join(repo, '.git'), { recursive: true, force: true });
    const plain = await prepareWorkspace(repo, 'r3', join(base, 'wt'));
    assert.equal(plain.repoRoot, null);
  });

  test('agents started side by side each get their worktree, and release them side by side', async () => {
    // Two `git worktree add`s at once can read each other's half-written admin folder
    // ("failed to read .git/worktrees/…/commondir"); a plan starts three agents at once.
    const repo = gitRepo();
    // Another worktree change of this repository (a plan's gate worktree) is under way.
    let release!: () => void;
    const held = oneWorktreeChangeAt(repo, () => new Promise<void>((r) => (release = r)));
    const waiting = prepareWorkspace(repo, 'p0', join(base, 'wt'), { task: 'waits' });
    const first = await Promise.race([
      waiting.then(() => 'the agent start'),
      new Promise((resolve) => setTimeout(resolve, 2_000, 'the other change')),
    ]);
    assert.equal(first, 'the other change', 'no worktree is added while the other change runs');
    assert.ok(!existsSync(join(base, 'wt', 'p0')));
    release();
    await held;
    assert.ok((await waiting).worktree && existsSync(join(base, 'wt', 'p0', 'README.md')));

    const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const workspaces = await Promise.all(
      ids.map((id) => prepareWorkspace(repo, id, join(base, 'wt'), { task: `part ${id}` })),
    );
    for (const ws of workspaces) {
      assert.ok(ws.worktree && existsSync(join(ws.worktree, 'README.md')), `${ws.worktree}`);
      assert.equal(branchOf(ws.workDir), ws.branch);
    }
    const listed = execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo });
    assert.equal(listed.toString().match(/^worktree /gm)?.length, 2 + ids.length);
    const released = await Promise.all(workspaces.map((ws) => releaseWorkspace(ws)));
    assert.deepEqual(
      released,
      ids.map(() => true),
    );
    assert.ok(workspaces.every((ws) => !existsSync(ws.worktree!)));
  });

  test('a missing folder is a clear error', async () => {
    await assert.rejects(
      prepareWorkspace(join(base, 'nope'), 'a6', join(base, 'wt')),
      (e: unknown) => e instanceof WorkspaceError && /does not exist/.test(e.message),
    );
  });
});
