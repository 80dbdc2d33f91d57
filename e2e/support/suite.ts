/**
 * What a suite of console tests shares: Chromium, the scripted Messages
 * server, throwaway repositories and one web-mode app, started before the
 * suite's first test and disposed after its last. Call inside `describe`.
 */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import type { MessagesServer } from '../../backend/testing/messages-server/index.ts';
import {
  consoleApp,
  launchConsoleBrowser,
  startScriptedServer,
  Workspaces,
  type Scenario,
} from './console.ts';
import type { WebApp } from './web-app.ts';

export interface ConsoleSuite {
  readonly browser: Browser;
  readonly server: MessagesServer;
  readonly workspaces: Workspaces;
  readonly app: WebApp;
}

export function consoleSuite(
  scenarios: Record<string, Scenario>,
  options: { beforeDispose?: () => void } = {},
): ConsoleSuite {
  const parts: Partial<{ -readonly [K in keyof ConsoleSuite]: ConsoleSuite[K] }> = {};
  before(async () => {
    parts.browser = await launchConsoleBrowser();
    parts.server = await startScriptedServer(scenarios);
    parts.workspaces = new Workspaces();
    parts.app = consoleApp(parts.server);
    await parts.app.start();
  });
  after(async () => {
    options.beforeDispose?.();
    await parts.app?.dispose();
    await parts.browser?.close();
    await parts.server?.close();
    parts.workspaces?.dispose();
  });
  const started = <K extends keyof ConsoleSuite>(key: K): ConsoleSuite[K] => {
    const part = parts[key];
    if (part === undefined) throw new Error(`the suite's ${key} is not started (use it in a test)`);
    return part as ConsoleSuite[K];
  };
  return {
    get browser() {
      return started('browser');
    },
    get server() {
      return started('server');
    },
    get workspaces() {
      return started('workspaces');
    },
    get app() {
      return started('app');
    },
  };
}
