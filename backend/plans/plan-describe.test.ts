/**
 * The pull-request description of a plan that ran through the plan runner
 * on a real repository: one task's gate failed and passed on its second
 * attempt; the text names the goal, and each task's agent, model, attempts,
 * gate results, tokens, cost and provenance.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { describePlan } from './plan-describe.ts';
import { integrationBranch } from './ports.ts';
import { task } from './testing/fixtures.ts';
import { git } from './testing/git-ports.ts';
import { planHarness, type Harness } from './testing/plan-harness.ts';

let h: Harness | undefined;
afterEach(() => h?.dispose());

describe('plan description', () => {
  test('says what each task did, from the recorded evidence', async () => {
    h = await planHarness(
      [
        task('api', { title: 'Users | API', description: 'Add the users endpoint' }),
        task('ui', { title: 'Users page', dependencies: ['api'] }),
      ],
      {
        api: ({ attempt }) => ({ 'api.txt': attempt === 1 ? 'BUG\n' : 'api\n' }),
        ui: () => ({ 'ui.txt': 'ui\n' }),
      },
      { goal: 'Let admins manage users.', budgetUsd: 5, name: 'Users' },
    );
    h.ports.costPerBuild = 0.125;
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'done');
    // The product links each attempt to its agent's run (plan-runs.ts); the harness has no agents.
    h.store.saveStep(h.planId, h.runner.progress('api'), {
      kind: 'attempt',
      data: { agentId: 'run-api' },
    });
    const plan = h.store.get(h.planId);
    assert.ok(plan);
    const tip = await git(h.repo, 'rev-parse', integrationBranch(plan.slug));
    const text = describePlan({
      plan,
      progress: h.store.progress(h.planId),
      evidence: h.store.evidence(h.planId),
      tip,
    });
    const apiMerge = h.runner.progress('api').mergedCommit ?? '';
    const section = (id: string) =>
      text.slice(text.indexOf(`### ${id} ·`)).split('\n### ')[0] ?? '';

    assert.match(text, /^# Users\n\nLet admins manage users\.\n/);
    assert.ok(
      text.includes(
        `Integration branch: \`${integrationBranch(plan.slug)}\` at \`${tip.slice(0, 12)}\``,
      ),
    );
    assert.ok(text.includes('- Tasks merged: 2 of 2 (plan done)'));
    assert.ok(text.includes('- Cost: $0.3750 of a $5.00 budget'));
    assert.ok(
      text.includes(
        '| api Users \\| API | merged | run-api | claude-sonnet-5-5 | 2 | task ✗✓ · merged ✓ | 3,000 / 200 | $0.2500 |',
      ),
      text,
    );
    assert.deepEqual(section('api').split('\n'), [
      '### api · Users | API',
      '',
      'Add the users endpoint',
      '',
      '- State: merged',
      '- Agent: run `run-api`',
      '- Model: claude-sonnet-5-5',
      '- Attempts: 2',
      '- Gates: in its worktree failed, then passed; on the integrated result passed',
      '- Tokens: 3,000 in, 200 out',
      '- Cost: $0.2500',
      `- Provenance: branch \`troika/task-${h.planId}-api\`, merged as \`${apiMerge.slice(0, 12)}\``,
      '',
    ]);
    assert.ok(section('ui').includes('- Agent: none yet'));
    assert.ok(section('ui').includes('- Attempts: 1\n'));
  });
});
