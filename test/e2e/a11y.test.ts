import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Running } from '../../src/server.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser, stopSiteAndBrowser, withPage } from './browser.ts';
import { DEMO, PAGE_TYPES, TEST_MEDIA_DIR } from '../harness.ts';
import { UNTRANSLATED_PAGES, untranslatedCopy } from '../untranslated.ts';
import { loadConfig } from '../../src/config/config.ts';
import { startServer } from '../../src/server.ts';

// axe-core on every page type, in both languages and both colour schemes:
// WCAG 2.0/2.1 A and AA and WCAG 2.2 AA rules, none disabled.

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const PAGES = PAGE_TYPES;

interface AxeNode { target: unknown[] }
interface AxeViolation { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
if (skip) {
  console.warn(`\n!!! ACCESSIBILITY (axe) TESTS SKIPPED: ${skip} — install it with apt-get install chromium (or set CHROMIUM_PATH) !!!\n`);
}

describe('accessibility with axe-core', { skip }, () => {
  let running: Running;
  let browser: Browser;

  before(async () => {
    ({ running, browser } = await startSiteAndBrowser());
  });
  after(() => stopSiteAndBrowser({ running, browser }));

  /** Runs axe on the page as it is now and fails with a readable list of violations. */
  async function expectNoViolations(page: Page, label: string): Promise<void> {
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async (tags) => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
      const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target })) }));
    }, TAGS);
    const report = violations.map((v) =>
      `  - ${v.id} [${v.impact}] ${v.help} (${v.nodes.length} node${v.nodes.length > 1 ? 's' : ''}: ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}) ${v.helpUrl}`,
    ).join('\n');
    assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) on ${label}:\n${report}`);
  }

  for (const scheme of ['light', 'dark'] as const) {
    describe(`${scheme} colour scheme`, () => {
      let context: BrowserContext;
      let page: Page;
      before(async () => {
        // The site's CSP forbids inline scripts, which is how axe is injected:
        // bypass it for the test only.
        context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
        page = await context.newPage();
        await page.emulateMedia({ colorScheme: scheme });
      });
      after(() => context?.close());

      const open = async (path: string, status = 200) => {
        const res = await page.goto(`${running.url}${path}`);
        assert.equal(res?.status(), status);
        assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), scheme === 'dark');
      };

      for (const [kind, paths] of Object.entries(PAGES)) {
        for (const path of [paths.fr, paths.en]) {
          test(`${kind}: ${path} has no WCAG A/AA violation`, async () => {
            await open(path, kind.includes('404') ? 404 : 200);
            await expectNoViolations(page, `${path} (${scheme})`);
          });
        }
      }

      // States axe cannot see on a freshly loaded page.
      test('theme 10 with the theme menu open', async () => {
        const path = PAGES['theme 10 (chronology block)']!.en;
        await open(path);
        await page.locator('details.theme-menu summary').click();
        assert.equal(await page.locator('details.theme-menu nav').isVisible(), true);
        await expectNoViolations(page, `${path} with the theme menu open (${scheme})`);
      });
      test('home with the skip link focused', async () => {
        await open('/fr/');
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
        await expectNoViolations(page, `/fr/ with the skip link focused (${scheme})`);
      });
      test('chronology with an event targeted from a theme', async () => {
        await open(PAGES['theme 10 (chronology block)']!.fr);
        const link = page.locator('.theme-events a[href*="#event-"]').first();
        const href = await link.getAttribute('href');
        assert.ok(href);
        await Promise.all([page.waitForURL(`**${href}`), link.click()]);
        assert.equal(await page.evaluate(() => document.querySelector(':target')?.id), href.split('#')[1]);
        await expectNoViolations(page, `${href} (${scheme})`);
      });
      test('glossary with an entry targeted from a theme (its first use of a term)', async () => {
        await open(PAGES['theme 6 (glossary terms marked)']!.en);
        const link = page.locator('a.glossary-link').first();
        const href = await link.getAttribute('href');
        assert.ok(href && href.startsWith('/en/glossary#'), String(href));
        await Promise.all([page.waitForURL(`**${href}`), link.click()]);
        assert.equal(await page.evaluate(() => document.querySelector(':target')?.id), href.split('#')[1]);
        await expectNoViolations(page, `${href} (${scheme})`);
      });
    });
  }

  test('every theme of the demo visit, in both languages, has no violation and does not scroll sideways at 320 px', async () => {
    await withPage(browser, { viewport: { width: 320, height: 640 }, bypassCSP: true }, async (page) => {
      for (const visit of [PAGES['visit overview']!.fr, PAGES['visit overview']!.en]) {
        await page.goto(`${running.url}${visit}`);
        const themes = await page.locator('.theme-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
        assert.equal(themes.length, 11);
        for (const path of themes) {
          await page.goto(`${running.url}${path}`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 321, `${path}: scrollWidth ${width} > 320`);
          await expectNoViolations(page, `${path} at 320 px`);
        }
      }
    });
  });

  test('at 1920 px, in both schemes, every page type has no violation and no part of the page leaves the screen', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await withPage(browser, { colorScheme: scheme, viewport: { width: 1920, height: 1080 }, bypassCSP: true }, async (page) => {
        for (const [kind, paths] of Object.entries(PAGES)) {
          await page.goto(`${running.url}${paths.fr}`);
          await expectNoViolations(page, `${paths.fr} at 1920 px (${scheme})`);
          if (kind.includes('404')) continue;
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 1920, `${paths.fr}: scrollWidth ${width} > 1920`);
        }
      });
    }
  });

  test('at phone width (320 CSS pixels), the main layouts have no violation either', async () => {
    await withPage(browser, { viewport: { width: 320, height: 640 }, bypassCSP: true }, async (page) => {
      for (const kind of ['home', 'theme 10 (chronology block)', 'article', 'chronology', 'glossary']) {
        const path = PAGES[kind]!.fr;
        await page.goto(`${running.url}${path}`);
        await expectNoViolations(page, `${path} at 320 px`);
      }
    });
  });

  test('a filtered chronology, a filtered map and a refused filter (400) have no violation, in both languages', async () => {
    await withPage(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true }, async (page) => {
      for (const path of ['/fr/chronologie?theme=liberation&from=1944', '/en/map?tag=maquis', '/en/chronology?tag=nope', '/fr/carte?from=1945&to=1944']) {
        await page.goto(`${running.url}${path}`);
        await expectNoViolations(page, path);
      }
    });
  });

  test('theme 10 as it is without script (small maps of each day, no slider) has no violation, in both languages and at 320 px', async () => {
    for (const width of [1280, 320]) {
      await withPage(browser, { viewport: { width, height: 900 }, bypassCSP: true }, async (page) => {
        for (const path of [PAGES['theme 10 (chronology block)']!.fr, PAGES['theme 10 (chronology block)']!.en]) {
          await page.goto(`${running.url}${path}`);
          // axe needs script; the page is put back as it is without it.
          await page.evaluate(() => {
            for (const m of document.querySelectorAll<HTMLElement>('.by-date-multiples')) m.hidden = false;
            for (const c of document.querySelectorAll<HTMLElement>('.by-date-controls')) c.hidden = true;
          });
          assert.equal(await page.locator('.by-date-multiples svg.map').count(), 8);
          await expectNoViolations(page, `${path} without script at ${width} px`);
        }
      });
    }
  });

  describe('pages whose texts fall back to French (marks, notices, the page note)', () => {
    let fallback: Running;
    before(async () => {
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: ':memory:', CONTENT_DIR: untranslatedCopy(DEMO), MEDIA_DIR: TEST_MEDIA_DIR });
      fallback = await startServer(config, () => undefined);
    });
    after(() => fallback?.close());

    for (const scheme of ['light', 'dark'] as const) {
      test(`have no violation (${scheme}), and at 320 px no sideways scroll`, async () => {
        for (const width of [1280, 320]) {
          await withPage(browser, { colorScheme: scheme, viewport: { width, height: 900 }, bypassCSP: true }, async (page) => {
            for (const [kind, path] of Object.entries(UNTRANSLATED_PAGES)) {
              const res = await page.goto(`${fallback.url}${path}`);
              assert.equal(res?.status(), 200, path);
              if (width === 320) {
                const w = await page.evaluate(() => document.documentElement.scrollWidth);
                assert.ok(w <= 321, `${path}: scrollWidth ${w} > 320`);
              }
              await expectNoViolations(page, `untranslated ${kind}: ${path} (${scheme}, ${width} px)`);
            }
          });
        }
      });
    }
  });

  test('at 200% zoom (1280×900 seen as 640×450 CSS pixels), theme 10 and the article do not scroll sideways', async () => {
    // Zoom shrinks the CSS viewport; deviceScaleFactor would not.
    const page = await browser.newPage({ viewport: { width: 640, height: 450 } });
    try {
      for (const path of [PAGES['theme 10 (chronology block)']!.fr, PAGES['theme 10 (chronology block)']!.en, PAGES.article!.en]) {
        await page.goto(`${running.url}${path}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 641, `${path}: scrollWidth ${width} > 640`);
      }
    } finally {
      await page.close();
    }
  });
});
