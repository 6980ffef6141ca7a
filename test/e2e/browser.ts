import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type Running } from '../../src/server.ts';
import { TEST_MEDIA_DIR } from '../harness.ts';

// Debian's Chromium, driven by playwright-core. `npx playwright install`
// cannot work on these machines (no internet), so we never depend on it.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
    ],
  });
}

/** Parcours on a free port (in-memory database, the tests' media store) and Chromium, started together for one test file. */
export async function startSiteAndBrowser(contentDir = 'content/drome'): Promise<{ running: Running; browser: Browser }> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: ':memory:', CONTENT_DIR: contentDir, MEDIA_DIR: TEST_MEDIA_DIR });
  const [running, browser] = await Promise.all([startServer(config, () => undefined), launchBrowser()]);
  return { running, browser };
}

export async function stopSiteAndBrowser(site: { running?: Running; browser?: Browser }): Promise<void> {
  await site.browser?.close();
  await site.running?.close();
}

/** Runs `fn` on a fresh page in its own browser context (viewport, script, CSP…), closed afterwards whatever happens. */
export async function withPage<T>(browser: Browser, options: BrowserContextOptions, fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}
