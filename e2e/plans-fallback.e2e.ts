/**
 * A provider failure in a running plan, end to end in Chromium against web
 * mode: the OpenAI-compatible scripted server is set in Settings as the
 * second provider, with the `coder` alias falling back to it; the
 * Anthropic scripted server answers the plan builder's first turn, then
 * meets it with a 529 storm. The builder moves to the fallback model (its
 * panel says so, with the reason), finishes there, the plan is done, and
 * the builder's panel shows its cost by model: both models, each at its
 * own rates, as computed here from what each server reported.
 * Screenshot: test-results/plan-fallback-cost-by-model.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { costUsd } from '../backend/provider/models.ts';
import { faults, type MessagesServer } from '../backend/testing/messages-server/index.ts';
import { startOpenAIServer, type OpenAIServer } from '../backend/testing/openai-server/index.ts';
import { saveScreenshot } from './support/chromium.ts';
import {
  consoleApp,
  launchConsoleBrowser,
  openConsole,
  panelOf,
  startScriptedServer,
  Workspaces,
  type AgentRequest,
} from './support/console.ts';
import { git, PLAN_RUN_TIMEOUT_MS } from './support/plans.ts';
import type { WebApp } from './support/web-app.ts';

const ANTHROPIC_MODEL = 'claude-sonnet-5-5';
const OPENAI_MODEL = 'gpt-4.1-mini';

/** Answers at once (the SDK honours `retry-after-ms`), so the storm costs no real waiting. */
const storm = faults.overloaded({ headers: { 'retry-after-ms': '5' } });

const scenarios = {
  // The builder's first turn is answered; every later request meets the storm.
  'Part Sigma': ({ step }: AgentRequest) =>
    step === 0
      ? {
          toolUses: [
            { name: 'bash', input: { command: 'mkdir -p parts && echo s > parts/s.txt' } },
          ],
        }
      : storm,
};

function formatUsd(amount: number): string {
  return `$${amount.toFixed(amount < 1 ? 4 : 2)}`;
}

describe('a plan builder moved to the fallback provider', () => {
  let browser: Browser;
  let server: MessagesServer;
  let openai: OpenAIServer;
  let workspaces: Workspaces;
  let app: WebApp;

  before(async () => {
    browser = await launchConsoleBrowser();
    server = await startScriptedServer(scenarios);
    openai = await startOpenAIServer({
      models: [OPENAI_MODEL],
      handler: () => ({
        toolCalls: [
          {
            name: 'finish',
            arguments: {
              status: 'COMPLETE',
              summary: 'Wrote parts/s.txt; finished on the fallback.',
            },
          },
        ],
      }),
    });
    workspaces = new Workspaces();
    app = consoleApp(server, { TROIKA_OPENAI_API_KEY: openai.apiKey });
    await app.start();
  });

  after(async () => {
    await app?.dispose();
    await browser?.close();
    await server?.close();
    await openai?.close();
    workspaces?.dispose();
  });

  test('a 529 storm on Anthropic moves the builder to the OpenAI-compatible server; the plan finishes; cost is shown per model', async () => {
    const repo = workspaces.repo('plan-fallback', {
      'package.json': JSON.stringify({ scripts: { test: 'node -e "process.exit(0)"' } }),
    });
    const { context, page } = await openConsole(browser, app);

    // Settings: the second provider and the coder alias's chain.
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const routing = settings.getByRole('form', { name: 'Model routing' });
    await routing.getByLabel('OpenAI-compatible server URL').fill(openai.url);
    await routing.getByLabel(/Its models/).fill(OPENAI_MODEL);
    await routing
      .getByLabel('coder', { exact: true })
      .fill(`anthropic:${ANTHROPIC_MODEL}, openai:${OPENAI_MODEL}`);
    await routing.getByRole('button', { name: 'Save model routing' }).click();
    await routing.getByText('Model routing saved.').waitFor();
    await settings.getByRole('button', { name: 'Close' }).click();

    // A one-task plan whose builder works on the coder alias.
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Plan' });
    const tasks = [
      {
        id: 1,
        title: 'Part Sigma',
        description: 'Write parts/s.txt',
        dependencies: [],
        metadata: { troika: { size: 'S', model: 'coder' } },
      },
    ];
    await dialog.getByLabel('tasks.json').fill(JSON.stringify({ tasks }));
    await dialog.getByRole('button', { name: 'Check plan' }).click();
    await dialog.getByLabel('Name').fill('Fallback');
    await dialog.getByLabel('Repository').fill(repo);
    await dialog.getByRole('button', { name: 'Save plan' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await dialog.locator('[data-plan="fallback"]').getByRole('button', { name: 'Open' }).click();
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await dialog
      .locator('[data-plan-state]')
      .filter({ hasText: /^done$/ })
      .waitFor({ timeout: PLAN_RUN_TIMEOUT_MS });
    assert.equal(git(repo, 'show', 'troika/plan-fallback:parts/s.txt'), 's');

    // What each server reported, priced at each model's own rates.
    const anthropicCost = server.messageRequests
      .filter((r) => r.usage !== undefined)
      .reduce(
        (sum, r) =>
          sum +
          costUsd(ANTHROPIC_MODEL, {
            inputTokens: r.usage?.input_tokens ?? 0,
            outputTokens: r.usage?.output_tokens ?? 0,
            cacheCreationInputTokens: r.usage?.cache_creation_input_tokens ?? 0,
            cacheReadInputTokens: r.usage?.cache_read_input_tokens ?? 0,
          }),
        0,
      );
    const openaiCost = openai.chatRequests
      .filter((r) => r.usage !== undefined)
      .reduce((sum, r) => {
        const cached = r.usage?.prompt_tokens_details.cached_tokens ?? 0;
        return (
          sum +
          costUsd(`openai:${OPENAI_MODEL}`, {
            inputTokens: (r.usage?.prompt_tokens ?? 0) - cached,
            outputTokens: r.usage?.completion_tokens ?? 0,
            cacheCreationInputTokens: 0,
            cacheReadInputTokens: cached,
          })
        );
      }, 0);
    assert.ok(anthropicCost > 0 && openaiCost > 0);
    // The plan view counts the task's whole cost, both models.
    const taskCard = dialog.getByRole('list', { name: 'Plan tasks' }).locator('[data-task="1"]');
    const spent = await taskCard.locator('[data-task-budget]').innerText();
    assert.ok(spent.startsWith(`attempts 1 · ${formatUsd(anthropicCost + openaiCost)} `), spent);

    // The builder's panel: the switch with its reason, and the cost by model.
    await taskCard.locator('button.task').click();
    await dialog
      .locator('[data-task-details]')
      .getByRole('button', { name: 'Show its agent’s panel' })
      .click();
    await page.keyboard.press('Escape');
    const panel = panelOf(page, 'Part Sigma');
    await panel.waitFor();
    const notice = panel.getByText(
      new RegExp(
        `Switched from anthropic:${ANTHROPIC_MODEL} to openai:${OPENAI_MODEL} \\(the coder alias's next model\\): .*overloaded \\(529\\) after 3 attempts`,
      ),
    );
    await notice.waitFor();

    const byModel = panel.locator('[data-counter="cost-by-model"]');
    await byModel.waitFor();
    assert.equal(
      await byModel.innerText(),
      `${ANTHROPIC_MODEL} ${formatUsd(anthropicCost)} · openai:${OPENAI_MODEL} ${formatUsd(openaiCost)}`,
    );
    assert.equal(
      await panel.locator('[data-counter="cost"]').innerText(),
      formatUsd(anthropicCost + openaiCost),
    );
    await saveScreenshot(page, 'plan-fallback-cost-by-model');
    await context.close();
  });
});
