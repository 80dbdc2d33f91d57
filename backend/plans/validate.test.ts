import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPlanText } from './plan-check.ts';
import { toTasksFile } from './task-master.ts';
import { task } from './testing/fixtures.ts';
import { validatePlan } from './validate.ts';

describe('plan validation', () => {
  test('a valid plan has no problems', () => {
    assert.deepEqual(validatePlan([task('a'), task('b', { dependencies: ['a'] })]), []);
  });

  test('a cycle is named with its tasks in dependency order', () => {
    const problems = validatePlan([
      task('a', { dependencies: ['c'] }),
      task('b', { dependencies: ['a'] }),
      task('c', { dependencies: ['b'] }),
      task('d'),
    ]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.kind, 'cycle');
    assert.deepEqual(problems[0]!.taskIds, ['a', 'b', 'c']);
    assert.match(problems[0]!.message, /a → b → c → a/);
  });

  test('a task depending on itself is a cycle of one', () => {
    const [problem] = validatePlan([task('a', { dependencies: ['a'] })]);
    assert.ok(problem);
    assert.equal(problem.kind, 'cycle');
    assert.deepEqual(problem.taskIds, ['a']);
  });

  test('an unknown dependency, a duplicate id and a missing description are each named', () => {
    const problems = validatePlan([
      task('a', { dependencies: ['zz'] }),
      task('a'),
      task('b', { description: '   ' }),
    ]);
    assert.deepEqual(
      problems.map((p) => [p.kind, p.taskIds]),
      [
        ['duplicate_id', ['a']],
        ['unknown_dependency', ['a', 'zz']],
        ['no_description', ['b']],
      ],
    );
    assert.match(problems[1]!.message, /"a" depends on "zz", which is not in the plan/);
  });

  test('an empty plan says so', () => {
    assert.equal(validatePlan([])[0]!.kind, 'no_tasks');
  });

  test('checking a tasks.json with a cycle gives the cycle and no dry run', () => {
    const text = JSON.stringify(
      toTasksFile([task('1', { dependencies: ['2'] }), task('2', { dependencies: ['1'] })]),
    );
    const check = checkPlanText(text);
    assert.equal(check.valid, false);
    assert.equal(check.dryRun, null);
    assert.match(check.problems[0]!.message, /Dependency cycle: 1 → 2 → 1/);
  });
});
