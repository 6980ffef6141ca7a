import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Running } from '../../src/server.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser, stopSiteAndBrowser, withPage } from './browser.ts';
import { BIG_VISIT_THEMES, bigVisitBundle } from '../big-visit.ts';

// The compact theme menu of a large visit (issue 12) in a real browser: axe
// at phone and desktop widths with the menu open, the keyboard (Tab through
// the neighbours to the "all themes" link, Escape), and without script.
// MENU_SHOTS=<dir> also saves screenshots of the open menu.

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const THEME_30 = { fr: '/fr/visite/theme-30', en: '/en/visit/theme-30' };

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
if (skip) console.warn(`\n!!! THEME MENU BROWSER TESTS SKIPPED: ${skip} !!!\n`);

async function axe(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (tags) => {
    const a = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await a.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.id} (${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3).join(', ')})`);
  }, TAGS);
  assert.deepEqual(violations, [], `axe on ${label}`);
}

describe(`the compact theme menu of a ${BIG_VISIT_THEMES}-theme visit`, { skip }, () => {
  let running: Running;
  let browser: Browser;
  before(async () => {
    ({ running, browser } = await startSiteAndBrowser(bigVisitBundle()));
  });
  after(() => stopSiteAndBrowser({ running, browser }));

  for (const width of [375, 1280]) {
    for (const lang of ['fr', 'en'] as const) {
      test(`open at ${width} px in ${lang}: no axe violation, nothing wider than the screen`, async () => {
        await withPage(browser, { viewport: { width, height: 800 }, bypassCSP: true }, async (page) => {
          const res = await page.goto(`${running.url}${THEME_30[lang]}`);
          assert.equal(res?.status(), 200);
          await page.locator('details.theme-menu summary').click();
          const nav = page.locator('details.theme-menu nav');
          assert.equal(await nav.isVisible(), true);
          assert.equal(await nav.locator('ol.menu-compact > li').count(), 7);
          assert.equal(await nav.locator('.menu-all a').isVisible(), true);
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(scroll <= width + 1, `scrollWidth ${scroll} at ${width} px`);
          if (process.env.MENU_SHOTS) {
            mkdirSync(process.env.MENU_SHOTS, { recursive: true });
            await page.locator('header.site-header').screenshot({ path: join(process.env.MENU_SHOTS, `menu-${lang}-${width}.png`) });
          }
          await axe(page, `${THEME_30[lang]} at ${width} px, menu open`);
        });
      });
    }
  }

  test('by keyboard: the menu opens, Tab goes through its themes to the "all themes" link, Escape closes it', async () => {
    await withPage(browser, { viewport: { width: 1280, height: 800 } }, async (page) => {
      await page.goto(`${running.url}${THEME_30.en}`);
      await page.locator('details.theme-menu summary').focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('details.theme-menu').evaluate((d) => (d as HTMLDetailsElement).open), true);
      const seen: string[] = [];
      for (let i = 0; i < 8; i += 1) {
        await page.keyboard.press('Tab');
        seen.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
      }
      assert.equal(seen.length, 8);
      assert.match(seen[0]!, /^27\b/);
      assert.match(seen[3]!, /^30\b/);
      assert.match(seen[6]!, /^33\b/);
      assert.ok(seen[7]!.includes(String(BIG_VISIT_THEMES)), `the last stop is the link to all themes: ${seen[7]}`);
      await page.keyboard.press('Enter');
      await page.waitForURL('**/en/visit');
      await page.goBack();
      await page.locator('details.theme-menu summary').click();
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('details.theme-menu').evaluate((d) => (d as HTMLDetailsElement).open), false);
    });
  });

  test('without script, the menu opens and leads to every theme', async () => {
    await withPage(browser, { viewport: { width: 375, height: 800 }, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${running.url}${THEME_30.fr}`);
      await page.locator('details.theme-menu summary').click();
      const all = page.locator('details.theme-menu .menu-all a');
      assert.equal(await all.isVisible(), true);
      await Promise.all([page.waitForURL('**/fr/visite'), all.click()]);
      assert.equal(await page.locator('.theme-list > li').count(), BIG_VISIT_THEMES);
    });
  });
});
