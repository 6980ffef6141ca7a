import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import type { Running } from '../../src/server.ts';
import { FIXTURE } from '../harness.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser, stopSiteAndBrowser, withPage } from './browser.ts';

// Issue 15: the natural-history fixture in its own colours and typeface, in a
// real browser, light and dark, with axe; the demo keeps the site's.

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
if (skip) console.warn(`\n!!! MUSEUM STYLE BROWSER TESTS SKIPPED: ${skip} !!!\n`);

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const a = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string }[] }> } }).axe;
    return (await a.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } })).violations.map((v) => v.id);
  });
}

describe('a museum in its own colours', { skip }, () => {
  let running: Running;
  let browser: Browser;
  before(async () => { ({ running, browser } = await startSiteAndBrowser(FIXTURE)); });
  after(() => stopSiteAndBrowser({ running, browser }));

  for (const [scheme, link] of [['light', 'rgb(29, 92, 69)'], ['dark', 'rgb(127, 207, 174)']] as const) {
    test(`${scheme}: links, the button and the text's typeface are the museum's; axe finds nothing`, async () => {
      await withPage(browser, { viewport: { width: 375, height: 800 }, colorScheme: scheme, bypassCSP: true }, async (page) => {
        await page.goto(`${running.url}/en/`);
        const style = await page.evaluate(() => ({
          link: getComputedStyle(document.querySelector('.theme-list a')!).color,
          button: getComputedStyle(document.querySelector('.button')!).backgroundColor,
          font: getComputedStyle(document.body).fontFamily,
        }));
        assert.equal(style.link, link);
        assert.equal(style.button, 'rgb(29, 92, 69)', 'white on the accent in both schemes');
        assert.match(style.font, /^system-ui/);
        assert.deepEqual(await axe(page), []);
      });
    });
  }
});
