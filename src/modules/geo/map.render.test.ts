import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { geoDistance } from 'd3-geo';
import sharp from 'sharp';
import { escapeXml, layoutMap, renderMap, wrap, type LabelBox, type MapFeature, type MapLayer, type MapMarker, type MapOptions, type MarkerLayout, type MarkerShape } from './map.render.ts';

// The reference data lives next to the repository: /work/shared/reference/geo.
const GEO = new URL('../../../../shared/reference/geo/', import.meta.url);
const geoFile = (name: string) => fileURLToPath(new URL(name, GEO));
const FILES = [
  'france-geojson/departement-26-drome.geojson',
  'france-geojson/departement-07-ardeche.geojson',
  'france-geojson/departement-38-isere.geojson',
  'france-geojson/departement-84-vaucluse.geojson',
  'france-geojson/departement-05-hautes-alpes.geojson',
  'drome-rivers.geojson',
  'drome-places.geojson',
];
const missing = FILES.filter((f) => !existsSync(geoFile(f)));
const SKIP = missing.length ? `reference data not found: ${missing.map(geoFile).join(', ')}` : false;
const read = (name: string): any => JSON.parse(readFileSync(geoFile(name), 'utf8'));

const overlaps = (a: LabelBox, b: LabelBox) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The shapes per kind of place the site uses (src/web/views/geo.tsx), with the two shapes that tell sites and bridges from camps. */
const SITE_SHAPES: Record<string, MarkerShape> = { town: 'circle', village: 'ring', museum: 'diamond', bridge: 'bar', site: 'triangle', camp: 'square' };

/** The demo map of the map page: the Drôme, its four neighbours, four rivers and the 44 places. */
function demo(lang: 'fr' | 'en' = 'fr', width = 700, shapes: 'test' | 'site' = 'test') {
  const drome = read(FILES[0]!) as MapFeature;
  const neighbours = FILES.slice(1, 5).map((f) => read(f) as MapFeature);
  const rivers = read('drome-rivers.geojson').features as MapFeature[];
  const places = read('drome-places.geojson').features as { properties: Record<string, string>; geometry: { coordinates: [number, number] } }[];
  const short = (s: string) => s.split(' (')[0]!.split(', ')[0]!;
  const layers: MapLayer[] = [
    { id: 'drome', role: 'subject', features: [drome] },
    { id: 'neighbours', role: 'context', features: neighbours, labelOf: (f) => String(f.properties?.nom ?? '') },
    { id: 'rivers', role: 'line', features: rivers, labelOf: (f) => short(String(f.properties?.[`name_${lang}`] ?? '')) },
  ];
  const markers: MapMarker[] = places.map((f) => {
    const p = f.properties;
    const kind = p.kind;
    return {
      id: p.id!,
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
      label: short(p[`name_${lang}`]!),
      name: p[`name_${lang}`]!,
      href: `/${lang}/places/${p.id}`,
      style: kind === 'town' || kind === 'museum' ? 'primary' : 'secondary',
      shape: shapes === 'site' ? SITE_SHAPES[kind!] ?? 'square' : kind === 'museum' ? 'square' : kind === 'site' ? 'diamond' : kind === 'bridge' ? 'ring' : 'circle',
      ...(kind === 'museum' ? { priority: 10 } : p.id === 'romans-sur-isere' ? { priority: 9 } : {}),
      ...(p.liberated ? { data: { date: p.liberated } } : {}),
    };
  });
  const opts: MapOptions = {
    width,
    title: lang === 'fr' ? 'Carte des lieux' : 'Map of the places',
    description: lang === 'fr' ? 'La Drôme et les 44 lieux de la visite.' : 'The Drôme and the 44 places of the visit.',
    idPrefix: 'map-places',
    fit: 'layers',
    lang,
    scaleBar: { label: (km) => `${km} km` },
  };
  return { layers, markers, opts };
}

function pointInRings(x: number, y: number, rings: [number, number][][]): boolean {
  let inside = false;
  for (const p of rings) {
    for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
      const [xi, yi] = p[i]!;
      const [xj, yj] = p[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

const simple: MapOptions = { width: 400, title: 'T', description: 'D', idPrefix: 't', fit: 'markers' };

describe('renderMap: projection', { skip: SKIP }, () => {
  test('the Drôme outline fits inside the viewBox, with the padding', () => {
    const { layers, opts } = demo();
    const L = layoutMap(layers.slice(0, 1), [], { ...opts, padding: 12 });
    assert.equal(L.width, 700);
    assert.ok(Number.isInteger(L.height) && L.height > 900 && L.height < 1100, `height ${L.height} follows the Drôme's shape`);
    const pts = L.features[0]!.shapes.flatMap((s) => s.pts);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    assert.ok(x0 >= 11.9 && y0 >= 11.9 && x1 <= 688.1 && y1 <= L.height - 11.9, `outline ${x0},${y0} – ${x1},${y1} inside the padding`);
    assert.ok(x0 < 12.5 && x1 > 687.5, 'the outline is fitted to the width');
    assert.ok(y0 < 13 && y1 > L.height - 13, 'and the height follows from it');
  });

  test('Valence lands west of Die and north of Montélimar', () => {
    const { layers, opts } = demo();
    const places: MapMarker[] = [
      { id: 'valence', lon: 4.8917, lat: 44.9333, label: 'Valence' },
      { id: 'die', lon: 5.37, lat: 44.7536, label: 'Die' },
      { id: 'montelimar', lon: 4.75, lat: 44.5583, label: 'Montélimar' },
    ];
    const L = layoutMap(layers, places, opts);
    const [valence, die, montelimar] = L.markers;
    assert.ok(valence!.x < die!.x, 'west of Die');
    assert.ok(valence!.y < montelimar!.y, 'north of Montélimar');
    assert.ok(die!.x - valence!.x > 200 && die!.x - valence!.x < 300, `≈ 38 km apart in x at ≈ 7 px/km (${die!.x - valence!.x})`);
  });

  test('the Enclave des Papes is a hole in the Drôme (Valréas is outside the Drôme, inside the Vaucluse)', () => {
    const { layers, opts } = demo();
    const L = layoutMap(layers, [{ id: 'valreas', lon: 4.9913, lat: 44.3849, label: 'Valréas' }], opts);
    const drome = L.features.find((f) => f.layer.id === 'drome')!;
    assert.equal(drome.shapes.length, 2, 'outer ring and hole');
    assert.equal((drome.d.match(/z/g) ?? []).length, 2);
    const v = L.markers[0]!;
    assert.equal(pointInRings(v.x, v.y, drome.shapes.map((s) => s.pts)), false);
    const vaucluse = L.features.find((f) => f.layer.id === 'neighbours' && f.feature.properties?.code === '84')!;
    assert.equal(pointInRings(v.x, v.y, vaucluse.shapes.map((s) => s.pts)), true);
  });

  test('context layers are clipped to the viewBox', () => {
    const { layers, opts } = demo();
    const L = layoutMap(layers, [], opts);
    for (const f of L.features) {
      for (const [x, y] of f.shapes.flatMap((s) => s.pts)) assert.ok(x >= -2 && y >= -2 && x <= L.width + 2 && y <= L.height + 2, `${f.layer.id}: ${x},${y}`);
    }
    // The Isère department reaches far north-east of the Drôme: clipped, it stays small.
    const isere = L.features.find((f) => f.feature.properties?.code === '38')!;
    assert.ok(isere.d.length < 4000, `clipped Isère path: ${isere.d.length} chars`);
  });

  test('simplification reduces the path size; coordinates have one decimal at most', () => {
    const { layers, opts } = demo();
    const full = layoutMap(layers.slice(0, 1), [], { ...opts, simplify: 0 }).features[0]!.d;
    const simplified = layoutMap(layers.slice(0, 1), [], opts).features[0]!.d;
    assert.ok(simplified.length < full.length * 0.75, `${simplified.length} < 75 % of ${full.length}`);
    assert.ok(simplified.length < 10_000, `Drôme outline at 700 px: ${simplified.length} chars`);
    assert.doesNotMatch(simplified, /\.\d\d/);
    assert.match(simplified, /^m\d/);
  });

  test('the scale bar matches the projection (1-2-5 km steps)', () => {
    const { layers, markers, opts } = demo();
    const seen: number[] = [];
    const L = layoutMap(layers, markers, { ...opts, scaleBar: { label: (km) => { seen.push(km); return `${km} km`; } } });
    assert.ok(L.scale);
    assert.equal(seen.length, 1);
    assert.match(String(L.scale.km), /^[125]0*$/);
    // Check px/km against the distance from Valence to Die.
    const valence = markers.find((m) => m.id === 'valence')!;
    const die = markers.find((m) => m.id === 'die')!;
    const mv = L.markers.find((m) => m.marker.id === 'valence')!;
    const md = L.markers.find((m) => m.marker.id === 'die')!;
    const km = geoDistance([valence.lon, valence.lat], [die.lon, die.lat]) * 6371.0088;
    const pxPerKm = Math.hypot(md.x - mv.x, md.y - mv.y) / km;
    assert.ok(Math.abs(pxPerKm - L.scale.px / L.scale.km) / pxPerKm < 0.02, `${pxPerKm} vs ${L.scale.px / L.scale.km}`);
  });
});

describe('renderMap: the demo map (44 places, 700 px)', { skip: SKIP }, () => {
  test('labels do not overlap each other or other symbols, and stay inside the map', () => {
    const { layers, markers, opts } = demo();
    assert.equal(markers.length, 44);
    const L = layoutMap(layers, markers, opts);
    const labels = [
      ...L.markers.filter((m) => m.label).map((m) => ({ id: m.marker.id, box: m.label!.box, leader: m.label!.leader })),
      ...L.features.filter((f) => f.label?.placed).map((f) => ({ id: `${f.layer.id}:${f.label!.lines[0]!.text}`, box: f.label!.placed!.box, leader: undefined })),
    ];
    const shown = L.markers.filter((m) => m.label).length;
    assert.ok(shown >= 40, `${shown} of 44 marker labels shown`);
    for (const a of labels) {
      assert.ok(a.box.x >= 0 && a.box.y >= 0 && a.box.x + a.box.width <= L.width && a.box.y + a.box.height <= L.height, `${a.id} inside`);
      if (L.scale) assert.ok(!overlaps(a.box, L.scale.box), `${a.id} clear of the scale bar`);
      for (const b of labels) if (a !== b) assert.ok(!overlaps(a.box, b.box), `${a.id} / ${b.id}`);
      for (const m of L.markers) {
        if (m.marker.id === a.id) continue;
        assert.ok(!overlaps(a.box, { x: m.x - m.r, y: m.y - m.r, width: 2 * m.r, height: 2 * m.r }), `${a.id} clear of the symbol of ${m.marker.id}`);
      }
    }
    // Primary labels come first: every primary label is shown.
    for (const m of L.markers) if (m.marker.priority && m.marker.priority >= 9) assert.ok(m.label, `${m.marker.id} shown`);
  });

  test('the SVG is small, well-formed and renders (sharp)', async () => {
    const { layers, markers, opts } = demo();
    const svg = renderMap(layers, markers, opts);
    const bytes = Buffer.byteLength(svg);
    const br = brotliCompressSync(svg).length;
    assert.ok(bytes < 45_000, `${bytes} bytes`);
    assert.ok(br < 12_000, `${br} bytes with brotli`);
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    assert.ok(png.length > 1000);
    // Every marker is a link with its full name.
    assert.equal((svg.match(/<a href="\/fr\/places\/[a-z0-9-]+" aria-label="[^"]+"/g) ?? []).length, 44);
    assert.match(svg, /aria-label="Musée de la Résistance et de la Déportation \(ancien couvent de la Visitation, rue Bistour\)"/);
    assert.match(svg, /data-id="die" data-date="1944-08-20"/);
  });

  test('the English map renders too', () => {
    const { layers, markers, opts } = demo('en');
    const svg = renderMap(layers, markers, opts);
    assert.match(svg, /lang="en"/);
    assert.match(svg, />Luire Cave</);
  });
});

/**
 * A drawn symbol as a polygon (circles as circumscribed 32-gons), written from the
 * sizes symbol() draws rather than from the renderer's own geometry, and its stroke.
 */
function outline(m: MarkerLayout): { pts: [number, number][]; stroke: number } {
  const { x, y, r } = m;
  const shape = m.marker.shape ?? 'circle';
  const at = (p: [number, number][]) => p.map(([px, py]) => [x + px, y + py] as [number, number]);
  const rect = (w: number, h: number) => at([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]);
  const stroke = shape === 'ring' ? 1 : 0.75;
  if (shape === 'square') return { pts: rect(1.8 * r, 1.8 * r), stroke };
  if (shape === 'bar') return { pts: rect(2.2 * r, 1.1 * r), stroke };
  if (shape === 'diamond') return { pts: at([[0, -1.3 * r], [1.3 * r, 0], [0, 1.3 * r], [-1.3 * r, 0]]), stroke };
  if (shape === 'triangle') {
    const a = r * Math.sqrt((4 * 3.24) / Math.sqrt(3)); // the square's area
    const h = (a * Math.sqrt(3)) / 2;
    return { pts: at([[0, -h / 2], [a / 2, h / 2], [-a / 2, h / 2]]), stroke };
  }
  const R = r / Math.cos(Math.PI / 32);
  return { pts: at(Array.from({ length: 32 }, (_, k) => [R * Math.cos((k * Math.PI) / 16), R * Math.sin((k * Math.PI) / 16)] as [number, number])), stroke };
}

/** Space between two painted symbols, strokes included (separating axes: never more than the true distance); negative = overlap. */
function symbolGap(m: MarkerLayout, n: MarkerLayout): number {
  const a = outline(m);
  const b = outline(n);
  let best = -Infinity;
  for (const P of [a.pts, b.pts]) {
    for (let i = 0; i < P.length; i++) {
      const [x1, y1] = P[i]!;
      const [x2, y2] = P[(i + 1) % P.length]!;
      const len = Math.hypot(x2 - x1, y2 - y1);
      const [nx, ny] = [(y2 - y1) / len, (x1 - x2) / len];
      const pa = a.pts.map(([x, y]) => x * nx + y * ny);
      const pb = b.pts.map(([x, y]) => x * nx + y * ny);
      best = Math.max(best, Math.min(...pb) - Math.max(...pa), Math.min(...pa) - Math.max(...pb));
    }
  }
  return best - a.stroke - b.stroke;
}

function symbolBox(m: MarkerLayout): LabelBox {
  const { pts, stroke } = outline(m);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x0, y0] = [Math.min(...xs) - stroke, Math.min(...ys) - stroke];
  return { x: x0, y: y0, width: Math.max(...xs) + stroke - x0, height: Math.max(...ys) + stroke - y0 };
}

describe('renderMap: displacement on the demo map (720 and 360 px)', { skip: SKIP }, () => {
  for (const width of [720, 360]) {
    for (const shapes of ['test', 'site'] as const) {
      test(`${width} px, ${shapes} shapes: no two symbols overlap; labels clear of each other, of every symbol and of the displacement leaders`, () => {
        const { layers, markers, opts } = demo('fr', width, shapes);
        const L = layoutMap(layers, markers, opts);
        const drawn = L.markers.filter((m) => m.visible);
        assert.equal(drawn.length, 44);
        // Without displacement, these places are drawn on top of each other.
        const plain = layoutMap(layers, markers, { ...opts, displace: false }).markers;
        const chapelle = plain.findIndex((m) => m.marker.id === 'la-chapelle-en-vercors');
        const cour = plain.findIndex((m) => m.marker.id === 'cour-des-fusilles-la-chapelle');
        assert.ok(symbolGap(plain[chapelle]!, plain[cour]!) < -5, 'La Chapelle and the Cour des Fusillés overlap at their true positions');
        assert.ok(symbolGap(L.markers[chapelle]!, L.markers[cour]!) >= 1);
        for (let i = 0; i < drawn.length; i++) {
          const m = drawn[i]!;
          for (let j = i + 1; j < drawn.length; j++) {
            const gap = symbolGap(m, drawn[j]!);
            assert.ok(gap >= 1, `${m.marker.id} / ${drawn[j]!.marker.id}: ${gap.toFixed(2)} px apart`);
          }
          const b = symbolBox(m);
          assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= L.width && b.y + b.height <= L.height, `${m.marker.id} inside the map`);
          const moved = Math.hypot(m.x - m.trueX, m.y - m.trueY);
          // Displacement separates neighbours; it does not redraw the map.
          assert.ok(moved < 15, `${m.marker.id} moved ${moved.toFixed(1)} px`);
          assert.equal(m.displaced, moved > 1.5);
          if (!m.displaced) assert.deepEqual([m.trueDot, m.trueLeader], [false, null]);
          // No dot is drawn under a symbol: a covered true position gets none (see trueMarks).
          if (m.trueDot) for (const n of drawn) assert.ok(Math.hypot(n.x - m.trueX, n.y - m.trueY) > n.r, `${m.marker.id}'s dot is not under ${n.marker.id}`);
        }
        assert.ok(drawn.some((m) => m.displaced), 'the crowded places around Romans are moved apart');
        const labels = [
          ...drawn.filter((m) => m.label).map((m) => ({ id: m.marker.id, box: m.label!.box })),
          ...L.features.filter((f) => f.label?.placed).map((f) => ({ id: `${f.layer.id}:${f.label!.lines[0]!.text}`, box: f.label!.placed!.box })),
        ];
        assert.ok(labels.length >= (width === 720 ? 40 : 20), `${labels.length} labels shown`);
        for (const a of labels) {
          for (const b of labels) if (a !== b) assert.ok(!overlaps(a.box, b.box), `${a.id} / ${b.id}`);
          for (const m of drawn) {
            if (m.marker.id === a.id) continue;
            assert.ok(!overlaps(a.box, symbolBox(m)), `${a.id} clear of the symbol of ${m.marker.id}`);
            if (m.trueDot) assert.ok(!overlaps(a.box, { x: m.trueX - 1.2, y: m.trueY - 1.2, width: 2.4, height: 2.4 }), `${a.id} clear of the true position of ${m.marker.id}`);
            if (!m.trueLeader) continue;
            const [x1, y1, x2, y2] = m.trueLeader;
            for (let t = 0; t <= 1; t += 0.05) {
              const [px, py] = [x1 + (x2 - x1) * t, y1 + (y2 - y1) * t];
              assert.ok(!(px > a.box.x && px < a.box.x + a.box.width && py > a.box.y && py < a.box.y + a.box.height), `${a.id} clear of the leader of ${m.marker.id}`);
            }
          }
        }
      });
    }
  }
});

describe('renderMap: accessibility and markup', () => {
  const markers: MapMarker[] = [
    { id: 'a', lon: 5, lat: 45, label: 'Romans', href: '/fr/lieux/romans', style: 'primary', data: { date: '1944-08-22', fooBar: 'x', 'bad key': 'y' } },
    { id: 'b', lon: 5.1, lat: 45.05, label: 'Site', shape: 'diamond' },
    { id: 'c', lon: 4.95, lat: 44.95, label: 'Pont', shape: 'ring', sublabel: '22 août 1944', href: '/fr/lieux/pont' },
  ];

  test('the svg is a labelled group with a title and a description, not an image', () => {
    const svg = renderMap([], markers, simple);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 400 \d+" width="400" height="\d+" class="map" role="group" aria-labelledby="t-title t-desc">/);
    assert.match(svg, /<title id="t-title">T<\/title>/);
    assert.match(svg, /<desc id="t-desc">D<\/desc>/);
    assert.doesNotMatch(svg, /<svg[^>]*role="img"/);
    assert.doesNotMatch(svg, /style=/, 'no inline style (CSP)');
    assert.match(svg, /<g class="map-base" aria-hidden="true">/);
  });

  test('a marker with href is a link with an accessible name; without href, an image with a name', () => {
    const svg = renderMap([], markers, simple);
    assert.match(svg, /<a href="\/fr\/lieux\/romans" aria-label="Romans" class="map-marker map-marker--primary map-marker--circle" data-id="a" data-date="1944-08-22" data-foo-bar="x">/);
    assert.doesNotMatch(svg, /bad key/);
    assert.match(svg, /<g role="img" aria-label="Site" class="map-marker map-marker--secondary map-marker--diamond" data-id="b">/);
    // The name defaults to the label and the sublabel, which are both shown.
    assert.match(svg, /<a href="\/fr\/lieux\/pont" aria-label="Pont, 22 août 1944" class="map-marker map-marker--secondary map-marker--ring"/);
    assert.match(svg, /<tspan class="map-sublabel"[^>]*>22 août 1944<\/tspan>/);
    // Shapes differ, so colour is not the only cue.
    assert.match(svg, /<circle class="map-symbol"/);
    assert.match(svg, /<path class="map-symbol" d="M/);
  });

  test('an unsafe href is not rendered as a link', () => {
    const svg = renderMap([], [{ id: 'x', lon: 5, lat: 45, label: 'X', href: 'javascript:alert(1)' }], simple);
    assert.doesNotMatch(svg, /javascript/);
    assert.match(svg, /<g role="img" aria-label="X"/);
  });

  test('all text is escaped for XML', async () => {
    const evil = `Tom & "Jerry" <script>alert('x')</script>`;
    const svg = renderMap(
      [],
      [{ id: 'e', lon: 5, lat: 45, label: evil, name: evil, href: '/a?b=1&c=2', data: { note: evil } }],
      { ...simple, title: evil, description: evil, idPrefix: 'p"x', className: 'a"b', lang: 'fr"' },
    );
    assert.doesNotMatch(svg, /<script/);
    assert.doesNotMatch(svg, /&(?!amp;|lt;|gt;|quot;|#39;)/, 'no bare ampersand');
    assert.match(svg, /Tom &amp; &quot;Jerry&quot; &lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt;/);
    assert.match(svg, /href="\/a\?b=1&amp;c=2"/);
    assert.equal(escapeXml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
    assert.equal(escapeXml('a\u0000b\u0007c'), 'abc', 'characters XML forbids are dropped');
    await sharp(Buffer.from(svg)).png().toBuffer(); // well-formed XML, or librsvg throws
  });

  test('output is deterministic', () => {
    const a = renderMap([], markers, { ...simple, scaleBar: { label: (km) => `${km} km` } });
    const b = renderMap([], markers.map((m) => ({ ...m })), { ...simple, scaleBar: { label: (km) => `${km} km` } });
    assert.equal(a, b);
  });

  test('a locator map fitted to one marker shows the minimum span around it', () => {
    const L = layoutMap([], [markers[0]!], { ...simple, minSpanKm: 20 });
    assert.equal(L.markers[0]!.x, 200);
    assert.ok(L.height >= 240 && L.height <= 500);
    assert.ok(Math.abs(L.markers[0]!.y - L.height / 2) < 1);
  });

  test('markers outside the map are not drawn (no invisible link to tab to)', () => {
    // A small square around Romans (clockwise, as d3 expects), as the subject; Paris is far outside it.
    const square: MapLayer = { id: 'box', role: 'subject', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[4.9, 44.9], [4.9, 45.1], [5.1, 45.1], [5.1, 44.9], [4.9, 44.9]]] } }] };
    const both: MapMarker[] = [markers[0]!, { id: 'far', lon: 2.35, lat: 48.85, label: 'Paris', href: '/paris' }];
    const L = layoutMap([square], both, { ...simple, fit: 'layers' });
    assert.deepEqual(L.markers.map((m) => m.visible), [true, false]);
    const svg = renderMap([square], both, { ...simple, fit: 'layers' });
    assert.match(svg, /data-id="a"/);
    assert.doesNotMatch(svg, /data-id="far"/);
  });

  test('nothing to fit is an error', () => {
    assert.throws(() => renderMap([], [], simple), /nothing to fit/);
  });

  test('long labels are wrapped at spaces, balanced', () => {
    assert.deepEqual(wrap('Valence', 24), ['Valence']);
    assert.deepEqual(wrap('Saint-Donat-sur-l’Herbasse-et-plus-encore', 24), ['Saint-Donat-sur-l’Herbasse-et-plus-encore']);
    assert.deepEqual(wrap('Musée de la Résistance et de la Déportation', 24), ['Musée de la Résistance', 'et de la Déportation']);
  });
});
