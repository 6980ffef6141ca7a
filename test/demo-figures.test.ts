import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { geoContains, geoDistance } from 'd3-geo';
import type { ExtendedFeatureCollection } from 'd3-geo';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import type { Content, Doc, Place } from '../src/modules/content/content.schema.ts';
import { DEMO, siteFor, type TestSite } from './harness.ts';

// Issue 13, the figures and coordinates of the demo visit: the places are
// where the fact sheet (../shared/reference/facts-drome.md) puts them, its
// estimated coordinates are published as estimates, the maps "to be drawn by
// the Parcours project" are drawn (map blocks selecting their events), the
// charts and timelines that the sheet's numbers allow are drawn, and the only
// media without a file in themes 1–10 are the photographs the museum must
// supply (left out of the pages until it does: decision 0017).

const { content, problems } = readBundle(DEMO);
const c = content as Content;
const places = new Map(c.places.map((p) => [p.id, p]));
const media = new Map(c.media.map((m) => [m.id, m]));
const events = new Map(c.events.map((e) => [e.id, e]));
const themes = c.docs.filter((d) => d.kind === 'theme' && d.visit === 'main').sort((a, b) => a.position - b.position);
const firstTen = themes.slice(0, 10);
const theme = (id: string): Doc => themes.find((t) => t.id === id) ?? assert.fail(`no theme ${id}`);
const place = (id: string): Place => places.get(id) ?? assert.fail(`no place ${id}`);
const layer = (file: string) => JSON.parse(readFileSync(`${DEMO}/${file}`, 'utf8')) as ExtendedFeatureCollection;
const DROME = layer('geo/drome.geojson');
const ISERE = layer('geo/isere.geojson');
const KM = 6371;

/**
 * The coordinates the fact sheet marks "est." (§13, "How" column; the river
 * points of §13b are not places). Today only the Livron bridge.
 */
const SHEET_ESTIMATES: [number, number][] = [[44.766, 4.839]];

/** The photographs (and film still) the museum must supply: the only media without a file themes 1–10 may name. */
const PHOTOGRAPHS = ['t02-loriol-stele-2017', 't04-deval-sto-photographs', 't08-la-chapelle-cour-des-fusilles', 't09-wagon-door', 'romans-film-1944-08-30'];

/** The six maps that were placeholders, now map blocks, with the markers each must draw. */
const MAPS: Record<string, { theme: string; block: string; markers: string[] }> = {
  camps: { theme: 'phoney-war', block: 'camps-map', markers: ['loriol-sur-drome', 'montelimar'] },
  bridges: {
    theme: 'armistice', block: 'bridges-map',
    markers: ['valence', 'romans-sur-isere', 'bourg-de-peage', 'saint-rambert-d-albon', 'saint-vallier', 'tain-l-hermitage', 'allex', 'saillans', 'espenel', 'crest', 'aouste-sur-sye', 'mours-saint-eusebe', 'beaumont-monteux'],
  },
  resistance: { theme: 'resistance-organised', block: 'map', markers: ['romans-sur-isere', 'valence', 'nyons', 'dieulefit', 'mirmande', 'saint-donat-sur-l-herbasse'] },
  maquis: {
    theme: 'resistance-spreads', block: 'map',
    markers: ['le-grand-serre', 'vassieux-en-vercors', 'saou', 'creyers', 'nyons', 'die', 'crest', 'la-roche-saint-secret', 'chateauneuf-de-bordette'],
  },
  armed: {
    theme: 'armed-resistance', block: 'sabotage-map',
    markers: ['portes-les-valence', 'vercheny', 'donzere', 'crest', 'valreas', 'romans-sur-isere', 'saint-nizier-du-moucherotte', 'vassieux-en-vercors', 'chabeuil', 'espenel', 'gigors', 'beaufort-sur-gervanne', 'pont-de-livron', 'livron-sur-drome', 'loriol-sur-drome', 'allex', 'bourg-de-peage', 'beaumont-monteux', 'chatuzange-le-goubet', 'hauterives'],
  },
  repression: {
    theme: 'repression', block: 'repression-map',
    markers: ['romans-sur-isere', 'bourg-de-peage', 'vercheny', 'nyons', 'valreas', 'taulignan', 'saint-donat-sur-l-herbasse', 'portes-les-valence', 'vassieux-en-vercors', 'la-chapelle-en-vercors', 'cour-des-fusilles-la-chapelle', 'grotte-de-la-luire', 'saint-nazaire-en-royans'],
  },
};

test('the demo bundle is valid', () => {
  assert.deepEqual(problems, []);
});

describe('coordinates', () => {
  test('the fighting at Saint-Nizier-du-Moucherotte is placed in the Isère, about 30 km north-north-east of the Vercors point', () => {
    const e = events.get('saint-nizier-fighting') ?? assert.fail('no event saint-nizier-fighting');
    assert.ok(e.places.length > 0);
    const vercors = place('vercors');
    for (const id of e.places) {
      const p = place(id);
      assert.equal(geoContains(DROME, [p.lon, p.lat]), false, `${id} must not lie in the Drôme`);
      assert.equal(geoContains(ISERE, [p.lon, p.lat]), true, `${id} lies in the Isère`);
      const km = geoDistance([vercors.lon, vercors.lat], [p.lon, p.lat]) * KM;
      assert.ok(km > 20 && km < 40, `${id} is ${km.toFixed(0)} km from the Vercors point`);
      const bearing = (Math.atan2((p.lon - vercors.lon) * Math.cos((p.lat * Math.PI) / 180), p.lat - vercors.lat) * 180) / Math.PI;
      assert.ok(bearing > 0 && bearing < 60, `${id} lies at ${bearing.toFixed(0)}° from the Vercors point, expected north-north-east`);
    }
    // The old point, the Vercors centroid, is inside the Drôme: the test can tell the two apart.
    assert.equal(geoContains(DROME, [vercors.lon, vercors.lat]), true);
  });

  test('the coordinates the fact sheet estimates are marked approximate, and so is every commune-centre point', () => {
    for (const [lat, lon] of SHEET_ESTIMATES) {
      const at = c.places.filter((p) => Math.abs(p.lat - lat) < 1e-4 && Math.abs(p.lon - lon) < 1e-4);
      assert.ok(at.length > 0, `a place at ${lat}, ${lon}`);
      for (const p of at) assert.equal(p.precision, 'approximate', `${p.id}: the fact sheet estimates its coordinates`);
    }
    assert.equal(place('pont-de-livron').precision, 'approximate');
    const centroids = c.places.filter((p) => /centre du contour de la commune/.test(p.description?.fr ?? ''));
    assert.ok(centroids.length >= 7, `${centroids.length} places at a commune's centre`);
    for (const p of centroids) assert.equal(p.precision, 'approximate', `${p.id} is placed at its commune's centre`);
    // Town centres from GeoNames or Wikipedia stay exact.
    for (const id of ['valence', 'romans-sur-isere', 'saint-nizier-du-moucherotte']) assert.equal(place(id).precision, undefined, id);
  });

  test('every place that an event or a map block names exists, and every event of a new map block has a place', () => {
    for (const d of c.docs) for (const b of d.blocks) {
      if (b.kind !== 'map') continue;
      for (const id of b.places ?? []) place(id);
      for (const id of b.events ?? []) {
        const e = events.get(id) ?? assert.fail(`${d.id}/${b.id}: no event ${id}`);
        assert.ok(e.places.length > 0, `${id} has a place`);
        for (const p of e.places) place(p);
      }
    }
  });
});

describe('figures of themes 1–10', () => {
  test('the only media without a file are the photographs the museum must supply', () => {
    const placeholders = firstTen.flatMap((t) => t.blocks.flatMap((b) => (b.kind === 'figure' && !media.get(b.media)?.file ? [b.media] : [])));
    assert.deepEqual(placeholders.sort(), [...PHOTOGRAPHS].sort());
    for (const id of PHOTOGRAPHS) {
      const m = media.get(id)!;
      assert.match(m.caption.fr!, /(Photographie|Image)s? à fournir par le musée/, `${id}: fr caption`);
      assert.match(m.caption.en!, /(Photograph|Image)s? to be supplied by the museum/, `${id}: en caption`);
      // What is known of the document, not a description of a picture nobody has seen.
      assert.match(m.alt!.fr!, /^(Une|Les) (photographie|image)/, `${id}: fr alt says what the document is`);
      assert.match(m.alt!.en!, /^(A|The) (photograph|frame)/, `${id}: en alt says what the document is`);
    }
    // No figure of themes 1–10 promises a drawing still to come.
    for (const t of firstTen) for (const b of t.blocks) {
      if (b.kind !== 'figure') continue;
      for (const l of ['fr', 'en']) assert.doesNotMatch(media.get(b.media)!.caption[l]!, /en préparation|in preparation|to be drawn/, `${t.id}/${b.id}`);
    }
  });

  test('the six maps are map blocks that select events, with a title and a caption in both languages', () => {
    for (const m of Object.values(MAPS)) {
      const t = theme(m.theme);
      const b = t.blocks.find((x) => x.id === m.block);
      assert.equal(b?.kind, 'map', `${m.theme}/${m.block}`);
      assert.ok(b.kind === 'map' && (b.events ?? []).length > 0, `${m.theme}/${m.block} selects events`);
      for (const l of ['fr', 'en']) {
        assert.ok(t.texts[l]!.blocks[m.block]?.title, `${m.theme}/${m.block}: ${l} title`);
        assert.ok((t.texts[l]!.blocks[m.block]?.caption ?? '').length > 40, `${m.theme}/${m.block}: ${l} caption`);
      }
    }
  });

  test('the three charts are chart blocks with their numbers, titled and sourced in both languages', () => {
    const charts: Record<string, { block: string; values: number[] }> = {
      'rise-of-nazism': { block: 'refugees-chart', values: [460, 1300, 1500] },
      'armed-resistance': { block: 'power-lines-chart', values: [1, 7, 18] },
      deportation: { block: 'counts-chart', values: [543, 512, 869] },
    };
    for (const [id, want] of Object.entries(charts)) {
      const t = theme(id);
      const b = t.blocks.find((x) => x.id === want.block);
      assert.equal(b?.kind, 'chart', `${id}/${want.block}`);
      assert.deepEqual(b.kind === 'chart' && b.bars.map((x) => x.value), want.values, id);
      for (const l of ['fr', 'en']) {
        assert.ok(t.texts[l]!.blocks[want.block]?.title, `${id}: ${l} title`);
        assert.ok(t.texts[l]!.blocks[want.block]?.source, `${id}: ${l} source`);
      }
    }
    // Images of charts, with numbers and French words baked in, are gone.
    assert.deepEqual([...media.keys()].filter((k) => /chart/.test(k)), []);
  });

  test('the three timelines are chronology blocks of dated events', () => {
    for (const [id, n] of [['rise-of-nazism', 3], ['occupation', 8], ['resistance-spreads', 8]] as const) {
      const b = theme(id).blocks.find((x) => x.id === 'timeline');
      assert.equal(b?.kind, 'chronology', id);
      assert.equal(b.kind === 'chronology' && b.events?.length, n, id);
    }
  });
});

describe('as visitors see them', () => {
  let s: TestSite;
  before(async () => { s = await siteFor(DEMO); });
  after(() => s.close());
  const path = (l: 'fr' | 'en', t: Doc) => `${l === 'fr' ? '/fr/visite' : '/en/visit'}/${t.texts[l]!.slug}`;

  for (const l of ['fr', 'en'] as const) {
    test(`${l}: each new map block draws its markers in one drawing, for each width (wide and narrow), with a legend and its caption`, async () => {
      for (const [name, m] of Object.entries(MAPS)) {
        const t = theme(m.theme);
        const html = await s.html(path(l, t));
        const start = html.indexOf(`<section class="map-block" aria-labelledby="map-${m.block}-heading">`);
        assert.ok(start >= 0, `${name}: the map block is on the page`);
        const section = html.slice(start, html.indexOf('</section>', start));
        assert.equal((section.match(/<svg [^>]*class="map map--dual"/g) ?? []).length, 1, `${name}: one drawing`);
        assert.equal((section.match(/<g class="map-markers map-(wide|narrow)"/g) ?? []).length, 2, `${name}: its markers for each width`);
        for (const id of m.markers) assert.equal((section.match(new RegExp(`class="map-marker[^"]*" data-id="${id}"`, 'g')) ?? []).length, 2, `${name}: marker ${id}`);
        assert.match(section, /<ul class="map-legend">/, `${name}: a legend`);
        assert.ok(section.includes('class="map-caption"'), `${name}: a caption`);
        // Every marker drawn is one the block selected (through its events or places).
        const drawn = new Set([...section.matchAll(/class="map-marker[^"]*" data-id="([^"]+)"/g)].map((x) => x[1]));
        assert.deepEqual([...drawn].sort(), [...m.markers].sort(), `${name}: the markers drawn`);
      }
    });

    test(`${l}: the photographs still to supply are left out of themes 1–10, with no page of their own`, async () => {
      for (const t of firstTen) {
        const html = await s.html(path(l, t));
        assert.doesNotMatch(html, /class="placeholder"/, `${t.id}: no "to come" box`);
        for (const id of PHOTOGRAPHS) assert.ok(!html.includes(`/media/${id}`), `${t.id}: no link to ${id}`);
      }
      for (const id of PHOTOGRAPHS) assert.equal((await s.get(`/${l}/media/${id}`)).status, 404, `${id}: no media page`);
    });

    test(`${l}: an approximate place says so on its page, on its markers and in the map legend; an exact one does not`, async () => {
      const word = l === 'fr' ? 'emplacement approximatif' : 'approximate location';
      const bridge = await s.html(`/${l}/${l === 'fr' ? 'lieux' : 'places'}/pont-de-livron`);
      assert.ok(bridge.includes(`<span class="coords-approx">(${word})</span>`), 'the mark beside the coordinates');
      assert.match(bridge, /<p class="place-precision">[^<]+<\/p>/);
      assert.match(bridge, /<circle class="map-uncertainty"/, 'the locator draws the dashed circle');
      const valence = await s.html(`/${l}/${l === 'fr' ? 'lieux' : 'places'}/valence`);
      assert.ok(!valence.includes('coords-approx') && !valence.includes('map-uncertainty') && !valence.includes(word));
      const armed = await s.html(path(l, theme('armed-resistance')));
      assert.match(armed, new RegExp(`aria-label="[^"]*${word}[^"]*"[^>]*data-id="pont-de-livron"`), 'the marker names it');
      assert.ok(armed.includes(l === 'fr' ? 'le cercle en tirets indique une position estimée' : 'the dashed circle says the position is an estimate'), 'the legend explains it');
    });
  }

  test('the open data carry the precision of every place', async () => {
    const geo = JSON.parse(await (await s.get('/data/places.geojson')).text()) as { features: { id: string; properties: { precision: string } }[] };
    const byId = new Map(geo.features.map((f) => [f.id, f.properties.precision]));
    assert.equal(byId.size, c.places.length);
    for (const p of c.places) assert.equal(byId.get(p.id), p.precision === 'approximate' ? 'approximate' : 'exact', p.id);
    assert.equal(byId.get('pont-de-livron'), 'approximate');
    const csv = (await (await s.get('/data/places.csv')).text()).replace(/^\uFEFF/, '').split('\n');
    const header = csv[0]!.split(',');
    const i = header.indexOf('precision');
    assert.ok(i > 0, header.join(','));
    const row = (id: string) => (csv.find((r) => r.startsWith(`${id},`)) ?? assert.fail(`no row ${id}`)).split(',');
    assert.equal(row('pont-de-livron')[i], 'approximate');
    assert.equal(row('valence')[i], 'exact');
  });
});
