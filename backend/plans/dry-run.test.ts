import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { costUsd } from '../provider/models.ts';
import { dryRun, planWaves, SIZE_TOKENS } from './dry-run.ts';
import { patternsOverlap } from './file-overlap.ts';
import { task } from './testing/fixtures.ts';

describe('dry run', () => {
  test('waves follow dependencies', () => {
    const { waves, holds } = planWaves([
      task('a'),
      task('b', { dependencies: ['a'] }),
      task('c', { dependencies: ['a'] }),
      task('d', { dependencies: ['b', 'c'] }),
    ]);
    assert.deepEqual(waves, [['a'], ['b', 'c'], ['d']]);
    assert.deepEqual(holds, []);
  });

  test('at most three tasks at once; the fourth is held with its reason, higher priority first', () => {
    const { waves, holds } = planWaves([
      task('a'),
      task('b'),
      task('c', { priority: 'low' }),
      task('d', { priority: 'high' }),
    ]);
    assert.deepEqual(waves, [['d', 'a', 'b'], ['c']]);
    assert.equal(holds.length, 1);
    assert.equal(holds[0]!.kind, 'capacity');
    assert.equal(holds[0]!.taskId, 'c');
    assert.match(holds[0]!.reason, /wave 1 already runs 3 tasks \(d, a, b\)/);
  });

  test('two tasks whose files overlap are held apart, with the files named', () => {
    const { waves, holds } = planWaves([
      task('api', { files: ['src/api/**/*.ts'] }),
      task('users', { files: ['src/api/users.ts', 'README.md'] }),
      task('docs', { files: ['docs/**'] }),
    ]);
    assert.deepEqual(waves, [['api', 'docs'], ['users']]);
    assert.deepEqual(holds[0], {
      taskId: 'users',
      wave: 0,
      kind: 'overlap',
      withTaskId: 'api',
      reason:
        '"users" is held apart from "api": its files "src/api/users.ts" overlap "src/api/**/*.ts"',
    });
  });

  test('file patterns: paths, folders and globs', () => {
    assert.equal(patternsOverlap('src/a.ts', 'src/a.ts'), true);
    assert.equal(patternsOverlap('src/a.ts', 'src/b.ts'), false);
    assert.equal(patternsOverlap('src/api', 'src/api/user.ts'), true);
    assert.equal(patternsOverlap('src/**/*.md', 'src/a.ts'), false);
    assert.equal(patternsOverlap('src/api', 'src/api/*.ts'), true);
    assert.equal(patternsOverlap('src/api/**', 'src/ui/**'), false);
    assert.equal(patternsOverlap('**/*.ts', 'docs/**'), true);
    assert.equal(patternsOverlap('./src/x/', 'src/x'), true);
  });

  test('the estimate prices each size at its model without calling it', () => {
    const run = dryRun(
      [task('a', { size: 'XS' }), task('b', { size: 'XL', model: 'claude-opus-5-5' })],
      'claude-sonnet-5-5',
    );
    const expectA = costUsd('claude-sonnet-5-5', {
      inputTokens: SIZE_TOKENS.XS.input,
      outputTokens: SIZE_TOKENS.XS.output,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    });
    assert.equal(run.estimate.tasks[0]!.costUsd, expectA);
    assert.equal(run.estimate.tasks[1]!.model, 'claude-opus-5-5');
    assert.ok(run.estimate.tasks[1]!.costUsd > run.estimate.tasks[0]!.costUsd * 10);
    assert.equal(
      run.estimate.totalUsd,
      run.estimate.tasks[0]!.costUsd + run.estimate.tasks[1]!.costUsd,
    );
  });
});
