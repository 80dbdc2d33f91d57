import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { git } from './git.ts';
import {
  GIT_LOCK_TRIES,
  isHalfWrittenWorktree,
  isHeldLock,
  isWorktreeChange,
  oneWorktreeChangeAt,
  repositoryKey,
} from '../../native/git-lock.ts';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), 'troika-git-lock-'));
  roots.push(root);
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root, env });
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first'],
    { cwd: root, env },
  );
  writeFileSync(join(root, 'a.txt'), 'a\n');
  return root;
}

describe('git: a lock another git process holds is waited out', () => {
  test("git's messages for a held index, ref and config lock are recognised; others are not", () => {
    assert.ok(isHeldLock("fatal: Unable to create '/r/.git/index.lock': File exists.\n"));
    assert.ok(
      isHeldLock(
        "fatal: cannot lock ref 'refs/heads/zz': Unable to create '/r/.git/refs/heads/zz.lock': File exists.",
      ),
    );
    assert.ok(isHeldLock('error: could not lock config file .git/config: File exists'));
    assert.ok(!isHeldLock("fatal: cannot lock ref 'refs/heads/x': is at 1a2b but expected 3c4d"));
    assert.ok(!isHeldLock("fatal: a branch named 'x' already exists"));
  });

  test('a command refused while the index is locked succeeds once the lock goes away', async () => {
    const root = repo();
    const lock = join(root, '.git', 'index.lock');
    writeFileSync(lock, '');
    const waits: number[] = [];
    // The other process finishes while this one waits: the lock goes at the first wait.
    await git(root, ['add', 'a.txt'], {
      onLockWait: (attempt) => {
        waits.push(attempt);
        unlinkSync(lock);
      },
    });
    assert.deepEqual(waits, [1], 'it was refused once, waited, and went through');
    const staged = execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: root });
    assert.equal(staged.toString().trim(), 'a.txt');
  });

  test("a lock that stays (a crashed git) ends in git's own message after a bounded number of tries", async () => {
    const root = repo();
    writeFileSync(join(root, '.git', 'index.lock'), '');
    const waits: number[] = [];
    await assert.rejects(
      git(root, ['add', 'a.txt'], { onLockWait: (_attempt, ms) => waits.push(ms) }),
      /index\.lock': File exists/,
    );
    assert.equal(waits.length, GIT_LOCK_TRIES - 1);
    assert.ok(
      waits.every((ms) => ms > 0 && ms <= 750),
      `waits ${waits.join(', ')}`,
    );
  });

  test('any other failure is not tried again', async () => {
    const root = repo();
    const waits: number[] = [];
    await assert.rejects(
      git(root, ['checkout', '-q', 'no-such-branch'], { onLockWait: () => waits.push(1) }),
      /no-such-branch/,
    );
    assert.deepEqual(waits, []);
  });
});

describe('git: a worktree another git is adding', () => {
  test("git's message for a half-written worktree admin file is recognised; others are not", () => {
    assert.ok(
      isHalfWrittenWorktree(
        'fatal: failed to read .git/worktrees/92ac7321-a758/commondir: Success\n',
      ),
    );
    assert.ok(isHalfWrittenWorktree('fatal: failed to read /r/.git/worktrees/wa1/gitdir: Success'));
    assert.ok(!isHalfWrittenWorktree('fatal: failed to read object 1a2b: Success'));
    assert.ok(!isHalfWrittenWorktree("fatal: '/w/x' already exists"));
  });

  test('a command that read one while it was being written succeeds once it is whole', async () => {
    const root = repo();
    const worktree = join(root, '..', `${root.split('/').pop()}-wt`);
    roots.push(worktree);
    await git(root, ['worktree', 'add', '-q', '--detach', worktree, 'HEAD']);
    const commondir = join(root, '.git', 'worktrees', worktree.split('/').pop()!, 'commondir');
    const whole = readFileSync(commondir, 'utf8');
    // As git's `worktree add` leaves it for a moment: the file is there, still empty.
    writeFileSync(commondir, '');
    const waits: string[] = [];
    const listed = await git(root, ['worktree', 'list', '--porcelain'], {
      onLockWait: (_attempt, _ms, stderr) => {
        waits.push(stderr.trim());
        writeFileSync(commondir, whole);
      },
    });
    assert.equal(waits.length, 1, 'refused once, then tried again');
    assert.match(waits[0]!, /failed to read .*commondir/);
    assert.match(listed.stdout, new RegExp(`worktree ${worktree}`));
  });

  test('worktree changes in one repository run one at a time; other repositories and commands do not wait', async () => {
    assert.ok(isWorktreeChange(['worktree', 'add', '-b', 'x', '/w', 'HEAD']));
    assert.ok(isWorktreeChange(['worktree', 'remove', '/w']));
    assert.ok(isWorktreeChange(['worktree', 'prune']));
    assert.ok(!isWorktreeChange(['worktree', 'list', '--porcelain']));
    assert.ok(!isWorktreeChange(['status']));

    const [one, two] = [repo(), repo()];
    // One key for the repository from its checkout, a subfolder, a worktree, spelled any way.
    const worktree = `${one}-wt`;
    roots.push(worktree);
    await git(one, ['worktree', 'add', '-q', '--detach', worktree, 'HEAD']);
    mkdirSync(join(one, 'sub'));
    const key = repositoryKey(one);
    assert.equal(key, join(realpathSync(one), '.git'));
    for (const spelled of [join(one, 'sub'), `${one}/./`, worktree, relative(process.cwd(), one)])
      assert.equal(repositoryKey(spelled), key, spelled);
    assert.notEqual(repositoryKey(two), key);
    const plain = mkdtempSync(join(tmpdir(), 'troika-plain-'));
    roots.push(plain);
    assert.equal(repositoryKey(plain), realpathSync(plain));

    const running = new Map<string, number>();
    let mostInOne = 0;
    let mostInAll = 0;
    const change =
      (where: string, name: string, fail = false) =>
      async () => {
        running.set(where, (running.get(where) ?? 0) + 1);
        mostInOne = Math.max(mostInOne, running.get(one) ?? 0);
        mostInAll = Math.max(
          mostInAll,
          [...running.values()].reduce((a, b) => a + b, 0),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        running.set(where, running.get(where)! - 1);
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const settled = await Promise.allSettled([
      oneWorktreeChangeAt(one, change(one, 'a')),
      // The same repository by one of its worktrees: the same queue.
      oneWorktreeChangeAt(worktree, change(one, 'b', true)),
      oneWorktreeChangeAt(one, change(one, 'c')),
      oneWorktreeChangeAt(two, change(two, 'other')),
    ]);
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
      ['a', 'b failed', 'c', 'other'],
      'each settles as its own change did; a failed change does not stop the next',
    );
    assert.equal(mostInOne, 1, 'one change at a time in one repository');
    assert.equal(mostInAll, 2, "the other repository's change ran beside them");
  });
});
