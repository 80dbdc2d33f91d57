import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, saveScreenshot } from './support/chromium.ts';
import { WebApp } from './support/web-app.ts';

describe('app shell in web mode', () => {
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

  test('opening the printed URL shows the toolbar, three agent slots and a live connection', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    assert.equal(
      new URL(page.url()).searchParams.has('token'),
      false,
      'the token is removed from the address bar',
    );
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    assert.equal(await page.getByRole('region', { name: /Agent slot/ }).count(), 3);
    assert.equal(await page.getByRole('heading', { name: 'Troika' }).isVisible(), true);
    await saveScreenshot(page, 'shell-connected');
    await page.close();
  });

  test('the indicator shows the server going away and reconnects when it returns', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    const indicator = page.getByRole('status');
    await indicator.filter({ hasText: 'Connected' }).waitFor();

    await app.stop();
    await indicator.filter({ hasText: 'Disconnected' }).waitFor({ timeout: 5000 });
    assert.equal(await indicator.getAttribute('data-status'), 'disconnected');
    await saveScreenshot(page, 'shell-disconnected');

    await app.start();
    await indicator.filter({ hasText: /^\s*Connected\s*$/ }).waitFor({ timeout: 10_000 });
    assert.equal(await indicator.getAttribute('data-status'), 'connected');
    await page.close();
  });

  test('a page without the token gets 401 and no app', async () => {
    const page = await browser.newPage();
    const response = await page.goto(app.origin + '/');
    assert.equal(response?.status(), 401);
    assert.equal(await page.locator('tk-root').count(), 0);
    await page.close();
  });
});
