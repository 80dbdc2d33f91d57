/**
 * What a new user trips over in the first hour (issue 18), and truthful
 * results in the transcript (issue 15, item 6): web mode in Chromium against
 * the scripted Messages API server, each through the path a user takes.
 * Screenshots go to test-results/ (first-contact-*.png).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import type { MessagesServer, Turn } from '../backend/testing/messages-server/index.ts';
import { saveScreenshot } from './support/chromium.ts';
import {
  consoleApp,
  conversationOf,
  launchConsoleBrowser,
  openConsole,
  panelOf,
  startAgent,
  startScriptedServer,
  statusOf,
  waitForStatus,
  Workspaces,
  type AgentRequest,
} from './support/console.ts';
import type { WebApp } from './support/web-app.ts';

/** A promise the test resolves: holds a scripted reply, so its agent stays running. */
class Gate {
  #open: () => void = () => undefined;
  readonly promise = new Promise<void>((resolve) => (this.#open = resolve));
  open(): void {
    this.#open();
  }
}

/** One per busy agent: opened, that agent goes on. */
const holds: Record<string, Gate> = { '1': new Gate(), '2': new Gate(), '3': new Gate() };
/** Steps of a busy agent before it holds: a line of text and a command each. */
const BUSY_STEPS = 6;
const AUDIT_TASK = 'Audit the logging calls in src/ for leaked tokens';
const SLOW_TEXT = 'Writing a long explanation of the build, one slow word at a time. '.repeat(20);

const finish = (summary: string): Turn => ({
  toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary } }],
});

const scenarios = {
  'busy-': async ({ task, step }: AgentRequest): Promise<Turn> => {
    const n = /busy-(\d)/.exec(task)?.[1] ?? '?';
    if (step < BUSY_STEPS)
      return {
        text: `Step ${step + 1}: checking part ${step + 1}.`,
        toolUses: [{ name: 'bash', input: { command: `echo busy-${n}-part-${step + 1}` } }],
      };
    await holds[n]?.promise;
    // The third one then asks for approval: a slot held by an agent waiting for the user.
    if (n === '3' && step === BUSY_STEPS)
      return { toolUses: [{ name: 'bash', input: { command: 'rm -rf build-cache' } }] };
    return { text: `Agent ${n} is done.` };
  },
  [AUDIT_TASK]: ({ step }: AgentRequest): Turn => {
    if (step === 0) return { text: 'Looking at the logging calls.' };
    return { text: 'Continuing as asked.' };
  },
  'tests-fail': ({ step }: AgentRequest): Turn =>
    step === 0
      ? {
          toolUses: [{ name: 'bash', input: { command: "sh -c 'echo 1 failing test; exit 1'" } }],
        }
      : finish('Ran the tests: one fails, as the report says.'),
  'slow-stream': (): Turn => ({ text: SLOW_TEXT, delay: { betweenEventsMs: 150 } }),
  'two-files': ({ step }: AgentRequest): Turn =>
    step === 0
      ? {
          toolUses: [
            {
              name: 'str_replace_based_edit_tool',
              input: { command: 'create', path: 'notes.txt', file_text: 'one\ntwo\n' },
            },
          ],
        }
      : step === 1
        ? {
            toolUses: [
              {
                name: 'str_replace_based_edit_tool',
                input: { command: 'create', path: 'todo.txt', file_text: 'later\n' },
              },
            ],
          }
        : finish('Wrote notes.txt and todo.txt.'),
};

/** Entries of a conversation wholly inside its visible area. */
async function visibleEntries(panel: Locator): Promise<number> {
  return conversationOf(panel).evaluate((scroller) => {
    const box = scroller.getBoundingClientRect();
    return [...scroller.children].filter((child) => {
      const r = child.getBoundingClientRect();
      return r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    }).length;
  });
}

describe('first contact', () => {
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
    for (const gate of Object.values(holds)) gate.open();
    await app?.dispose();
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

  test('three running agents fit 1280x720 (eight entries a panel) and 1920x1080; New agent says up front which agents hold the slots', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    await page.setViewportSize({ width: 1280, height: 720 });
    const panels: Locator[] = [];
    for (const n of [1, 2, 3])
      panels.push(
        await startAgent(page, {
          task: `busy-${n}: check every part of the project`,
          workspace: workspaces.repo(`busy-${n}`),
        }),
      );
    for (const [i, panel] of panels.entries())
      await conversationOf(panel)
        .getByText(`Step ${BUSY_STEPS}: checking part ${BUSY_STEPS}.`)
        .waitFor({ timeout: 30_000 })
        .catch((e: unknown) => {
          throw new Error(`agent ${i + 1} did not reach its last step: ${String(e)}`);
        });
    for (const panel of panels) {
      await conversationOf(panel)
        .locator('tk-tool-call [data-status="ok"]')
        .nth(BUSY_STEPS - 1)
        .waitFor();
      assert.equal(await statusOf(panel).innerText(), 'Running');
    }
    await saveScreenshot(page, 'first-contact-1280x720');
    for (const [i, panel] of panels.entries()) {
      const shown = await visibleEntries(panel);
      assert.ok(shown >= 8, `panel ${i + 1} shows ${shown} whole transcript entries at 1280x720`);
    }

    // Three slots held: the toolbar says so before any form, and New agent cannot open one.
    const newAgent = page.getByRole('button', { name: 'New agent', exact: true }).first();
    assert.equal(await newAgent.isDisabled(), true, 'New agent is disabled with three running');
    const why = page.locator('#tk-slots-taken');
    assert.match(await why.innerText(), /^All 3 agent slots are taken: "busy-1: check every part/);
    await page.keyboard.press('Alt+Shift+KeyN');
    assert.equal(await page.getByRole('dialog', { name: 'New agent' }).count(), 0);

    await page.setViewportSize({ width: 1920, height: 1080 });
    await saveScreenshot(page, 'first-contact-1920x1080');
    for (const panel of panels) assert.ok((await visibleEntries(panel)) >= 8);

    // The third asks for approval: it still holds its slot, and is named for what it does.
    await page.setViewportSize({ width: 1280, height: 720 });
    holds['3']?.open();
    const third = panels[2] as Locator;
    await waitForStatus(third, 'Needs approval');
    await why
      .filter({ hasText: '"busy-3: check every part of the project" (waiting for your approval)' })
      .waitFor();
    assert.doesNotMatch(await why.innerText(), /are running/);
    // The deny reason's placeholder is readable whole, at every window width from 1280 to 1920.
    await third.getByRole('textbox', { name: /Reason for denying/ }).waitFor();
    const cut: string[] = [];
    for (let width = 1280; width <= 1920; width += 20) {
      await page.setViewportSize({ width, height: 720 });
      // A string: the e2e files are type-checked without the DOM library.
      const fits = (await page.evaluate(`(() => {
        const input = document.querySelector('input[aria-label^="Reason for denying"]');
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return { text: context.measureText(input.placeholder).width, room };
      })()`)) as { text: number; room: number };
      if (fits.text > fits.room)
        cut.push(`${width}px: needs ${Math.ceil(fits.text)}px, has ${fits.room}px`);
    }
    assert.deepEqual(cut, [], 'the deny placeholder is cut off');
    await page.setViewportSize({ width: 1280, height: 720 });
    await saveScreenshot(page, 'first-contact-slots-taken');
    await context.close();
  });

  test('the persona says why it was chosen, before the run and in the panel, and changes in one click', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    await page.getByRole('button', { name: 'New agent', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Task').fill(AUDIT_TASK);
    await dialog
      .locator('[data-auto-persona]')
      .filter({ hasText: 'Automatic: security — matched keywords audit, leak, leaked token' })
      .waitFor();
    // Persona options: one line each, name then description, not a wrapped wall.
    await dialog.getByRole('combobox', { name: 'Persona' }).click();
    const options = page.getByRole('option');
    await options.filter({ hasText: /^security — / }).waitFor();
    const heights = await options.evaluateAll((nodes) =>
      nodes.map((n) => n.getBoundingClientRect().height),
    );
    assert.ok(Math.max(...heights) <= 52, `option heights ${heights.join(', ')}`);
    await saveScreenshot(page, 'first-contact-persona-options');
    await page.keyboard.press('Escape');
    await dialog.getByLabel('Workspace folder').fill(workspaces.repo('audit'));
    await dialog.getByText('Git repository').waitFor();
    await dialog.getByRole('button', { name: 'Start agent' }).click();
    const panel = panelOf(page, AUDIT_TASK);
    await waitForStatus(panel, 'Done');
    await panel
      .getByRole('button', {
        name: /^Persona: security, matched keywords audit, leak, leaked token/,
      })
      .waitFor();
    await panel
      .locator('[data-persona-reason]')
      .filter({ hasText: 'matched keywords audit, leak, leaked token (score 3)' })
      .waitFor();

    // One click opens the list, one picks: a deliberate change of the prompt prefix, said in the conversation.
    await panel.getByRole('button', { name: /Change persona$/ }).click();
    await page.getByRole('menuitem', { name: 'qa' }).click();
    await panel
      .getByRole('button', { name: /^Persona: qa \(pinned\), pinned by the user/ })
      .waitFor();
    await conversationOf(panel)
      .locator('.notice')
      .filter({ hasText: 'qa: pinned by the user' })
      .waitFor();

    // A message to the finished agent continues it (not a "Steer"), with the qa persona in its prompt.
    const box = panel.getByRole('textbox', { name: /^Steer agent/ });
    await box.fill('Now list the files you checked');
    await box.press('Enter');
    await conversationOf(panel).getByText('Continuing as asked.').waitFor();
    const message = conversationOf(panel)
      .locator('.user')
      .filter({ hasText: 'Now list the files you checked' });
    assert.equal(await message.locator('.who').innerText(), 'Message (continues the agent)');
    const last = server.messageRequests
      .filter((r) => JSON.stringify(r.body).includes(AUDIT_TASK))
      .at(-1);
    assert.match(JSON.stringify(last?.body), /<persona name=\\"qa\\">/);
    await saveScreenshot(page, 'first-contact-persona');
    await context.close();
  });

  test('a command that exits 1 shows as failed with its code; a finish report shows once', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    const panel = await startAgent(page, {
      task: 'tests-fail: run the test suite',
      workspace: workspaces.repo('tests-fail'),
    });
    await waitForStatus(panel, 'Done');
    const tool = conversationOf(panel).locator('tk-tool-call');
    await tool.locator('[data-status="failed"]').filter({ hasText: 'failed (exit 1)' }).waitFor();
    const report = conversationOf(panel).getByRole('group', { name: 'Report from the agent' });
    await report.getByText('Ran the tests: one fails, as the report says.').waitFor();
    assert.equal(
      await conversationOf(panel)
        .getByText(/Ran the tests: one fails/)
        .count(),
      1,
      'the report is not repeated as a "Complete: …" line',
    );
    await saveScreenshot(page, 'first-contact-exit-code');
    await context.close();
  });

  test('Stop asks first, saying what it ends, and leaves no typing cursor behind', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    const panel = await startAgent(page, {
      task: 'slow-stream: explain the build',
      workspace: workspaces.repo('slow-stream'),
    });
    await conversationOf(panel).locator('.assistant.streaming').waitFor();
    await panel.getByRole('button', { name: 'Stop' }).click();
    const confirm = page.getByRole('alertdialog', { name: /^Stop "slow-stream/ });
    await confirm.getByText('The reply it is writing now is dropped.').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal(await statusOf(panel).innerText(), 'Running', 'Cancel keeps it running');

    await panel.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Stop the agent' }).click();
    await waitForStatus(panel, 'Stopped');
    await conversationOf(panel).locator('.assistant').first().waitFor();
    assert.equal(await conversationOf(panel).locator('.assistant.streaming').count(), 0);
    await context.close();
  });

  test('discarding a file and closing a panel with unmerged work ask first, naming what goes', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    const panel = await startAgent(page, {
      task: 'two-files: write notes and a todo',
      workspace: workspaces.repo('two-files'),
    });
    await waitForStatus(panel, 'Done');
    await panel.getByRole('button', { name: 'Changes' }).click();
    const changes = page.getByRole('dialog', { name: /^Changes/ });
    await changes.getByRole('option', { name: /notes\.txt/ }).click();
    await changes.getByRole('button', { name: 'Discard this file…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Discard the changes to notes.txt?' });
    await confirm.getByText(/2 added and 0 removed lines in notes\.txt/).waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    // Gone before the next one opens (it closes with an animation; two at once are ambiguous).
    await confirm.waitFor({ state: 'detached' });
    await changes.getByRole('option', { name: /notes\.txt/ }).waitFor();
    await changes.getByRole('button', { name: 'Discard this file…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard this file' }).click();
    await changes.getByRole('option', { name: /notes\.txt/ }).waitFor({ state: 'detached' });
    await changes.getByRole('button', { name: 'Discard all…' }).waitFor();
    await changes.getByRole('button', { name: 'Discard all…' }).click();
    await changes.getByText(/Lost: todo\.txt \(\+1 −0\)/).waitFor();
    await changes.getByRole('button', { name: 'Cancel' }).click();
    await page.keyboard.press('Escape');
    await changes.waitFor({ state: 'detached' });

    await panel.getByRole('button', { name: 'Close panel' }).click();
    const closing = page.getByRole('alertdialog', { name: /^Close the panel of "two-files/ });
    await closing.getByText(/not merged into your branch: 1 changed file \(todo\.txt\)/).waitFor();
    await saveScreenshot(page, 'first-contact-close-unmerged');
    await closing.getByRole('button', { name: 'Close panel' }).click();
    await panel.waitFor({ state: 'detached' });
    await context.close();
  });

  test('the new-agent form says what is wrong with a blank task and a relative folder; settings tell the two caches apart', async () => {
    const { context, page } = await openConsole(browser, await freshApp());
    await page.getByRole('button', { name: 'New agent', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Task').fill('   ');
    await dialog.getByLabel('Workspace folder').fill('src/app');
    await dialog.getByRole('button', { name: 'Start agent' }).click();
    await dialog.getByText('The task is only spaces: describe what the agent should do.').waitFor();
    await dialog
      .getByText(
        '"src/app" is a relative path: give the folder\'s full path, such as /home/you/src/app.',
      )
      .waitFor();
    await saveScreenshot(page, 'first-contact-form-errors');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings
      .getByText(/Anthropic's: the API keeps the unchanged start of each request/)
      .waitFor();
    await settings
      .getByText(/Troika's own: a file or command result the conversation already holds/)
      .waitFor();
    await context.close();
  });
});
