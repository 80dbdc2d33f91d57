/**
 * Planning end to end: web mode in Chromium against the scripted Messages
 * API server and a real git repository. "New plan from a goal" starts the
 * planner agent; while it explores, the plan view shows its steps and its
 * panel; it reads the README, submits a plan with a cycle and is told the
 * cycle by name, then submits a valid one. The user edits a task of the
 * draft and approves it: it is saved as a plan ready to start.
 * Screenshots go to test-results/ (plan-propose-*.png).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { saveScreenshot } from './support/chromium.ts';
import { openConsole, panelOf, type AgentRequest } from './support/console.ts';
import { consoleSuite } from './support/suite.ts';

const GOAL = 'Greet the world in English and French';

const task = (id: string, title: string, dependencies: string[], files: string[]) => ({
  id,
  title,
  description: `${title}, with a test`,
  acceptanceCriteria: [`${title} is printed`],
  testStrategy: 'npm test',
  dependencies,
  size: 'S',
  files,
});
const submit = (tasks: object[]) => ({
  toolUses: [{ name: 'submit_plan', input: { name: 'Greetings', tasks } }],
});

/** Released by the test once it has seen the planner at work. */
let releasePlanner: () => void = () => undefined;
const plannerMayGoOn = new Promise<void>((resolve) => (releasePlanner = resolve));

const scenarios = {
  [GOAL]: async ({ step, lastUser }: AgentRequest) => {
    if (step === 0)
      return {
        toolUses: [
          { name: 'str_replace_based_edit_tool', input: { command: 'view', path: 'README.md' } },
        ],
      };
    if (step === 1) {
      assert.match(lastUser, /SAY-HELLO/, 'the planner read the README');
      await plannerMayGoOn;
      return submit([
        task('en', 'English greeting', ['fr'], ['src/en.ts']),
        task('fr', 'French greeting', ['en'], ['src/fr.ts']),
      ]);
    }
    if (step === 2)
      return submit([
        task('en', 'English greeting', [], ['src/en.ts']),
        task('fr', 'French greeting', ['en'], ['src/fr.ts']),
      ]);
    return { text: 'Planned: two tasks.' };
  },
};

describe('a plan proposed from a goal', () => {
  const suite = consoleSuite(scenarios, { beforeDispose: releasePlanner });

  test('propose → the planner at work → its draft, the cycle it was told → edit a task → approve', async () => {
    const repo = suite.workspaces.repo('greeter', {
      'README.md': '# Greeter\nPrints SAY-HELLO.\n',
    });
    const { context, page } = await openConsole(suite.browser, suite.app);
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Plan' });
    await dialog.getByLabel('Goal', { exact: true }).fill(GOAL);
    await dialog.getByLabel('Workspace folder').fill(repo);
    await dialog.getByRole('button', { name: 'Propose plan' }).click();

    // The planner at work: its steps, its submissions, its panel.
    await dialog
      .getByRole('status')
      .filter({ hasText: 'The planner is exploring the repository' })
      .waitFor();
    await dialog
      .getByRole('list', { name: 'Planner steps' })
      .filter({ hasText: 'read README.md' })
      .waitFor();
    await saveScreenshot(page, 'plan-propose-working');
    await dialog.getByRole('button', { name: "Show the planner's panel" }).click();
    const panel = panelOf(page, 'Plan this goal as tasks for coding agents');
    await panel.waitFor();
    releasePlanner();

    // Its draft, after the cycle was named to it.
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: 'Draft ready for review' }).waitFor();
    assert.match(
      await dialog.locator('.rejected').innerText(),
      /submission 1 of 3\): Dependency cycle: en → fr → en/,
    );
    const waves = dialog.getByRole('list', { name: 'Waves' });
    assert.equal(await waves.getByRole('listitem').count(), 2);

    // Edit task fr: its title and files; Approve saves the edit first.
    const fr = dialog.locator('fieldset[data-task="fr"]');
    await fr.getByLabel('Title').fill('Greet in French');
    await fr.getByLabel('Files or globs').fill('src/fr.ts, src/i18n/fr.json');
    await fr.getByLabel('Size').selectOption('XS');
    await saveScreenshot(page, 'plan-propose-draft');
    await dialog.getByRole('button', { name: 'Approve plan' }).click();
    await dialog
      .getByRole('status')
      .filter({ hasText: 'Approved: the plan "Greetings" (2 tasks) is saved and ready to start' })
      .waitFor();
    const row = dialog.locator('[data-plan="greetings"]');
    await row.waitFor();
    assert.match(await row.innerText(), /troika\/plan-greetings\s+draft\s+0 of 2/);
    await row.getByRole('button', { name: 'Open' }).click();
    await dialog.getByText('Greet in French').first().waitFor();
    await saveScreenshot(page, 'plan-propose-approved');

    // The planner wrote nothing and made no branch.
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: repo }).toString(), '');
    assert.equal(
      execFileSync('git', ['branch', '--list'], { cwd: repo }).toString().trim(),
      '* main',
    );
    await context.close();
  });
});
