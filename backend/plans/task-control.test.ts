/**
 * The user's hands on one task, on a real git repository with the real gate
 * (git-ports.ts): an edit the validator refuses, an edit the next attempt
 * is built from, and a task taken over by the user, finished in its
 * worktree and handed back to the gates, then merged.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { AgentManager } from '../agent/agent-manager.ts';
import { EventBus } from '../bus/events.ts';
import { resolveCommit } from '../landing/git.ts';
import { PlanRuns } from './plan-runs.ts';
import { setTalkSettings } from './plan-talk.ts';
import { integrationBranch } from './ports.ts';
import { commitUserWork, takeOverWorktree } from './take-over.ts';
import {
  editTask,
  giveBack,
  handBack,
  TAKEN_OVER,
  takeOver,
  TaskEditError,
} from './task-control.ts';
import { task } from './testing/fixtures.ts';
import { planHarness, type Harness } from './testing/plan-harness.ts';

const harnesses: Harness[] = [];
const dirs: string[] = [];
let runs: PlanRuns | undefined;
afterEach(async () => {
  await runs?.dispose();
  runs = undefined;
  for (const h of harnesses.splice(0)) h.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const noAgents = {
  start: () => Promise.reject(new Error('no agent starts in this test')),
  restoreToolsWith: () => undefined,
} as unknown as AgentManager;

/** Task a writes a bug on every attempt the gate catches; b depends on a. */
async function failingPlan(): Promise<Harness> {
  const h = await planHarness(
    [task('a', { files: ['a.txt'] }), task('b', { dependencies: ['a'], files: ['b.txt'] })],
    {
      a: ({ feedback }) => ({ 'a.txt': feedback?.includes('without the bug') ? 'a\n' : 'BUG\n' }),
      b: () => ({ 'b.txt': 'b\n' }),
    },
    { maxAttempts: 1 },
  );
  harnesses.push(h);
  await h.runner.start();
  assert.equal(await h.runner.settled(), 'blocked');
  assert.equal(h.runner.progress('a').state, 'needs_user');
  return h;
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'troika-takeover-'));
  dirs.push(dir);
  return dir;
}

describe('a task edited by the user', () => {
  test('an edit that makes a cycle is refused with the validator’s named problem, and nothing is saved', async () => {
    const h = await planHarness([task('a'), task('b', { dependencies: ['a'] })], {});
    harnesses.push(h);
    runs = new PlanRuns({
      store: h.store,
      agents: noAgents,
      events: new EventBus(),
      dataDir: scratch(),
    });
    await assert.rejects(runs.editTask(h.planId, 'a', { dependencies: ['b'] }), (error: Error) => {
      assert.match(error.message, /Dependency cycle: (a → b → a|b → a → b)/);
      return true;
    });
    await assert.rejects(
      runs.editTask(h.planId, 'a', { dependencies: ['zz'] }),
      /depends on "zz", which is not in the plan/,
    );
    assert.deepEqual(h.store.get(h.planId)?.tasks.find((t) => t.id === 'a')?.dependencies, []);
    assert.equal(h.store.evidence(h.planId, 'a').filter((e) => e.data.event === 'edit').length, 0);

    // A valid edit of a plan not started is saved, with its evidence.
    await runs.editTask(h.planId, 'b', { title: 'Task b, renamed', size: 'S' });
    const b = h.store.get(h.planId)?.tasks.find((t) => t.id === 'b');
    assert.equal(b?.title, 'Task b, renamed');
    assert.equal(b?.size, 'S');
    const edit = h.store.evidence(h.planId, 'b').find((e) => e.data.event === 'edit');
    assert.deepEqual(edit?.data.changed, ['title', 'size']);
    assert.deepEqual(edit?.data.before, { title: 'Task b', size: 'M' });
  });

  test('a task that needs you, edited then retried: the next build is asked for the edited task and passes', async () => {
    const h = await failingPlan();
    const plan = h.store.get(h.planId)!;
    assert.throws(
      () => editTask(h.runner, plan.tasks, 'a', { dependencies: ['b'] }),
      (error: unknown) => error instanceof TaskEditError && error.problems[0]?.kind === 'cycle',
    );
    const description = 'Write a.txt without the bug';
    h.store.setTasks(h.planId, editTask(h.runner, plan.tasks, 'a', { description }));
    assert.equal(h.store.get(h.planId)?.tasks[0]?.description, description);

    h.runner.retryTask('a');
    assert.equal(await h.runner.settled(), 'done');
    const second = h.ports.calls.filter((c) => c.taskId === 'a')[1];
    assert.equal(second?.description, description);
    assert.match(
      second?.feedback ?? '',
      /The user edited this task; it now reads:[\s\S]*without the bug/,
    );
    assert.equal(await h.ports.show(integrationBranch(plan.slug), 'a.txt'), 'a');
    // Merged: no more edits.
    assert.throws(() => editTask(h.runner, plan.tasks, 'a', { title: 'Late' }), /is merged/);
  });
});

describe('a task taken over by the user', () => {
  test('its worktree is opened on the last attempt’s work; the user’s commit and uncommitted edit pass the gates and merge', async () => {
    const h = await failingPlan();
    const plan = h.store.get(h.planId)!;
    const branch = h.runner.progress('a').branch!;
    const open = (b: string) =>
      takeOverWorktree({
        repo: h.repo,
        branch: b,
        base: integrationBranch(plan.slug),
        scratchDir: scratch(),
        name: 'a',
      });
    const taken = await takeOver(h.runner, 'a', 'unused', open);
    assert.equal(taken.branch, branch);
    assert.equal(
      readFileSync(join(taken.worktree, 'a.txt'), 'utf8'),
      'BUG\n',
      'the last attempt’s work is there',
    );
    assert.equal(h.runner.progress('a').reason, TAKEN_OVER);
    assert.equal(h.runner.progress('a').state, 'needs_user');
    assert.deepEqual(
      await takeOver(h.runner, 'a', 'unused', open),
      taken,
      'asked again, the same worktree',
    );
    assert.throws(() => editTask(h.runner, plan.tasks, 'a', { title: 'x' }), /taken over by you/);
    assert.throws(() => h.runner.retryTask('a'), /use Give back, or Done, run the gates/);

    // The user commits one file and leaves another edit uncommitted.
    const sh = (...args: string[]) =>
      execFileSync('git', args, { cwd: taken.worktree, stdio: 'pipe' });
    writeFileSync(join(taken.worktree, 'notes.txt'), 'by hand');
    sh('add', 'notes.txt');
    sh(
      '-c',
      'user.name=U',
      '-c',
      'user.email=u@example.com',
      'commit',
      '-q',
      '-m',
      'notes by hand',
    );
    writeFileSync(join(taken.worktree, 'a.txt'), 'fixed by hand');

    const commit = await commitUserWork(h.repo, branch, "a: the user's work on the task");
    assert.ok(commit);
    handBack(h.runner, 'a', commit);
    assert.equal(await h.runner.settled(), 'done');

    const into = integrationBranch(plan.slug);
    assert.equal(await h.ports.show(into, 'a.txt'), 'fixed by hand');
    assert.equal(await h.ports.show(into, 'notes.txt'), 'by hand');
    assert.equal(await h.ports.show(into, 'b.txt'), 'b');
    assert.equal(h.runner.progress('a').state, 'merged');
    assert.ok(await resolveCommit(h.repo, `refs/heads/${branch}`), 'the task’s branch is kept');
    assert.equal(
      h.ports.calls.filter((c) => c.taskId === 'a').length,
      1,
      'no agent built it again',
    );
    const evidence = h.store.evidence(h.planId, 'a');
    assert.deepEqual(
      evidence.filter((e) => e.data.event === 'take_over').map((e) => e.data.worktree),
      [taken.worktree],
    );
    assert.ok(evidence.some((e) => e.data.event === 'hand_back' && e.data.commit === commit));
    assert.ok(evidence.some((e) => e.kind === 'attempt' && e.data.by === 'user'));
    assert.ok(
      evidence.some((e) => e.kind === 'gate' && e.data.where === 'task' && e.data.passed === true),
    );
  });

  test('given back, the task goes to an agent again, told the user worked on it', async () => {
    const h = await failingPlan();
    const plan = h.store.get(h.planId)!;
    const branch = h.runner.progress('a').branch!;
    const taken = await takeOver(h.runner, 'a', 'unused', (b) =>
      takeOverWorktree({
        repo: h.repo,
        branch: b,
        base: integrationBranch(plan.slug),
        scratchDir: scratch(),
        name: 'a',
      }),
    );
    writeFileSync(join(taken.worktree, 'hint.txt'), 'write it without the bug\n');
    const commit = await commitUserWork(
      h.repo,
      branch,
      "a: the user's work, given back to the agent",
    );
    assert.ok(commit);
    assert.throws(() => handBack(h.runner, 'b', null), /not taken over/);
    giveBack(h.runner, 'a', commit);
    // The harness's agent fixes a.txt once told; the scripted gate then passes.
    h.ports.scripts.set('a', ({ feedback }) => ({
      'a.txt': feedback?.includes('gave it back') ? 'a\n' : 'BUG\n',
    }));
    assert.equal(await h.runner.settled(), 'done');
    assert.match(
      h.ports.calls.filter((c) => c.taskId === 'a')[1]?.feedback ?? '',
      /gave it back to you/,
    );
    assert.equal(await h.ports.show(integrationBranch(plan.slug), 'a.txt'), 'a');
  });
});

describe('take over through the product’s plan runs', () => {
  test('after a restart, a blocked task is taken over, finished by hand and handed back: gated, merged, its branch kept', async () => {
    const h = await failingPlan();
    const branch = h.runner.progress('a').branch!;
    // A new backend over the same database: the product's ports, no agent needed for a.
    const dataDir = scratch();
    runs = new PlanRuns({ store: h.store, agents: noAgents, events: new EventBus(), dataDir });
    const taken = await runs.takeOver(h.planId, 'a');
    assert.equal(taken.branch, branch);
    assert.equal(readFileSync(join(taken.worktree, 'a.txt'), 'utf8'), 'BUG\n');
    await assert.rejects(runs.editTask(h.planId, 'a', { title: 'x' }), /taken over by you/);
    writeFileSync(join(taken.worktree, 'a.txt'), 'fixed by hand\n');
    // No reviewer agent in this test (it would read the same worktree): the gates and the merge are under test.
    setTalkSettings(h.store, h.planId, { reviewPasses: { M: 0 } });

    await runs.handBack(h.planId, 'a');
    await runs.settled(h.planId);
    const a = h.store.progress(h.planId).find((p) => p.taskId === 'a');
    assert.equal(a?.state, 'merged', a?.reason ?? '');
    const plan = h.store.get(h.planId)!;
    assert.equal(await h.ports.show(integrationBranch(plan.slug), 'a.txt'), 'fixed by hand');
    assert.ok(await resolveCommit(h.repo, `refs/heads/${branch}`), 'the task’s branch is kept');
    const handed = h.store.evidence(h.planId, 'a').find((e) => e.data.event === 'hand_back');
    assert.match(String(handed?.data.commit), /^[0-9a-f]{40}$/);
  });
});
