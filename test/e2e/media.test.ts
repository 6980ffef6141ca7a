import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import type { Running } from '../../src/server.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser, stopSiteAndBrowser, withPage } from './browser.ts';
import { mediaBundle } from '../harness.ts';

// Media in a real browser: the zoom viewer opens from a figure and zooms with
// the keyboard; a video shows the captions of the page's language; a facade
// loads nothing from the video's host before the click.

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;

describe('media in a real browser', { skip }, () => {
  let running: Running;
  let browser: Browser;
  let base: string;

  before(async () => {
    ({ running, browser } = await startSiteAndBrowser(await mediaBundle()));
    base = running.url;
  });
  after(() => stopSiteAndBrowser({ running, browser }));

  /** A page whose requests are recorded; it fails on a page error or a failed request to the site. */
  function watched(f: (page: Page, requests: string[]) => Promise<void>, viewport = { width: 1280, height: 900 }): Promise<void> {
    return withPage(browser, { viewport }, async (page) => {
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const failed: string[] = [];
      // A request the browser itself cancels (a video's range request when the test seeks, an image still
      // loading when the page moves on) is no failure of the site: ERR_ABORTED. A CSP block is another error.
      page.on('requestfailed', (r) => {
        if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`${r.url()}: ${r.failure()?.errorText}`);
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await f(page, requests);
      assert.deepEqual(errors, []);
      assert.deepEqual(failed.filter((u) => u.startsWith(base)), [], 'a request to the site failed (blocked by the CSP?)');
    });
  }

  test('the zoom viewer opens from the figure, zooms with the keyboard, and closes back to its button', () =>
    watched(async (page, requests) => {
      await page.goto(`${base}/en/tour/fossils`);
      assert.equal(requests.filter((u) => u.includes('zoom-viewer')).length, 0, 'the viewer is not loaded before it is asked for');
      const open = page.getByRole('button', { name: 'Zoom into the image' });
      await open.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Ammonite from the limestone' });
      await dialog.waitFor();
      const status = dialog.locator('.zoom-status');
      await page.waitForFunction(() => /Zoom: \d+ %/.test(document.querySelector('.zoom-status')?.textContent ?? ''));
      const zoom = async () => Number(/(\d+) %/.exec((await status.textContent()) ?? '')?.[1]);
      const start = await zoom();
      // The viewer's canvas has the focus: a press of "+" zooms by the step of the "Zoom in" button, "-" back.
      assert.equal(await page.evaluate(() => document.activeElement?.closest('.zoom-viewer') !== null), true, 'focus is in the viewer');
      const changed = (from: number) => page.waitForFunction((z) => Number(/(\d+) %/.exec(document.querySelector('.zoom-status')?.textContent ?? '')?.[1]) !== z, from);
      const step = (from: number, to: number) => Math.round((to / from) * 10) / 10;
      await page.keyboard.press('+');
      await changed(start);
      const byKey = await zoom();
      assert.equal(step(start, byKey), 1.5, `"+" zooms ${start} → ${byKey} %`);
      await dialog.getByRole('button', { name: 'Zoom in' }).click();
      await changed(byKey);
      const zoomed = await zoom();
      assert.equal(step(byKey, zoomed), 1.5, `the button zooms ${byKey} → ${zoomed} %`);
      await dialog.locator('.zoom-viewer .openseadragon-canvas').focus();
      await page.keyboard.press('-');
      await changed(zoomed);
      assert.equal(step(await zoom(), zoomed), 1.5, '"-" zooms out by the same step');
      await page.keyboard.press('=');
      await changed(byKey);
      assert.equal(await zoom(), zoomed, '"=" (the "+" key unshifted) zooms in by the same step');
      // The picture is really drawn: the centre of the viewer shows the ammonite's brown, not the black background.
      await page.waitForTimeout(300);
      const shot = await dialog.locator('.zoom-viewer').screenshot();
      const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
      const at = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
      assert.deepEqual([...data.subarray(at, at + 3)].map((v) => Math.round(v / 16)), [181, 122, 61].map((v) => Math.round(v / 16)), 'the image is drawn in the viewer');
      assert.ok(zoomed > start, `zoom ${start} → ${zoomed}`);
      await page.keyboard.press('ArrowLeft'); // pans; must not leave the theme page
      assert.match(page.url(), /\/en\/tour\/fossils$/);
      assert.ok(requests.some((u) => /\/iiif\/image\/[0-9a-f]{64}\/\d+,\d+,\d+,\d+\/\d+,\d*\/0\/default\.jpg$/.test(u)), 'tiles were loaded');
      await page.keyboard.press('0');
      await page.waitForFunction((z) => Number(/(\d+) %/.exec(document.querySelector('.zoom-status')?.textContent ?? '')?.[1]) < z, zoomed);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Zoom into the image');
    }));

  test('without JavaScript the figure links to the full-size image', async () => {
    await withPage(browser, { javaScriptEnabled: false }, async (page) => {
      await page.goto(`${base}/en/tour/fossils`);
      assert.equal(await page.getByRole('button', { name: 'Zoom into the image' }).count(), 0);
      const link = page.getByRole('link', { name: /Full-size image \(JPEG, 800 × 1200 pixels/ });
      const href = await link.getAttribute('href');
      const r = await page.request.get(`${base}${href}`);
      assert.equal(r.headers()['content-type'], 'image/jpeg');
    });
  });

  for (const [path, lang, cue] of [['/en/tour/fossils', 'en', 'A test card'], ['/de/rundgang/fossilien', 'de', 'Ein Testbild']] as const) {
    test(`the video shows captions in the page's language (${lang})`, () =>
      watched(async (page) => {
        await page.goto(`${base}${path}`);
        const video = page.locator('video');
        await video.evaluate((v: HTMLVideoElement) => new Promise<void>((resolve) => {
          if (v.readyState >= 1) resolve();
          else v.addEventListener('loadedmetadata', () => resolve(), { once: true });
        }));
        const showing = await video.evaluate(async (v: HTMLVideoElement) => {
          v.currentTime = 0.5;
          await new Promise((r) => setTimeout(r, 300));
          const t = [...v.textTracks].find((x) => x.mode === 'showing');
          return { language: t?.language, kind: t?.kind, cue: t?.activeCues?.[0] ? (t.activeCues[0] as VTTCue).text : undefined, autoplay: v.autoplay, paused: v.paused };
        });
        assert.deepEqual(showing, { language: lang, kind: 'captions', cue, autoplay: false, paused: true });
      }));
  }

  test('an external video loads nothing from its host until the visitor asks, then plays in a titled frame', () =>
    watched(async (page, requests) => {
      await page.goto(`${base}/en/tour/fossils`);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(requests.filter((u) => !u.startsWith(base)), []);
      const play = page.getByRole('button', { name: 'Play the video here' });
      await play.click();
      const frame = page.locator('iframe.facade-frame');
      assert.equal(await frame.getAttribute('src'), 'https://video.example.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv');
      assert.equal(await frame.getAttribute('title'), 'Video player: A film on PeerTube');
    }));
});
