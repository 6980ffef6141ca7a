import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync } from 'node:zlib';
import { geoDistance } from 'd3-geo';
import sharp from 'sharp';
import { dualGeometryId, escapeXml, layoutMap, renderDualMap, renderMap, wrap, type MapLayer, type MapMarker } from './map.render.ts';
import { demo, overlaps, simple } from './geo.test-support.ts';

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


describe('renderMap: projection', () => {
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

describe('renderMap: the demo map (44 places, 700 px)', () => {
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
    assert.match(svg, /<a href="\/fr\/lieux\/romans" aria-label="Romans" class="map-marker" data-id="a" data-date="1944-08-22" data-foo-bar="x">/);
    assert.doesNotMatch(svg, /bad key/);
    assert.match(svg, /<g role="img" aria-label="Site" class="map-marker" data-id="b"><path class="map-symbol"/);
    // The name defaults to the label and the sublabel, which are both shown.
    assert.match(svg, /<a href="\/fr\/lieux\/pont" aria-label="Pont, 22 août 1944" class="map-marker"[^>]*><circle class="map-symbol map-symbol--ring"/);
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

describe('renderMap: a shared base and decorative markers (small maps side by side)', () => {
  test('a dual map draws its geometry once; small maps use it scaled, on the same frame, with no path of their own', () => {
    const { layers, opts } = demo();
    const markers: MapMarker[] = [{ id: 'valence', lon: 4.8917, lat: 44.9333, label: 'Valence' }];
    const dual = renderDualMap(layers, markers, { ...opts, width: 720, idPrefix: 'big' }, 360);
    const paths = (s: string) => [...s.matchAll(/<path(?! class="map-(scale|leader))[^>]* d="([^"]+)"/g)].map((m) => m[2]);
    const own = renderMap(layers, markers, { ...opts, width: 720, idPrefix: 'own' });
    assert.deepEqual(paths(dual.svg), paths(own), 'the geometry of a map of its own, once');
    assert.match(dual.svg, new RegExp(`<g id="${dualGeometryId('big')}">`));
    // The narrow layout is the wide frame halved: the same place at the same point once scaled up.
    const at = (l: typeof dual.wide) => l.markers.find((m) => m.marker.id === 'valence')!;
    assert.equal(dual.narrow.height, dual.wide.height / 2);
    // (Positions are kept to 0.1 px.)
    assert.ok(Math.abs(at(dual.narrow).trueX * 2 - at(dual.wide).trueX) <= 0.2 && Math.abs(at(dual.narrow).trueY * 2 - at(dual.wide).trueY) <= 0.2);
    assert.match(dual.svg, /<g class="map-markers map-wide">[\s\S]*data-id="valence"[\s\S]*<g class="map-markers map-narrow" transform="scale\(2\)">[\s\S]*data-id="valence"/);
    const k = 200 / 720;
    const small = renderMap(layers, markers, { ...opts, width: 200, height: dual.wide.height * k, padding: 12 * k, idPrefix: 'day1', sharedBase: { id: dualGeometryId('big'), scale: k } });
    assert.match(small, /<g class="map-base" aria-hidden="true">\n<use href="#big-geometry" transform="scale\(0.27778\)"\/>/);
    assert.equal(paths(small).length, 0, 'no path of its own');
    const smallAt = layoutMap(layers, markers, { ...opts, width: 200, height: dual.wide.height * k, padding: 12 * k, idPrefix: 'day1' }).markers[0]!;
    assert.ok(Math.abs(smallAt.trueX / k - at(dual.wide).trueX) <= 0.4 && Math.abs(smallAt.trueY / k - at(dual.wide).trueY) <= 0.4, 'the small map on the same frame, scaled');
  });
  test('a decorative marker is hidden from assistive technologies and has no tooltip; its label still shows', () => {
    const { layers, opts } = demo();
    const svg = renderMap(layers, [
      { id: 'valence', lon: 4.8917, lat: 44.9333, label: 'Valence', decorative: true },
      { id: 'die', lon: 5.37, lat: 44.75, label: '', name: 'Die', decorative: true },
    ], { ...opts, idPrefix: 'd' });
    assert.match(svg, /<g aria-hidden="true" class="map-marker[^"]*" data-id="valence">.*<text[^>]*>Valence<\/text>/s);
    assert.match(svg, /<g aria-hidden="true" class="map-marker[^"]*" data-id="die"><circle[^>]*\/><\/g>/);
    assert.doesNotMatch(svg, /<title>Die<\/title>|aria-label="Die"/);
  });
});

describe('renderMap: numbers for the markers whose name does not fit (a key under the map)', () => {
  test('at phone width, a marker without room for its name gets a number, north to south, from 1; off by default', () => {
    const { layers, markers, opts } = demo('fr', 360);
    const plain = layoutMap(layers, markers, { ...opts, width: 360 });
    const unnamed = plain.markers.filter((m) => m.visible && !m.label && m.marker.label.trim());
    assert.ok(unnamed.length >= 5, `${unnamed.length} markers without their name at 360 px`);
    assert.ok(plain.markers.every((m) => m.number === undefined), 'no numbers unless asked');
    const L = layoutMap(layers, markers, { ...opts, width: 360, numberUnlabelled: true });
    const numbered = L.markers.filter((m) => m.number).sort((a, b) => a.number!.n - b.number!.n);
    assert.ok(numbered.length >= unnamed.length * 0.8, `${numbered.length} of ${unnamed.length} numbered`);
    assert.deepEqual(numbered.map((m) => m.number!.n), numbered.map((_, i) => i + 1), 'consecutive');
    for (let i = 1; i < numbered.length; i++) assert.ok(numbered[i]!.y >= numbered[i - 1]!.y, 'north to south');
    // A number never covers a label or another number.
    const boxes = [...L.markers.flatMap((m) => (m.label ? [m.label.box] : [])), ...numbered.map((m) => m.number!.placed.box)];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i]!, boxes[j]!), `boxes ${i} and ${j} overlap`);
    // Named markers keep their names: numbering only adds.
    assert.equal(L.markers.filter((m) => m.label).length, plain.markers.filter((m) => m.label).length);
    const svg = renderMap(layers, markers, { ...opts, width: 360, numberUnlabelled: true });
    assert.equal((svg.match(/class="map-label map-label--number"/g) ?? []).length, numbered.length);
  });
});
