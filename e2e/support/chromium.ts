/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser
 * download does not work on these machines). Path overridable with
 * TROIKA_CHROMIUM.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['TROIKA_CHROMIUM'] ?? '/usr/bin/chromium';

/** Flags that keep headless Chromium off the (closed) network and quiet. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface LaunchOptions {
  /**
   * False switches WebGL off, so terminals use xterm.js's DOM renderer, whose
   * text a test can read (the WebGL renderer draws pixels).
   */
  webgl?: boolean;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set TROIKA_CHROMIUM`,
    );
  }
  const args = options.webgl === false ? [...CHROMIUM_ARGS, '--disable-3d-apis'] : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: CHROMIUM_PATH, args, headless: true });
}

/** Where screenshots and other artifacts of a test run go. */
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'test-results');

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
