/**
 * A task taken over by the user, end to end: web mode in Chromium against
 * the scripted Messages server, a real git repository whose gate is its
 * package.json `test` script. The builder's work fails the gate and the
 * task needs the user. An edit that would make a cycle is refused with its
 * named problem; a valid edit is saved. Take over opens a shell in the
 * task's worktree (the last attempt's work there); the user fixes the file
 * by hand and clicks "Done, run the gates": the gates pass, the task
 * merges into the plan's integration branch holding the user's change, and
 * the task's branch is kept. Screenshot: test-results/plan-takeover.png.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { saveScreenshot } from './support/chromium.ts';
import { openConsole } from './support/console.ts';
import {
  fileAt,
  git,
  openPlan,
  planDialog,
  savePlan,
  taskCard,
  waitForPlanState,
  waitForTaskState,
} from './support/plans.ts';
import { consoleSuite } from './support/suite.ts';

const use = (name: string, input: Record<string, unknown>) => ({ toolUses: [{ name, input }] });

const scenarios = {
  // Every attempt leaves a BUG the gate catches.
  'Part Theta': ({ step }: { step: number }) =>
    step === 0
      ? use('bash', { command: 'mkdir -p parts && echo BUG > parts/t.txt' })
      : use('finish', { status: 'COMPLETE', summary: 'Done.' }),
};

const CHECK = `const { readFileSync, existsSync } = require('node:fs');
if (existsSync('parts/t.txt') && readFileSync('parts/t.txt', 'utf8').includes('BUG')) { console.error('BUG in parts/t.txt'); process.exit(1); }
console.log('parts ok');
`;

describe('a plan task taken over by the user', () => {
  const suite = consoleSuite(scenarios);

  test('edited, taken over in its worktree, finished by hand, gated and merged', async () => {
    const repo = suite.workspaces.repo('plan-takeover', {
      'package.json': JSON.stringify({ scripts: { test: 'node check.cjs' } }),
      'check.cjs': CHECK,
    });
    const { context, page } = await openConsole(suite.browser, suite.app);
    const tasks = [
      {
        id: 1,
        title: 'Part Theta',
        description: 'Write parts/t.txt',
        dependencies: [],
        metadata: { troika: { size: 'S' } },
      },
    ];
    await savePlan(page, JSON.stringify({ tasks }), { name: 'Taken', repo, maxAttempts: 1 });
    await openPlan(page, 'taken');
    const dialog = planDialog(page);
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForTaskState(page, '1', 'needs_user');
    const card = taskCard(page, '1');

    // Edit: a cycle is refused by name, a new description is saved.
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit task 1' });
    await edit.locator('[data-field="dependencies"]').fill('1');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByRole('alert').filter({ hasText: 'Dependency cycle: 1 → 1' }).waitFor();
    await edit.locator('[data-field="dependencies"]').fill('');
    await edit.locator('[data-field="description"]').fill('Write parts/t.txt without a bug');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });

    // Take over: a shell in the task's worktree, where the last attempt's work is.
    await card.getByRole('button', { name: 'Take over' }).click();
    await card.locator('[data-taken-over]').waitFor();
    const where = (await card.locator('[data-worktree]').innerText()).replace(
      /^shell opened in /,
      '',
    );
    assert.equal(readFileSync(join(where, 'parts/t.txt'), 'utf8'), 'BUG\n');
    await saveScreenshot(page, 'plan-takeover');
    const branch = git(where, 'rev-parse', '--abbrev-ref', 'HEAD');

    // The user fixes it by hand, leaves it uncommitted, and hands it back to the gates.
    writeFileSync(join(where, 'parts/t.txt'), 'theta\n');
    await card.getByRole('button', { name: 'Done, run the gates' }).click();
    await waitForTaskState(page, '1', 'merged');
    await waitForPlanState(page, 'done');

    assert.equal(fileAt(repo, 'troika/plan-taken', 'parts/t.txt'), 'theta');
    assert.equal(git(repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`).length, 40);
    assert.match(git(repo, 'log', '-1', '--format=%s', branch), /the user's work on the task/);
    await context.close();
  });
});
