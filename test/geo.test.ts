import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, FIXTURE, PUBLIC_URL, copyBundle, siteFor, testStore, type TestSite } from './harness.ts';
import { createApp } from '../src/app.ts';
import { SiteStore } from '../src/web/site/site.service.ts';
import { buildAssets } from '../src/web/assets.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { formatProblem } from '../src/modules/bundle/bundle.problems.ts';
import { writeBundle } from '../src/modules/bundle/bundle.writer.ts';
import { formatLicence } from '../src/cli/report.ts';

// Map layers of a bundle: GeoJSON under geo/, declared in layers.yaml.

const problemsWith = (change: (dir: string) => void): string[] => {
  const dir = copyBundle(DEMO);
  change(dir);
  return readBundle(dir).problems.map(formatProblem);
};
// An edit that changes nothing fails, so that a test cannot pass on a bundle it meant to break.
const edit = (dir: string, rel: string, f: (s: string) => string) => {
  const before = readFileSync(join(dir, rel), 'utf8');
  const after = f(before);
  assert.notEqual(after, before, `the edit of ${rel} changed nothing`);
  writeFileSync(join(dir, rel), after);
};
const expectProblem = (problems: string[], expected: RegExp) => assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in:\n${problems.join('\n')}`);

describe('map layers', () => {
  test('the demo declares the Drôme, its four neighbours and the rivers, in drawing order', () => {
    const { content } = readBundle(DEMO);
    assert.deepEqual(content?.layers.map((l) => [l.id, l.role, l.data.features.length]), [
      ['drome', 'subject', 1], ['ardeche', 'context', 1], ['isere', 'context', 1], ['vaucluse', 'context', 1], ['hautes-alpes', 'context', 1], ['rivers', 'line', 4],
    ]);
    // The Enclave des Papes is a hole in the Drôme.
    const drome = content?.layers[0]?.data.features[0]?.geometry;
    assert.equal(drome?.type, 'Polygon');
    assert.equal((drome?.coordinates as unknown[]).length, 2);
  });

  const cases: [string, (dir: string) => void, RegExp][] = [
    ['a file that is not JSON', (d) => writeFileSync(join(d, 'geo/rivers.geojson'), '{"type": "FeatureCollection", '), /^geo\/rivers\.geojson: is not valid JSON/],
    ['a Feature instead of a FeatureCollection', (d) => writeFileSync(join(d, 'geo/rivers.geojson'), JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[4.8, 44.9], [4.9, 45]] } })), /^geo\/rivers\.geojson: must be a GeoJSON FeatureCollection \(found type "Feature"\)$/],
    ['latitude and longitude swapped out of range', (d) => writeFileSync(join(d, 'geo/rivers.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[44.9, 4.8], [45, 95]] } }] })), /^geo\/rivers\.geojson: feature 1: position \[45, 95\] is out of range/],
    ['points in a layer', (d) => writeFileSync(join(d, 'geo/rivers.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [4.8, 44.9] } }] })), /^geo\/rivers\.geojson: feature 1: geometry "Point" cannot be drawn as a layer/],
    ['a missing file', (d) => edit(d, 'layers.yaml', (s) => s.replace('file: geo/rivers.geojson', 'file: geo/streams.geojson')), /^geo\/streams\.geojson: file is missing$/],
    ['a file outside geo/', (d) => edit(d, 'layers.yaml', (s) => s.replace('file: geo/rivers.geojson', 'file: ../places.yaml')), /^layers\.yaml: layer "rivers": file: must be a \.geojson file under geo\//],
    ['no subject layer', (d) => edit(d, 'layers.yaml', (s) => s.replace('role: subject', 'role: context')), /^layers\.yaml: needs at least one layer with role "subject"/],
    ['a credit missing in the default language', (d) => edit(d, 'layers.yaml', (s) => s.replace(/- id: rivers[\s\S]*$/, '- id: rivers\n  file: geo/rivers.geojson\n  role: line\n  credit: {en: Rivers}\n')), /^layers\.yaml: layer "rivers": credit: the default language "fr" is missing$/],
    ['layers in a version-1 bundle', (d) => edit(d, 'bundle.yaml', (s) => s.replace('version: 2', 'version: 1')), /^layers\.yaml: map layers need bundle version 2/],
  ];
  for (const [name, change, expected] of cases) {
    test(`refused with a clear message: ${name}`, () => {
      const problems = problemsWith(change);
      expectProblem(problems, expected);
    });
  }
});

describe('the map page, the place pages and the open data', () => {
  let s: TestSite;
  before(async () => {
    s = await siteFor(DEMO);
  });
  after(() => s.close());

  test('the map page draws the Drôme as an SVG on the server, every marker a named link, followed by the same places as text', async () => {
    for (const [path, lang] of [['/fr/carte', 'fr'], ['/en/map', 'en']] as const) {
      const html = await s.html(path);
      const svg = /<svg[^>]*>[\s\S]*?<\/svg>/.exec(html.slice(html.indexOf('<main')))?.[0] ?? assert.fail('no svg');
      assert.match(svg, /<title id="map-title">/);
      assert.match(svg, /<desc id="map-desc">/);
      assert.match(svg, lang === 'fr' ? /Carte de la Drôme avec ses rivières/ : /A map of the Drôme with its rivers/);
      const links = [...svg.matchAll(/<a [^>]*href="([^"]+)"[^>]*aria-label="([^"]+)"/g)];
      assert.ok(links.length >= 40, `${links.length} marker links`);
      assert.ok(links.some(([, href, name]) => href === (lang === 'fr' ? '/fr/lieux/valence' : '/en/places/valence') && /^Valence, /.test(name ?? '')));
      // The text alternative lists the same places, each linking to its page.
      const list = html.slice(html.indexOf('id="map-list"'));
      for (const [, href] of links) assert.ok(list.includes(`href="${href}"`), `${href} missing from the list`);
      // Places beyond the Drôme are listed, not drawn.
      assert.match(html, lang === 'fr' ? /Lieux hors de la carte/ : /Places beyond the map/);
      assert.ok(!svg.includes('auschwitz'));
      assert.ok(html.includes(lang === 'fr' ? 'href="/fr/lieux/auschwitz"' : 'href="/en/places/auschwitz"'));
      // Romans and the museum are a few hundred metres apart: the museum is moved aside, with a line to its true position, and the legend says so.
      assert.match(svg, /data-id="musee-resistance-deportation-romans"[^>]*>(<title>[^<]*<\/title>)?<path class="map-displaced-leader"/);
      assert.match(html, lang === 'fr' ? /Repère décalé pour ne pas couvrir son voisin/ : /Marker moved aside so as not to cover its neighbour/);
      // No request leaves the site: no tile server, no script.
      assert.doesNotMatch(svg, /<image|<script|https?:\/\/(?!www\.w3\.org)/);
    }
  });

  test('a place page: its events, the themes that tell them, a locator map, Place and Event JSON-LD', async () => {
    const html = await s.html('/en/places/valence');
    assert.match(html, /<h1>Valence<\/h1>/);
    assert.match(html, /<h2 id="place-events">What happened here<\/h2>/);
    assert.match(html, /<svg[^>]*aria-labelledby="locator-valence-title locator-valence-desc"/);
    assert.match(html, /"@type":"Place"/);
    assert.match(html, /"geo":\{"@type":"GeoCoordinates","latitude":44\.9\d*,"longitude":4\.9\d*\}/);
    assert.match(html, /"@type":"Event"/);
    assert.match(html, /<a href="\/en\/visit\/the-liberation-of-the-drome">/);
    const far = await s.html('/fr/lieux/auschwitz');
    assert.match(far, /Ce lieu se trouve en dehors de la zone des cartes du musée/);
    assert.equal((await s.get('/en/places/atlantis')).status, 404);
  });

  test('the chronology links each event\'s places to their pages', async () => {
    const html = await s.html('/en/chronology');
    assert.match(html, /Places?: (<a href="\/en\/places\/[a-z0-9-]+">[^<]+<\/a>(, )?)+/);
  });

  test('the chronology describes its events as a schema.org Dataset that downloads in full, and each place page carries its events as Events', async () => {
    const ld = (html: string) => [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1] ?? 'null'));
    const html = await s.html('/en/chronology');
    const set = ld(html).find((b) => b['@type'] === 'Dataset') ?? assert.fail('no Dataset');
    assert.equal(set.temporalCoverage, '1918/1945');
    assert.match(set.description, /^The 117 dated events/);
    assert.deepEqual(set.distribution.map((d: { contentUrl: string }) => d.contentUrl), ['https://visite.example.org/data/events.csv', 'https://visite.example.org/data/places.geojson']);
    // Not every event again: the page's text has them, the files have them in full.
    assert.doesNotMatch(html, /"@type":"Event"/);
    assert.ok(Buffer.byteLength(JSON.stringify(set)) < 2000);
    const events = ld(await s.html('/en/places/livron-sur-drome')).find((b) => b['@type'] === 'Place').event;
    assert.ok(events.every((e: Record<string, unknown>) => e['@type'] === 'Event' && typeof e.startDate === 'string'));
    const livron = events.find((e: { '@id': string }) => e['@id'].endsWith('#event-lib-livron-bridge'));
    assert.equal(livron.startDate, '1944-08-16');
    assert.equal(livron['@id'], 'https://visite.example.org/en/chronology#event-lib-livron-bridge');
    // Month and year precision stay as precise as they are, never invented to a day.
    const all = (await Promise.all(['/en/places/nyons', '/en/places/valence', '/en/places/romans-sur-isere'].map((p) => s.html(p))))
      .flatMap((h) => ld(h).find((b) => b['@type'] === 'Place').event ?? []);
    assert.ok(all.some((e: { startDate: string }) => /^\d{4}(-\d{2})?$/.test(e.startDate)));
  });

  test('places and events download as GeoJSON and CSV, every language in its own column', async () => {
    const geo = await s.get('/data/places.geojson');
    assert.equal(geo.headers.get('content-type'), 'application/geo+json');
    assert.equal(geo.headers.get('access-control-allow-origin'), '*');
    const fc = await geo.json();
    assert.equal(fc.type, 'FeatureCollection');
    assert.equal(fc.features.length, 78);
    const valence = fc.features.find((f: { id: string }) => f.id === 'valence');
    assert.deepEqual(valence.geometry.coordinates.map((c: number) => Math.round(c * 10) / 10), [4.9, 44.9]);
    assert.ok(valence.properties.events.some((e: { date: string }) => e.date === '1944-08-31'));
    assert.equal(valence.properties.url.fr, 'https://visite.example.org/fr/lieux/valence');
    const csv = await (await s.get('/data/events.csv')).text();
    const [header, ...rows] = csv.replace(/^\uFEFF/, '').trim().split('\n');
    assert.equal(header, 'id,date,precision,date_start,date_end,places,themes,tags,title_fr,title_en,description_fr,description_en');
    assert.ok(rows.length >= 117);
    assert.match(csv, /\nlib-livron-bridge,1944-08-16,night,/);
    const places = await (await s.get('/data/places.csv')).text();
    assert.match(places.replace(/^\uFEFF/, ''), /^id,kind,latitude,longitude,precision,name_fr,name_en,description_fr,description_en,events\n/);
    assert.equal((await s.get('/data/nope.csv')).status, 404);
  });

  test('the demo\'s licence is only proposed: the map page, the GeoJSON and the headers say so, and none claims it is granted', async () => {
    for (const path of ['/data/places.geojson', '/data/places.csv', '/data/events.csv']) assert.equal((await s.get(path)).headers.get('link'), null, path);
    const fc = await (await s.get('/data/places.geojson')).json();
    assert.equal(fc.license, undefined);
    assert.deepEqual(fc.proposed_license, { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' });
    const fr = await s.html('/fr/carte');
    assert.match(fr, /Licence proposée pour ces données\u00a0: <a href="https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/">CC BY 4\.0<\/a>\. Musée de la Résistance en Drôme[^<]* n’a pas encore confirmé cette licence/);
    assert.doesNotMatch(fr, /rel="license"/);
    assert.match(await s.html('/en/map'), /Licence proposed for these data: <a href="https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/">CC BY 4\.0<\/a>\. [^<]+ has not yet confirmed this licence: until it does, ask the museum before reusing these data\./);
    assert.match(formatLicence(readBundle(DEMO).content!), /^Open data licence: CC BY 4\.0, PROPOSED, not yet confirmed by the museum/);
  });
});

describe('a museum that grants a licence for its data', () => {
  for (const [name, change] of [
    ['status: confirmed', (t: string) => t.replace('status: proposed', 'status: confirmed')],
    ['no status (the default)', (t: string) => t.replace(/\n\s*status: proposed/, '')],
  ] as const) {
    test(`${name}: on the map page with rel="license", in the GeoJSON and as a Link header`, async () => {
      const dir = copyBundle(DEMO);
      edit(dir, 'bundle.yaml', change);
      const g = await siteFor(dir);
      try {
        for (const path of ['/data/places.geojson', '/data/places.csv', '/data/events.csv']) {
          assert.equal((await g.get(path)).headers.get('link'), '<https://creativecommons.org/licenses/by/4.0/>; rel="license"', path);
        }
        const fc = await (await g.get('/data/places.geojson')).json();
        assert.deepEqual(fc.license, { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' });
        assert.equal(fc.proposed_license, undefined);
        const html = await g.html('/fr/carte');
        assert.match(html, /Licence de ces données\u00a0: <a href="https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/" rel="license">CC BY 4\.0<\/a>\. En les réutilisant, merci de citer Musée de la Résistance en Drôme/);
        assert.doesNotMatch(html, /Licence proposée/);
        assert.match(formatLicence(readBundle(dir).content!), /^Open data licence: CC BY 4\.0, confirmed/);
      } finally {
        await g.close();
      }
    });
  }

  test('an unknown status is refused at import, naming the field and the two accepted values', () => {
    const problems = problemsWith((d) => edit(d, 'bundle.yaml', (t) => t.replace('status: proposed', 'status: pending')));
    expectProblem(problems, /^bundle\.yaml: .*data_licence\.status: must be "confirmed" \(the museum grants it\) or "proposed"/);
  });

  test('the status survives an export: a curator exporting the bundle keeps it', () => {
    const { content } = readBundle(DEMO);
    assert.match(writeBundle(content!).get('bundle.yaml') ?? '', /data_licence:\n {4}name: CC BY 4\.0\n {4}url: https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/\n {4}status: proposed\n/);
  });
});

describe('events and places that cannot be dated or placed are refused, naming the file and the item', () => {
  const cases: [string, string, (s: string) => string, RegExp][] = [
    ['an impossible date', 'events.yaml', (t) => t.replace('date: {start: 1944-08-31, precision: day}\n  places: [valence]', 'date: {start: 1944-02-30, precision: day}\n  places: [valence]'), /^events\.yaml: event "lib-valence": date\.start: is not a real calendar date/],
    ['an unknown precision', 'events.yaml', (t) => t.replace('date: {start: 1944-08-31, precision: day}\n  places: [valence]', 'date: {start: 1944-08-31, precision: decade}\n  places: [valence]'), /^events\.yaml: event "lib-valence": date\.precision: precision must be day, night, month, year or range \(line \d+, column \d+\)$/],
    ['a latitude out of range', 'places.yaml', (t) => t.replace('lat: 44.9256\n  lon: 4.9096', 'lat: 94.9256\n  lon: 4.9096'), /^places\.yaml: place "valence": lat: latitude must be between -90 and 90 degrees \(line \d+, column \d+\)$/],
    ['a longitude out of range', 'places.yaml', (t) => t.replace('lat: 44.9256\n  lon: 4.9096', 'lat: 44.9256\n  lon: 184.9'), /^places\.yaml: place "valence": lon: longitude must be between -180 and 180 degrees \(line \d+, column \d+\)$/],
  ];
  for (const [name, file, change, expected] of cases) {
    test(name, () => {
      const problems = problemsWith((d) => edit(d, file, change));
      expectProblem(problems, expected);
      // Said once: the events and blocks that name the broken entry are not reported as naming a missing one.
      assert.equal(problems.length, 1, problems.join('\n'));
    });
  }
});

describe('a museum that states no licence for its data', () => {
  test('the map page says so, and neither the GeoJSON nor the headers claim one', async () => {
    const s = await siteFor(FIXTURE);
    try {
      const geo = await s.get('/data/places.geojson');
      assert.equal(geo.headers.get('link'), null);
      const fc = await geo.json();
      assert.equal(fc.license, undefined);
      assert.equal(fc.proposed_license, undefined);
      assert.match(await s.html('/en/map'), /has not yet stated a licence for these data: ask the museum before reusing them\./);
      assert.match(formatLicence(readBundle(FIXTURE).content!), /^Open data licence: none stated/);
    } finally {
      await s.close();
    }
  });

  test('a licence without a usable URL is refused at import', () => {
    const problems = problemsWith((d) => edit(d, 'bundle.yaml', (t) => t.replace('url: https://creativecommons.org/licenses/by/4.0/', 'url: javascript:alert(1)')));
    expectProblem(problems, /bundle\.yaml.*data_licence\.url.*must be the http\(s\) URL of the licence text/);
  });
});

describe('the liberation of the Drôme by date', () => {
  let s: TestSite;
  before(async () => {
    s = await siteFor(DEMO);
  });
  after(() => s.close());

  test('theme 10 shows the towns day by day: a map with dated markers, and a dated table without script', async () => {
    for (const path of ['/en/visit/the-liberation-of-the-drome']) {
      const html = await s.html(path);
      const block = /<section class="map-block"[^>]*data-by-date="true">[\s\S]*?<\/table>/.exec(html)?.[0] ?? assert.fail(`no by-date block on ${path}`);
      assert.match(block, /<h2 id="map-liberation-by-date-heading">The towns liberated, day by day<\/h2>/);
      // The slider waits for script (hidden), and knows the 21 days from 15 August to 4 September.
      const days = /<div class="by-date-controls" hidden="" data-days="([^"]+)"/.exec(block)?.[1]?.split(' ') ?? [];
      assert.deepEqual([days.length, days[0], days.at(-1)], [21, '1944-08-15', '1944-09-04']);
      assert.match(block, /<input type="range" id="map-liberation-by-date-day" min="0" max="20" step="1" value="20"/);
      // Each town's marker carries its changes: liberated, retaken (lost), liberated again.
      assert.match(block, /<a href="\/en\/places\/romans-sur-isere" aria-label="Romans-sur-Isère 22 August \/ 30 August, [^"]+" class="[^"]*" data-id="romans-sur-isere" data-changes="1944-08-22\+ 1944-08-27- 1944-08-30\+" data-name="Romans-sur-Isère">/);
      assert.match(block, /data-id="saint-rambert-d-albon" data-changes="1944-08-31\+"/);
      // The legend of the slider names the lost state by its tag's label.
      assert.match(block, /<li><svg class="legend-symbol"[^>]*><g class="map-marker map-marker--primary map-marker--lost">[\s\S]*?<\/svg>Towns retaken by the Germans<\/li>/);
      // The table: one row per day with events (the context events' days too: the landing, the battles, the parades),
      // the places, and the count at the end of the day (Romans lost on the 27th).
      const rows = [...block.matchAll(/<tr><th scope="row"><time datetime="([\d-]+)">[^<]+<\/time><\/th><td>[\s\S]*?<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2])]);
      assert.deepEqual(rows, [['1944-08-15', 0], ['1944-08-16', 0], ['1944-08-20', 3], ['1944-08-21', 4], ['1944-08-22', 5], ['1944-08-23', 6], ['1944-08-24', 6], ['1944-08-27', 6], ['1944-08-28', 7], ['1944-08-30', 9], ['1944-08-31', 11], ['1944-09-01', 11], ['1944-09-03', 11], ['1944-09-04', 11]]);
      assert.match(block, /The Germans retake Romans<\/a> \(<a href="\/en\/places\/romans-sur-isere">Romans-sur-Isère<\/a>, <a href="\/en\/places\/bourg-de-peage">Bourg-de-Péage<\/a>\)/);
      // A place the event's title already names is not said again: « Liberation of Crest », not « … (Crest) ».
      assert.match(block, /#event-[a-z0-9-]+">Liberation of Crest<\/a><\/li>/);
      assert.match(block, /#event-[a-z0-9-]+">Liberation of Saint-Rambert-d’Albon<\/a><\/li>/);
      assert.doesNotMatch(block, /Liberation of (\p{L}+)<\/a> \(<a href="[^"]+">\1<\/a>\)/u);
      // Without script, a small map for each of those days, named by its day and count; Romans retaken on the 28th.
      const panels = [...block.matchAll(/<title id="map-liberation-by-date-day\d+-title">([^<]+)<\/title>/g)].map((m) => m[1]);
      assert.equal(panels.length, 8);
      assert.equal(panels[5], '28 August 1944: 7 places; Towns retaken by the Germans: Romans-sur-Isère, Bourg-de-Péage');
      const day28 = /<svg[^>]*aria-labelledby="map-liberation-by-date-day5-title[\s\S]*?<\/svg>/.exec(block)?.[0] ?? '';
      // Its markers are drawn only (the title and description name the day's places), on one shared drawing of the area.
      assert.match(day28, /<g aria-hidden="true" class="[^"]*map-marker--lost" data-id="romans-sur-isere">/);
      assert.match(day28, /<g class="map-base" aria-hidden="true">\n<use href="#map-liberation-by-date-geometry" transform="scale\(0\.27778\)"\/>/);
      assert.equal((block.match(/<g id="map-liberation-by-date-geometry">/g) ?? []).length, 1, 'the area drawn once, for the block\'s map and its eight panels');
      assert.equal((block.match(/<path d=/g) ?? []).length, (block.match(/<g id="map-liberation-by-date-geometry">[\s\S]*?<g class="map-wide">/)?.[0].match(/<path d=/g) ?? []).length, 'no other path of the area');
      // The places whose state changes that day are named: Montélimar, liberated on the 28th, and not Valence (the 31st).
      assert.match(day28, /data-id="montelimar">(?:(?!<\/g>).)*<text[^>]*>(?:<tspan[^>]*>)?Montélimar/s);
      assert.doesNotMatch(day28, /data-id="valence">(?:(?!<\/g>).)*<text/s);
      assert.match(day28, /class="[^"]*map-marker--later" data-id="saint-rambert-d-albon"/);
    }
  });

  test('in French too, the day table does not repeat a place the title names (accents and case aside)', async () => {
    const html = await s.html('/fr/visite/la-liberation-de-la-drome');
    const table = /<table class="by-date-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? assert.fail('no day table');
    assert.match(table, /">Libération de Crest<\/a><\/li>/);
    assert.match(table, /">Libération de Montélimar<\/a><\/li>/);
    assert.doesNotMatch(table, /Libération de Crest<\/a> \(/);
  });

  const cases: [string, (s: string) => string, RegExp][] = [
    ['a tag no event carries', (t) => t.replace('tag: town-liberated', 'tag: town-liberatd'), /map "liberation-by-date": no event in events\.yaml carries the tag "town-liberatd"/],
    ['a reversed date range', (t) => t.replace('from: 1944-08-15\n    to: 1944-09-04', 'from: 1944-09-04\n    to: 1944-08-15'), /map "liberation-by-date": from \(1944-09-04\) is after to \(1944-08-15\)/],
    ['an impossible date', (t) => t.replace('from: 1944-08-15', 'from: 1944-8-15'), /liberation-by-date|from: must be a date YYYY-MM-DD/],
    ['a lost tag without by_date', (t) => t.replace('    by_date: true\n', ''), /map "liberation-by-date": lost_tag needs by_date and a tag/],
    ['a lost tag no event carries', (t) => t.replace('lost_tag: town-retaken', 'lost_tag: town-retakn'), /map "liberation-by-date": no event in events\.yaml carries the lost_tag "town-retakn"/],
    ['a lost tag equal to the tag', (t) => t.replace('lost_tag: town-retaken', 'lost_tag: town-liberated'), /map "liberation-by-date": lost_tag must differ from tag/],
    ['an event that does not exist', (t) => t.replace('      - parade-valence\n', '      - parade-valense\n'), /map "liberation-by-date": event "parade-valense" does not exist in events\.yaml/],
  ];
  for (const [name, change, expected] of cases) {
    test(`a map block is refused with a clear message: ${name}`, () => {
      const problems = problemsWith((d) => edit(d, 'themes/10-liberation.yaml', change));
      expectProblem(problems, expected);
    });
  }
});

describe('filters of the chronology and the map, in the query string', () => {
  let s: TestSite;
  before(async () => {
    s = await siteFor(DEMO);
  });
  after(() => s.close());
  const events = (html: string) => [...html.matchAll(/<li id="event-([a-z0-9-]+)"/g)].map((m) => m[1]);

  test('filtered pages are cached within a byte budget, least recently used first out', async () => {
    const small = new SiteStore(s.db, PUBLIC_URL, await buildAssets(), { pages: 500, bytes: 1_000_000 });
    await small.refresh();
    const ask = (year: number) => small.filteredPage('/en/map', new URLSearchParams({ from: String(year) }));
    const first = await ask(1933);
    for (let y = 1934; y <= 1944; y += 1) {
      await ask(1933); // kept in use: it stays
      await ask(y);
      assert.ok(small.filteredCache.bytes <= 1_000_000, `${small.filteredCache.bytes} bytes`);
    }
    assert.ok(small.filteredCache.pages < 12, `${small.filteredCache.pages} pages kept`);
    assert.equal(await ask(1933), first);
    assert.notEqual(await ask(1934), undefined);
  });

  test('uncached filtered pages have a time budget: past it they wait for the next second, and past the queue they are refused', async () => {
    const tight = new SiteStore(s.db, PUBLIC_URL, await buildAssets(), { pages: 500, bytes: 32_000_000, renderMsPerSecond: 0.001, maxWaiting: 2 });
    await tight.refresh();
    const ask = (from: string) => tight.filteredPage('/en/map', new URLSearchParams({ from }));
    const t0 = performance.now();
    const first = await ask('1940');
    assert.ok(first && first !== 'busy' && first.status === 200, 'the first render is within the budget');
    assert.equal(await ask('1940'), first, 'a cached page is served at once');
    // Two may wait for a later second; the rest are refused at once (three, or two if a new second began meanwhile).
    const flood = await Promise.all(['1941', '1942', '1943', '1944', '1945'].map(ask));
    const busy = flood.filter((r) => r === 'busy').length;
    assert.ok(busy === 3 || busy === 2, `${busy} refused`);
    for (const r of flood) if (r !== 'busy') assert.equal(r?.status, 200);
    assert.ok(performance.now() - t0 >= 1000, 'the waiting requests were served in a later second');
  });

  test('a filtered page refused for lack of time is a 503 with Retry-After, never cached; unfiltered pages do not wait', async () => {
    const none = new SiteStore(s.db, PUBLIC_URL, await buildAssets(), { pages: 500, bytes: 32_000_000, renderMsPerSecond: 0, maxWaiting: 0 });
    await none.refresh();
    const app = createApp({ site: none, assets: await buildAssets(), store: testStore() });
    const busy = await app.request('/en/map?from=1890');
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal(busy.headers.get('cache-control'), 'no-store');
    assert.equal((await app.request('/en/map')).status, 200);
  });

  test('by theme, tag and period; the filtered page is not indexed and names the unfiltered one as canonical', async () => {
    const all = events(await s.html('/en/chronology'));
    const r = await s.get('/en/chronology?theme=liberation&from=1944-08&to=1944');
    assert.equal(r.status, 200);
    const html = await r.text();
    const got = events(html);
    assert.ok(got.length > 10 && got.length < all.length);
    assert.ok(got.includes('lib-valence') && !got.includes('lycee-tracts'));
    assert.match(html, /<p class="filter-status" role="status">Showing \d+ of 117 events<\/p>/);
    assert.match(html, /<meta name="robots" content="noindex"/);
    assert.match(html, /<link rel="canonical" href="https:\/\/visite\.example\.org\/en\/chronology"\/>/);
    assert.match(html, /<option value="liberation" selected="">The liberation of the Drôme<\/option>/);
    const maquis = await s.html('/fr/carte?tag=maquis');
    assert.match(maquis, /<option value="maquis" selected="">Maquis<\/option>/);
    assert.ok(!maquis.includes('data-id="saint-rambert-d-albon"'), 'a place without a maquis event is not on the filtered map');
    assert.match(maquis, /11 événements sur 117/);
  });

  test('a camp is named for what it was (its kind_label), never with "no dated event" (map page list, place page)', async () => {
    // The demo's camps lie beyond the map of the Drôme: they are listed, and a marker's name is built by the same function.
    for (const [path, kind, none] of [
      ['/fr/carte', 'camp de concentration', 'aucun événement daté'],
      ['/en/map', 'concentration camp', 'no dated event'],
    ] as const) {
      const html = await s.html(path);
      const item = new RegExp(`<a href="[^"]+">Buchenwald</a> <span class="place-kind">\\(${kind}\\)</span>`);
      assert.match(html, item, `${path}: the list`);
      assert.ok(!new RegExp(`Buchenwald, ${kind}, ${none}`).test(html) && !html.includes(`${kind}, ${none}`), `${path}: no "${none}" for a camp`);
      // Other places keep their count, "no dated event" included.
      assert.match(html, /<span class="place-kind">\((ville|town), (\d+ (événements|events)|1 (événement|event))\)<\/span>/);
    }
    assert.match(await s.html('/fr/lieux/buchenwald'), /<p class="kicker">Lieu · Camp de concentration<\/p>/);
    assert.match(await s.html('/en/places/drancy'), /<p class="kicker">Place · Transit camp<\/p>/);
    assert.match(await s.html('/fr/carte'), /<a href="\/fr\/lieux\/auschwitz">Auschwitz \(Oświęcim\)<\/a> <span class="place-kind">\(camp de concentration et d’extermination, 1 événement\)<\/span>/);
  });

  test('a by-date map that draws towns and villages says which symbol is which, beside the states', async () => {
    for (const [path, town, village] of [['/fr/visite/la-liberation-de-la-drome', 'Ville', 'Village'], ['/en/visit/the-liberation-of-the-drome', 'Town', 'Village']] as const) {
      const html = await s.html(path);
      const block = /<section class="map-block"[^>]*data-by-date="true".*?<\/section>/s.exec(html)![0];
      const legend = /<ul class="map-legend">(.*?)<\/ul>/s.exec(block)?.[1] ?? assert.fail(`${path}: a legend of the kinds`);
      assert.match(legend, new RegExp(`</svg> ${town}</li>`));
      assert.match(legend, new RegExp(`class="map-symbol map-symbol--ring"[^<]*/></svg> ${village}</li>|</svg> ${village}</li>`));
    }
  });

  test('at phone width every place of the map is named: on the map, or by a number and the key under it', async () => {
    for (const path of ['/fr/carte', '/en/map']) {
      const html = await s.html(path);
      const narrow = /<g class="map-markers map-narrow" transform="scale\(2\)">.*?<\/svg>/s.exec(html)![0];
      const key = /<ol class="map-key map-key--narrow" aria-hidden="true">(.*?)<\/ol>/s.exec(html)?.[1] ?? assert.fail(`${path}: a key under the phone map`);
      const entries = [...key.matchAll(/<li><span class="map-key-n">(\d+)<\/span> (?:<span lang="[^"]+">)?([^<]+)/g)].map((m) => [Number(m[1]), m[2]!] as const);
      assert.deepEqual(entries.map(([n]) => n), entries.map((_, i) => i + 1));
      const markers = [...narrow.matchAll(/<a href="[^"]+" aria-label="([^"]+)" class="([^"]+)" data-id="([^"]+)">(.*?)<\/a>/gs)];
      const unnamed = markers.filter((m) => !/<text class="map-label/.test(m[4]!)).map((m) => m[3]);
      assert.ok(unnamed.length <= 2, `${path}: at most two places with neither name nor number (${unnamed.join(', ')})`);
      for (const name of ['Montélimar', 'Loriol-sur-Drôme']) assert.ok(narrow.includes(`>${name}</text>`) || entries.some(([, e]) => e === name), `${path}: ${name} is named`);
      assert.ok(entries.some(([, e]) => e.startsWith(path.startsWith('/fr') ? 'Musée de la Résistance' : 'Museum of the Resistance')) || /Musée de la Résistance[^<]*<\/t/.test(narrow), `${path}: the museum is named`);
    }
  });

  test('the language switch of a filtered page keeps its valid filter, in the other language\'s address; bad values are dropped', async () => {
    const fr = await s.html('/fr/chronologie?theme=repression&from=1943&utm_source=x');
    assert.match(fr, /<nav class="lang-switch" aria-label="Langue"><ul><li><a href="\/en\/chronology\?theme=repression&amp;from=1943" hreflang="en"/);
    const map = await s.html('/en/map?tag=maquis&to=1944-06');
    assert.match(map, /<a href="\/fr\/carte\?tag=maquis&amp;to=1944-06" hreflang="fr"/);
    // A 400 page shows everything; its switch keeps the valid part only, never the raw value.
    const bad = await s.get('/fr/chronologie?theme=%22%3E%3Cscript%3Ex&tag=maquis&from=nope');
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /<a href="\/en\/chronology\?tag=maquis" hreflang="en"/);
    assert.doesNotMatch(html, /<script>x/);
    // An unfiltered page links to the bare page; the hreflang alternates never carry a filter.
    assert.match(await s.html('/fr/chronologie'), /<a href="\/en\/chronology" hreflang="en"/);
    assert.match(fr, /<link rel="alternate" hreflang="en" href="https:\/\/visite\.example\.org\/en\/chronology"\/>/);
  });

  for (const [query, message] of [
    ['tag=nope', /no event carries the subject “nope”/],
    ['theme=atlantis', /there is no theme “atlantis”/],
    ['from=1945&to=1944', /the period starts \(1945\) after it ends \(1944\)/],
    ['from=%3Cscript%3E', /“&lt;script&gt;” is not a date for “from”/],
    ['tag=maquis&tag=drop', /“tag” is given more than once/],
  ] as const) {
    test(`a bad filter (${query}) gives a 400 page that explains and shows everything`, async () => {
      const r = await s.get(`/en/chronology?${query}`);
      assert.equal(r.status, 400);
      const html = await r.text();
      assert.match(html, /<div class="filter-problems" role="alert"><p>This filter could not be applied, so everything is shown:<\/p>/);
      assert.match(html, message);
      assert.equal(events(html).length, 117);
      assert.doesNotMatch(html, /<script>/);
    });
  }

  test('other parameters are ignored; other pages ignore filters', async () => {
    assert.equal((await s.get('/en/chronology?utm_source=newsletter')).status, 200);
    assert.equal((await s.get('/en/visit?theme=atlantis')).status, 200);
  });
});

describe('a chronology block can select its events by tag and dates', () => {
  const TIMELINE = /  - id: timeline\n    kind: chronology\n    events: \[[a-z0-9, -]+\]\n/;
  const THEME4 = '/en/visit/occupation-and-collaboration';
  test('theme 4 with its chronology given as "tag: town-liberated" lists exactly those events, in date order', async () => {
    const dir = copyBundle(DEMO);
    edit(dir, 'themes/04-occupation.yaml', (t) => t.replace(TIMELINE, '  - {id: timeline, kind: chronology, tag: town-liberated, from: 1944-08-01, to: 1944-08-30}\n'));
    const s = await siteFor(dir);
    try {
      const html = await s.html(THEME4);
      const block = /<section class="chronology-block">[\s\S]*?<\/section>/.exec(html)?.[0] ?? assert.fail('no chronology block');
      const dates = [...block.matchAll(/<time class="event-date" datetime="([\d-]+)">/g)].map((m) => m[1]);
      assert.equal(dates.length, 9); // 11 town liberations, minus the two of 31 August
      assert.deepEqual(dates, [...dates].sort());
      assert.equal(dates.at(-1), '1944-08-30');
    } finally {
      await s.close();
    }
  });
  test('a chronology block with neither events nor tag is refused', () => {
    const problems = problemsWith((d) => edit(d, 'themes/04-occupation.yaml', (t) => t.replace(TIMELINE, '  - {id: timeline, kind: chronology}\n')));
    expectProblem(problems, /chronology "timeline": needs events or a tag/);
  });
});
