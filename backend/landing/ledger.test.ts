import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cleanBranch, listWorktrees, sweep } from './ledger.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'troika-ledger-')));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

function repo(): string {
  const dir = join(base, `repo-${++n}`);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  g(dir, 'config', 'user.email', 't@example.com');
  g(dir, 'config', 'user.name', 'T');
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  g(dir, 'add', '.');
  g(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/** A Troika branch in its own worktree, started from `from`, recorded as such. */
function agentBranch(dir: string, name: string, from = 'main'): string {
  const wt = join(base, `wt-${++n}`);
  g(dir, 'worktree', 'add', '-q', '-b', name, wt, from);
  g(dir, 'config', `branch.${name}.troikaBase`, from);
  return wt;
}

describe('the worktree ledger', () => {
  test('states: empty, merged, uncommitted, unlanded; the sweep removes only merged and empty', async () => {
    const dir = repo();
    agentBranch(dir, 'troika/empty-aaaa');
    const merged = agentBranch(dir, 'troika/merged-bbbb');
    writeFileSync(join(merged, 'm.txt'), 'm\n');
    g(merged, 'add', '.');
    g(merged, 'commit', '-q', '-m', 'm');
    g(dir, 'merge', '-q', '--ff-only', 'troika/merged-bbbb');
    const dirty = agentBranch(dir, 'troika/dirty-cccc');
    writeFileSync(join(dirty, 'd.txt'), 'unsaved\n');
    const work = agentBranch(dir, 'troika/work-dddd');
    writeFileSync(join(work, 'w.txt'), 'w\n');
    g(work, 'add', '.');
    g(work, 'commit', '-q', '-m', 'w');

    const entries = await listWorktrees(dir, []);
    assert.deepEqual(
      entries.map((e) => [e.branch, e.state, e.files]),
      [
        ['troika/dirty-cccc', 'uncommitted', ['d.txt']],
        ['troika/empty-aaaa', 'empty', []],
        ['troika/merged-bbbb', 'merged', []],
        ['troika/work-dddd', 'unlanded', ['w.txt']],
      ],
    );
    const left = await sweep(entries);
    assert.deepEqual(
      left.map((e) => e.branch),
      ['troika/dirty-cccc', 'troika/work-dddd'],
    );
    assert.equal(g(dir, 'branch', '--list', 'troika/empty-aaaa'), '');
    assert.equal(existsSync(merged), false);
    assert.equal(existsSync(dirty), true, 'uncommitted work stays');
  });

  test('work whose target branch is gone still needs its files confirmed', async () => {
    const dir = repo();
    g(dir, 'branch', 'feature');
    const wt = agentBranch(dir, 'troika/orphan-eeee', 'feature');
    writeFileSync(join(wt, 'o.txt'), 'o\n');
    g(wt, 'add', '.');
    g(wt, 'commit', '-q', '-m', 'o');
    g(dir, 'branch', '-D', 'feature');
    const [entry] = await listWorktrees(dir, []);
    assert.ok(entry);
    assert.equal(entry.state, 'unlanded');
    assert.deepEqual(entry.files, ['o.txt']);
    await assert.rejects(cleanBranch(entry, []), /confirm these files/);
    await assert.rejects(cleanBranch(entry, undefined), /confirm these files/);
    await cleanBranch(entry, ['o.txt']);
    assert.equal(g(dir, 'branch', '--list', 'troika/*'), '');
  });

  test("a running agent's branch is never removed", async () => {
    const dir = repo();
    agentBranch(dir, 'troika/busy-ffff');
    const entries = await listWorktrees(dir, [
      { id: 'a', task: 't', branch: 'troika/busy-ffff', active: true, running: true },
    ]);
    assert.equal((await sweep(entries)).length, 1);
    await assert.rejects(cleanBranch(entries[0] as (typeof entries)[number], []), /running agent/);
  });

  test('a cleanup spares a worktree made moments ago that no agent owns yet (one being set up)', async () => {
    const dir = repo();
    const wt = agentBranch(dir, 'troika/starting-gggg');
    const entries = await listWorktrees(dir, []);
    assert.deepEqual(
      entries.map((e) => [e.branch, e.state, e.agentId]),
      [['troika/starting-gggg', 'empty', null]],
    );
    assert.equal((await sweep(entries, { spareNewerThanMs: 60_000 })).length, 1);
    assert.equal(existsSync(wt), true);
    // Once old enough (here: any age), it is an empty leftover and goes.
    assert.equal((await sweep(entries, { spareNewerThanMs: 0 })).length, 0);
    assert.equal(existsSync(wt), false);
  });

  test("a plan's integration branch is never swept, though it looks empty or merged", async () => {
    const dir = repo();
    // As plans/real-ports.ts makes it: a plain branch at HEAD, no worktree, no agent.
    g(dir, 'branch', 'troika/plan-ship-it');
    const entries = await listWorktrees(dir, []);
    assert.deepEqual(
      entries.map((e) => [e.branch, e.state]),
      [['troika/plan-ship-it', 'empty']],
    );
    assert.deepEqual(
      (await sweep(entries)).map((e) => e.branch),
      ['troika/plan-ship-it'],
    );
    assert.equal(g(dir, 'branch', '--list', 'troika/plan-ship-it').trim(), 'troika/plan-ship-it');
  });
});
