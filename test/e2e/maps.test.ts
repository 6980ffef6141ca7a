import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { Running } from '../../src/server.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser, stopSiteAndBrowser, withPage } from './browser.ts';

// The maps in a real browser: the liberation date slider works with the
// keyboard and says what it shows; the map's markers are focusable, named links.

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;

describe('maps in a real browser', { skip }, () => {
  let running: Running;
  let browser: Browser;
  before(async () => {
    ({ running, browser } = await startSiteAndBrowser());
  });
  after(() => stopSiteAndBrowser({ running, browser }));

  for (const reducedMotion of ['no-preference', 'reduce'] as const) {
    test(`the date slider moves with the keyboard and the map follows (reduced motion: ${reducedMotion})`, async () => {
      await withPage(browser, { viewport: { width: 1280, height: 900 }, reducedMotion }, async (page) => {
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${running.url}/en/visit/the-liberation-of-the-drome`);
        const slider = page.getByRole('slider', { name: 'Show the map on' });
        const status = page.locator('#map-liberation-by-date-status');
        const visible = () => page.locator('.map-wide .map-marker[data-changes]:not(.map-marker--later)').count();
        // The slider replaces the small maps of each day.
        assert.equal(await page.locator('.by-date-multiples').first().isVisible(), false);
        // At first the whole period: every liberated town.
        assert.equal(await status.textContent(), '4 September 1944: 11 places');
        assert.equal(await visible(), 11);
        await slider.focus();
        await page.keyboard.press('Home'); // 15 August: none yet
        assert.equal(await status.textContent(), '15 August 1944: 0 places');
        assert.equal(await visible(), 0);
        for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowRight'); // 20 August
        assert.equal(await status.textContent(), '20 August 1944: 3 places');
        assert.equal(await visible(), 3);
        assert.equal(await slider.getAttribute('aria-valuetext'), '20 August 1944: 3 places');
        assert.equal(await status.getAttribute('aria-live'), 'polite');
        const transition = await page.locator('.map-marker').first().evaluate((m) => getComputedStyle(m).transitionDuration);
        assert.equal(transition, reducedMotion === 'reduce' ? '0s' : '0.3s');
        // 28 August: Romans and Bourg-de-Péage were retaken the day before; they show as lost, and the status names them.
        for (let i = 0; i < 8; i += 1) await page.keyboard.press('ArrowRight');
        assert.equal(await status.textContent(), '28 August 1944: 7 places; Towns retaken by the Germans: Romans-sur-Isère, Bourg-de-Péage');
        const romans = page.locator('.map-wide .map-marker[data-id="romans-sur-isere"]');
        assert.match(await romans.getAttribute('class') ?? '', /map-marker--lost/);
        assert.equal(await romans.locator('.map-symbol').evaluate((s) => getComputedStyle(s).strokeDasharray !== 'none'), true);
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight'); // 30 August: liberated for good
        assert.equal(await status.textContent(), '30 August 1944: 9 places');
        assert.doesNotMatch(await romans.getAttribute('class') ?? '', /map-marker--lost/);
        await page.keyboard.press('End');
        assert.equal(await visible(), 11);
        assert.deepEqual(errors, []);
      });
    });
  }

  test('without script, the slider stays hidden and the dated table tells the same story', async () => {
    await withPage(browser, { javaScriptEnabled: false }, async (page) => {
      await page.goto(`${running.url}/fr/visite/la-liberation-de-la-drome`);
      assert.equal(await page.getByRole('slider').count(), 0);
      const table = page.getByRole('table', { name: /Jour après jour/ });
      // Every day with an event: the 8 days a town was reached or lost, and the 6 days of the landing, the bridge, battles and parades.
      assert.equal(await table.locator('tbody tr').count(), 14);
      const first = table.locator('tbody tr').first();
      assert.match(await first.textContent() ?? '', /15 août 1944.*Débarquement allié en Provence.*Bombardement allié de Valence/s);
      assert.match(await table.locator('tbody tr').last().textContent() ?? '', /4 septembre 1944.*Défilé militaire des FFI à Valence/s);
      // And the small map of each day a place changed (no map for a day that changes none).
      assert.equal(await page.locator('.by-date-multiples svg.map').count(), 8);
      // The theme lists the liberation once: no second chronology of those days, no list of them again at the end.
      assert.equal(await page.locator('.chronology-block').count(), 0);
      assert.equal(await page.locator('.theme-events a[href$="#event-lib-valence"]').count(), 0);
      assert.ok(await page.locator('.by-date-multiples').first().isVisible());
    });
  });

  test('the map page: each marker is a focusable link named after its place, and Enter opens the place’s page', async () => {
    await withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await page.goto(`${running.url}/en/map`);
      const valence = page.locator('svg[aria-labelledby="map-title map-desc"]').getByRole('link', { name: /^Valence, town, \d+ events$/ });
      await valence.focus();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'valence');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/en\/places\/valence$/);
      assert.equal(await page.locator('h1').textContent(), 'Valence');
      // On a phone, the narrow labels and markers are the ones shown (and the only ones in the accessibility tree).
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${running.url}/en/map`);
      const map = page.locator('svg[aria-labelledby="map-title map-desc"]');
      assert.equal(await map.locator('.map-markers.map-wide').isVisible(), false);
      assert.equal(await map.locator('.map-markers.map-narrow').isVisible(), true);
      assert.equal(await map.getByRole('link', { name: /^Valence, town, \d+ events$/ }).count(), 1);
      // The base map's lines keep their width at the smaller size.
      assert.equal(await map.locator('.map-subject path').first().evaluate((p) => getComputedStyle(p).vectorEffect), 'non-scaling-stroke');
    });
  });
  test('from a theme, the chronology marks the theme\'s period', async () => {
    await withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await page.goto(`${running.url}/en/visit/the-liberation-of-the-drome`);
      await page.getByRole('link', { name: 'See the whole chronology' }).click();
      await page.waitForURL(/\/en\/chronology#period-liberation$/);
      const marked = await page.locator('.event-list > li.in-period').count();
      const ofTheme = await page.locator('.event-list > li:has(.event-meta a[href="/en/visit/the-liberation-of-the-drome"])').count();
      assert.ok(marked > 10 && marked === ofTheme, `${marked} marked, ${ofTheme} in the theme`);
      assert.equal(await page.locator('.event-list > li.in-period').first().evaluate((li) => li.querySelector('.period-anchor')?.id), 'period-liberation');
    });
  });
  test('the filter form: choose a theme and a year, apply, read the result; clear it again', async () => {
    await withPage(browser, { viewport: { width: 375, height: 800 } }, async (page) => {
      await page.goto(`${running.url}/en/chronology`);
      await page.getByLabel('Theme', { exact: true }).selectOption('liberation');
      await page.getByLabel('From', { exact: true }).selectOption('1944');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/\/en\/chronology\?theme=liberation&tag=&from=1944&to=$/);
      assert.match(await page.getByRole('status').textContent() ?? '', /^Showing \d+ of 117 events$/);
      assert.equal(await page.getByLabel('Theme', { exact: true }).inputValue(), 'liberation');
      await page.getByRole('link', { name: 'Show everything' }).click();
      await page.waitForURL(/\/en\/chronology$/);
      assert.equal(await page.locator('.event-list > li').count(), 117);
    });
  });
  test('labels and symbols as Chromium draws them: inside the map, and none over another, at phone and desktop widths', async () => {
    for (const width of [1280, 375]) {
      await withPage(browser, { viewport: { width, height: 900 } }, async (page) => {
        for (const path of ['/fr/carte', '/en/map', '/fr/visite/la-liberation-de-la-drome', '/en/places/romans-sur-isere']) {
          await page.goto(`${running.url}${path}`);
          // A string, not a function: tsx would wrap the helpers below in a __name() the page does not know.
          const problems = await page.evaluate(`(() => {
            const out = [];
            const hit = (a, b) => Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1;
            const pairs = (list, what) => list.forEach((a, i) => list.slice(i + 1).forEach((b) => { if (hit(a.box, b.box)) out.push(what + ': ' + a.name + ' / ' + b.name); }));
            // In screen pixels: a map drawn for two widths scales the labels and markers of its narrow set; only the set shown counts.
            const shown = (el) => { const set = el.closest('.map-wide, .map-narrow'); return !set || getComputedStyle(set).display !== 'none'; };
            const rect = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; };
            for (const svg of document.querySelectorAll('svg.map')) {
              if (getComputedStyle(svg).display === 'none') continue;
              const vb = rect(svg);
              const labels = [...svg.querySelectorAll('text.map-label')].filter(shown).map((t) => ({ name: t.textContent, box: rect(t) }));
              const symbols = [...svg.querySelectorAll('.map-symbol')].filter(shown).map((g) => ({ name: g.closest('[data-id]')?.getAttribute('data-id') ?? '', box: rect(g), pointed: g.tagName === 'path' }));
              for (const l of labels) if (l.box.x < vb.x - 0.5 || l.box.y < vb.y - 0.5 || l.box.x + l.box.width > vb.x + vb.width + 0.5 || l.box.y + l.box.height > vb.y + vb.height + 0.5) out.push(l.name + ' leaves the map');
              pairs(labels, 'labels overlap');
              // Boxes are the shapes for discs, rings, squares and bars; a diamond or a triangle (a path) only fills part of its box, so those pairs are checked on the circles inside.
              const inner = (x) => (x.pointed ? Math.min(x.box.width, x.box.height) / 2.9 : Math.min(x.box.width, x.box.height) / 2);
              const centre = (x) => [x.box.x + x.box.width / 2, x.box.y + x.box.height / 2];
              symbols.forEach((a, i) => symbols.slice(i + 1).forEach((b) => {
                const overlap = a.pointed || b.pointed ? Math.hypot(centre(a)[0] - centre(b)[0], centre(a)[1] - centre(b)[1]) < inner(a) + inner(b) : hit(a.box, b.box);
                if (overlap) out.push('symbols overlap: ' + a.name + ' / ' + b.name);
              }));
            }
            return out;
          })()`) as string[];
          assert.deepEqual(problems, [], `${path} at ${width} px`);
        }
      });
    }
  });
});
