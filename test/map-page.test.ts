import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MAP_PAGE_BY_DATE } from '../src/web/views/geo.tsx';
import { copyBundle, DEMO, siteFor, type TestSite } from './harness.ts';

// Issue 12: the map page shows the visit's day-by-day maps, but not without
// bound: a visit of 1,000 themes with 91 of them had a map page of 10 MB.
// Past MAP_PAGE_BY_DATE, the themes of the others are listed instead.

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

test(`the map page shows ${MAP_PAGE_BY_DATE} day-by-day maps in full and lists the themes of the others`, async () => {
  for (const [path, visit, title] of [['/fr/carte', '/fr/visite', 'Jour après jour'], ['/en/map', '/en/visit', 'Day after day']] as const) {
    const html = await s.html(path);
    assert.equal(html.match(/class="map-block-source"/g)?.length, MAP_PAGE_BY_DATE, `${path}: maps shown in full`);
    const section = /<section aria-labelledby="map-more-by-date">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? assert.fail(`${path}: no list of the other day-by-day maps`);
    const links = [...section.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    // Theme 10 and the first two added are shown; the last two are listed.
    assert.deepEqual(links, [3, 4].map((n) => [`${visit}/by-date-${n}`, `${title} (${n})`]), path);
  }
});

test('a filtered map page shows no day-by-day map and no list of them', async () => {
  const html = await s.html('/fr/carte?tag=town-liberated');
  assert.doesNotMatch(html, /map-more-by-date|class="map-block-source"/);
});
