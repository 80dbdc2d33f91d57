import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPlanText } from './plan-check.ts';
import { parseTasksFile, toTasksFile } from './task-master.ts';
import type { PlanTask } from '../protocol/payloads/plans.ts';
import { task } from './testing/fixtures.ts';

/** Shaped like Task Master's own sample tasks (its tests/fixtures/sample-tasks.js). */
const TASK_MASTER_DOC = {
  master: {
    tasks: [
      {
        id: 1,
        title: 'Initialize Project',
        description: 'Set up the project structure and dependencies',
        status: 'done',
        dependencies: [],
        priority: 'high',
        details: 'Create directory structure, initialize package.json',
        testStrategy: 'Verify all directories and files are created correctly',
      },
      {
        id: 2,
        title: 'Create Core Functionality',
        description: 'Implement the main features of the application',
        status: 'in-progress',
        dependencies: [1],
        priority: 'high',
        details: 'Implement user authentication and API endpoints',
        testStrategy: 'Write unit tests for all core functions',
        subtasks: [
          {
            id: 1,
            title: 'Implement Authentication',
            description: 'Auth',
            status: 'done',
            dependencies: [],
          },
        ],
        metadata: { githubIssue: 42 },
      },
    ],
    metadata: { description: 'Ship the first version', created: '2026-01-01T00:00:00.000Z' },
  },
};

describe('Task Master tasks.json', () => {
  test('imports the tagged form: ids as text, its fields mapped, Troika defaults filled', () => {
    const parsed = parseTasksFile(JSON.stringify(TASK_MASTER_DOC));
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.format, 'taskmaster-tagged');
    assert.equal(parsed.goal, 'Ship the first version');
    const [first, second] = parsed.tasks as [PlanTask, PlanTask];
    assert.equal(first.id, '1');
    assert.equal(first.testStrategy, 'Verify all directories and files are created correctly');
    assert.equal(first.status, 'done');
    assert.equal(first.size, 'M');
    assert.deepEqual(second.dependencies, ['1']);
    assert.deepEqual(second.external.metadata, { githubIssue: 42 });
    assert.equal((second.external.subtasks as unknown[]).length, 1);
  });

  test('imports the legacy form and a bare array', () => {
    assert.equal(
      parseTasksFile(JSON.stringify({ tasks: TASK_MASTER_DOC.master.tasks })).format,
      'taskmaster',
    );
    assert.equal(parseTasksFile(JSON.stringify(TASK_MASTER_DOC.master.tasks)).format, 'troika');
  });

  test('a Task Master file round-trips: export gives back every field, Troika fields in metadata.troika', () => {
    const parsed = parseTasksFile(JSON.stringify(TASK_MASTER_DOC));
    const exported = toTasksFile(parsed.tasks, {
      goal: parsed.goal ?? undefined,
    }) as typeof TASK_MASTER_DOC;
    const [first, second] = exported.master.tasks as unknown as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    assert.equal(first.id, 1);
    assert.deepEqual(second.dependencies, [1]);
    assert.deepEqual(second.subtasks, TASK_MASTER_DOC.master.tasks[1]!.subtasks);
    assert.deepEqual(second.metadata, {
      githubIssue: 42,
      troika: { acceptanceCriteria: [], size: 'M', role: 'builder', model: null, files: [] },
    });
    for (const key of [
      'title',
      'description',
      'details',
      'testStrategy',
      'status',
      'priority',
    ] as const) {
      assert.equal(second[key], TASK_MASTER_DOC.master.tasks[1]![key]);
    }
  });

  test('Troika tasks round-trip through tasks.json unchanged', () => {
    const tasks = [
      task('api', {
        size: 'L',
        role: 'builder',
        model: 'claude-opus-5-5',
        files: ['src/api/**'],
        acceptanceCriteria: ['GET /users answers 200'],
        testStrategy: 'npm test',
        priority: 'high',
      }),
      task('ui', {
        dependencies: ['api'],
        size: 'XS',
        files: ['src/ui/list.ts'],
        details: 'a list',
      }),
    ];
    const text = JSON.stringify(toTasksFile(tasks));
    assert.deepEqual(parseTasksFile(text).tasks, tasks);
    assert.deepEqual(
      parseTasksFile(JSON.stringify(toTasksFile(tasks, { form: 'legacy' }))).tasks,
      tasks,
    );
  });

  test('bad input is named: not JSON, wrong shape, a field of the wrong type', () => {
    assert.match(checkPlanText('{ nope').problems[0]!.message, /^Not JSON/);
    assert.equal(checkPlanText('{"todo": []}').problems[0]!.kind, 'invalid_shape');
    const bad = checkPlanText(
      JSON.stringify({ tasks: [{ id: 3, title: 'x', description: 'y', priority: 'urgent' }] }),
    );
    assert.equal(bad.valid, false);
    assert.equal(bad.problems[0]!.kind, 'invalid_shape');
    assert.match(bad.problems[0]!.message, /Task "3": priority/);
    const size = checkPlanText(
      JSON.stringify({
        tasks: [{ id: 1, title: 'x', description: 'y', metadata: { troika: { size: 'XXL' } } }],
      }),
    );
    assert.match(size.problems[0]!.message, /Task "1": size/);
  });
});
