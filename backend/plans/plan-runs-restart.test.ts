/**
 * After a restart, a plan that was blocked on a task needing the user has
 * no scheduler in the new backend: Retry (and Skip) load one from the
 * recorded steps and act, rather than answering "start it first". A task
 * escalated to the user again is announced as `plans.escalated`, once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { AgentManager } from '../agent/agent-manager.ts';
import { EventBus } from '../bus/events.ts';
import { PlanRuns } from './plan-runs.ts';
import { task } from './testing/fixtures.ts';
import { planHarness, type Harness } from './testing/plan-harness.ts';

let h: Harness | undefined;
let runs: PlanRuns | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await runs?.dispose();
  h?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The new backend's agents: this test's retried task is skipped before any agent would start. */
const noAgents = {
  start: () => Promise.reject(new Error('no agent starts in this test')),
  restoreToolsWith: () => undefined,
} as unknown as AgentManager;

describe('plan runs after a restart', () => {
  test('a blocked plan’s task can be skipped or retried without starting the plan first', async () => {
    h = await planHarness(
      [task('a'), task('b', { dependencies: ['a'] }), task('c', { dependencies: ['b'] })],
      {
        a: () => ({ 'a.txt': 'BUG\n' }),
        b: () => ({ 'b.txt': 'b\n' }),
        c: () => ({ 'c.txt': 'c\n' }),
      },
      { maxAttempts: 1 },
    );
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'blocked');
    assert.equal(h.runner.progress('a').state, 'needs_user');

    // A new backend over the same database: nothing resumes a blocked plan by itself.
    dataDir = mkdtempSync(join(tmpdir(), 'troika-plan-runs-'));
    const events = new EventBus();
    const escalated: unknown[] = [];
    events.subscribe((event, data) => {
      if (event === 'plans.escalated') escalated.push(data);
    });
    runs = new PlanRuns({ store: h.store, agents: noAgents, events, dataDir });
    await runs.resumeRunning();

    await runs.retryTask(h.planId, 'a');
    assert.equal(await runs.settled(h.planId), 'blocked');
    const a = h.store.progress(h.planId).find((p) => p.taskId === 'a');
    assert.equal(a?.attempts, 2, 'the retry ran an attempt');
    assert.match(a?.reason ?? '', /no agent starts in this test/);
    // Escalated to the user again: announced once, at once (the desktop app notifies).
    assert.deepEqual(escalated, [
      {
        planId: h.planId,
        planName: 'Test plan',
        taskId: 'a',
        title: 'Task a',
        reason: a?.reason,
        attempts: 2,
        agentId: null,
      },
    ]);
    assert.ok(
      h.store
        .evidence(h.planId, 'a')
        .some((e) => e.kind === 'control' && e.data['event'] === 'retry'),
    );

    await runs.skipTask(h.planId, 'a');
    assert.equal(h.store.progress(h.planId).find((p) => p.taskId === 'a')?.state, 'skipped');
  });
});
