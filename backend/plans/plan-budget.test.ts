/**
 * A plan's budget through the plan runner: attempts running side by side
 * never get more, together, than what is left of the cap; the plan's detail
 * shows each task's share, spent and remaining, and the plan's total.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { planDetail } from './plan-views.ts';
import { task } from './testing/fixtures.ts';
import { planHarness, waitUntil, type Harness } from './testing/plan-harness.ts';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.dispose();
});

const near = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} is not ${expected}`,
  );

describe('plan budget', () => {
  test('a retry while two tasks still run gets only what their allowances leave of the cap', async () => {
    const h = await planHarness(
      [
        task('a', { files: ['a/**'] }),
        task('b', { files: ['b/**'] }),
        task('c', { files: ['c/**'] }),
      ],
      {
        // The first attempt leaves a BUG the gate catches; the retry fixes it.
        a: ({ attempt }) => ({ 'a/x.txt': attempt === 1 ? 'BUG\n' : 'fixed\n' }),
        b: () => ({ 'b/x.txt': 'b\n' }),
        c: () => ({ 'c/x.txt': 'c\n' }),
      },
      { budgetUsd: 0.9 },
    );
    harnesses.push(h);
    h.ports.costPerBuild = 0.1;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    h.ports.beforeBuild = async (request) => {
      if (request.task.id !== 'a') await held;
    };
    await h.runner.start();
    await waitUntil(
      () => h.ports.calls.some((c) => c.taskId === 'a' && c.attempt === 2),
      'a retries',
    );
    const budgets = h.ports.calls.map((c) => [c.taskId, c.attempt, c.budgetUsd] as const);
    release();
    assert.equal(await h.runner.settled(), 'done');

    // Equal sizes: a third of $0.90 each. b and c still hold $0.30 each while a retries,
    // and a spent $0.10: the retry may spend $0.20, not another $0.30.
    assert.deepEqual(
      budgets.map(([id, attempt]) => [id, attempt]),
      [
        ['a', 1],
        ['b', 1],
        ['c', 1],
        ['a', 2],
      ],
    );
    near(budgets[0]?.[2], 0.3, 'a, attempt 1');
    near(budgets[3]?.[2], 0.2, 'a, attempt 2');
  });

  test('the detail shows each task’s share, spent and remaining, and the plan’s remaining', async () => {
    const h = await planHarness(
      [task('a', { size: 'S' }), task('b', { size: 'S', dependencies: ['a'] })],
      { a: () => ({ 'a.txt': 'a\n' }), b: () => ({ 'b.txt': 'b\n' }) },
      { budgetUsd: 2 },
    );
    harnesses.push(h);
    h.ports.costPerBuild = 0.25;
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'done');
    const plan = h.store.get(h.planId);
    assert.ok(plan);
    const detail = planDetail(h.store, plan);
    near(detail.plan.spentUsd, 0.5, 'spent');
    near(detail.plan.remainingUsd, 1.5, 'remaining');
    for (const s of detail.status) {
      near(s.budgetUsd, 1, `${s.taskId}'s share`);
      near(s.spentUsd, 0.25, `${s.taskId} spent`);
      near(s.remainingUsd, 0.75, `${s.taskId} remaining`);
    }
  });
});
