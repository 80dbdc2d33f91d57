/**
 * The agent console end to end: web mode in Chromium against the scripted
 * Messages API server, each behaviour through the path a user takes.
 * Screenshots go to test-results/ (console-*.png).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { MessagesServer } from '../backend/testing/messages-server/index.ts';
import { saveScreenshot } from './support/chromium.ts';
import {
  consoleApp,
  conversationOf,
  launchConsoleBrowser,
  openConsole,
  startAgent,
  startScriptedServer,
  waitForStatus,
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
    await context.close();
  });
});
