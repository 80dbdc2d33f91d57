/**
 * Live overlap on a real repository: two worktrees with uncommitted work
 * are merged with each other without touching them; a conflict is flagged
 * once as it appears and cleared when it goes. Through the plan runner:
 * two running tasks whose declared files do not overlap but whose live work
 * conflicts get the overlap as evidence on both, a `plans.overlap` event
 * and the flag in the plan's detail. A running worktree whose agent called
 * no tool since its last snapshot is not read again until that snapshot is
 * old.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { EventBus } from '../bus/events.ts';
import {
  LiveOverlapWatch,
  planOverlapWatch,
  QUIET_SNAPSHOT_MAX_AGE_MS,
  snapshotWorktree,
} from './live-overlap.ts';
import { planDetail } from './plan-views.ts';
import { task } from './testing/fixtures.ts';
import { createRepo, git, removeRepo } from './testing/git-ports.ts';
import { planHarness, waitUntil, type Harness } from './testing/plan-harness.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const clean of cleanups.splice(0)) clean();
});

async function repoWithTwoWorktrees(): Promise<{ repo: string; a: string; b: string }> {
  const repo = await createRepo();
  cleanups.push(() => removeRepo(repo));
  writeFileSync(join(repo, 'shared.txt'), 'one\ntwo\nthree\n');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-q', '-m', 'shared');
  const a = join(dirname(repo), 'wt-a');
  const b = join(dirname(repo), 'wt-b');
  await git(repo, 'worktree', 'add', '-q', '-b', 'task-a', a, 'main');
  await git(repo, 'worktree', 'add', '-q', '-b', 'task-b', b, 'main');
  return { repo, a, b };
}

describe('live overlap between worktrees', () => {
  test('a snapshot holds uncommitted and untracked work and leaves the worktree as it was', async () => {
    const { a } = await repoWithTwoWorktrees();
    const head = await git(a, 'rev-parse', 'HEAD');
    assert.equal(await snapshotWorktree(a), head, 'nothing uncommitted: the snapshot is HEAD');
    writeFileSync(join(a, 'shared.txt'), 'one\nTWO\nthree\n');
    writeFileSync(join(a, 'new.txt'), 'new\n');
    const status = await git(a, 'status', '--porcelain');
    const snapshot = await snapshotWorktree(a);
    assert.notEqual(snapshot, head);
    assert.equal(await git(a, 'show', `${snapshot}:shared.txt`), 'one\nTWO\nthree');
    assert.equal(await git(a, 'show', `${snapshot}:new.txt`), 'new');
    assert.equal(await git(a, 'rev-parse', `${snapshot}^`), head);
    assert.equal(await git(a, 'status', '--porcelain'), status, 'index and files untouched');
    assert.equal(await git(a, 'rev-parse', 'HEAD'), head, 'branch not moved');
  });

  test('a conflict between uncommitted work is flagged once as it appears, then cleared', async () => {
    const { repo, a, b } = await repoWithTwoWorktrees();
    const flagged: Array<{ taskIds: string[]; files: string[] }> = [];
    const cleared: string[][] = [];
    const watch = new LiveOverlapWatch({
      repo,
      live: () => [
        { taskId: 'b', dir: b },
        { taskId: 'a', dir: a },
      ],
      onOverlap: (o) => flagged.push(o),
      onCleared: (ids) => cleared.push(ids),
    });
    cleanups.push(() => void watch.dispose());
    writeFileSync(join(a, 'shared.txt'), 'one\nTWO from a\nthree\n');
    writeFileSync(join(b, 'other.txt'), 'b only\n');
    assert.deepEqual(await watch.check(), [], 'different files merge cleanly');

    writeFileSync(join(b, 'shared.txt'), 'one\ntwo from b\nthree\n');
    assert.deepEqual(await watch.check(), [{ taskIds: ['a', 'b'], files: ['shared.txt'] }]);
    await watch.check();
    assert.deepEqual(flagged, [{ taskIds: ['a', 'b'], files: ['shared.txt'] }], 'flagged once');

    writeFileSync(join(b, 'shared.txt'), 'one\nTWO from a\nthree\n');
    assert.deepEqual(await watch.check(), []);
    assert.deepEqual(cleared, [['a', 'b']]);
  });

  test('a settled worktree (its agent done) keeps the snapshot taken when it settled', async () => {
    const { repo, a, b } = await repoWithTwoWorktrees();
    let settled = true;
    const watch = new LiveOverlapWatch({
      repo,
      live: () => [
        { taskId: 'a', dir: a },
        { taskId: 'b', dir: b, settled },
      ],
      onOverlap: () => undefined,
    });
    cleanups.push(() => void watch.dispose());
    writeFileSync(join(a, 'shared.txt'), 'one\nTWO from a\nthree\n');
    assert.deepEqual(await watch.check(), []);
    // Not looked at again while settled: no git process for it each round.
    writeFileSync(join(b, 'shared.txt'), 'one\ntwo from b\nthree\n');
    assert.deepEqual(await watch.check(), []);
    // Running again, it is read afresh.
    settled = false;
    assert.deepEqual(await watch.check(), [{ taskIds: ['a', 'b'], files: ['shared.txt'] }]);
  });

  test('a running worktree whose agent called no tool keeps its snapshot, for a while', async () => {
    const { repo, a, b } = await repoWithTwoWorktrees();
    let activity = 0;
    let now = 1_000;
    const watch = new LiveOverlapWatch({
      repo,
      now: () => now,
      live: () => [
        { taskId: 'a', dir: a },
        { taskId: 'b', dir: b, activity },
      ],
      onOverlap: () => undefined,
    });
    cleanups.push(() => void watch.dispose());
    writeFileSync(join(a, 'shared.txt'), 'one\nTWO from a\nthree\n');
    assert.deepEqual(await watch.check(), []);
    // Changed behind the agent's back (no tool call): not seen at once…
    writeFileSync(join(b, 'shared.txt'), 'one\ntwo from b\nthree\n');
    now += QUIET_SNAPSHOT_MAX_AGE_MS - 1;
    assert.deepEqual(await watch.check(), []);
    // …but once the last snapshot is old enough.
    now += 1;
    const conflict = [{ taskIds: ['a', 'b'], files: ['shared.txt'] }];
    assert.deepEqual(await watch.check(), conflict);
    // A tool call of its agent: read afresh in the next round.
    writeFileSync(join(b, 'shared.txt'), 'one\nTWO from a\nthree\n');
    assert.deepEqual(await watch.check(), conflict, 'no tool call yet: the snapshot holds');
    activity++;
    assert.deepEqual(await watch.check(), []);
  });
});

describe('live overlap in a running plan', () => {
  let h: Harness;
  afterEach(() => h?.dispose());

  test('two running tasks whose live work conflicts are flagged on both, before either merges', async () => {
    h = await planHarness(
      // The declared files do not overlap, so the scheduler runs them together.
      [task('a', { files: ['a/**'] }), task('b', { files: ['b/**'] })],
      { a: () => ({ 'shared.txt': 'from a\n' }), b: () => ({ 'shared.txt': 'from b\n' }) },
    );
    const held = new Set<string>();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.ports.beforeCommit = async (request) => {
      held.add(request.task.id);
      await gate;
    };
    const events = new EventBus();
    const announced: unknown[] = [];
    events.subscribe((event, data) => {
      if (event === 'plans.overlap') announced.push(data);
    });
    const watch = planOverlapWatch({
      planId: h.planId,
      repo: h.repo,
      store: h.store,
      events,
      taskIds: ['a', 'b'],
      progress: (id) => h.runner.progress(id),
      worktreeOf: (id) => h.ports.worktreeOf(id),
    });
    await h.runner.start();
    await waitUntil(() => held.size === 2, 'both tasks hold uncommitted work');
    await watch.check();

    assert.deepEqual(announced, [
      { planId: h.planId, taskIds: ['a', 'b'], files: ['shared.txt'], cleared: false },
    ]);
    const evidence = h.store.evidence(h.planId).filter((e) => e.kind === 'overlap');
    assert.deepEqual(
      evidence.map((e) => [e.taskId, e.data['withTaskId'], e.data['files']]),
      [
        ['a', 'b', ['shared.txt']],
        ['b', 'a', ['shared.txt']],
      ],
    );
    const plan = h.store.get(h.planId);
    assert.ok(plan);
    const detail = planDetail(h.store, plan);
    assert.deepEqual(
      detail.status.map((s) => [s.taskId, s.state, s.overlaps]),
      [
        ['a', 'running', [{ withTaskId: 'b', files: ['shared.txt'] }]],
        ['b', 'running', [{ withTaskId: 'a', files: ['shared.txt'] }]],
      ],
    );
    release();
    await watch.dispose();
    await h.runner.settled();
  });
});
