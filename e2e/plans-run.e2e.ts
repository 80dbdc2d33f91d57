/**
 * A plan run end to end: web mode in Chromium against the scripted Messages
 * API server, a real git repository whose gate is its package.json `test`
 * script. Three tasks in two waves; one task's gate fails on its first
 * attempt, the output goes back to the same agent, and it passes on the
 * second. The integration branch ends with every task's change; a task's
 * details show its diff and its gate runs by attempt. Then the
 * backend is killed mid-plan and the plan resumes when it starts again.
 * Screenshots go to test-results/ (plan-run-*.png).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { saveScreenshot } from './support/chromium.ts';
import { openConsole, panelOf, type AgentRequest } from './support/console.ts';
import { git, openPlan, savePlan, waitForPlanState, waitForTaskState } from './support/plans.ts';
import { consoleSuite } from './support/suite.ts';

/** The gate: fails while any file under parts/ says BUG. */
const CHECK = `import { existsSync, readdirSync, readFileSync } from 'node:fs';
const files = existsSync('parts') ? readdirSync('parts') : [];
const bad = files.filter((f) => readFileSync('parts/' + f, 'utf8').includes('BUG'));
if (bad.length) { console.error('BUG found in ' + bad.join(', ')); process.exit(1); }
console.log('parts ok');
`;

const bash = (command: string) => ({ toolUses: [{ name: 'bash', input: { command } }] });
const finish = { toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Done.' } }] };
/** Writes a file on the first step, finishes on the next. */
const writes =
  (command: string) =>
  ({ step }: AgentRequest) =>
    step === 0 ? bash(`mkdir -p parts && ${command}`) : finish;

const scenarios = {
  'Part Alpha': writes('echo a > parts/a.txt'),
  // First attempt leaves a BUG the gate catches; the retry (after the gate's output) fixes it.
  'Part Beta': ({ step }: AgentRequest) =>
    [
      bash('mkdir -p parts && echo BUG > parts/b.txt'),
      finish,
      bash('echo b > parts/b.txt'),
      finish,
    ][step] ?? finish,
  'Part Gamma': writes('test -f parts/a.txt && test -f parts/b.txt && echo c > parts/c.txt'),
  'Part Delta': writes('echo d > parts/d.txt'),
  'Part Epsilon': writes('sleep 3 && echo e > parts/e.txt'),
};

function tasksJson(tasks: Array<{ id: number; title: string; dependencies: number[] }>): string {
  return JSON.stringify({
    tasks: tasks.map((t) => ({ ...t, description: `Do ${t.title}` })),
  });
}

describe('a plan runs for real', () => {
  const suite = consoleSuite(scenarios);

  test('three tasks in two waves: gated, merged in order, one gate failing then passing on the retry', async () => {
    const repo = suite.workspaces.repo('plan-run', {
      'package.json': JSON.stringify({ scripts: { test: 'node check.mjs' } }),
      'check.mjs': CHECK,
    });
    const main = git(repo, 'rev-parse', 'main');
    const { context, page } = await openConsole(suite.browser, suite.app);
    await savePlan(
      page,
      tasksJson([
        { id: 1, title: 'Part Alpha', dependencies: [] },
        { id: 2, title: 'Part Beta', dependencies: [] },
        { id: 3, title: 'Part Gamma', dependencies: [1, 2] },
      ]),
      { name: 'Parts', repo },
    );
    await openPlan(page, 'parts');
    const dialog = page.getByRole('dialog', { name: 'Plan' });
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForPlanState(page, 'done');
    await saveScreenshot(page, 'plan-run-done');

    const tasks = dialog.getByRole('list', { name: 'Plan tasks' });
    const label = (id: string) => tasks.locator(`[data-task="${id}"]`).innerText();
    // The graph: waves as columns, each task's card in its wave, all on screen at 1280x720.
    await page.setViewportSize({ width: 1280, height: 720 });
    await tasks.locator('[data-task="3"]').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'plan-run-graph-1280x720');
    const waves = await tasks
      .locator('[data-wave]')
      .evaluateAll((columns) =>
        columns.map((c) =>
          [...c.querySelectorAll('[data-task]')].map(
            (t) => `${t.getAttribute('data-task')}:${t.getAttribute('data-state')}`,
          ),
        ),
      );
    assert.deepEqual(waves, [['1:merged', '2:merged'], ['3:merged']]);
    for (const id of ['1', '2', '3']) {
      const box = await tasks.locator(`[data-task="${id}"]`).boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= 1280,
        `task ${id} is on screen: ${JSON.stringify(box)}`,
      );
    }
    assert.match(await label('1'), /merged\s+attempts 1/);
    assert.match(await label('2'), /merged\s+attempts 2/);
    assert.match(await label('3'), /merged\s+attempts 1/);

    const branch = 'troika/plan-parts';
    assert.equal(git(repo, 'show', `${branch}:parts/a.txt`), 'a');
    assert.equal(git(repo, 'show', `${branch}:parts/b.txt`), 'b');
    assert.equal(git(repo, 'show', `${branch}:parts/c.txt`), 'c');
    assert.equal(git(repo, 'rev-parse', 'main'), main, 'the user’s branch is untouched');
    // The gate's output reached Beta's agent as its steering message.
    assert.ok(
      suite.server.messageRequests.some((r) => r.rawBody.includes('BUG found in b.txt')),
      'the failing gate output was sent back to the agent',
    );

    // Clicking a task opens its details: its diff, its gate runs by attempt, its agent's panel.
    await tasks.locator('[data-task="2"] button.task').click();
    const details = dialog.locator('[data-task-details]');
    await details.getByRole('tab', { name: 'Diff' }).click();
    const files = details.getByRole('listbox', { name: 'Files changed by the task' });
    await files.locator('[data-file]').first().waitFor();
    assert.deepEqual(
      await files
        .locator('[data-file]')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-file'))),
      ['parts/b.txt'],
    );
    assert.match(await files.locator('[data-file="parts/b.txt"]').innerText(), /\+1\s*−0/);
    assert.match(
      await details.locator('[data-diff-summary]').innerText(),
      /^Merge [0-9a-f]{12} on the plan’s branch: 1 file \+1 −0/,
    );
    const patch = details.getByLabel('Diff of parts/b.txt');
    assert.deepEqual(
      (await patch.locator('.line[data-kind="add"]').allInnerTexts()).map((l) => l.trim()),
      ['+b'],
      'the merged change, not the first attempt’s BUG',
    );
    await details.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'plan-run-task-diff-1280x720');
    const diffBox = await patch.boundingBox();
    assert.ok(
      diffBox && diffBox.x >= 0 && diffBox.x + diffBox.width <= 1280 && diffBox.height > 100,
      `the diff is on screen: ${JSON.stringify(diffBox)}`,
    );

    await details.getByRole('tab', { name: 'Gates' }).click();
    const attempt = (n: number) => details.locator(`[data-attempt="${n}"]`);
    await attempt(1).waitFor();
    assert.equal(await details.locator('[data-attempt]').count(), 2);
    const failed = attempt(1).locator('.run[data-where="task"]');
    assert.equal(await failed.getAttribute('data-passed'), 'false');
    assert.equal(await failed.locator('.command').innerText(), '$ npm run test');
    assert.match(await failed.locator('.check .meta').innerText(), /^exit 1 · [\d.]+ (ms|s)$/);
    assert.match(await failed.locator('pre').innerText(), /BUG found in b\.txt/);
    const passed = attempt(2).locator('.run[data-where="task"]');
    assert.equal(await passed.getAttribute('data-passed'), 'true');
    assert.match(await passed.locator('pre').innerText(), /parts ok/);
    const integrated = attempt(2).locator('.run[data-where="integration"]');
    assert.equal(await integrated.getAttribute('data-passed'), 'true');
    assert.match(await integrated.locator('pre').innerText(), /parts ok/);
    await saveScreenshot(page, 'plan-run-task-gates-1280x720');

    await details.getByRole('tab', { name: 'Panel' }).click();
    await details.getByRole('button', { name: 'Show its agent’s panel' }).click();
    await panelOf(page, 'Part Beta').waitFor();
    await context.close();
  });

  test('the backend killed mid-plan: the plan resumes at start-up and its merged task is not run again', async () => {
    const repo = suite.workspaces.repo('plan-resume', {
      'package.json': JSON.stringify({ scripts: { test: 'node check.mjs' } }),
      'check.mjs': CHECK,
    });
    const { context, page } = await openConsole(suite.browser, suite.app);
    await savePlan(
      page,
      tasksJson([
        { id: 1, title: 'Part Delta', dependencies: [] },
        { id: 2, title: 'Part Epsilon', dependencies: [1] },
      ]),
      { name: 'Resume', repo },
    );
    await openPlan(page, 'resume');
    const dialog = page.getByRole('dialog', { name: 'Plan' });
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForTaskState(page, '2', 'running');
    await context.close();

    await suite.app.kill();
    await suite.app.start();
    const reopened = await openConsole(suite.browser, suite.app);
    await reopened.page.getByRole('button', { name: 'Plan', exact: true }).click();
    await openPlan(reopened.page, 'resume');
    await waitForPlanState(reopened.page, 'done');
    const again = reopened.page
      .getByRole('dialog', { name: 'Plan' })
      .getByRole('list', { name: 'Plan tasks' });
    assert.match(await again.locator('[data-task="1"]').innerText(), /merged\s+attempts 1/);
    assert.match(await again.locator('[data-task="2"]').innerText(), /merged/);
    const deltaRuns = suite.server.messageRequests.filter(
      // Its reviewer's request names the task too; it is not the builder's.
      (r) =>
        r.rawBody.includes('Part Delta') &&
        !r.rawBody.includes('"role":"assistant"') &&
        !r.rawBody.includes('Review round'),
    );
    assert.equal(deltaRuns.length, 1, 'the merged task’s agent started once');
    assert.equal(git(repo, 'show', 'troika/plan-resume:parts/d.txt'), 'd');
    assert.equal(git(repo, 'show', 'troika/plan-resume:parts/e.txt'), 'e');
    await reopened.context.close();
  });
});
