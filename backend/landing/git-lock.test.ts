import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { git } from './git.ts';
import { GIT_LOCK_TRIES, isHeldLock } from '../../native/git-lock.ts';

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
