/**
 * The plan side of the "needs you" list, through the plan runner: a task
 * whose gate keeps failing escalates to the user and is listed with its
 * plan and reason; once retried, it leaves the list.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { needsYou } from './plan-views.ts';
import { task } from './testing/fixtures.ts';
import { planHarness, type Harness } from './testing/plan-harness.ts';

let h: Harness | undefined;
afterEach(() => h?.dispose());

describe('plans: needs you', () => {
  test('a task escalated to the user is listed with its plan and reason, until it is retried', async () => {
    h = await planHarness(
      [task('ok'), task('broken', { title: 'Broken part' })],
      { ok: () => ({ 'ok.txt': 'ok\n' }), broken: () => ({ 'broken.txt': 'BUG\n' }) },
      { maxAttempts: 1, name: 'Parts' },
    );
    assert.deepEqual(needsYou(h.store), []);
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'blocked');
    assert.deepEqual(needsYou(h.store), [
      {
        planId: h.planId,
        planName: 'Parts',
        taskId: 'broken',
        title: 'Broken part',
        reason: 'The gates failed in the task’s worktree',
        attempts: 1,
        agentId: null,
      },
    ]);
    h.ports.scripts.set('broken', () => ({ 'broken.txt': 'fixed\n' }));
    h.runner.retryTask('broken');
    assert.equal(await h.runner.settled(), 'done');
    assert.deepEqual(needsYou(h.store), []);
  });
});
