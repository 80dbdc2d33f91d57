import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openTroikaDatabase } from '../persistence/database.ts';
import { createPlan, slugify } from './new-plan.ts';
import { PlanStore } from './plan-store.ts';
import { task } from './testing/fixtures.ts';

describe('plan store', () => {
  test('a plan reads back with its tasks, every task waiting; slugs stay unique', () => {
    const store = new PlanStore(openTroikaDatabase(':memory:'));
    const tasks = [task('a', { files: ['src/**'], size: 'S' }), task('b', { dependencies: ['a'] })];
    const plan = createPlan(store, {
      name: 'Add users API!',
      workspace: '/repo',
      tasks,
      budgetUsd: 5,
    });
    assert.equal(plan.slug, 'add-users-api');
    assert.deepEqual(store.get(plan.id)?.tasks, tasks);
    assert.equal(store.get(plan.id)?.budgetUsd, 5);
    assert.deepEqual(
      store.progress(plan.id).map((p) => [p.taskId, p.state, p.attempts]),
      [
        ['a', 'waiting', 0],
        ['b', 'waiting', 0],
      ],
    );
    assert.equal(
      createPlan(store, { name: 'Add users API', workspace: '/repo', tasks }).slug,
      'add-users-api-2',
    );
    assert.equal(store.list().length, 2);
  });

  test('an invalid plan is refused with its problems named', () => {
    const store = new PlanStore(openTroikaDatabase(':memory:'));
    assert.throws(
      () =>
        createPlan(store, {
          name: 'x',
          workspace: '/r',
          tasks: [task('a', { dependencies: ['b'] })],
        }),
      /"a" depends on "b", which is not in the plan/,
    );
  });

  test('evidence is append-only', () => {
    const db = openTroikaDatabase(':memory:');
    const store = new PlanStore(db);
    const plan = createPlan(store, { name: 'p', workspace: '/r', tasks: [task('a')] });
    store.saveStep(
      plan.id,
      { ...store.progress(plan.id)[0]!, state: 'running' },
      { kind: 'attempt', data: { attempt: 1 } },
    );
    assert.deepEqual(store.evidence(plan.id, 'a')[0]!.data, { attempt: 1 });
    assert.throws(() => db.prepare('DELETE FROM plan_evidence').run(), /append-only/);
  });

  test('slugs are safe in a branch name', () => {
    assert.equal(slugify('  Ünïcode & spaces / slashes  '), 'unicode-spaces-slashes');
    assert.equal(slugify('!!!'), 'plan');
  });
});
