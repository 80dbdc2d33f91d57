/**
 * A plan as a user handles it end to end: a tasks.json checked and saved in
 * the Plan dialog, opened and started, and its state read from the plan view;
 * and the repository it works in, read with git.
 */
import { execFileSync } from 'node:child_process';
import type { Locator, Page } from 'playwright-core';

/** A plan run on a loaded 2-core machine; a wait this long means the test failed. */
export const PLAN_RUN_TIMEOUT_MS = 120_000;

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

/** The file at `ref`, or null when it has none. */
export function fileAt(repo: string, ref: string, path: string): string | null {
  try {
    return git(repo, 'show', `${ref}:${path}`);
  } catch {
    return null;
  }
}

export interface SaveOptions {
  name: string;
  repo: string;
  strongerModel?: string;
  maxAttempts?: number;
  /** Through "Import tasks.json…" and the file chooser (it checks the plan at once), not typed in. */
  asFile?: boolean;
}

export function planDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Plan' });
}

/** Opens the Plan dialog, checks the tasks.json, and saves it; leaves the dialog open. */
export async function savePlan(page: Page, text: string, options: SaveOptions): Promise<void> {
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  const dialog = planDialog(page);
  if (options.asFile) {
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Import tasks.json…' }).click();
    await (
      await chooser
    ).setFiles({ name: 'tasks.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  } else {
    await dialog.getByLabel('tasks.json').fill(text);
    await dialog.getByRole('button', { name: 'Check plan' }).click();
  }
  await dialog.getByLabel('Name').fill(options.name);
  await dialog.getByLabel('Repository').fill(options.repo);
  if (options.strongerModel !== undefined)
    await dialog.getByLabel('Stronger model').fill(options.strongerModel);
  if (options.maxAttempts !== undefined)
    await dialog.getByLabel('Attempts').fill(String(options.maxAttempts));
  await dialog.getByRole('button', { name: 'Save plan' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
}

/** Opens a saved plan's view from the Plan dialog's list (the dialog already open). */
export async function openPlan(page: Page, slug: string): Promise<void> {
  await planDialog(page)
    .locator(`[data-plan="${slug}"]`)
    .getByRole('button', { name: 'Open' })
    .click();
}

/** The plan view's task cards. */
export function planTasks(page: Page): Locator {
  return planDialog(page).getByRole('list', { name: 'Plan tasks' });
}

/** A task's card in the plan view. */
export function taskCard(page: Page, id: string): Locator {
  return planTasks(page).locator(`[data-task="${id}"]`);
}

export async function waitForPlanState(page: Page, state: string): Promise<void> {
  await planDialog(page)
    .locator('[data-plan-state]')
    .filter({ hasText: new RegExp(`^${state}$`) })
    .waitFor({ timeout: PLAN_RUN_TIMEOUT_MS });
}

export async function waitForTaskState(page: Page, id: string, state: string): Promise<void> {
  await planTasks(page)
    .locator(`[data-task="${id}"][data-state="${state}"]`)
    .waitFor({ timeout: PLAN_RUN_TIMEOUT_MS });
}

/** Each task's state as the plan view shows it, by task id. */
export async function taskStates(page: Page): Promise<Record<string, string>> {
  const pairs = await planTasks(page)
    .locator('[data-task]')
    .evaluateAll((cards) =>
      cards.map((c) => [c.getAttribute('data-task') ?? '', c.getAttribute('data-state') ?? '']),
    );
  return Object.fromEntries(pairs);
}
