/**
 * The desktop app, launched through Playwright's Electron driver, mirroring
 * the web-mode smoke tests: open, a terminal that echoes, a scripted agent.
 * It runs wherever an Electron binary exists; where none does (its download
 * host is unreachable on the build machines), it says so in one line and
 * skips with that reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import {
  startMessagesServer,
  type MessagesServer,
} from '../backend/testing/messages-server/index.ts';
import { findElectronBinary } from '../electron/binary.ts';
import { saveScreenshot } from './support/chromium.ts';
import { panelOf, startAgent, waitForStatus, Workspaces } from './support/console.ts';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist', 'node', 'electron', 'main.js');
const binary = findElectronBinary();
const skip = binary.found ? false : `no Electron binary here: ${binary.reason}`;
if (skip) console.log(`electron e2e did not run: ${skip}`);

describe('desktop app (Electron)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'troika-electron-e2e-'));
  const workspaces = new Workspaces();
  let server: MessagesServer;
  let app: ElectronApplication;
  let window: Page;

  before(async () => {
    if (!binary.found) return;
    server = await startMessagesServer({
      script: [
        { toolUses: [{ name: 'bash', input: { command: 'echo desktop-agent-was-here' } }] },
        {
          toolUses: [
            {
              name: 'finish',
              input: { status: 'COMPLETE', summary: 'Echoed.', assumptions: [], blockers: [] },
            },
          ],
        },
      ],
    });
    app = await _electron.launch({
      executablePath: binary.path,
      args: [MAIN],
      env: {
        ...process.env,
        TROIKA_DATA_DIR: dataDir,
        ANTHROPIC_BASE_URL: server.url,
        ANTHROPIC_API_KEY: server.apiKey,
        TROIKA_AGENT_SOURCE_RC: '0',
        SHELL: '/bin/bash',
      } as Record<string, string>,
    });
    window = await app.firstWindow();
  });

  after(async () => {
    await app?.close();
    await server?.close();
    workspaces.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test(
    'opens a window with the console, connected to the backend in its own process',
    { skip },
    async () => {
      await window.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
      // The backend (terminals, agents, database) runs in a utility process, not in the main process.
      const processes = await app.evaluate(({ app: electronApp }) =>
        electronApp.getAppMetrics().map((metric) => ({ type: metric.type, name: metric.name })),
      );
      assert.ok(
        processes.some((p) => p.type === 'Utility' && p.name === 'Troika backend'),
        JSON.stringify(processes),
      );
      assert.equal(await window.getByRole('region', { name: /Agent slot/ }).count(), 3);
      const exposed = await window.evaluate(() =>
        Object.keys((globalThis as unknown as { troika: object }).troika).sort(),
      );
      assert.deepEqual(exposed, ['onMessage', 'send']);
      assert.equal(
        await window.evaluate(() => typeof (globalThis as { require?: unknown }).require),
        'undefined',
      );
      await saveScreenshot(window, 'electron-console');
    },
  );

  test('a user shell echoes what is typed', { skip }, async () => {
    await window.getByRole('button', { name: 'New shell' }).click();
    const terminal = window.locator('[aria-label^="Terminal "]').last();
    await terminal.waitFor();
    await terminal.click();
    await window.keyboard.type('echo hello-from-electron');
    await window.keyboard.press('Enter');
    await terminal
      .locator('.xterm-rows')
      .filter({ hasText: /^hello-from-electron$/m })
      .waitFor();
  });

  test('a scripted agent runs its command in its terminal and finishes', { skip }, async () => {
    const task = 'desktop smoke: echo once';
    const panel = await startAgent(window, { task, workspace: workspaces.repo('desktop') });
    await panel
      .locator('.xterm-rows')
      .filter({ hasText: /desktop-agent-was-here/ })
      .waitFor();
    await waitForStatus(panelOf(window, task), /Done/);
    await saveScreenshot(window, 'electron-agent');
  });
});
