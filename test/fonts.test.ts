import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, siteFor, type TestSite } from './harness.ts';

// Issue 15: the text's typeface is self-hosted (no third-party request), its
// Latin faces 80 KB at most in all, cached for a year, shown with
// font-display: swap (the text never waits for it).

describe('the site\'s typeface', () => {
  let s: TestSite;
  before(async () => { s = await siteFor(DEMO); });
  after(() => s.close());

  test('Source Serif 4 from the site itself: Latin faces within 80 KB, swap, woff2 cached for a year', async () => {
    const html = await s.html('/fr/');
    const cssUrl = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(html)![1]!;
    const css = await (await s.get(cssUrl)).text();
    const faces = [...css.matchAll(/@font-face\{([^}]+)\}/g)].map((m) => m[1]!);
    assert.ok(faces.length >= 3);
    for (const f of faces) {
      assert.match(f, /font-family:"Source Serif 4"/);
      assert.match(f, /font-display:swap/);
      assert.match(f, /src:url\(\/assets\/[a-z0-9-]+\.[0-9a-f]{12}\.woff2\) format\("woff2"\)/, 'a file of this site');
    }
    let latin = 0;
    for (const f of faces) {
      const url = /url\(([^)]+)\)/.exec(f)![1]!;
      const r = await s.get(url);
      assert.equal(r.status, 200, url);
      assert.equal(r.headers.get('content-type'), 'font/woff2');
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const bytes = (await r.arrayBuffer()).byteLength;
      // The Latin faces are what every page of a French, English or German site loads; Latin Extended only where a page needs it.
      if (/unicode-range:U\+0000-00FF/.test(f)) latin += bytes;
    }
    assert.ok(latin > 40_000 && latin <= 80 * 1024, `${latin} bytes of Latin faces`);
    assert.match(css, /--serif: ?"Source Serif 4",/);
  });
});
