import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { Running } from '../../src/server.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser, stopSiteAndBrowser, withPage } from './browser.ts';

// Issue 15: the "#" after a section's heading, in a real browser. It goes to
// the section like any link; with the script it also copies the section's
// address and says so in a status line; without script it is a plain link.
// The contents list stays in view on a wide screen as the reader scrolls, and
// steps aside while a full-width by-date map passes.

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
if (skip) console.warn(`\n!!! SECTION LINK BROWSER TESTS SKIPPED: ${skip} !!!\n`);
const THEME_1 = '/en/visit/the-rise-of-nazism';
const THEME_10 = '/en/visit/the-liberation-of-the-drome';

describe('section links and the theme contents', { skip }, () => {
  let running: Running;
  let browser: Browser;
  before(async () => { ({ running, browser } = await startSiteAndBrowser()); });
  after(() => stopSiteAndBrowser({ running, browser }));

  test('a click copies the section address and says so; the page goes to the section', async () => {
    await withPage(browser, { viewport: { width: 375, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] }, async (page) => {
      await page.goto(`${running.url}${THEME_1}`);
      const link = page.locator('.prose .section-link').nth(1);
      const href = await link.getAttribute('href');
      assert.match(href ?? '', /^#[a-z0-9-]+$/);
      await link.click();
      await page.waitForFunction(() => document.querySelector('.copy-status')?.textContent === 'Link copied');
      assert.equal(await page.evaluate(() => location.hash), href);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${running.url}${THEME_1}${href}`);
      assert.equal(await page.locator('.copy-status').getAttribute('role'), 'status');
    });
  });

  test('without script it is a plain link to the section', async () => {
    await withPage(browser, { viewport: { width: 1280, height: 800 }, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${running.url}${THEME_1}`);
      const link = page.locator('.prose .section-link').first();
      const href = (await link.getAttribute('href'))!;
      await link.focus();
      assert.equal(await link.evaluate((a) => getComputedStyle(a).opacity), '1', 'visible when focused');
      await page.keyboard.press('Enter');
      await page.waitForFunction((h) => location.hash === h, href);
      const top = await page.locator(href).evaluate((h) => h.getBoundingClientRect().top);
      assert.ok(top >= 0 && top < 100, `the heading is at the top (${top})`);
    });
  });

  test('at 1280 px the contents stay in view beside the text as the reader scrolls', async () => {
    await withPage(browser, { viewport: { width: 1280, height: 800 } }, async (page) => {
      await page.goto(`${running.url}${THEME_1}`);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
      const box = await page.locator('.theme-contents').boundingBox();
      const text = await page.locator('.theme-body').boundingBox();
      assert.ok(box && text);
      assert.ok(box.y >= 0 && box.y < 100, `in view (${box.y})`);
      assert.ok(box.x + box.width <= text.x, 'beside the text, on its left (before it, as in the source)');
    });
  });

  test('at 1280 px the contents step aside while the full-width by-date map is on screen, and never overlap it', async () => {
    await withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await page.goto(`${running.url}${THEME_10}`);
      const map = page.locator('.map-block[data-by-date]');
      const mapBox = await map.evaluate((m) => { const r = m.getBoundingClientRect(); return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left }; });
      const nav = await page.locator('.theme-contents').boundingBox();
      assert.ok(nav && mapBox.left < nav.x + nav.width, 'the map spans the contents column');
      // Every 100 px from the top to past the map: wherever the contents are visible, they do not overlap it.
      let hidden = 0;
      for (let y = 0; y < mapBox.bottom + 400; y += 100) {
        const state = await page.evaluate(async (y) => {
          scrollTo(0, y);
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const n = document.querySelector('.theme-contents')!;
          const m = document.querySelector('.map-block[data-by-date]')!.getBoundingClientRect();
          const r = n.getBoundingClientRect();
          return { visible: getComputedStyle(n).visibility === 'visible', overlap: r.bottom > m.top && r.top < m.bottom };
        }, y);
        if (state.visible) assert.ok(!state.overlap, `at ${y} px the visible contents overlap the map`);
        else hidden++;
      }
      assert.ok(hidden > 0, 'they stepped aside');
      const back = await page.evaluate(() => getComputedStyle(document.querySelector('.theme-contents')!).visibility);
      assert.equal(back, 'visible', 'and came back after the map');
    });
  });
});
