/**
 * Console benchmark: `npm run bench:ui` (build first: `npx ng build`).
 *
 * Drives the built app in web mode against the scripted Messages API server,
 * as a user would: pause/resume, steer, approve and deny, many times each.
 * The app measures (performance.measure) from each click's event timestamp to
 * the first render showing its effect (`tk-control:*`, the figure the issue asks
 * for) and to the render after the backend's answer (`tk-confirm:*`). Also
 * reports the initial JavaScript the page loads. One JSON line per section on
 * stdout; the last line is the summary with `control_latency_p95_ms` and
 * `initial_js_bytes`. Timings are reported, never asserted.
 */
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Turn } from '../../backend/testing/messages-server/index.ts';
import {
  consoleApp,
  launchConsoleBrowser,
  openConsole,
  startAgent,
  startScriptedServer,
  statusOf,
  waitForStatus,
  Workspaces,
  type AgentRequest,
} from '../support/console.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BROWSER_DIR = join(ROOT, 'dist', 'web', 'browser');
/** The Angular build budget's error threshold (angular.json). */
const INITIAL_JS_BUDGET_BYTES = 1.5 * 1024 * 1024;
/** The goal for a control's visible effect. */
const CONTROL_GOAL_MS = 100;
/** Rounds per control: enough for a p95 that is not just the maximum of a handful. */
const ROUNDS = 20;

/** Files the page loads before any lazy chunk: index.html's scripts and preloads, and what they import statically. */
export function initialJavaScript(dir = BROWSER_DIR): { files: string[]; bytes: number } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const pending = [
    ...html.matchAll(
      /<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g,
    ),
  ].map((m) => (m[1] ?? m[2]) as string);
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`); `import("./x.js")` is lazy.
    for (const m of code.matchAll(
      /(?:^|[^.\w$])import\s*(?:[\w$*{}\s,]+from\s*)?["']\.\/([^"']+\.js)["']/g,
    ))
      pending.push(m[1] as string);
  }
  const files = [...seen].sort();
  return { files, bytes: files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0) };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

const round = (n: number) => Math.round(n * 100) / 100;

function summarize(values: number[]): { n: number; p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

/** A slow, endless run: text streamed at a steady pace, then a harmless command, again and again. */
const loop = ({ step }: AgentRequest): Turn => ({
  text: `Step ${step}: still working through the list. `,
  toolUses: [{ name: 'bash', input: { command: `echo bench-step-${step}` } }],
  delay: { betweenEventsMs: 40 },
});
/** Every reply asks to run a risky command, so each one waits for approve or deny. */
const risky = ({ step }: AgentRequest): Turn => ({
  toolUses: [{ name: 'bash', input: { command: `rm -rf scratch-${step}` } }],
});

async function measures(page: Page): Promise<Array<{ name: string; duration: number }>> {
  return (await page.evaluate(
    `performance.getEntriesByType('measure').map((m) => ({ name: m.name, duration: m.duration }))`,
  )) as Array<{ name: string; duration: number }>;
}

async function pauseResume(panel: Locator): Promise<void> {
  for (let i = 0; i < ROUNDS; i++) {
    await panel.getByRole('button', { name: 'Pause' }).click();
    await waitForStatus(panel, 'Paused');
    await panel.getByRole('button', { name: 'Resume' }).click();
    await statusOf(panel).filter({ hasText: 'Running' }).waitFor();
  }
}

async function steer(panel: Locator): Promise<void> {
  const box = panel.getByRole('textbox', { name: /^Steer agent/ });
  for (let i = 0; i < ROUNDS; i++) {
    await box.fill(`Bench steer ${i}`);
    await box.press('Enter');
    await panel
      .locator('[data-source="queued"]')
      .filter({ hasText: `Bench steer ${i}` })
      .waitFor();
  }
}

async function approveDeny(panel: Locator): Promise<void> {
  const card = panel.getByRole('region', { name: 'Approval needed' });
  for (let i = 0; i < ROUNDS; i++) {
    await card.getByText(`rm -rf scratch-${i}`).waitFor();
    await card.getByRole('button', { name: i % 2 === 0 ? 'Approve' : 'Deny' }).click();
  }
  await card.getByText(`rm -rf scratch-${ROUNDS}`).waitFor();
}

async function main(): Promise<void> {
  const initial = initialJavaScript();
  process.stdout.write(
    JSON.stringify({
      section: 'initial_js',
      files: initial.files,
      bytes: initial.bytes,
      budget_bytes: INITIAL_JS_BUDGET_BYTES,
    }) + '\n',
  );

  const loadBefore = loadavg()[0] ?? NaN;
  const server = await startScriptedServer({ 'bench-loop': loop, 'bench-risky': risky });
  const workspaces = new Workspaces();
  const app = consoleApp(server);
  const browser = await launchConsoleBrowser();
  try {
    await app.start();
    const { page } = await openConsole(browser, app);
    const looping = await startAgent(page, {
      task: 'bench-loop: keep going',
      workspace: workspaces.repo('loop'),
    });
    await statusOf(looping).filter({ hasText: 'Running' }).waitFor();
    await pauseResume(looping);
    await steer(looping);
    const asking = await startAgent(page, {
      task: 'bench-risky: clean up',
      workspace: workspaces.repo('risky'),
    });
    await approveDeny(asking);
    for (const panel of [looping, asking]) {
      await panel.getByRole('button', { name: 'Stop' }).click();
      // Stop asks first (what it ends); its timing starts when the user confirms.
      await page.getByRole('alertdialog').getByRole('button', { name: 'Stop the agent' }).click();
    }

    const all = await measures(page);
    const byControl = new Map<string, { shown: number[]; confirmed: number[] }>();
    for (const { name, duration } of all) {
      const [kind, control] = name.split(':') as [string, string];
      if (kind !== 'tk-control' && kind !== 'tk-confirm') continue;
      const entry = byControl.get(control) ?? { shown: [], confirmed: [] };
      (kind === 'tk-control' ? entry.shown : entry.confirmed).push(duration);
      byControl.set(control, entry);
    }
    const shown: number[] = [];
    const confirmed: number[] = [];
    for (const [control, { shown: s, confirmed: c }] of [...byControl].sort()) {
      shown.push(...s);
      confirmed.push(...c);
      process.stdout.write(
        JSON.stringify({
          section: 'control',
          control,
          shown_ms: summarize(s),
          confirmed_ms: summarize(c),
        }) + '\n',
      );
    }
    const overall = summarize(shown);
    const confirmedOverall = summarize(confirmed);
    process.stdout.write(
      JSON.stringify({
        control_latency_p50_ms: overall.p50,
        control_latency_p95_ms: overall.p95,
        control_latency_max_ms: overall.max,
        control_samples: overall.n,
        control_confirmed_p95_ms: confirmedOverall.p95,
        initial_js_bytes: initial.bytes,
        measured:
          'from the click or key press (its event timestamp) to the first render showing the control\'s effect (performance.measure in the app, "tk-control:*"); confirmed: to the render after the backend answered ("tk-confirm:*")',
        // A 2-core machine shared with builds and other tests skews every timing here.
        load_avg_1m: [round(loadBefore), round(loadavg()[0] ?? NaN)],
        goals: {
          control_latency_p95_ms: { goal: CONTROL_GOAL_MS, met: overall.p95 < CONTROL_GOAL_MS },
          initial_js_bytes: {
            goal: INITIAL_JS_BUDGET_BYTES,
            met: initial.bytes <= INITIAL_JS_BUDGET_BYTES,
          },
        },
      }) + '\n',
    );
  } finally {
    await browser.close();
    await app.dispose();
    await server.close();
    workspaces.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
