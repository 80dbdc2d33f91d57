/**
 * A plan task's review end to end: web mode in Chromium against the
 * scripted Messages API server, on a real git repository with a real gate.
 * The builder's first version passes the gate; the reviewer requests
 * changes with a finding; the findings go back to the same builder, whose
 * second version the reviewer approves; it merges. The plan view shows the
 * task's two reviews and the finding (file, lines, claim, evidence, fix).
 * While the first review runs, the task opens the reviewer's own panel: an
 * agent of the console (reviewer persona and alias, its Stop button), its
 * verdict a submit_review call in its conversation.
 * Screenshots: test-results/plan-reviewer-panel.png, plan-review-findings.png.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { saveScreenshot } from './support/chromium.ts';
import { openConsole, panelOf, statusOf, type AgentRequest } from './support/console.ts';
import { git, PLAN_RUN_TIMEOUT_MS } from './support/plans.ts';
import { consoleSuite } from './support/suite.ts';

const use = (name: string, input: Record<string, unknown>) => ({ toolUses: [{ name, input }] });
const finish = use('finish', { status: 'COMPLETE', summary: 'Done.' });

const FINDING = {
  file: 'notes/zeta.txt',
  startLine: 1,
  endLine: 1,
  severity: 'major',
  claim: 'The note is still a draft',
  evidence: 'notes/zeta.txt reads "zeta draft"; the criterion asks for "zeta"',
  suggestedFix: 'Write "zeta" to notes/zeta.txt',
};

/** Holds the first review until the test has looked at the reviewer's panel. */
let releaseReview: () => void = () => undefined;
const reviewHeld = new Promise<void>((resolve) => (releaseReview = resolve));

const scenarios = {
  'Review round 1': async () => {
    await reviewHeld;
    return use('submit_review', {
      verdict: 'request_changes',
      summary: 'Not there yet.',
      findings: [FINDING],
      risks: ['Other notes may hold drafts too'],
    });
  },
  'Review round 2': () => use('submit_review', { verdict: 'approve', summary: 'Meets it now.' }),
  'Part Zeta': ({ step }: AgentRequest) =>
    [
      use('bash', { command: 'mkdir -p notes && echo "zeta draft" > notes/zeta.txt' }),
      finish,
      use('bash', { command: 'echo zeta > notes/zeta.txt' }),
      finish,
    ][step] ?? finish,
};

describe('a plan task reviewed', () => {
  const suite = consoleSuite(scenarios);

  test('the reviewer requests changes, the builder’s second version is approved, the findings show on the task', async () => {
    const repo = suite.workspaces.repo('plan-review', {
      'package.json': JSON.stringify({ scripts: { test: 'node -e "process.exit(0)"' } }),
    });
    const { context, page } = await openConsole(suite.browser, suite.app);
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Plan' });
    const tasks = [
      {
        id: 1,
        title: 'Part Zeta',
        description: 'Write notes/zeta.txt',
        dependencies: [],
        metadata: { troika: { size: 'M', acceptanceCriteria: ['notes/zeta.txt holds "zeta"'] } },
      },
    ];
    await dialog.getByLabel('tasks.json').fill(JSON.stringify({ tasks }));
    await dialog.getByRole('button', { name: 'Check plan' }).click();
    await dialog.getByLabel('Name').fill('Reviewed');
    await dialog.getByLabel('Repository').fill(repo);
    await dialog.getByRole('button', { name: 'Save plan' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await dialog.locator('[data-plan="reviewed"]').getByRole('button', { name: 'Open' }).click();
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();

    // While it reviews, the task's details lead to the reviewer's panel: an agent of the console like the builder.
    const reviewing = dialog.locator('[data-task="1"] button.task[title^="In review: round 1"]');
    await reviewing.waitFor({ timeout: PLAN_RUN_TIMEOUT_MS });
    await reviewing.click();
    await dialog
      .locator('[data-task-details]')
      .getByRole('button', { name: 'Show its agent’s panel' })
      .click();
    const reviewer = panelOf(page, 'Review round 1, pass 1');
    await reviewer.waitFor();
    await reviewer.getByRole('button', { name: /^Persona: reviewer/ }).waitFor();
    assert.equal(await reviewer.locator('.model').innerText(), 'reviewer');
    assert.equal(await reviewer.getByRole('button', { name: 'Stop' }).isEnabled(), true);
    await saveScreenshot(page, 'plan-reviewer-panel');
    releaseReview();
    await statusOf(reviewer).filter({ hasText: 'Done' }).waitFor({ timeout: PLAN_RUN_TIMEOUT_MS });
    // Its verdict is its submit_review call, in its own conversation.
    await reviewer.getByText('submit_review', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await dialog.locator('[data-plan="reviewed"]').getByRole('button', { name: 'Open' }).click();
    await dialog
      .locator('[data-plan-state]')
      .filter({ hasText: /^done$/ })
      .waitFor({ timeout: PLAN_RUN_TIMEOUT_MS });

    const task = dialog.locator('[data-task="1"]');
    assert.match(await task.locator('[data-task-label]').innerText(), /merged/);
    const reviews = task.locator('[data-task-reviews]');
    await reviews.locator('summary').click();
    assert.match(await reviews.locator('summary').innerText(), /Reviews: 2 · last approved/);
    const requested = reviews.locator('[data-verdict="request_changes"]');
    assert.match(await requested.innerText(), /Round 1, pass 1: changes requested/);
    const finding = requested.locator('[data-severity="major"]');
    const text = await finding.innerText();
    assert.match(text, /notes\/zeta\.txt:1–1/);
    assert.match(text, /The note is still a draft/);
    assert.match(text, /Evidence: notes\/zeta\.txt reads "zeta draft"/);
    assert.match(text, /Fix: Write "zeta" to notes\/zeta\.txt/);
    assert.match(
      await reviews.locator('[data-verdict="approve"]').innerText(),
      /Round 2, pass 1: approved/,
    );
    await saveScreenshot(page, 'plan-review-findings');

    // The plan's review settings: a change is saved and read back.
    const settings = dialog.locator('[data-talk-settings]');
    await settings.locator('summary').click();
    assert.equal(await settings.getByLabel('Rounds of changes before you').inputValue(), '2');
    await settings.getByLabel('Rounds of changes before you').fill('3');
    await settings.getByLabel('Rounds of changes before you').dispatchEvent('change');
    await settings.getByLabel('XL').selectOption('1');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await dialog.locator('[data-plan="reviewed"]').getByRole('button', { name: 'Open' }).click();
    await dialog.locator('[data-talk-settings] summary').click();
    const reread = dialog.locator('[data-talk-settings]');
    assert.equal(await reread.getByLabel('Rounds of changes before you').inputValue(), '3');
    assert.equal(await reread.getByLabel('XL').inputValue(), '1');

    assert.equal(git(repo, 'show', 'troika/plan-reviewed:notes/zeta.txt'), 'zeta');
    // The finding reached the builder as its next message.
    assert.ok(
      suite.server.messageRequests.some(
        (r) => r.rawBody.includes('Part Zeta') && r.rawBody.includes('Before this merges'),
      ),
    );
    await context.close();
  });
});
