/**
 * The agent console end to end: web mode in Chromium against the scripted
 * Messages API server, each behaviour through the path a user takes.
 * Screenshots go to test-results/ (console-*.png).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { MessagesServer } from '../backend/testing/messages-server/index.ts';
import { saveScreenshot } from './support/chromium.ts';
import {
  consoleApp,
  conversationOf,
  launchConsoleBrowser,
  notifications,
  openConsole,
  panelOf,
  seriousViolations,
  startAgent,
  startScriptedServer,
  statusOf,
  waitForStatus,
  waitForPage,
  waitForTerminal,
  Workspaces,
  type AgentRequest,
} from './support/console.ts';
import type { WebApp } from './support/web-app.ts';

/** Slow enough to watch: 12 characters per event. */
const STREAM_PACE = { betweenEventsMs: 60 };
const LONG_TEXT =
  'Reading the project layout, then the tests, then the build scripts, to see where this change belongs. '.repeat(
    3,
  );

/** Holds the first reply of each streaming agent until all three asked, so they stream at the same time. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++arrived >= count) release();
    return all;
  };
}

const threeAtOnce = barrier(3);

const scenarios = {
  'stream-': async ({ task, step }: AgentRequest) => {
    const n = /stream-(\d)/.exec(task)?.[1] ?? '?';
    if (step === 0) {
      await threeAtOnce();
      return {
        text: LONG_TEXT,
        toolUses: [{ name: 'bash', input: { command: `echo stream-${n}-$((40+2))` } }],
        delay: STREAM_PACE,
      };
    }
    return { text: `Agent ${n} is done.` };
  },
  'pause-steer': ({ step, lastUser }: AgentRequest) => {
    if (step === 0)
      return {
        text: LONG_TEXT,
        toolUses: [{ name: 'bash', input: { command: 'echo first-step' } }],
        delay: { betweenEventsMs: 100 },
      };
    return {
      text: lastUser.includes('Use tabs, not spaces')
        ? 'Steered: switching to tabs.'
        : 'No steering message arrived.',
    };
  },
  'risky-commands': ({ step, lastUser }: AgentRequest) => {
    if (step === 0)
      return {
        toolUses: [
          { name: 'bash', input: { command: 'rm -rf build-output && echo removed-$((40+2))' } },
        ],
      };
    if (step === 1)
      return {
        text: 'Now publishing.',
        toolUses: [{ name: 'bash', input: { command: 'git push origin main' } }],
      };
    return {
      text: lastUser.includes('The user denied')
        ? 'Understood: I will not push.'
        : 'The push was not denied.',
    };
  },
  'budget-cap': () => ({
    text: 'Planning a large change.',
    toolUses: [{ name: 'bash', input: { command: 'echo should-not-run' } }],
    // $0.20 of output at the default model's $10 per million tokens: past a $0.05 budget in one reply.
    outputTokens: 20_000,
  }),
  'ask-question': ({ step, lastUser }: AgentRequest) => {
    if (step === 0)
      return {
        toolUses: [
          { name: 'ask_user', input: { question: 'Which port should the dev server use?' } },
        ],
      };
    return { text: `Using port ${/\d{2,5}/.exec(lastUser)?.[0] ?? 'none'}.` };
  },
  'history-run': ({ step }: AgentRequest) =>
    step === 0
      ? { toolUses: [{ name: 'bash', input: { command: 'echo scrollback-marker-$((6*7))' } }] }
      : { text: 'History run complete.' },
  'write-notes': ({ step }: AgentRequest) =>
    step === 0
      ? {
          toolUses: [
            {
              name: 'str_replace_based_edit_tool',
              input: {
                command: 'create',
                path: 'notes.txt',
                file_text: 'first line\nsecond line\n',
              },
            },
          ],
        }
      : {
          text: 'Wrote the notes.',
          toolUses: [
            {
              name: 'finish',
              input: {
                status: 'COMPLETE',
                summary: 'notes.txt holds the two lines.',
                assumptions: ['Plain text is fine.'],
              },
            },
          ],
        },
};

describe('agent console', () => {
  let browser: Browser;
  let server: MessagesServer;
  let workspaces: Workspaces;
  let app: WebApp | undefined;

  before(async () => {
    browser = await launchConsoleBrowser();
    server = await startScriptedServer(scenarios);
    workspaces = new Workspaces();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    workspaces?.dispose();
  });

  async function freshApp(): Promise<WebApp> {
    await app?.dispose();
    app = consoleApp(server);
    await app.start();
    return app;
  }
  after(async () => app?.dispose());

  test('three agents run side by side, each streaming its conversation and terminal', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    const panels = [];
    for (const n of [1, 2, 3])
      panels.push(
        await startAgent(page, {
          task: `stream-${n}: survey the project`,
          workspace: workspaces.repo(`stream-${n}`),
        }),
      );
    // All three stream at once: each shows text still being written.
    await Promise.all(
      panels.map((panel) => conversationOf(panel).locator('.assistant.streaming').waitFor()),
    );
    await saveScreenshot(page, 'console-three-streaming');
    for (const [i, panel] of panels.entries()) {
      await waitForStatus(panel, 'Done');
      await conversationOf(panel)
        .getByText(`Agent ${i + 1} is done.`)
        .waitFor();
      await waitForTerminal(panel, new RegExp(`stream-${i + 1}-42`));
    }
    assert.equal(await page.locator('tk-agent-panel').count(), 3);
    await saveScreenshot(page, 'console-three-done');

    // One agent fills the window, and the shortcut brings the three back.
    const second = panels[1] as Locator;
    await second.getByRole('button', { name: 'Fill the window' }).click();
    await (panels[0] as Locator).waitFor({ state: 'hidden' });
    assert.equal(await (panels[2] as Locator).isVisible(), false);
    await saveScreenshot(page, 'console-focused');
    await page.keyboard.press('Alt+Shift+KeyF');
    await (panels[0] as Locator).waitFor({ state: 'visible' });
    assert.equal(await (panels[2] as Locator).isVisible(), true);
    await context.close();
  });

  test('an agent paused mid-run holds, shows a steering message as queued, and takes it in on resume', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    const task = 'pause-steer: format the config files';
    const panel = await startAgent(page, { task, workspace: workspaces.repo('pause-steer') });
    await conversationOf(panel).locator('.assistant.streaming').waitFor();
    await panel.getByRole('button', { name: 'Pause' }).click();
    await waitForStatus(panel, /Paus/);
    await waitForStatus(panel, 'Paused');
    const requestsWhilePaused = server.messageRequests.filter((r) =>
      JSON.stringify(r.body).includes('pause-steer'),
    ).length;

    await panel.getByRole('textbox', { name: /^Steer agent/ }).fill('Use tabs, not spaces');
    await panel.getByRole('textbox', { name: /^Steer agent/ }).press('Enter');
    const queued = conversationOf(panel).locator('[data-source="queued"]');
    await queued.filter({ hasText: 'Use tabs, not spaces' }).waitFor();
    await saveScreenshot(page, 'console-paused-steer-queued');
    assert.equal(
      await statusOf(panel).innerText(),
      'Paused',
      'a steer does not wake a paused agent',
    );

    await panel.getByRole('button', { name: 'Resume' }).click();
    await conversationOf(panel).getByText('Steered: switching to tabs.').waitFor();
    await queued.waitFor({ state: 'detached' });
    await conversationOf(panel)
      .locator('[data-source="steer"]')
      .filter({ hasText: 'Use tabs, not spaces' })
      .waitFor();
    assert.equal(requestsWhilePaused, 1, 'no model request was made while paused');
    await waitForStatus(panel, 'Done');
    await context.close();
  });

  test('a risky command waits for approval (flagged in panel, title and a notification); one is approved, the next denied', async () => {
    const { context, page } = await openConsole(browser, await freshApp(), {
      recordNotifications: true,
    });
    const task = 'risky-commands: clean and publish';
    const panel = await startAgent(page, { task, workspace: workspaces.repo('risky') });
    await waitForStatus(panel, 'Needs approval');
    await panel.getByText('Waiting for you: approve or deny').waitFor();
    const card = panel.getByRole('region', { name: 'Approval needed' });
    await card.getByText('$ rm -rf build-output && echo removed-$((40+2))').waitFor();
    assert.equal(await page.title(), '(1) Troika — waiting');
    const notes = await notifications(page);
    assert.ok(
      notes.some(
        (n) => n.title === 'An agent asks for approval' && n.body.includes('rm -rf build-output'),
      ),
      JSON.stringify(notes),
    );
    await saveScreenshot(page, 'console-approval');

    // Approve with the keyboard shortcut shown in the button's tooltip.
    await page.keyboard.press('Alt+Shift+KeyA');
    await waitForTerminal(panel, /removed-42/);
    await card.getByText('$ git push origin main').waitFor();
    await card.getByRole('textbox', { name: /Reason for denying/ }).fill('not before review');
    await card.getByRole('button', { name: 'Deny' }).click();
    await conversationOf(panel).getByText('Understood: I will not push.').waitFor();
    await waitForStatus(panel, 'Done');

    const decisions = await conversationOf(panel)
      .locator('tk-tool-call details')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-decision')));
    assert.deepEqual(decisions, ['approved', 'denied by you']);
    assert.equal(await page.title(), 'Troika');
    await saveScreenshot(page, 'console-approved-and-denied');
    await context.close();
  });

  test('a budget stop ends the run before the next command, says why, and fills the budget bar', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    const task = 'budget-cap: refactor everything';
    const panel = await startAgent(page, {
      task,
      workspace: workspaces.repo('budget'),
      budget: 0.05,
    });
    await waitForStatus(panel, 'Stopped');
    await conversationOf(panel)
      .locator('.notice')
      .filter({ hasText: /budget of \$0\.05\d* is reached/ })
      .waitFor();
    const bar = panel.getByRole('progressbar', { name: 'Budget' });
    assert.equal(await bar.getAttribute('data-level'), 'over');
    const tool = conversationOf(panel).locator('tk-tool-call');
    assert.match(
      await tool.innerText(),
      /failed/,
      'the command of the over-budget reply did not run',
    );
    const resume = panel.getByRole('button', { name: /^Resume with \$\d+\.\d\d budget$/ });
    const raised = /\$(\d+\.\d\d)/.exec(await resume.innerText())?.[1];
    assert.ok(raised && Number(raised) > 0.05, `resuming offers a higher budget, got ${raised}`);
    await saveScreenshot(page, 'console-budget-stop');
    // Resumed with the raised cap, the scripted reply (another $0.20) reaches it too: the new cap is what stops it now.
    await resume.click();
    await conversationOf(panel)
      .locator('.notice')
      .filter({ hasText: new RegExp(`budget of \\$${raised.replace('.', '\\.')}\\d* is reached`) })
      .waitFor();
    await context.close();
  });

  test('a question from the agent is answered in its panel and the agent carries on with the answer', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    const task = 'ask-question: set up the dev server';
    const panel = await startAgent(page, { task, workspace: workspaces.repo('question') });
    await waitForStatus(panel, 'Has a question');
    const card = panel.getByRole('region', { name: 'Question from the agent' });
    await card.getByText('Which port should the dev server use?').waitFor();
    assert.equal(await page.title(), '(1) Troika — waiting');
    await card.getByRole('textbox', { name: 'Your answer' }).fill('8080');
    await saveScreenshot(page, 'console-question');
    await card.getByRole('button', { name: 'Answer' }).click();
    await conversationOf(panel).getByText('Using port 8080.').waitFor();
    await waitForStatus(panel, 'Done');
    await context.close();
  });

  test("an agent's changes are shown file by file, kept as a commit on its branch, then discarded", async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    const repo = workspaces.repo('changes');
    const panel = await startAgent(page, {
      task: 'write-notes: jot down two lines',
      workspace: repo,
      persona: 'docs',
    });
    await waitForStatus(panel, 'Done');
    await panel.getByText('docs (pinned)').waitFor();
    const report = conversationOf(panel).getByRole('group', { name: 'Report from the agent' });
    await report.getByText('notes.txt holds the two lines.').waitFor();
    assert.match(await report.innerText(), /Complete[\s\S]*Plain text is fine\./);
    await panel.getByRole('button', { name: 'Changes' }).click();
    const dialog = page.getByRole('dialog', { name: /^Changes/ });
    await dialog.getByRole('option', { name: /notes\.txt/ }).waitFor();
    await dialog.locator('.line[data-kind="add"]').filter({ hasText: '+second line' }).waitFor();
    await saveScreenshot(page, 'console-changes');
    await dialog.getByRole('button', { name: 'Keep (commit)' }).click();
    await dialog.getByText('committed', { exact: true }).waitFor();
    await dialog.getByText(/1 commit\./).waitFor();
    await dialog.getByRole('button', { name: 'Discard all…' }).click();
    await dialog.getByRole('button', { name: 'Yes, discard all' }).click();
    await dialog.getByText('No changes since the start.').waitFor();
    assert.equal(
      execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }),
      '',
      "the user's own checkout is untouched",
    );
    await context.close();
  });

  test('after a server restart, the history lists the run; opened, it shows its transcript and terminal read-only', async () => {
    const restartable = await freshApp();
    const { context, page } = await openConsole(browser, restartable);
    const task = 'history-run: print a marker';
    const panel = await startAgent(page, { task, workspace: workspaces.repo('history') });
    await waitForStatus(panel, 'Done');

    await restartable.stop();
    await page.getByRole('status').filter({ hasText: 'Disconnected' }).waitFor();
    await restartable.start();
    await page
      .getByRole('status')
      .filter({ hasText: /^\s*Connected\s*$/ })
      .waitFor();
    await panel.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'History' }).click();
    const dialog = page.getByRole('dialog', { name: 'History' });
    const row = dialog.getByRole('row').filter({ hasText: task });
    await row.waitFor();
    assert.match(await row.innerText(), /done/);
    assert.match(await row.innerText(), /\$0\.\d{4}/);
    await saveScreenshot(page, 'console-history');
    await row.getByRole('button').click();
    await dialog.getByText('History run complete.').waitFor();
    await dialog
      .locator('.xterm-rows')
      .filter({ hasText: /scrollback-marker-42/ })
      .waitFor();
    await saveScreenshot(page, 'console-history-run');
    await context.close();
  });

  test('settings show whether a key is configured (never the key), and a saved default model is what a new agent gets', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByText('Configured').waitFor();
    await dialog
      .getByText(/ANTHROPIC_API_KEY/)
      .first()
      .waitFor();
    // What asks for approval, and why, is listed from the gate's own rules.
    const rules = dialog.getByRole('list', { name: 'Approval rules' });
    await rules.getByText('git push', { exact: true }).waitFor();
    await rules.getByText('writes a disk device').waitFor();
    assert.equal(
      (await page.content()).includes(server.apiKey),
      false,
      'the key never reaches the page',
    );
    await dialog.getByLabel('Base URL').fill('not a url');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText('Give an http:// or https:// URL.').waitFor();
    await dialog.getByLabel('Base URL').fill('');
    await dialog.getByLabel('Default model').fill('claude-haiku-4-5');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText(/^Saved to /).waitFor();
    await saveScreenshot(page, 'console-settings');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'New agent', exact: true }).first().click();
    const form = page.getByRole('dialog', { name: 'New agent' });
    // The form fills the model in from the saved settings.
    await waitForPage(
      page,
      `document.querySelector('input[formcontrolname="model"]')?.value === 'claude-haiku-4-5'`,
    );
    await form.getByRole('button', { name: 'Start agent' }).click();
    await form.getByText('Describe the task: the agent starts from it.').waitFor();
    await context.close();
  });

  test('the second provider and a model alias are set in Settings, and kept', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    await page.getByRole('button', { name: 'Settings' }).click();
    let dialog = page.getByRole('dialog', { name: 'Settings' });
    let routing = dialog.getByRole('form', { name: 'Model routing' });
    await dialog.getByText(/TROIKA_OPENAI_API_KEY/).waitFor();
    await routing.getByLabel('OpenAI-compatible server URL').fill('http://127.0.0.1:11434/v1');
    await routing.getByLabel(/Its models/).fill('qwen2.5-coder, llama3.1:8b');
    await routing.getByLabel('fast', { exact: true }).fill('openai:has space');
    await routing.getByRole('button', { name: 'Save model routing' }).click();
    await routing.getByText('A model id is not valid.').waitFor();
    await routing.getByLabel('fast', { exact: true }).fill('');
    await routing
      .getByLabel('coder', { exact: true })
      .fill('anthropic:claude-sonnet-5-5, openai:qwen2.5-coder');
    await routing.getByRole('button', { name: 'Save model routing' }).click();
    await routing.getByText('Model routing saved.').waitFor();
    // An alias left to its default now falls back to the server's first model.
    assert.match(
      (await routing.getByLabel('architect', { exact: true }).getAttribute('placeholder')) ?? '',
      /, openai:qwen2\.5-coder$/,
    );
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Settings' }).click();
    dialog = page.getByRole('dialog', { name: 'Settings' });
    routing = dialog.getByRole('form', { name: 'Model routing' });
    await waitForPage(
      page,
      `document.querySelector('input[data-alias="coder"]')?.value === 'anthropic:claude-sonnet-5-5, openai:qwen2.5-coder'`,
    );
    assert.equal(
      await routing.getByLabel('OpenAI-compatible server URL').inputValue(),
      'http://127.0.0.1:11434/v1',
    );
    await saveScreenshot(page, 'console-settings-routing');
    await context.close();
  });

  test('a field chosen while the new-agent dialog is still opening keeps the focus, and typing goes there', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    // As the quickest user could: into the workspace field the moment it is in the page, before
    // the dialog's first render and its open animation. Waiting frames instead raced the 150 ms
    // animation on a loaded machine (and missed the moment the initial focus is decided).
    await page.evaluate(`(() => {
      window.__fieldChosen = new Promise((resolve) => {
        const choose = () => {
          const field = document.querySelector('input[formcontrolname="workspace"]');
          if (!field?.isConnected) return false;
          observer.disconnect();
          const container = field.closest('mat-dialog-container');
          const stillOpening =
            !container.classList.contains('mdc-dialog--open') ||
            container.classList.contains('mdc-dialog--opening');
          field.focus();
          resolve({ stillOpening, focused: document.activeElement === field });
          return true;
        };
        const observer = new MutationObserver(choose);
        observer.observe(document.body, { childList: true, subtree: true });
      });
    })()`);
    await page.getByRole('button', { name: 'New agent', exact: true }).first().click();
    const chosen = (await page.evaluate('window.__fieldChosen')) as {
      stillOpening: boolean;
      focused: boolean;
    };
    assert.deepEqual(
      chosen,
      { stillOpening: true, focused: true },
      'the field was chosen before the dialog finished opening',
    );
    // The open animation's end comes after the first render (its timer is set later), so by
    // then the dialog's initial focus has been decided: it must have left the chosen field alone.
    await waitForPage(
      page,
      `(() => {
        const c = document.querySelector('mat-dialog-container');
        return c && c.classList.contains('mdc-dialog--open') && !c.classList.contains('mdc-dialog--opening');
      })()`,
    );
    await page.evaluate(
      `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))`,
    );
    await page.keyboard.type('/tmp/typed-here');
    const form = page.getByRole('dialog', { name: 'New agent' });
    assert.equal(await form.getByLabel('Workspace folder').inputValue(), '/tmp/typed-here');
    assert.equal(await form.getByLabel('Task').inputValue(), '');
    await context.close();
  });

  test('axe-core finds no serious or critical WCAG 2.1 AA violation on any screen, in light and dark', async () => {
    const running = await freshApp();
    const found: string[] = [];
    const check = async (page: Page, screen: string) => {
      for (const v of await seriousViolations(page))
        found.push(`${screen}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.join('\n    ')}`);
    };
    const task = 'risky-commands: accessibility pass';
    for (const theme of ['light', 'dark'] as const) {
      const { context, page } = await openConsole(browser, running, { theme });
      const panel =
        theme === 'light'
          ? await startAgent(page, { task, workspace: workspaces.repo('a11y') })
          : panelOf(page, task);
      await waitForStatus(panel, 'Needs approval');
      await check(page, `${theme} console`);
      await saveScreenshot(page, `console-${theme}-waiting`);

      await page.getByRole('button', { name: 'New agent', exact: true }).first().click();
      const form = page.getByRole('dialog', { name: 'New agent' });
      await form.getByRole('button', { name: 'Start agent' }).click();
      await form.getByText('Describe the task: the agent starts from it.').waitFor();
      await check(page, `${theme} new-agent dialog with errors`);
      await saveScreenshot(page, `console-${theme}-new-agent`);
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });

      await panel.getByRole('button', { name: 'Changes' }).click();
      const changes = page.getByRole('dialog', { name: /^Changes/ });
      await changes.getByText(/Branch troika\//).waitFor();
      await check(page, `${theme} changes dialog`);
      await page.keyboard.press('Escape');
      await changes.waitFor({ state: 'detached' });

      await page.getByRole('button', { name: 'History' }).click();
      const history = page.getByRole('dialog', { name: 'History' });
      await history.getByRole('row').filter({ hasText: task }).getByRole('button').click();
      await history
        .getByText('Transcript (read-only)')
        .or(history.getByRole('region', { name: 'Transcript (read-only)' }))
        .first()
        .waitFor();
      await check(page, `${theme} history run`);
      await history.getByRole('button', { name: '← All runs' }).click();
      await history.getByRole('table').waitFor();
      await check(page, `${theme} history list`);
      await page.keyboard.press('Escape');
      await history.waitFor({ state: 'detached' });

      await page.getByRole('button', { name: 'Settings' }).click();
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await settings.getByRole('img', { name: /Prompt cache per run/ }).waitFor();
      await check(page, `${theme} settings`);
      await saveScreenshot(page, `console-${theme}-settings`);
      await page.keyboard.press('Escape');
      await settings.waitFor({ state: 'detached' });
      await context.close();
    }
    assert.deepEqual(found, [], found.join('\n'));
  });
});
