import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, test } from 'node:test';
import { EventBus } from '../bus/events.ts';
import { Router } from '../bus/router.ts';
import { openTroikaDatabase } from '../persistence/database.ts';
import { PlanCheckSchema, PlanDetailSchema } from '../protocol/payloads/plans.ts';
import { registerPlanHandlers } from './handlers.ts';
import { PlanStore } from './plan-store.ts';

const context = { connectionId: 'c' };

const VALID = JSON.stringify({
  master: {
    tasks: [
      {
        id: 1,
        title: 'Schema',
        description: 'Add the users table',
        dependencies: [],
        priority: 'high',
      },
      {
        id: 2,
        title: 'API',
        description: 'Serve /users',
        dependencies: [1],
        metadata: { troika: { files: ['src/api/**'], size: 'S' } },
      },
      {
        id: 3,
        title: 'Docs',
        description: 'Document /users',
        dependencies: [1],
        metadata: { troika: { files: ['src/api/README.md'] } },
      },
    ],
    metadata: { description: 'Users API' },
  },
});
const CYCLE = JSON.stringify({
  tasks: [
    { id: 1, title: 'A', description: 'a', dependencies: [2] },
    { id: 2, title: 'B', description: 'b', dependencies: [1] },
  ],
});

function setup() {
  const router = new Router();
  const events = new EventBus();
  const published: unknown[] = [];
  events.subscribe((event, data) => published.push([event, data]));
  registerPlanHandlers(router, events, new PlanStore(openTroikaDatabase(':memory:')), {
    defaultModel: () => undefined,
  });
  return { router, published };
}

describe('plan protocol methods', () => {
  test('check names a cycle and shows a valid plan’s waves and holds, in the shape the renderer checks', async () => {
    const { router } = setup();
    const bad = PlanCheckSchema.parse(
      await router.dispatch('plans.check', { text: CYCLE }, context),
    );
    assert.equal(bad.valid, false);
    assert.equal(bad.problems[0]!.kind, 'cycle');
    assert.match(bad.problems[0]!.message, /1 → 2 → 1/);

    const good = PlanCheckSchema.parse(
      await router.dispatch('plans.check', { text: VALID }, context),
    );
    assert.equal(good.valid, true);
    assert.deepEqual(good.dryRun?.waves, [['1'], ['2'], ['3']]);
    assert.equal(good.dryRun?.holds[0]?.withTaskId, '2');
    assert.ok((good.dryRun?.estimate.totalUsd ?? 0) > 0);
  });

  test('create saves a plan, list and get show it, export gives back a tasks.json that checks the same', async () => {
    const { router, published } = setup();
    const created = PlanDetailSchema.parse(
      await router.dispatch(
        'plans.create',
        { text: VALID, name: 'Users API', workspace: tmpdir(), budgetUsd: 3 },
        context,
      ),
    );
    assert.equal(created.plan.integrationBranch, 'troika/plan-users-api');
    assert.equal(created.plan.goal, 'Users API');
    assert.deepEqual(
      created.status.map((s) => s.state),
      ['waiting', 'waiting', 'waiting'],
    );
    assert.deepEqual(published, [['plans.changed', { planId: created.plan.id }]]);

    const list = (await router.dispatch('plans.list', {}, context)) as {
      plans: Array<{ id: string }>;
    };
    assert.deepEqual(
      list.plans.map((p) => p.id),
      [created.plan.id],
    );
    const got = PlanDetailSchema.parse(
      await router.dispatch('plans.get', { id: created.plan.id }, context),
    );
    assert.deepEqual(got.tasks, created.tasks);

    const exported = (await router.dispatch('plans.export', { id: created.plan.id }, context)) as {
      text: string;
      fileName: string;
    };
    assert.equal(exported.fileName, 'tasks-users-api.json');
    const again = PlanCheckSchema.parse(
      await router.dispatch('plans.check', { text: exported.text }, context),
    );
    assert.deepEqual(again.tasks, created.tasks);

    // A plan not run yet (its folder is not a repository): the description says so, no failure.
    const described = (await router.dispatch(
      'plans.describe',
      { id: created.plan.id },
      context,
    )) as {
      text: string;
      fileName: string;
    };
    assert.equal(described.fileName, 'plan-users-api.md');
    assert.match(described.text, /^# Users API\n/);
    assert.match(described.text, /- Tasks merged: 0 of \d+ \(plan draft\)/);
  });

  test('an invalid plan is not saved; an unknown plan is not found', async () => {
    const { router } = setup();
    await assert.rejects(
      router.dispatch('plans.create', { text: CYCLE, name: 'x', workspace: tmpdir() }, context),
      { code: 'invalid_params', message: /Dependency cycle: 1 → 2 → 1/ },
    );
    await assert.rejects(router.dispatch('plans.get', { id: 'nope' }, context), {
      code: 'not_found',
    });
    await assert.rejects(
      router.dispatch('plans.create', { text: VALID, name: 'x', workspace: 'relative' }, context),
      { code: 'invalid_params' },
    );
    await assert.rejects(
      router.dispatch(
        'plans.create',
        { text: VALID, name: 'x', workspace: '/no/such/folder' },
        context,
      ),
      { code: 'invalid_params', message: 'No folder at /no/such/folder' },
    );
  });
});
