import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import type { Running } from '../../src/server.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser } from './browser.ts';
import { mediaBundle } from '../harness.ts';

// Interoperability with a real IIIF client: Mirador 4 (its standalone UMD
// bundle, the same one a museum partner would drop on their own site), served
// from another origin, opens a theme's IIIF manifest from Parcours and renders
// the image through the level-0 image service. This is what CORS and the IIIF
// Presentation 3 / Image 3 output are for.

const require = createRequire(import.meta.url);
const MIRADOR = require.resolve('mirador'); // "require" condition: dist/mirador.min.js, the UMD bundle
const TIMEOUT = 30_000; // Mirador is 2.3 MB of JavaScript; a busy 2-core machine takes its time

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
if (skip) {
  console.warn(`\n!!! MIRADOR (IIIF) BROWSER TEST SKIPPED: ${skip} — install it with apt-get install chromium (or set CHROMIUM_PATH) !!!\n`);
}

/** A second origin: a bare page embedding Mirador, the way a partner site would. */
async function partnerSite(manifestId: string): Promise<{ server: Server; url: string }> {
  const js = readFileSync(MIRADOR);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mirador</title><link rel="icon" href="data:,"></head>
<body>
<div id="viewer" style="position:absolute;inset:0"></div>
<script src="/mirador.min.js"></script>
<script>Mirador.viewer({ id: 'viewer', windows: [{ manifestId: ${JSON.stringify(manifestId)} }] });</script>
</body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else if (req.url === '/mirador.min.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(js);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Share of the screenshot's pixels close to the fixture's brown (180,120,60) and dark blue (20,40,90), and where they sit. */
async function colours(png: Buffer): Promise<{ brown: number; blue: number; brownY: number; blueY: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const near = (i: number, [r, g, b]: number[]) => Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 60;
  let brown = 0, blue = 0, brownY = 0, blueY = 0;
  for (let i = 0, p = 0; i < data.length; i += info.channels, p++) {
    const y = Math.floor(p / info.width) / info.height;
    if (near(i, [180, 120, 60])) { brown++; brownY += y; }
    else if (near(i, [20, 40, 90])) { blue++; blueY += y; }
  }
  const n = info.width * info.height;
  return { brown: brown / n, blue: blue / n, brownY: brownY / Math.max(1, brown), blueY: blueY / Math.max(1, blue) };
}

describe('IIIF interoperability in a real browser', { skip }, () => {
  let running: Running;
  let browser: Browser;
  let partner: { server: Server; url: string };
  let base: string;

  before(async () => {
    ({ running, browser } = await startSiteAndBrowser(await mediaBundle()));
    base = running.url;
    partner = await partnerSite(`${base}/iiif/themes/fossils/manifest.json`);
  });
  after(async () => {
    await browser?.close();
    partner?.server.closeAllConnections();
    await new Promise((ok) => (partner ? partner.server.close(ok) : ok(undefined)));
    await running?.close();
  });

  test("Mirador, a real IIIF client, opens a theme's manifest from another origin and renders its image", { timeout: 90_000 }, async () => {
    assert.notEqual(new URL(partner.url).origin, new URL(base).origin, 'two different origins');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const ok: { url: string; status: number; cors: string | null }[] = [];
    const failed: string[] = [];
    const errors: string[] = [];
    page.on('response', (r) => {
      if (!r.url().startsWith(`${base}/`)) return;
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      else ok.push({ url: r.url(), status: r.status(), cors: r.headers()['access-control-allow-origin'] ?? null });
    });
    // A 404 answered with an HTML page is blocked by Chromium (ORB) before any response event: only requestfailed sees it.
    page.on('requestfailed', (r) => {
      if (r.url().startsWith(`${base}/`)) failed.push(`${r.failure()?.errorText ?? 'failed'} ${r.url()}`);
    });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const context = async () => `\n--- Mirador says:\n${await page.locator('body').innerText().catch(() => '?')}\n--- console errors:\n${errors.join('\n')}\n--- failed requests:\n${failed.join('\n')}`;

    try {
      await page.goto(`${partner.url}/`);

      // The manifest's label, in one of its languages (Chromium's en-US picks "Fossils").
      const title = page.locator('.mirador-window-top-bar').getByText(/^(Fossils|Fossilien)$/).first();
      await title.waitFor({ timeout: TIMEOUT }).catch(async (e: Error) => assert.fail(`no manifest title in Mirador: ${e.message}${await context()}`));
      // The canvas label shows the manifest's canvases were understood.
      await page.locator('.mirador-canvas-label').getByText(/Ammonite from the limestone|Ammonit aus dem Plattenkalk/).waitFor({ timeout: TIMEOUT });
      // OpenSeadragon's drawing surface.
      const osd = page.locator('.mirador-osd-container .openseadragon-canvas').first();
      await osd.locator('canvas').first().waitFor({ timeout: TIMEOUT });

      // Pixels, not just chrome: poll screenshots of the OSD area until the tiles are drawn.
      let seen = { brown: 0, blue: 0, brownY: 0, blueY: 0 };
      const deadline = Date.now() + TIMEOUT;
      while (Date.now() < deadline) {
        seen = await colours(await osd.screenshot({ animations: 'disabled' }));
        if (seen.brown > 0.1 && seen.blue > 0.02) break;
        await page.waitForTimeout(250);
      }
      assert.ok(seen.brown > 0.1, `the ammonite's brown covers ${(seen.brown * 100).toFixed(1)} % of the viewer${await context()}`);
      assert.ok(seen.blue > 0.02, `the dark-blue band covers ${(seen.blue * 100).toFixed(1)} % of the viewer${await context()}`);
      // EXIF orientation 6 was applied when the tiles were made: the band that was on the left is now on top.
      assert.ok(seen.blueY < seen.brownY, `blue band above the brown (mean heights ${seen.blueY.toFixed(2)} vs ${seen.brownY.toFixed(2)})`);

      // Those pixels came from Parcours, cross-origin: manifest and info.json through CORS fetches, tiles as images.
      const from = (re: RegExp) => ok.filter((r) => re.test(r.url.slice(base.length)));
      const manifest = from(/^\/iiif\/themes\/fossils\/manifest\.json$/);
      assert.equal(manifest.length > 0 && manifest.every((r) => r.cors === '*'), true, `manifest fetched with CORS: ${JSON.stringify(manifest)}`);
      const info = from(/^\/iiif\/image\/[0-9a-f]{64}\/info\.json$/);
      assert.equal(info.length > 0 && info.every((r) => r.cors === '*'), true, `info.json fetched with CORS: ${JSON.stringify(info)}`);
      const tiles = from(/^\/iiif\/image\/[0-9a-f]{64}\/[^/]+\/[^/]+\/0\/default\.jpg$|^\/media\/[0-9a-f]{64}\/full\.jpg$/);
      assert.ok(tiles.length > 0 && tiles.every((r) => r.status === 200), `image tiles loaded: ${JSON.stringify(tiles)}`);

      // Nothing the viewer asked of Parcours failed (a level-0 service must have every tile its info.json promises).
      assert.deepEqual(failed, [], `requests to Parcours failed${await context()}`);
      const cors = errors.filter((e) => /CORS|Access-Control|cross-origin/i.test(e));
      assert.deepEqual(cors, [], 'no CORS errors in the console');
    } finally {
      await page.close();
    }
  });
});
