import assert from 'node:assert/strict';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EventBus } from '../bus/events.ts';
import { Router } from '../bus/router.ts';
import { TaskDiffSchema, TaskGatesSchema } from '../protocol/payloads/plan-task-view.ts';
import { registerPlanHandlers } from './handlers.ts';
import { diffBetween, MAX_DIFF_BYTES, MAX_FILE_PATCH_BYTES } from './task-diff.ts';
import { task } from './testing/fixtures.ts';
import { git } from './testing/git-ports.ts';
import { planHarness, type Harness } from './testing/plan-harness.ts';

const context = { connectionId: 'c' };
/** 5,000 lines of 60 characters: 300 KB of patch, over one file's limit. */
const bigFile = (n: number) =>
  Array.from({ length: 5000 }, (_, i) =>
    `${String(n)} line ${String(i).padStart(6, '0')} `.padEnd(59, '.'),
  )
    .join('\n')
    .concat('\n');

describe('a plan task’s diff and gate runs, on a real repository', () => {
  let harness: Harness;
  let router: Router;
  const diff = async (taskId: string) =>
    TaskDiffSchema.parse(
      await router.dispatch('plans.taskDiff', { id: harness.planId, taskId }, context),
    );

  before(async () => {
    harness = await planHarness(
      [
        task('fix', { files: ['src/fix.ts'] }),
        task('stuck', { files: ['src/stuck.ts'] }),
        task('after', { dependencies: ['stuck'] }),
        task('huge', { files: ['big/**', 'a-*'] }),
      ],
      {
        // Fails its gate once, then passes: merged on its second attempt.
        fix: ({ feedback }) => ({
          'src/fix.ts': feedback ? 'export const fixed = true;\n' : '// BUG here\n',
        }),
        // Never passes: it ends with the user, its work on its branch only.
        stuck: () => ({ 'src/stuck.ts': '// BUG forever\nexport const stuck = 1;\n' }),
        after: () => ({ 'src/after.ts': 'never\n' }),
        huge: () => ({
          'a-logo.bin': 'PNG\0\0\u0001binary',
          'a-small.txt': 'small\n',
          ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`big/${n}.txt`, bigFile(n)])),
        }),
      },
      { maxAttempts: 2, strongerModel: null },
    );
    await harness.runner.start();
    await harness.runner.settled();
    router = new Router();
    registerPlanHandlers(router, new EventBus(), harness.store, { defaultModel: () => undefined });
  });
  after(() => harness.dispose());

  test('a merged task shows its merge commit’s change on the integration branch', async () => {
    const d = await diff('fix');
    assert.equal(d.available, true);
    assert.equal(d.source, 'merge');
    const merged = harness.store.progress(harness.planId).find((p) => p.taskId === 'fix');
    assert.equal(merged?.state, 'merged');
    assert.equal(d.head, merged?.mergedCommit?.slice(0, 12));
    assert.deepEqual(
      d.files.map((f) => [f.path, f.status, f.additions, f.deletions, f.truncated]),
      [['src/fix.ts', 'added', 1, 0, false]],
    );
    assert.match(d.files[0]!.patch, /^\+export const fixed = true;$/m);
    assert.doesNotMatch(d.files[0]!.patch, /BUG/, 'the merged change, not the failed attempt');
    assert.deepEqual(d.omitted, { files: 0, bytes: 0 });
  });

  test('an unmerged task shows its branch against where it forked, also once its worktree is gone', async () => {
    const stuck = harness.store.progress(harness.planId).find((p) => p.taskId === 'stuck');
    assert.equal(stuck?.state, 'needs_user');
    const d = await diff('stuck');
    assert.equal(d.source, 'branch');
    assert.equal(d.branch, stuck?.branch);
    assert.deepEqual(
      d.files.map((f) => [f.path, f.status, f.additions]),
      [['src/stuck.ts', 'added', 2]],
    );
    assert.match(d.files[0]!.patch, /^\+\/\/ BUG forever$/m);
    // The other tasks merged meanwhile are on the integration branch, not in this task's work.
    assert.ok(!d.files.some((f) => f.path === 'src/fix.ts'));

    const worktree = join(dirname(harness.repo), 'worktrees', 'stuck');
    const status = await git(worktree, 'status', '--porcelain');
    await git(harness.repo, 'worktree', 'remove', '--force', worktree);
    assert.equal(existsSync(worktree), false);
    const again = await diff('stuck');
    assert.deepEqual(again.files, d.files);
    assert.equal(status, '', 'reading the diff left the worktree as it was');

    // The branch itself deleted (by hand): said, not an error.
    await git(harness.repo, 'branch', '-D', stuck!.branch!);
    const gone = await diff('stuck');
    assert.equal(gone.available, false);
    assert.match(gone.reason ?? '', /branch .* no longer exists/);
  });

  test('a waiting task has no branch yet: nothing to show, and it says so', async () => {
    const d = await diff('after');
    assert.equal(d.available, false);
    assert.match(d.reason ?? '', /No branch yet/);
    assert.deepEqual(d.files, []);
  });

  test('a huge diff is cut per file and in total, every file still listed with its figures', async () => {
    const d = await diff('huge');
    assert.equal(d.available, true);
    assert.deepEqual(
      d.files.map((f) => f.path),
      ['a-logo.bin', 'a-small.txt', ...[1, 2, 3, 4, 5, 6].map((n) => `big/${n}.txt`)],
    );
    assert.deepEqual(d.totals, { files: 8, additions: 6 * 5000 + 1, deletions: 0 });
    const [logo, small, ...big] = d.files;
    assert.equal(logo?.binary, true);
    assert.match(logo?.patch ?? '', /^Binary files /m);
    assert.match(small?.patch ?? '', /^\+small$/m);
    assert.ok(big.every((f) => f.truncated && f.additions === 5000));
    assert.ok(big.every((f) => Buffer.byteLength(f.patch) <= MAX_FILE_PATCH_BYTES));
    const sent = d.files.reduce((sum, f) => sum + Buffer.byteLength(f.patch), 0);
    assert.ok(sent <= MAX_DIFF_BYTES, `${sent} bytes sent`);
    assert.doesNotMatch(big.at(-1)?.patch ?? '', /^@@/m, 'the last file is past the total limit');
    assert.equal(d.omitted.files, 6);
    // Six patches of ~300 KB: what was not sent is counted.
    const whole = (await git(harness.repo, 'diff', `${d.base}`, `${d.head}`)).length + 1;
    assert.equal(d.omitted.bytes, whole - sent);
  });

  test('the gate runs of each attempt: the failing one of the first, then the passing ones', async () => {
    const answer = TaskGatesSchema.parse(
      await router.dispatch('plans.taskGates', { id: harness.planId, taskId: 'fix' }, context),
    );
    const summary = answer.attempts.map((a) => ({
      attempt: a.attempt,
      runs: a.runs.map((r) => `${r.where}:${r.passed ? 'passed' : 'failed'}`),
    }));
    assert.deepEqual(summary, [
      { attempt: 1, runs: ['task:failed'] },
      { attempt: 2, runs: ['task:passed', 'integration:passed'] },
    ]);
    const failed = answer.attempts[0]!.runs[0]!.checks[0]!;
    assert.equal(failed.command, 'node gate.mjs');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.exitCode, 1);
    assert.equal(typeof failed.durationMs, 'number');
    assert.equal(answer.attempts[0]!.runs[0]!.durationMs, failed.durationMs);
    assert.match(failed.output, /gate failed: BUG in src\/fix\.ts/);
    assert.match(answer.attempts[1]!.runs[0]!.checks[0]!.output, /gate passed/);
    assert.equal(answer.attempts[0]!.model, 'claude-sonnet-5-5');

    const waiting = TaskGatesSchema.parse(
      await router.dispatch('plans.taskGates', { id: harness.planId, taskId: 'after' }, context),
    );
    assert.deepEqual(waiting.attempts, []);
  });

  test('renames, deletions and edits keep their own status and figures', async () => {
    const { repo } = harness;
    const before = await git(repo, 'rev-parse', 'main');
    await git(repo, 'switch', '-q', '-c', 'shapes');
    writeFileSync(join(repo, 'README.md'), '# project\n\nMore.\n');
    renameSync(join(repo, 'gate.mjs'), join(repo, 'gate-renamed.mjs'));
    writeFileSync(join(repo, 'notes.txt'), 'one\ntwo\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'shapes');
    rmSync(join(repo, 'notes.txt'));
    await git(repo, 'commit', '-qam', 'gone again');
    const body = await diffBetween(repo, before, await git(repo, 'rev-parse', 'HEAD~1'));
    assert.deepEqual(
      body.files.map((f) => [f.status, f.oldPath, f.path, f.additions, f.deletions]),
      [
        ['modified', null, 'README.md', 2, 0],
        ['renamed', 'gate.mjs', 'gate-renamed.mjs', 0, 0],
        ['added', null, 'notes.txt', 2, 0],
      ],
    );
    const back = await diffBetween(repo, 'HEAD~1', 'HEAD');
    assert.deepEqual(
      back.files.map((f) => [f.status, f.path, f.deletions]),
      [['deleted', 'notes.txt', 2]],
    );
    await git(repo, 'switch', '-q', 'main');
  });

  test('an unknown task is named', async () => {
    await assert.rejects(
      router.dispatch('plans.taskDiff', { id: harness.planId, taskId: 'nope' }, context),
      /No task "nope"/,
    );
  });
});
