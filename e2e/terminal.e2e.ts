/**
 * Terminals end to end: web mode in Chromium, typing into real shells.
 *
 * Chromium runs with WebGL switched off here, so the terminals use xterm.js's
 * DOM renderer and the tests can read the screen's text; the last suite runs
 * with WebGL on and checks the renderer and its fallback.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, saveScreenshot } from './support/chromium.ts';
import { WebApp } from './support/web-app.ts';

/** The bound: Ctrl-C stops a flood within one second (typically it takes about a tenth of that). */
const CTRL_C_LIMIT_MS = 1000;
/** The flood runs at least this long before Ctrl-C: long enough for memory to grow if nothing bounded it. */
const FLOOD_MS = 3000;
/** ...and until enough has flowed, however loaded the machine; past this cap the flood is too slow to prove anything. */
const FLOOD_CAP_MS = 30_000;
/**
 * The backend may grow by this much while flooding. Garbage collection lets it
 * swing by some 50-70 MB however long the flood runs; a backend that buffered
 * what the renderer cannot keep up with would grow by the PTY's rate (well
 * over 40 MB/s here) for as long as the flood lasts.
 */
const FLOOD_RSS_GROWTH_LIMIT_MB = 100;
/** Less than this through the backend means the flood never really ran. */
const FLOOD_MIN_MB = 10;

/** The browser globals the in-page functions use; the Node type-check has no DOM library. */
interface PageRow {
  readonly textContent: string | null;
  readonly children: Iterable<PageRow>;
}
interface PageGlobals {
  document: {
    querySelector(selector: string): PageRow | null;
    querySelectorAll(selector: string): { readonly length: number };
  };
  navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
}
interface WebglCanvas {
  getContext(
    kind: 'webgl2',
  ): { getExtension(name: 'WEBGL_lose_context'): { loseContext(): void } | null } | null;
}

const terminal = (page: Page, name: string) => page.locator(`[aria-label="Terminal ${name}"]`);

/** The visible rows of a terminal (DOM renderer), spaces normalised, trailing blanks dropped. */
function screenOf(page: Page, name: string): Promise<string[]> {
  return terminal(page, name)
    .locator('.xterm-rows')
    .evaluate((rows) =>
      [...rows.children].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()),
    );
}

/** Waits, polling every frame in the page, until a terminal's screen matches `pattern`. */
async function waitForScreen(
  page: Page,
  name: string,
  pattern: RegExp,
  timeout = 10_000,
): Promise<void> {
  await page.waitForFunction(
    ({ label, source, flags }) => {
      const { document } = globalThis as unknown as PageGlobals;
      const rows = document.querySelector(`[aria-label="${label}"] .xterm-rows`);
      const text = [...(rows?.children ?? [])]
        .map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
        .join('\n');
      return new RegExp(source, flags).test(text);
    },
    { label: `Terminal ${name}`, source: pattern.source, flags: pattern.flags },
    { timeout, polling: 'raf' },
  );
}

/** Clicks "New shell" and waits for its terminal to show a prompt. */
async function openShell(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New shell' }).click();
  await terminal(page, name).waitFor();
  await waitForScreen(page, name, /[$#] ?$/m);
  await terminal(page, name).click();
}

async function run(page: Page, name: string, command: string): Promise<void> {
  await terminal(page, name).click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

async function openApp(context: BrowserContext, app: WebApp): Promise<Page> {
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  return page;
}

/** Closes every shell the backend still has. */
async function closeAllShells(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: /^Close Shell/ });
  for (let open = await close.count(); open > 0; open = await close.count()) {
    await close.first().click();
    await page.waitForFunction(
      (n) =>
        (globalThis as unknown as PageGlobals).document.querySelectorAll('tk-terminal-view')
          .length < n,
      open,
    );
  }
}

function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

/** Bytes a process has read so far (all its reads, the PTY's among them). */
function readMb(pid: number): number {
  const match = /^rchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024 / 1024;
}

describe('terminals in web mode', () => {
  let browser: Browser;
  let context: BrowserContext;
  let app: WebApp;
  let page: Page;
  before(async () => {
    browser = await launchChromium({ webgl: false });
    app = new WebApp();
    await app.start();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  });
  after(async () => {
    await browser?.close();
    await app?.dispose();
  });

  test('typing echo hello shows hello', async () => {
    page = await openApp(context, app);
    await openShell(page, 'Shell 1');
    await run(page, 'Shell 1', 'echo hello');
    await waitForScreen(page, 'Shell 1', /^hello$/m);
    assert.equal(await terminal(page, 'Shell 1').getAttribute('data-renderer'), 'dom');
    await saveScreenshot(page, 'terminal-echo-hello');
  });

  test('a full-screen program (vi) opens on the alternate screen and quitting it restores the shell', async () => {
    await run(page, 'Shell 1', 'echo before-vi-$((6*7))');
    await waitForScreen(page, 'Shell 1', /^before-vi-42$/m);
    await run(page, 'Shell 1', 'vi -u NONE /tmp/troika-e2e-vi-untitled');
    await waitForScreen(page, 'Shell 1', /^~\s*$/m);
    const inVi = await screenOf(page, 'Shell 1');
    assert.equal(inVi.includes('before-vi-42'), false, 'vi covers the shell');
    await saveScreenshot(page, 'terminal-vi-open');
    await page.keyboard.type(':q!');
    await page.keyboard.press('Enter');
    await waitForScreen(page, 'Shell 1', /^before-vi-42$/m);
    assert.equal(
      (await screenOf(page, 'Shell 1')).some((row) => /^~\s*$/.test(row)),
      false,
      'vi is gone',
    );
  });

  test('a yes flood keeps backend memory bounded and Ctrl-C stops it within a second', async () => {
    await run(page, 'Shell 1', 'echo backend=$PPID');
    await waitForScreen(page, 'Shell 1', /^backend=\d+$/m);
    const backendPid = Number(
      (await screenOf(page, 'Shell 1'))
        .find((row) => /^backend=\d+$/.test(row))
        ?.slice('backend='.length),
    );
    const baseline = rssMb(backendPid);
    const readBefore = readMb(backendPid);

    // Lines of 120 characters (narrower than the terminal, so no wrapping) carry more bytes per line than plain `yes`.
    // The subshell's trap prints a marker once yes has died of the interrupt.
    await run(
      page,
      'Shell 1',
      `(trap 'echo; echo flood-stopped-$((6*7))' INT; yes "$(printf '%0120d' 0)")`,
    );
    await waitForScreen(page, 'Shell 1', /^(0{120}\n){3}/m);
    let peak = baseline;
    const started = Date.now();
    while (
      Date.now() - started < FLOOD_MS ||
      (readMb(backendPid) - readBefore <= FLOOD_MIN_MB && Date.now() - started < FLOOD_CAP_MS)
    ) {
      peak = Math.max(peak, rssMb(backendPid));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const flowedMb = readMb(backendPid) - readBefore;
    await saveScreenshot(page, 'terminal-flood');

    const pressed = Date.now();
    await page.keyboard.press('Control+c');
    await waitForScreen(page, 'Shell 1', /^flood-stopped-42$/m, 5000);
    const stoppedMs = Date.now() - pressed;
    console.log(
      `flood: ${flowedMb.toFixed(0)} MB through the backend, RSS ${baseline.toFixed(0)} MB -> peak ${peak.toFixed(0)} MB; Ctrl-C stopped it in ${stoppedMs} ms`,
    );
    assert.ok(
      flowedMb > FLOOD_MIN_MB,
      `only ${flowedMb.toFixed(0)} MB flowed in ${FLOOD_CAP_MS / 1000} s`,
    );
    assert.ok(
      peak - baseline < FLOOD_RSS_GROWTH_LIMIT_MB,
      `backend grew by ${(peak - baseline).toFixed(0)} MB`,
    );
    assert.ok(stoppedMs < CTRL_C_LIMIT_MS, `Ctrl-C took ${stoppedMs} ms`);
  });

  test('after a reload the output is still there and the shell still answers', async () => {
    await run(page, 'Shell 1', 'echo restore-me-$((6*7))');
    await waitForScreen(page, 'Shell 1', /^restore-me-42$/m);
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await waitForScreen(page, 'Shell 1', /^restore-me-42$/m);
    await saveScreenshot(page, 'terminal-restored');
    const restored = await screenOf(page, 'Shell 1');
    assert.equal(
      restored.filter((row) => row === 'restore-me-42').length,
      1,
      'restored once, not duplicated',
    );
    await run(page, 'Shell 1', 'echo still-here-$((6*7))');
    await waitForScreen(page, 'Shell 1', /^still-here-42$/m);
  });

  test('copy and paste work through the clipboard', async () => {
    await run(page, 'Shell 1', 'echo copy-$((6*7))-word');
    await waitForScreen(page, 'Shell 1', /^copy-42-word$/m);
    const rows = await screenOf(page, 'Shell 1');
    const row = rows.lastIndexOf('copy-42-word');
    // Double-click selects the word under the pointer; find the row's position on screen.
    const box = await terminal(page, 'Shell 1').locator('.xterm-rows > div').nth(row).boundingBox();
    assert.ok(box);
    await page.mouse.dblclick(box.x + 10, box.y + box.height / 2);
    await page.keyboard.press('Control+Shift+C');
    await page.waitForFunction(
      async () =>
        (await (globalThis as unknown as PageGlobals).navigator.clipboard.readText()) ===
        'copy-42-word',
    );

    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).navigator.clipboard.writeText('echo pasted-$((6*7))'),
    );
    await terminal(page, 'Shell 1').click();
    await page.keyboard.press('Control+Shift+V');
    // Pasting reads the clipboard asynchronously: wait to see it on the command line, as a user would.
    await waitForScreen(page, 'Shell 1', /echo pasted-\$\(\(6\*7\)\)$/m);
    await page.keyboard.press('Enter');
    await waitForScreen(page, 'Shell 1', /^pasted-42$/m);
  });

  test('Ctrl+Shift+F opens search, which finds text in the terminal', async () => {
    await run(page, 'Shell 1', 'echo needle-$((6*7)); echo needle-$((6*7))');
    await waitForScreen(page, 'Shell 1', /^needle-42\nneedle-42$/m);
    await page.keyboard.press('Control+Shift+F');
    const find = page.getByRole('textbox', { name: 'Find in terminal' });
    await find.waitFor();
    await find.fill('needle-42');
    const count = terminal(page, 'Shell 1').locator('.tk-terminal-search-count');
    // The two output lines (the command line reads needle-$((6*7))).
    await count.filter({ hasText: /^\s*1 of 2\s*$/ }).waitFor();
    await page.keyboard.press('Enter');
    await count.filter({ hasText: /^\s*2 of 2\s*$/ }).waitFor();
    await saveScreenshot(page, 'terminal-search');
    await page.keyboard.press('Escape');
    await find.waitFor({ state: 'detached' });
  });

  test('six shells at once each show only their own output', async () => {
    await closeAllShells(page);
    // Names keep counting: the backend numbers shells for its lifetime.
    const names = Array.from({ length: 6 }, (_, i) => `Shell ${i + 2}`);
    for (const name of names) await openShell(page, name);
    for (const [i, name] of names.entries()) await run(page, name, `echo mark-${i}-$((6*7))`);
    for (const [i, name] of names.entries())
      await waitForScreen(page, name, new RegExp(`^mark-${i}-42$`, 'm'));
    for (const [i, name] of names.entries()) {
      const marks = (await screenOf(page, name)).filter((row) => /^mark-\d-42$/.test(row));
      assert.deepEqual(marks, [`mark-${i}-42`], `${name} shows only its own output`);
    }
    await saveScreenshot(page, 'terminal-six');
    await closeAllShells(page);
  });
});

describe('terminal renderer with WebGL available', () => {
  let browser: Browser;
  let app: WebApp;
  before(async () => {
    browser = await launchChromium();
    app = new WebApp();
    await app.start();
  });
  after(async () => {
    await browser?.close();
    await app?.dispose();
  });

  test('renders with WebGL, and falls back to the DOM renderer when the context is lost', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(app.url);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await page.getByRole('button', { name: 'New shell' }).click();
    const view = terminal(page, 'Shell 1');
    await view.and(page.locator('[data-renderer="webgl"]')).waitFor();
    await run(page, 'Shell 1', 'echo on-webgl');
    await saveScreenshot(page, 'terminal-webgl');

    await view.locator('.xterm-screen canvas:not(.xterm-link-layer)').evaluate((canvas) => {
      const gl = (canvas as unknown as WebglCanvas).getContext('webgl2');
      gl?.getExtension('WEBGL_lose_context')?.loseContext();
    });
    // The addon waits 3 s for the context to come back before giving up on it.
    await view.and(page.locator('[data-renderer="dom"]')).waitFor({ timeout: 10_000 });
    await run(page, 'Shell 1', 'echo after-loss-$((6*7))');
    await waitForScreen(page, 'Shell 1', /^after-loss-42$/m);
    await page.close();
  });
});
