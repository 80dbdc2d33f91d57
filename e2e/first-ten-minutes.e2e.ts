/**
 * The README's "Your first ten minutes", step by step, against the scripted
 * Messages API server: `npm start`'s script without an Electron binary (web
 * mode, with the line saying why and how to get one), the console in
 * Chromium, one agent from task to changes merged into main, a continuation,
 * History.
 * If the README's steps change, this test changes with them.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { MessagesServer, Turn } from '../backend/testing/messages-server/index.ts';
import { saveScreenshot } from './support/chromium.ts';
import {
  conversationOf,
  launchConsoleBrowser,
  panelOf,
  startScriptedServer,
  UI_TIMEOUT_MS,
  VIEWPORT,
  waitForStatus,
  waitForTerminal,
  Workspaces,
  type AgentRequest,
} from './support/console.ts';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const TASK = 'Add a CONTRIBUTING.md that says how to run the tests';
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const scenarios = {
  [TASK]: ({ step }: AgentRequest): Turn => {
    switch (step) {
      case 0:
        return {
          text: 'Looking at the project first.',
          toolUses: [{ name: 'bash', input: { command: 'ls && echo listed-$((6*7))' } }],
        };
      case 1:
        return {
          toolUses: [
            {
              name: 'str_replace_based_edit_tool',
              input: {
                command: 'create',
                path: 'CONTRIBUTING.md',
                file_text: '# Contributing\n\nRun the tests with `npm test`.\n',
              },
            },
          ],
        };
      case 2:
        return { toolUses: [{ name: 'bash', input: { command: 'rm -rf .cache' } }] };
      case 3:
        return {
          toolUses: [
            {
              name: 'finish',
              input: { status: 'COMPLETE', summary: 'CONTRIBUTING.md says to run npm test.' },
            },
          ],
        };
      default:
        return { text: 'Added a line about npm run lint.' };
    }
  },
};

/** `node scripts/start.ts`, what `npm start` runs after its build, as a user would see it. */
class Started {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'troika-ten-minutes-'));
  output = '';
  #child: ChildProcess | undefined;

  async start(env: Record<string, string>): Promise<string> {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        TROIKA_DATA_DIR: this.dataDir,
        TROIKA_PORT: '0',
        TROIKA_TOKEN: randomBytes(32).toString('base64url'),
        TROIKA_AGENT_SOURCE_RC: '0',
        SHELL: '/bin/bash',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (this.output += chunk));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL:\n${this.output}`)), 20_000);
      child.stdout?.on('data', (chunk: string) => {
        this.output += chunk;
        const url = /^Open: (\S+)$/m.exec(this.output)?.[1];
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}:\n${this.output}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

describe('the README, first ten minutes', () => {
  let browser: Browser;
  let server: MessagesServer;
  let workspaces: Workspaces;
  const app = new Started();
  const noElectron = mkdtempSync(join(tmpdir(), 'troika-no-electron-'));

  before(async () => {
    browser = await launchConsoleBrowser();
    server = await startScriptedServer(scenarios);
    workspaces = new Workspaces();
  });
  after(async () => {
    await app.stop();
    await browser?.close();
    await server?.close();
    workspaces?.dispose();
    rmSync(noElectron, { recursive: true, force: true });
  });

  test('the steps work as written', async () => {
    assert.match(README, /## Your first ten minutes/);

    // 1. npm start without an Electron binary: one line why and how to get one, then web mode's URL.
    const url = await app.start({
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: server.apiKey,
      // No binary here, whatever this machine has installed.
      ELECTRON_OVERRIDE_DIST_PATH: noElectron,
    });
    assert.match(
      app.output,
      /^Starting web mode instead of the desktop app: .*ELECTRON_OVERRIDE_DIST_PATH/m,
    );
    assert.match(app.output, /`node node_modules\/electron\/install\.js`/);
    assert.match(app.output, /^Troika web mode is listening on 127\.0\.0\.1:\d+$/m);
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(url);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();

    // 2. New agent: the task, and a repository's full path (a relative one is refused).
    const repo = workspaces.repo('first-project');
    await page.getByRole('button', { name: 'New agent', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Task').fill(TASK);
    await dialog.getByLabel('Workspace folder').fill('first-project');
    await dialog.getByLabel('Task').click();
    await dialog.getByText(/"first-project" is a relative path/).waitFor();
    await dialog.getByLabel('Workspace folder').fill(repo);
    await dialog.getByText(/own worktree and branch; your checkout is untouched/).waitFor();

    // 3. Automatic persona: the form says which, and the words that chose it.
    await dialog
      .locator('[data-auto-persona]')
      .filter({ hasText: /^Automatic: qa — matched keywords test, tests/ })
      .waitFor();
    await saveScreenshot(page, 'first-ten-minutes-new-agent');
    await dialog.getByRole('button', { name: 'Start agent' }).click();
    const panel = panelOf(page, TASK);
    await panel.waitFor();

    // 4. Status, conversation, terminal; the persona chip says why.
    await conversationOf(panel).getByText('Looking at the project first.').waitFor();
    await waitForTerminal(panel, /listed-42/);
    await panel
      .getByRole('button', { name: /^Persona: qa, matched keywords test, tests/ })
      .waitFor();
    await conversationOf(panel).locator('tk-tool-call [data-status="ok"]').first().waitFor();

    // 5. A risky command waits, amber, for Approve or Deny.
    await waitForStatus(panel, 'Needs approval');
    await panel
      .getByRole('region', { name: 'Approval needed' })
      .getByText('$ rm -rf .cache')
      .waitFor();
    await saveScreenshot(page, 'first-ten-minutes-approval');
    await panel.getByRole('button', { name: 'Approve' }).click();

    // 6. The report; Changes, file by file; Keep (commit) on its branch; Merge into main, squashed with trailers.
    await waitForStatus(panel, 'Done');
    await conversationOf(panel)
      .getByRole('group', { name: 'Report from the agent' })
      .getByText('CONTRIBUTING.md says to run npm test.')
      .waitFor();
    await panel.getByRole('button', { name: 'Changes' }).click();
    const changes = page.getByRole('dialog', { name: /^Changes/ });
    await changes.getByRole('option', { name: /CONTRIBUTING\.md/ }).waitFor();
    const branch = /troika\/\S+/.exec(
      await changes.getByText(/^\s*Branch troika\//).innerText(),
    )?.[0];
    assert.ok(branch, 'the dialog names the branch');
    await changes.getByRole('button', { name: 'Keep (commit)' }).click();
    await changes.getByText('committed', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await changes.waitFor({ state: 'detached' });
    const before = git(repo, 'rev-parse', 'main');
    await panel.getByRole('button', { name: 'Merge' }).click();
    const merge = page.getByRole('dialog', { name: /Merge into main/ });
    await merge.getByText(/Clean merge: 1 file \(CONTRIBUTING\.md\)/).waitFor();
    assert.match(
      await merge.getByLabel('Commit message').inputValue(),
      /CONTRIBUTING\.md says to run npm test\./,
      'the message comes from the report',
    );
    assert.ok(await merge.getByRole('radio', { name: /Squash/ }).isChecked(), 'squash by default');
    await merge.getByRole('button', { name: 'Merge into main' }).click();
    const landed = /Landed on main as ([0-9a-f]{12})/.exec(
      await merge.getByText(/Landed on main as [0-9a-f]{12}/).innerText(),
    )?.[1];
    assert.ok(
      landed && git(repo, 'rev-parse', 'main').startsWith(landed),
      'main is the landed commit',
    );
    await saveScreenshot(page, 'first-ten-minutes-merged');
    await merge.getByRole('button', { name: 'Close' }).click();
    await merge.waitFor({ state: 'detached' });
    assert.equal(git(repo, 'rev-parse', 'main^'), before, 'one squash commit on top of main');
    assert.equal(
      git(repo, 'rev-list', '--count', 'main'),
      '2',
      'squashed: no commit of the branch',
    );
    assert.match(readFileSync(join(repo, 'CONTRIBUTING.md'), 'utf8'), /npm test/);
    assert.equal(
      git(repo, 'status', '--porcelain'),
      '',
      'the checkout is updated, not half-merged',
    );
    const body = git(repo, 'log', '-1', '--format=%B', 'main');
    assert.match(body, /^Add a CONTRIBUTING\.md that says how to run the tests\n/);
    assert.ok(
      body.includes(`\nTroika-Agent: ${branch}\n`),
      `the trailers name ${branch}:\n${body}`,
    );
    assert.ok(body.includes(`\nTroika-Task: ${TASK}\n`), 'the trailers name the task');
    assert.match(body, /^Troika-Persona: qa$/m);
    assert.match(body, /^Troika-Tokens: \d+$/m);
    assert.match(body, /^Troika-Cost: \$\d+\.\d{4}$/m);
    assert.match(body, /^Troika-Gates: none found$/m);

    // 7. A message continues the agent; History lists the run.
    const box = panel.getByRole('textbox', { name: /^Steer agent/ });
    await box.fill('Mention npm run lint too');
    await box.press('Enter');
    await conversationOf(panel).getByText('Added a line about npm run lint.').waitFor();
    await page.getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('dialog', { name: 'History' });
    const row = history.getByRole('row').filter({ hasText: TASK });
    await row.waitFor();
    assert.match(await row.innerText(), /\$0\.\d{4}/);
    await saveScreenshot(page, 'first-ten-minutes-history');
    await context.close();
  });
});
