import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { wrapText } from '../src/web/site/share-image.ts';
import { pageOfShare, sharePath } from '../src/web/site/routes.ts';
import { DEMO, FIXTURE, PUBLIC_URL, fixtureFileSite, siteFor, type TestSite } from './harness.ts';

// Issue 15: every page has a sharing image drawn by the server (the museum's
// name, the page's kicker and title, in the museum's colour), 1200 × 630,
// named in its og:image, drawn once and then served from the cache.

const pixel = async (png: Buffer, x: number, y: number) => {
  const { data } = await sharp(png).extract({ left: x, top: y, width: 1, height: 1 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return `#${[...data].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
};

describe('sharing images', () => {
  let demo: TestSite;
  let fixture: TestSite;
  before(async () => { [demo, fixture] = await Promise.all([siteFor(DEMO), siteFor(FIXTURE)]); });
  after(async () => { await demo.close(); await fixture.close(); });

  test('addresses: one per page, the home page\'s too, and back', () => {
    assert.equal(sharePath('/fr/visite/videos'), '/share/fr/visite/videos.png');
    assert.equal(sharePath('/fr/'), '/share/fr/index.png');
    assert.equal(pageOfShare('/share/fr/index.png'), '/fr/');
    assert.equal(pageOfShare('/share/en/visit/videos.png'), '/en/visit/videos');
    assert.equal(pageOfShare('/share/en/visit/videos.jpg'), undefined);
  });

  test('every page names its image with its size and words; filtered and error pages point at their page\'s', async () => {
    const sitemap = await demo.html('/sitemap.xml');
    const paths = [...sitemap.matchAll(/<loc>https:\/\/[^/]+([^<]+)<\/loc>/g)].map((m) => m[1]!);
    for (const path of paths.filter((_, i) => i % 7 === 0)) {
      const html = await demo.html(path);
      assert.ok(html.includes(`<meta property="og:image" content="${PUBLIC_URL}${sharePath(path)}"/>`), path);
      assert.match(html, /<meta property="og:image:width" content="1200"\/><meta property="og:image:height" content="630"\/><meta property="og:image:alt" content="[^"]+ — [^"]+"\/><meta name="twitter:card" content="summary_large_image"\/>/);
    }
    assert.ok((await demo.html('/fr/chronologie?theme=repression')).includes(`${PUBLIC_URL}/share/fr/chronologie.png`));
  });

  test('a theme\'s image: a PNG of 1200 × 630, its title drawn, the site\'s burgundy; the same bytes from the cache', async () => {
    const r = await demo.get('/share/fr/visite/la-liberation-de-la-drome.png');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await r.arrayBuffer());
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1200, 630]);
    assert.equal(await pixel(png, 10, 300), '#7d1f1f', 'the band in the site\'s colour');
    // Ink where the title is, none in the empty lower right.
    const darkest = async (left: number, top: number, width: number, height: number) => Math.min(...(await sharp(png).extract({ left, top, width, height }).removeAlpha().greyscale().raw().toBuffer()));
    assert.ok(await darkest(96, 280, 800, 90) < 80, 'dark strokes of the title');
    assert.ok(await darkest(1000, 420, 150, 100) > 200, 'paper');
    const again = await demo.get('/share/fr/visite/la-liberation-de-la-drome.png');
    assert.equal(again.headers.get('etag'), r.headers.get('etag'));
  });

  test('the museum\'s own colour on its images', async () => {
    const png = Buffer.from(await (await fixture.get('/share/de/index.png')).arrayBuffer());
    assert.equal(await pixel(png, 10, 300), '#1d5c45');
  });

  test('no image for an address that is no page', async () => {
    for (const path of ['/share/fr/visite/nope.png', '/share/fr/visite/videos.jpg', '/share/..%2F..%2Fetc%2Fpasswd.png', '/share/.png']) {
      assert.ok([400, 404].includes((await demo.get(path)).status), path);
    }
  });

  test('a long title wraps on three lines at most, the last one ending in an ellipsis', () => {
    const measure = (s: string) => s.length * 10;
    const lines = wrapText('un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze', 100, 3, measure);
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => measure(l) <= 100 || !l.includes(' ')), JSON.stringify(lines));
    assert.ok(lines[2]!.endsWith('…'));
    assert.deepEqual(wrapText('court', 100, 3, measure), ['court']);
  });
});

describe('sharing images drawn by the render worker (a database file)', () => {
  const file = fixtureFileSite('parcours-share-');
  test('the same image as inline, from the worker thread', async () => {
    const { site, app, logs } = file.serve();
    try {
      await site.refresh();
      const r = await app.request('/share/en/tour/minerals.png');
      assert.equal(r.status, 200, logs.join('\n'));
      const meta = await sharp(Buffer.from(await r.arrayBuffer())).metadata();
      assert.deepEqual([meta.width, meta.height], [1200, 630]);
    } finally {
      await site.stop();
    }
  });
});
