import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, saveScreenshot } from './support/chromium.ts';
import { WebApp } from './support/web-app.ts';

const UI_TIMEOUT_MS = 20_000;

/** Task Master's tagged tasks.json, Troika's fields in metadata.troika. */
function tasksJson(tasks: Array<Record<string, unknown>>): string {
  return JSON.stringify({ master: { tasks, metadata: { description: 'e2e plan' } } }, null, 2);
}

const CYCLE = tasksJson([
  { id: 1, title: 'Schema', description: 'Add the table', dependencies: [3] },
  { id: 2, title: 'API', description: 'Serve it', dependencies: [1] },
  { id: 3, title: 'UI', description: 'Show it', dependencies: [2] },
]);

const troika = (files: string[], size = 'M') => ({ troika: { files, size } });
const VALID = tasksJson([
  {
    id: 1,
    title: 'Schema',
    description: 'Add the users table',
    dependencies: [],
    metadata: troika(['db/**'], 'S'),
  },
  {
    id: 2,
    title: 'API',
    description: 'Serve /users',
    dependencies: [1],
    metadata: troika(['src/api/**'], 'L'),
  },
  {
    id: 3,
    title: 'API docs',
    description: 'Document /users',
    dependencies: [1],
    metadata: troika(['src/api/README.md'], 'XS'),
  },
  {
    id: 4,
    title: 'UI list',
    description: 'List the users',
    dependencies: [1],
    metadata: troika(['src/ui/**']),
  },
  {
    id: 5,
    title: 'Release notes',
    description: 'Say what changed',
    dependencies: [2, 4],
    metadata: troika(['CHANGES.md'], 'XS'),
  },
]);

describe('plan view in web mode', () => {
  let browser: Browser;
  let app: WebApp;
  let page: Page;
  before(async () => {
    browser = await launchChromium();
    app = new WebApp();
    await app.start();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(app.url);
    await page
      .getByRole('status')
      .filter({ hasText: 'Connected' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await page.getByRole('dialog', { name: 'Plan' }).waitFor({ timeout: UI_TIMEOUT_MS });
  });
  after(async () => {
    await browser?.close();
    await app?.dispose();
  });

  test('a pasted tasks.json with a cycle gives the named error, listing the cycle', async () => {
    const dialog = page.getByRole('dialog', { name: 'Plan' });
    await dialog.getByLabel('tasks.json').fill(CYCLE);
    await dialog.getByRole('button', { name: 'Check plan' }).click();
    const problems = dialog.locator('.problems');
    await problems.waitFor({ timeout: UI_TIMEOUT_MS });
    const text = await problems.innerText();
    assert.match(text, /Cycle: Dependency cycle: 1 → 2 → 3 → 1/);
    assert.equal(await dialog.getByRole('list', { name: 'Waves' }).count(), 0);
    await saveScreenshot(page, 'plan-cycle');
  });

  test('an imported valid tasks.json shows its waves as columns, what is held apart and the estimate, at 1280×720', async () => {
    const dialog = page.getByRole('dialog', { name: 'Plan' });
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'tasks.json',
      mimeType: 'application/json',
      buffer: Buffer.from(VALID),
    });
    const waves = dialog.getByRole('list', { name: 'Waves' });
    await waves.waitFor({ timeout: UI_TIMEOUT_MS });
    const columns = waves.getByRole('listitem');
    assert.equal(await columns.count(), 3);
    const ids = async (n: number) =>
      columns
        .nth(n)
        .locator('[data-task]')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-task')));
    assert.deepEqual(await ids(0), ['1']);
    // 3 overlaps 2 (src/api/README.md inside src/api/**): held to the next wave.
    assert.deepEqual(await ids(1), ['2', '4']);
    assert.deepEqual((await ids(2)).sort(), ['3', '5']);
    assert.match(
      await dialog.locator('.holds').innerText(),
      /"3" is held apart from "2": its files "src\/api\/README\.md" overlap "src\/api\/\*\*"/,
    );
    assert.match(
      await dialog.getByRole('status').innerText(),
      /5 tasks in 3 waves · estimate \$\d/,
    );

    // Usable at 1280×720: the waves, the check button and Close are on screen.
    for (const target of [
      waves,
      dialog.getByRole('button', { name: 'Check plan' }),
      dialog.getByRole('button', { name: 'Close' }),
    ]) {
      const box = await target.boundingBox();
      assert.ok(
        box &&
          box.y >= 0 &&
          box.y + Math.min(box.height, 40) <= 720 &&
          box.x + Math.min(box.width, 40) <= 1280,
      );
    }
    await saveScreenshot(page, 'plan-waves');
  });

  test('the checked plan is saved for a repository, listed with its branch, and exported as a tasks.json that round-trips', async () => {
    const dialog = page.getByRole('dialog', { name: 'Plan' });
    await dialog.getByLabel('Name').fill('Users API');
    await dialog.getByLabel('Repository').fill(app.dataDir);
    await dialog.getByLabel('Budget (USD)').fill('5');
    await dialog.getByRole('button', { name: 'Save plan' }).click();
    await dialog
      .getByRole('status')
      .filter({ hasText: 'Saved: its tasks will merge into troika/plan-users-api' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    const row = dialog.locator('[data-plan="users-api"]');
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await row.innerText(), /draft\s+0 of 5\s+\$0\.0000 \/ \$5\.00/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Export tasks.json' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'tasks-users-api.json');
    const path = await download.path();
    const exported = JSON.parse(readFileSync(path, 'utf8')) as {
      master: {
        tasks: Array<{
          id: number;
          dependencies: number[];
          metadata: { troika: { files: string[]; size: string } };
        }>;
      };
    };
    const original = (JSON.parse(VALID) as typeof exported).master.tasks;
    assert.deepEqual(
      exported.master.tasks.map((t) => [
        t.id,
        t.dependencies,
        t.metadata.troika.files,
        t.metadata.troika.size,
      ]),
      original.map((t) => [t.id, t.dependencies, t.metadata.troika.files, t.metadata.troika.size]),
    );
    await saveScreenshot(page, 'plan-saved');
  });
});
