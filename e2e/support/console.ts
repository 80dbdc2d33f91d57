/**
 * The agent console end to end: web mode with a scripted Messages API server,
 * temp git repositories as workspaces, and the steps a user takes in the UI.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import {
  startMessagesServer,
  type MessagesServer,
  type RecordedRequest,
  type Turn,
} from '../../backend/testing/messages-server/index.ts';
import { launchChromium } from './chromium.ts';
import { WebApp } from './web-app.ts';

/** Wide enough for three panels side by side, as on a developer's screen. */
export const VIEWPORT = { width: 1600, height: 1000 };
/** Generous for a loaded 2-core machine; a wait this long means the test failed. */
export const UI_TIMEOUT_MS = 20_000;

/** Terminals on xterm.js's DOM renderer, whose text the tests read. */
export function launchConsoleBrowser(): Promise<Browser> {
  return launchChromium({ webgl: false });
}

/** What a scripted request tells about the agent that sent it. */
export interface AgentRequest {
  /** The agent's task (its first user message). */
  task: string;
  /** How many replies the agent already had: 0 for its first request. */
  step: number;
  /** Text of the last user turn: tool results and steering messages. */
  lastUser: string;
  request: RecordedRequest;
}

type Block = { type?: string; text?: unknown; content?: unknown };
type Message = { role: string; content: string | Block[] };

function textOf(content: string | Block[] | unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Block[])
    .map((b) => (typeof b.text === 'string' ? b.text : textOf(b.content)))
    .join('\n');
}

export function describeRequest(request: RecordedRequest): AgentRequest {
  const messages = ((request.body as { messages?: Message[] } | undefined)?.messages ??
    []) as Message[];
  return {
    task: textOf(messages[0]?.content ?? ''),
    step: messages.filter((m) => m.role === 'assistant').length,
    lastUser: textOf(messages.at(-1)?.content ?? ''),
    request,
  };
}

/** A scenario answers the requests of agents whose task contains its key. */
export type Scenario = (agent: AgentRequest) => Turn | Promise<Turn>;

/** One messages server for a suite; each test's agents find their scenario by a key in their task. */
/** A plan's reviewer approves unless a scenario (keyed "Review round …") says otherwise. */
const APPROVE = {
  toolUses: [{ name: 'submit_review', input: { verdict: 'approve', summary: 'Looks right.' } }],
};

export async function startScriptedServer(
  scenarios: Record<string, Scenario>,
): Promise<MessagesServer> {
  return startMessagesServer({
    script: (request) => {
      const agent = describeRequest(request);
      // A scenario the task starts with ("Review round 1") wins over one it only mentions:
      // a plan's reviewer is handed the task it reviews.
      const keys = Object.keys(scenarios);
      const first = keys.find((k) => agent.task.startsWith(k));
      if (first === undefined && agent.task.startsWith('Review round')) return APPROVE;
      const key = first ?? keys.find((k) => agent.task.includes(k));
      const scenario = key === undefined ? undefined : scenarios[key];
      return scenario ? scenario(agent) : { text: `No scenario for "${agent.task.slice(0, 60)}".` };
    },
  });
}

/** A throwaway folder for workspaces, removed by `dispose()`. */
export class Workspaces {
  readonly root = realpathSync(mkdtempSync(join(tmpdir(), 'troika-console-ws-')));

  /** A git repository with one commit, so each agent gets its own worktree. */
  repo(name: string, files: Record<string, string> = { 'README.md': `# ${name}\n` }): string {
    const dir = join(this.root, name);
    mkdirSync(dir, { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
    git('add', '.');
    git('commit', '-q', '-m', 'start');
    return dir;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Web mode talking to the scripted server, with quiet agent shells. */
export function consoleApp(server: MessagesServer, env: Record<string, string> = {}): WebApp {
  return new WebApp({
    env: {
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: server.apiKey,
      TROIKA_AGENT_SOURCE_RC: '0',
      SHELL: '/bin/bash',
      ...env,
    },
  });
}

export interface OpenOptions {
  theme?: 'light' | 'dark';
  /** Replaces the browser's Notification with a recorder that has permission (read with {@link notifications}). */
  recordNotifications?: boolean;
}

export async function openConsole(
  browser: Browser,
  app: WebApp,
  options: OpenOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    colorScheme: options.theme ?? 'light',
  });
  if (options.recordNotifications) {
    await context.addInitScript(`
      window.__notifications = [];
      window.Notification = class {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, options) { window.__notifications.push({ title, body: options && options.body }); }
        close() {}
      };
    `);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.goto(app.url);
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  return { context, page };
}

export async function notifications(page: Page): Promise<Array<{ title: string; body: string }>> {
  return (await page.evaluate('window.__notifications')) as Array<{ title: string; body: string }>;
}

export interface NewAgent {
  task: string;
  workspace: string;
  budget?: number;
  persona?: string;
}

/** Fills in the new-agent dialog as a user does and starts the agent; returns its panel. */
export async function startAgent(page: Page, agent: NewAgent): Promise<Locator> {
  await page.getByRole('button', { name: 'New agent', exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Task').fill(agent.task);
  await dialog.getByLabel('Workspace folder').fill(agent.workspace);
  await dialog.getByText('Git repository').waitFor();
  if (agent.budget !== undefined)
    await dialog.getByLabel('Budget (USD)').fill(String(agent.budget));
  if (agent.persona !== undefined) {
    await dialog.getByRole('combobox', { name: 'Persona' }).click();
    await page.getByRole('option', { name: new RegExp(`^${agent.persona} — `) }).click();
  }
  await dialog.getByRole('button', { name: 'Start agent' }).click();
  await dialog.waitFor({ state: 'detached' });
  const panel = panelOf(page, agent.task);
  await panel.waitFor();
  return panel;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The panel of the agent whose task starts with `task`. */
export function panelOf(page: Page, task: string): Locator {
  return page.getByRole('region', {
    name: new RegExp(`^Agent slot \\d: ${escapeRegExp(task.slice(0, 40))}`),
  });
}

export function statusOf(panel: Locator): Locator {
  return panel.getByRole('status', { name: /^Status:/ });
}

export async function waitForStatus(panel: Locator, label: string | RegExp): Promise<void> {
  await statusOf(panel).filter({ hasText: label }).waitFor();
}

/** The conversation of a panel. */
export function conversationOf(panel: Locator): Locator {
  return panel.getByRole('region', { name: /^Conversation of agent/ });
}

/** Waits until the panel's terminal (DOM renderer) shows `pattern`. */
export async function waitForTerminal(panel: Locator, pattern: RegExp): Promise<void> {
  await panel.locator('.xterm-rows').filter({ hasText: pattern }).waitFor();
}

/**
 * Waits, a frame at a time, until `expression` is true in the page. (Playwright's
 * `waitForFunction` with a string needs `eval`, which the app's CSP refuses.)
 */
export async function waitForPage(
  page: Page,
  expression: string,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await page.evaluate(
      `new Promise((resolve) => requestAnimationFrame(() => resolve(Boolean(${expression}))))`,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${expression}`);
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

const AXE_PATH = join(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

/** axe-core on the page as it is now: the serious and critical WCAG 2.1 A/AA violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Colours are judged at rest: a dialog fading in has not reached its contrast yet (endless pulses excepted).
  await waitForPage(
    page,
    `document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)`,
  );
  // Evaluated rather than added as a <script>: the app's Content-Security-Policy rightly refuses inline scripts.
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const result = (await page.evaluate(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) =>
      r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').join(' ')) })),
    )
  `)) as AxeViolation[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
