import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyBundle, count, DEMO, FIXTURE, siteFor, type TestSite } from './harness.ts';

// The map page names the visit's day-by-day maps and links to each in its
// theme; it draws none of them. Drawn there, they made it the heaviest page
// (issue 12: a visit of 1,000 themes with 91 of them had a map page of 10 MB;
// issue 15: 224 KB with the demo's one).

const EXTRA = 4;
let s: TestSite;
let bundle: string;
before(async () => {
  bundle = copyBundle(DEMO);
  // The demo has one day-by-day map (theme 10); four more themes with one each.
  for (let n = 1; n <= EXTRA; n++) {
    const base = join(bundle, 'themes', `${11 + n}-by-date-${n}`);
    writeFileSync(`${base}.yaml`, 'visit: main\nblocks:\n  - {id: days, kind: map, tag: town-liberated, from: 1944-08-15, to: 1944-09-02, by_date: true}\n');
    for (const [l, title] of [['fr', `Jour après jour (${n})`], ['en', `Day after day (${n})`]] as const) {
      writeFileSync(`${base}.${l}.md`, `---\ntitle: "${title}"\nslug: by-date-${n}\nsummary: "${title}."\n---\n`);
    }
  }
  s = await siteFor(bundle);
});
after(async () => {
  await s.close();
  rmSync(dirname(bundle), { recursive: true, force: true });
});

test('the map page links to every day-by-day map in its theme and draws none of them', async () => {
  for (const [path, visit, title, theme10] of [['/fr/carte', '/fr/visite', 'Jour après jour', '/fr/visite/la-liberation-de-la-drome'], ['/en/map', '/en/visit', 'Day after day', '/en/visit/the-liberation-of-the-drome']] as const) {
    const html = await s.html(path);
    const section = /<section aria-labelledby="map-by-date">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? assert.fail(`${path}: no list of the day-by-day maps`);
    const links = [...section.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(links, [`${theme10}#map-liberation-by-date-heading`, ...[1, 2, 3, 4].map((n) => `${visit}/by-date-${n}#map-days-heading`)], path);
    assert.match(section, new RegExp(`${title} \\(4\\)`));
    assert.doesNotMatch(html, /class="map-block"|by-date-multiples/);
    // The anchor is the block's heading in its theme.
    assert.match(await s.html(theme10), /<h2 id="map-liberation-by-date-heading">/);
  }
});

test('a filtered map page shows no day-by-day map and no list of them', async () => {
  const html = await s.html('/fr/carte?tag=town-liberated');
  assert.doesNotMatch(html, /map-by-date/);
});

test('a museum without map layers: its map page is the list of its places, north to south, and speaks of no map', async () => {
  const fx = await siteFor(FIXTURE);
  try {
    const html = await fx.html('/de/karte');
    assert.doesNotMatch(html, /<svg[^>]*class="map /);
    assert.match(html, /<p class="lead">Die Orte des Rundgangs, mit den Ereignissen, die dort stattfanden\.<\/p>/);
    const list = /<section aria-labelledby="map-list">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? assert.fail('no list of places');
    assert.equal(count(list, /<li><a href="\/de\/orte\//g), 3);
    assert.doesNotMatch(html, /map-beyond|außerhalb der Karte/);
  } finally {
    await fx.close();
  }
});

test('the home page and the overview show each theme with a small map of where it happened: drawn once, seen and not heard', async () => {
  const demo = await siteFor(DEMO);
  try {
    for (const path of ['/fr/', '/fr/visite', '/en/visit']) {
      const html = await demo.html(path);
      const list = /<ol class="theme-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? assert.fail(`${path}: no list of themes`);
      const maps = [...list.matchAll(/<span class="theme-map"><svg [^>]*class="map map--theme" aria-hidden="true" focusable="false">([\s\S]*?)<\/svg><\/span>/g)].map((m) => m[1]!);
      assert.equal(maps.length, 11, `${path}: a map for each of the 11 themes`);
      // The area's geometry once, in the first; the others draw it again.
      assert.equal(count(list, /<g id="theme-maps-geometry">/g), 1);
      assert.ok(maps.slice(1).every((m) => m.includes('<use href="#theme-maps-geometry" transform="scale(1)"/>') && !m.includes('<path d=')));
      // Dots, no links and no names: the theme's title says what it is.
      assert.doesNotMatch(list, /<svg[^>]*role="group"|<a href="\/(fr|en)\/(lieux|places)\//);
      // Theme 10's map has a dot at Valence, and theme 1's none there (it tells Valence nothing).
      assert.match(maps[9]!, /data-id="valence"/);
      assert.doesNotMatch(maps[0]!, /data-id="valence"/);
    }
  } finally {
    await demo.close();
  }
});
