import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { integrationBranch } from './ports.ts';
import { task } from './testing/fixtures.ts';
import { planHarness, waitUntil, type Harness } from './testing/plan-harness.ts';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.dispose();
});

const writes = (path: string) => () => ({ [path]: `${path}\n` });
/** A build that never ends: what a killed backend leaves behind. */
const never = () => new Promise<void>(() => {});

describe('plan scheduler: restart, budget, pause and stop', () => {
  test('after a restart mid-task the plan resumes: merged tasks are not run again, the cut-off one runs again', async () => {
    const scripts = { a: writes('a.txt'), b: writes('b.txt'), c: writes('c.txt') };
    const first = await planHarness(
      [task('a'), task('b', { dependencies: ['a'] }), task('c', { dependencies: ['b'] })],
      scripts,
    );
    harnesses.push(first);
    first.ports.beforeBuild = async (request) => {
      if (request.task.id === 'b') await never();
    };
    await first.runner.start();
    await waitUntil(
      () =>
        first.store.progress(first.planId).some((p) => p.taskId === 'b' && p.state === 'running'),
      'b runs',
    );
    first.db.close();

    const second = first.reopen(scripts);
    await second.runner.start();
    assert.equal(await second.runner.settled(), 'done');
    assert.deepEqual(
      second.ports.calls.map((c) => [c.taskId, c.attempt]),
      [
        ['b', 2],
        ['c', 1],
      ],
    );
    const branch = integrationBranch(second.store.get(second.planId)?.slug ?? '');
    for (const file of ['a.txt', 'b.txt', 'c.txt'])
      assert.equal(await second.ports.show(branch, file), file);
    assert.ok(second.store.evidence(second.planId, 'b').some((e) => e.data.event === 'resumed'));
    second.db.close();
  });

  test('a merge that landed just before a restart is found merged, not run again', async () => {
    const scripts = { a: writes('a.txt'), b: writes('b.txt') };
    const first = await planHarness([task('a'), task('b', { dependencies: ['a'] })], scripts);
    harnesses.push(first);
    const advance = first.ports.advance.bind(first.ports);
    // The branch moves, then the process dies before it records the merge.
    let landed = false;
    first.ports.advance = async (into, commit) => {
      await advance(into, commit);
      landed = true;
      await never();
    };
    await first.runner.start();
    await waitUntil(() => landed, 'a lands');
    assert.equal(first.store.progress(first.planId)[0]!.state, 'merging');
    first.db.close();

    const second = first.reopen(scripts);
    await second.runner.start();
    assert.equal(await second.runner.settled(), 'done');
    assert.deepEqual(
      second.ports.calls.map((c) => c.taskId),
      ['b'],
    );
    assert.equal(second.runner.progress('a').reason, 'Found merged after a restart');
    second.db.close();
  });

  test('at most three tasks build at once', async () => {
    const ids = ['t1', 't2', 't3', 't4', 't5'];
    const h = await planHarness(
      ids.map((id) => task(id, { files: [`${id}.txt`] })),
      Object.fromEntries(ids.map((id) => [id, writes(`${id}.txt`)])),
    );
    harnesses.push(h);
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'done');
    assert.equal(Math.max(...h.ports.concurrent.map((set) => set.length)), 3);
  });

  test('the plan stops cleanly at its budget, saying what landed and what did not', async () => {
    const h = await planHarness(
      [
        task('a', { files: ['src/**'] }),
        task('b', { files: ['src/**'] }),
        task('c', { files: ['src/**'] }),
      ],
      { a: writes('src/a.txt'), b: writes('src/b.txt'), c: writes('src/c.txt') },
      { budgetUsd: 1.5 },
    );
    harnesses.push(h);
    h.ports.costPerBuild = 1;
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'stopped');
    assert.equal(
      h.store.get(h.planId)?.stateReason,
      'Budget of $1.5 reached: merged a, b; not merged c',
    );
    assert.equal(h.runner.spentUsd(), 2);
    // Each attempt gets its task's share (a third of the budget), never more than is left.
    assert.deepEqual(
      h.ports.calls.map((c) => c.budgetUsd),
      [0.5, 0.5],
    );
    assert.equal(h.runner.progress('c').state, 'waiting');
  });

  test('pause holds new work until resume; stop ends the agents and keeps the tasks waiting', async () => {
    let release = () => {};
    const h = await planHarness([task('a'), task('b', { dependencies: ['a'] })], {
      a: writes('a.txt'),
      b: writes('b.txt'),
    });
    harnesses.push(h);
    h.ports.beforeBuild = (request, signal) =>
      request.task.id === 'a'
        ? new Promise<void>((resolve) => {
            release = resolve;
          })
        : new Promise<void>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
    await h.runner.start();
    await waitUntil(() => h.runner.progress('a').state === 'running', 'a runs');
    h.runner.pause();
    release();
    assert.equal(await h.runner.settled(), 'paused');
    assert.equal(h.runner.progress('a').state, 'merge_queue');
    assert.equal(h.runner.progress('b').state, 'waiting');

    h.runner.resume();
    await waitUntil(() => h.runner.progress('b').state === 'running', 'b runs');
    assert.equal(h.runner.progress('a').state, 'merged');
    h.runner.stop();
    assert.equal(await h.runner.settled(), 'stopped');
    assert.equal(h.runner.progress('b').state, 'waiting');
    assert.match(h.runner.progress('b').reason ?? '', /Stopped/);
    assert.equal(h.store.get(h.planId)?.state, 'stopped');
  });
});
