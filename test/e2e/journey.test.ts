import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Running } from '../../src/server.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser, stopSiteAndBrowser, withPage } from './browser.ts';
import { PAGE_TYPES } from '../harness.ts';

// A visitor's journeys in a real browser (Debian's Chromium), against the real
// server started in-process on a free port.

const T1 = { fr: '/fr/visite/la-montee-du-nazisme' };
const T9 = { fr: '/fr/visite/la-deportation-et-l-internement' };
const T10 = PAGE_TYPES['theme 10 (chronology block)']!;
const T11 = { fr: '/fr/visite/videos' };
const TOTAL = 11;

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
if (skip) {
  console.warn(`\n!!! BROWSER TESTS SKIPPED: ${skip} — install it with apt-get install chromium (or set CHROMIUM_PATH) !!!\n`);
}

describe('visitor journeys in a real browser', { skip }, () => {
  let running: Running;
  let browser: Browser;
  let base: string;

  before(async () => {
    // No PUBLIC_URL: with PORT=0 the server derives it from the port it was given,
    // so canonical links point at this very server.
    ({ running, browser } = await startSiteAndBrowser());
    base = running.url;
  });
  after(() => stopSiteAndBrowser({ running, browser }));

  const kicker = (page: Page) => page.locator('.kicker').first().textContent();
  const path = (page: Page) => new URL(page.url()).pathname;

  test('the server knows its real address: canonical links use the bound port', async () => {
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(running.port, 0);
    const html = await (await fetch(`${base}${T10.en}`)).text();
    assert.ok(html.includes(`<link rel="canonical" href="${base}${T10.en}"/>`), 'canonical link with the real port');
  });

  test('from the home page, through all eleven themes with "Thème suivant", then into English', async () => {
    // A browser asking for a language the site does not offer gets the default, French.
    // (Chromium would otherwise send its own en-US and get the English site.)
    await withPage(browser, { locale: 'de-DE' }, async (page) => {
      const res = await page.goto(`${base}/`);
      assert.equal(res?.status(), 200);
      assert.equal(path(page), '/fr/', 'French by default');
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');

      await Promise.all([page.waitForURL(`**${T1.fr}`), page.getByRole('link', { name: 'Commencer la visite' }).click()]);
      for (let n = 1; n <= TOTAL; n++) {
        assert.equal((await kicker(page))?.trim(), `Thème ${n} sur ${TOTAL}`, `kicker on ${path(page)}`);
        const next = page.locator('.pager a[rel="next"]');
        if (n < TOTAL) {
          assert.match((await next.textContent()) ?? '', /^Thème suivant /);
          const from = path(page);
          await Promise.all([page.waitForURL((u) => u.pathname !== from), next.click()]);
        } else {
          assert.equal(await next.count(), 0, 'theme 11 has no next link');
          assert.equal(await page.locator('link[rel="next"]').count(), 0);
          assert.equal(path(page), T11.fr);
        }
      }

      // Back to theme 10, then switch language.
      await Promise.all([page.waitForURL(`**${T10.fr}`), page.locator('.pager a[rel="prev"]').click()]);
      assert.equal((await kicker(page))?.trim(), `Thème 10 sur ${TOTAL}`);
      await Promise.all([page.waitForURL(`**${T10.en}`), page.locator('.lang-switch').getByRole('link', { name: 'English' }).click()]);
      assert.equal(path(page), T10.en);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal((await kicker(page))?.trim(), `Theme 10 of ${TOTAL}`);
    });
  });

  test('with JavaScript, ← and → go to the previous and next theme', async (t) => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}${T10.fr}`, { waitUntil: 'load' });
      await Promise.all([page.waitForURL(`**${T11.fr}`), page.keyboard.press('ArrowRight')]);
      assert.equal((await kicker(page))?.trim(), `Thème 11 sur ${TOTAL}`);

      await page.goto(`${base}${T10.fr}`, { waitUntil: 'load' });
      await Promise.all([page.waitForURL(`**${T9.fr}`), page.keyboard.press('ArrowLeft')]);
      assert.equal((await kicker(page))?.trim(), `Thème 9 sur ${TOTAL}`);

      await page.goto(`${base}${T10.fr}`, { waitUntil: 'load' });
      const input = page.locator('input:not([type="hidden"]), textarea, select').first();
      await t.test('the keys do nothing while typing in a field', { skip: (await input.count()) === 0 ? 'no form field on theme 10' : false }, async () => {
        await input.focus();
        await page.keyboard.press('ArrowRight');
        await page.waitForTimeout(300);
        assert.equal(path(page), T10.fr);
      });
      const stays = async (why: string) => {
        await page.keyboard.press('ArrowRight');
        await page.waitForTimeout(300);
        assert.equal(path(page), T10.fr, why);
      };
      await t.test('the keys do nothing with text selected', async () => {
        await page.evaluate(() => {
          const p = document.querySelector('main .prose p') ?? document.querySelector('main p');
          if (!p) throw new Error('no paragraph');
          (document.activeElement as HTMLElement | null)?.blur();
          document.getSelection()?.selectAllChildren(p);
        });
        await stays('a selection is kept, not a reason to leave the page');
        await page.evaluate(() => document.getSelection()?.removeAllRanges());
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await Promise.all([page.waitForURL(`**${T11.fr}`), page.keyboard.press('ArrowRight')]);
        await page.goto(`${base}${T10.fr}`, { waitUntil: 'load' });
      });
      await t.test('the keys do nothing in an editable region or with a modifier', async () => {
        await page.evaluate(() => {
          const p = document.querySelector<HTMLElement>('main p');
          if (!p) throw new Error('no paragraph');
          p.contentEditable = 'true';
          p.focus();
        });
        await stays('contenteditable');
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.keyboard.press('Alt+ArrowRight');
        await page.waitForTimeout(300);
        assert.equal(path(page), T10.fr, 'Alt+→');
      });
    } finally {
      await page.close();
    }
  });

  test('the keyboard tip is shown where the keys work: with script, and not on a touch screen', async () => {
    const tip = async (options: BrowserContextOptions) => withPage(browser, options, async (page) => {
      await page.goto(`${base}${T10.fr}`, { waitUntil: 'load' });
      return page.locator('.key-hint').isVisible();
    });
    assert.equal(await tip({ viewport: { width: 1280, height: 900 } }), true, 'a desktop browser');
    assert.equal(await tip({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true }), false, 'a phone');
    assert.equal(await tip({ javaScriptEnabled: false }), false, 'without script the keys do nothing');
  });

  test('the language switch keeps the chronology\'s filter (server) and the anchor (script)', async () => {
    await withPage(browser, {}, async (page) => {
      await page.goto(`${base}/fr/chronologie?theme=repression&from=1943`, { waitUntil: 'load' });
      const id = await page.locator('.event-list > li[id^="event-"]').nth(2).getAttribute('id');
      await page.goto(`${base}/fr/chronologie?theme=repression&from=1943#${id}`, { waitUntil: 'load' });
      await Promise.all([page.waitForURL((u) => u.pathname === '/en/chronology'), page.locator('.lang-switch').getByRole('link', { name: 'English' }).click()]);
      const u = new URL(page.url());
      assert.equal(`${u.pathname}${u.search}${u.hash}`, `/en/chronology?theme=repression&from=1943#${id}`);
      assert.equal(await page.locator('select[name="theme"]').inputValue(), 'repression');
    });
    await withPage(browser, { javaScriptEnabled: false }, async (page) => {
      await page.goto(`${base}/fr/chronologie?theme=repression&from=1943`);
      await Promise.all([page.waitForURL((u) => u.pathname === '/en/chronology'), page.locator('.lang-switch').getByRole('link', { name: 'English' }).click()]);
      assert.equal(new URL(page.url()).search, '?theme=repression&from=1943', 'without script, the filter is kept');
    });
  });

  test('at 375 px a wide table scrolls on its own, says so with a shadow, and takes the keyboard', async () => {
    await withPage(browser, { viewport: { width: 375, height: 740 } }, async (page) => {
      await page.goto(`${base}/en/learn-more/the-ffi-of-the-drome-in-1944`, { waitUntil: 'load' });
      const region = page.getByRole('region', { name: 'Table (scrolls sideways on small screens)' });
      const box = await region.evaluate((e) => {
        const st = getComputedStyle(e);
        return { wider: e.scrollWidth > e.clientWidth, tab: (e as HTMLElement).tabIndex, attachment: st.backgroundAttachment, images: st.backgroundImage.split('gradient(').length - 1 };
      });
      assert.deepEqual(box, { wider: true, tab: 0, attachment: 'local, local, scroll, scroll', images: 4 });
      await region.focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => (document.querySelector('.table-scroll')?.scrollLeft ?? 0) > 0);
      assert.equal(new URL(page.url()).pathname, '/en/learn-more/the-ffi-of-the-drome-in-1944');
    });
  });

  test('the footer starts at the page\'s left edge (the breadcrumb\'s), at 375, 1280 and 1920 px', async () => {
    for (const width of [375, 1280, 1920]) {
      await withPage(browser, { viewport: { width, height: 900 } }, async (page) => {
        await page.goto(`${base}${T1.fr}`);
        // From 1280 px a theme's title stands over its text column, right of the contents: the breadcrumb keeps the edge.
        const [text, footer] = await Promise.all(['main .breadcrumb', '.site-footer p:not(.print-only)'].map((sel) => page.locator(sel).first().evaluate((e) => Math.round(e.getBoundingClientRect().left))));
        assert.equal(footer, text, `${width} px`);
      });
    }
  });

  test('in dark mode, links and the main button stay in the site\'s warm palette (no salmon pink) and hold AA', async () => {
    await withPage(browser, { colorScheme: 'dark' }, async (page) => {
      await page.goto(`${base}/fr/`);
      const css = await page.evaluate(() => {
        const link = document.querySelector('main a:not(.button)')!;
        const button = document.querySelector('a.button')!;
        return { link: getComputedStyle(link).color, page: getComputedStyle(document.body).backgroundColor, button: getComputedStyle(button).backgroundColor, label: getComputedStyle(button).color };
      });
      const rgb = (v: string) => (v.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const colours = { link: rgb(css.link), page: rgb(css.page), button: rgb(css.button), label: rgb(css.label) };
      const lum = (c: number[]) => {
        const [r, g, b] = c.map((v) => v / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const ratio = (a: number[], b: number[]) => {
        const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
        return (x! + 0.05) / (y! + 0.05);
      };
      const hue = ([r, g, b]: number[]) => {
        const max = Math.max(r!, g!, b!), min = Math.min(r!, g!, b!);
        const h = max === r ? ((g! - b!) / (max - min)) % 6 : max === g ? (b! - r!) / (max - min) + 2 : (r! - g!) / (max - min) + 4;
        return (h * 60 + 360) % 360;
      };
      assert.ok(ratio(colours.link, colours.page) >= 4.5, `link ${ratio(colours.link, colours.page).toFixed(2)}:1`);
      assert.ok(ratio(colours.label, colours.button) >= 4.5, `button ${ratio(colours.label, colours.button).toFixed(2)}:1`);
      // Salmon pink (#f0a8a0) has a hue of 6°; the site's terracotta and burgundy are warm, not pink.
      assert.ok(hue(colours.link) >= 15 && hue(colours.link) <= 40, `link hue ${hue(colours.link).toFixed(0)}°`);
      assert.ok(lum(colours.button) < lum(colours.label), 'a dark button with a light label, as in the light scheme');
    });
  });

  test('the site icon has a dark version of its own (the SVG\'s media query, not blocked by the icon\'s CSP)', async () => {
    const svg = /<link rel="icon" href="([^"]+\.svg)"/.exec(await (await fetch(`${base}/fr/`)).text())?.[1] ?? assert.fail('no SVG icon');
    const corner: Record<string, number[]> = {};
    for (const scheme of ['light', 'dark'] as const) {
      await withPage(browser, { colorScheme: scheme }, async (page) => {
        await page.goto(`${base}/fr/`);
        await page.evaluate((src) => {
          const img = document.createElement('img');
          img.id = 'icon-probe';
          img.src = src;
          img.width = 64;
          img.height = 64;
          document.body.prepend(img);
        }, svg);
        await page.waitForFunction(() => (document.getElementById('icon-probe') as HTMLImageElement | null)?.complete === true);
        const { data, info } = await sharp(await page.locator('#icon-probe').screenshot()).raw().toBuffer({ resolveWithObject: true });
        const at = (10 * info.width + 10) * info.channels;
        corner[scheme] = [...data.subarray(at, at + 3)];
      });
    }
    assert.deepEqual(corner, { light: [0x7d, 0x1f, 0x1f], dark: [0xd9, 0x93, 0x6a] });
  });

  test('without JavaScript, "next" and the theme menu still work', async () => {
    await withPage(browser, { javaScriptEnabled: false }, async (page) => {
      await page.goto(`${base}${T1.fr}`);
      await Promise.all([page.waitForURL((u) => u.pathname !== T1.fr), page.locator('.pager a[rel="next"]').click()]);
      assert.equal((await kicker(page))?.trim(), `Thème 2 sur ${TOTAL}`);

      const menu = page.locator('details.theme-menu');
      const entry = menu.locator('nav a').nth(9);
      assert.equal(await menu.evaluate((d) => (d as HTMLDetailsElement).open), false);
      assert.equal(await entry.isVisible(), false, 'menu closed at first');
      await menu.locator('summary').click();
      assert.equal(await menu.evaluate((d) => (d as HTMLDetailsElement).open), true);
      assert.equal(await entry.isVisible(), true, 'menu open after a click on its summary');
      assert.equal(await menu.locator('nav a').count(), TOTAL);
      await Promise.all([page.waitForURL(`**${T10.fr}`), entry.click()]);
      assert.equal((await kicker(page))?.trim(), `Thème 10 sur ${TOTAL}`);
      assert.equal(await page.locator('details.theme-menu nav a[aria-current="page"]').getAttribute('href'), T10.fr);
    });
  });

  test('at 320 CSS pixels wide, nothing scrolls sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    try {
      for (const p of ['/fr/', '/fr/visite', T10.fr, '/en/', '/en/visit', T10.en]) {
        await page.goto(`${base}${p}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 321, `${p}: scrollWidth ${width} > 320`);
      }
    } finally {
      await page.close();
    }
  });

  test('printed, a theme keeps its text and drops the navigation', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}${T10.fr}`);
      await page.emulateMedia({ media: 'print' });
      const display = (sel: string) => page.locator(sel).first().evaluate((el) => getComputedStyle(el).display);
      assert.equal(await display('.site-header'), 'none');
      assert.equal(await display('.pager'), 'none');
      assert.notEqual(await display('main h1'), 'none');
      // On paper, the museum's name, address and the page's address, which the hidden header no longer gives.
      assert.equal(await display('.print-source'), 'block');
      assert.match(await page.locator('.print-source').textContent() ?? '', /^Musée de la Résistance en Drôme et de la Déportation — Rue Bistour.*26100 Romans-sur-Isère — https?:\/\/\S+\/fr\/visite\/la-liberation-de-la-drome$/);
      // The map's heading is kept with it.
      assert.equal(await page.locator('.map-block > .section-head').first().evaluate((el) => getComputedStyle(el).breakAfter), 'avoid');
      // And the page has margins of its own when the print dialog gives none: 7 A4 pages at most (it was 11).
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      assert.ok(pages >= 4 && pages <= 8, `printed on ${pages} A4 pages`);
      await page.emulateMedia({ media: 'screen' });
      assert.notEqual(await display('.site-header'), 'none', 'visible again on screen');
      assert.equal(await display('.print-source'), 'none', 'not on screen');
    } finally {
      await page.close();
    }
  });
});
