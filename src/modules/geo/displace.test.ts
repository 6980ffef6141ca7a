import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { displace, trueMarks, type DisplaceItem, type DrawnSymbol } from './displace.ts';
import { layoutMap, renderMap, type LabelBox, type MapMarker, type MarkerLayout } from './map.render.ts';
import { demo, overlaps, prng, simple } from './geo.test-support.ts';

/** Circles only: the space between two painted circles (stroke 1.5 px) is exact. */
const circleGap = (a: { x: number; y: number; r: number }, b: { x: number; y: number; r: number }) => Math.hypot(a.x - b.x, a.y - b.y) - a.r - b.r - 1.5;

describe('displace', () => {
  test('a lone marker is not moved', () => {
    const L = layoutMap([], [{ id: 'a', lon: 5, lat: 45, label: 'Romans', href: '/a' }], simple);
    const m = L.markers[0]!;
    assert.deepEqual([m.x, m.y], [m.trueX, m.trueY]);
    assert.equal(m.displaced, false);
    assert.equal(m.trueLeader, null);
    assert.doesNotMatch(renderMap([], [{ id: 'a', lon: 5, lat: 45, label: 'Romans', href: '/a' }], simple), /map-true-position|map-displaced-leader/);
    assert.deepEqual(displace([{ x: 10, y: 10, shape: 'bar', r: 5, priority: 1 }], { width: 20, height: 20 }), [{ x: 10, y: 10 }]);
  });

  test('two markers at the same coordinates are separated, and both get a leader and a dot at their true position', () => {
    const markers: MapMarker[] = [
      { id: 'a', lon: 5.4169, lat: 44.9686, label: 'La Chapelle-en-Vercors', href: '/a' },
      { id: 'b', lon: 5.4169, lat: 44.9686, label: 'Cour des Fusillés', href: '/b' },
    ];
    const L = layoutMap([], markers, simple);
    const [a, b] = L.markers as [typeof L.markers[0] & object, typeof L.markers[0] & object];
    assert.deepEqual([a.trueX, a.trueY], [b.trueX, b.trueY]);
    assert.ok(circleGap(a, b) >= 1.9, `${circleGap(a, b)} px between the symbols`);
    // Equal priorities: each moves half-way, no further than needed (4 + 0.75 + 1 px each, rounded to 0.1).
    const moved = (m: typeof a) => Math.hypot(m.x - m.trueX, m.y - m.trueY);
    assert.ok(Math.abs(moved(a) - moved(b)) < 0.15 && moved(a) < 6, `${moved(a)}, ${moved(b)}`);
    for (const m of [a, b]) {
      assert.equal(m.displaced, true);
      assert.ok(m.trueLeader);
      assert.deepEqual(m.trueLeader.slice(0, 2), [m.trueX, m.trueY], 'the leader starts at the true position');
      assert.ok(Math.abs(Math.hypot(m.trueLeader[2] - m.x, m.trueLeader[3] - m.y) - m.r) < 0.15, 'and ends on the symbol');
    }
    const svg = renderMap([], markers, simple);
    for (const id of ['a', 'b']) {
      const link = new RegExp(`<a href="/${id}" aria-label="[^"]+"[^>]*>(.*?)</a>`, 's').exec(svg)?.[1] ?? assert.fail(`no link ${id}`);
      assert.match(link, /^<path class="map-displaced-leader" d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+"\/><circle class="map-true-position" cx="[\d.]+" cy="[\d.]+" r="1.2"\/><circle class="map-symbol"/);
    }
    // The link's name is unchanged.
    assert.match(svg, /<a href="\/a" aria-label="La Chapelle-en-Vercors"/);
  });

  test('the higher-priority marker stays where it is', () => {
    const markers: MapMarker[] = [
      { id: 'low', lon: 5.05, lat: 45.04, label: 'Bourg-de-Péage', priority: 1 },
      { id: 'high', lon: 5.0561, lat: 45.0443, label: 'Musée', shape: 'diamond', style: 'primary', priority: 10 },
    ];
    const [low, high] = layoutMap([], markers, simple).markers;
    assert.deepEqual([high!.x, high!.y], [high!.trueX, high!.trueY]);
    assert.equal(high!.displaced, false);
    assert.equal(low!.displaced, true);
  });

  test('symbols stay inside the map; against its edge, the higher-priority one gives way', () => {
    const items: DisplaceItem[] = [
      { x: 5, y: 50, shape: 'circle', r: 4, priority: 1 },
      { x: 6, y: 50, shape: 'circle', r: 4, priority: 5 },
      { x: 95, y: 95, shape: 'square', r: 4, priority: 1 },
      { x: 95, y: 95, shape: 'triangle', r: 4, priority: 1 },
    ];
    const pos = displace(items, { width: 100, height: 100 });
    const drawn = pos.map((p, i) => ({ ...p, r: items[i]!.r }));
    assert.ok(circleGap(drawn[0]!, drawn[1]!) >= 1.99, `${circleGap(drawn[0]!, drawn[1]!)}`);
    assert.ok(pos[0]!.x >= 4.75 - 1e-9, 'the low-priority one is stopped by the edge');
    assert.ok(pos[1]!.x > 6, 'so the other one moves');
    for (const p of pos.slice(2)) assert.ok(p.x <= 100 - 4 && p.y <= 100 - 4, `${p.x}, ${p.y} inside`);
  });

  test('random clusters of circles end up apart, and the result is deterministic', () => {
    const rnd = prng(3);
    const items: DisplaceItem[] = Array.from({ length: 40 }, () => ({ x: 100 + rnd() * 60, y: 100 + rnd() * 60, shape: 'circle', r: 3 + Math.floor(rnd() * 3), priority: Math.floor(rnd() * 3) }));
    const a = displace(items, { width: 300, height: 300 });
    assert.deepEqual(displace(items.map((i) => ({ ...i })), { width: 300, height: 300 }), a);
    for (let i = 0; i < a.length; i++) {
      for (let j = i + 1; j < a.length; j++) {
        const gap = circleGap({ ...a[i]!, r: items[i]!.r }, { ...a[j]!, r: items[j]!.r });
        assert.ok(gap >= 1.99, `${i} / ${j}: ${gap}`);
      }
    }
    // The same through the renderer, with labels placed against the moved symbols.
    const markers: MapMarker[] = items.map((it, i) => ({ id: `m${i}`, lon: 5 + it.x / 3000, lat: 45 - it.y / 3000, label: `Lieu ${i}`, href: `/m${i}`, priority: it.priority }));
    assert.equal(renderMap([], markers, simple), renderMap([], markers.map((m) => ({ ...m })), simple));
  });

  test('displace: false draws every marker at its true position; a larger gap keeps them further apart', () => {
    const markers: MapMarker[] = [{ id: 'a', lon: 5, lat: 45, label: 'A' }, { id: 'b', lon: 5.001, lat: 45, label: 'B' }];
    const off = layoutMap([], markers, { ...simple, displace: false }).markers;
    for (const m of off) assert.deepEqual([m.x, m.y, m.displaced], [m.trueX, m.trueY, false]);
    const wide = layoutMap([], markers, { ...simple, displace: { gap: 8 } }).markers;
    assert.ok(circleGap(wide[0]!, wide[1]!) >= 7.9, `${circleGap(wide[0]!, wide[1]!)}`);
  });

  test('the dot and leader: none under the own symbol; stopped at the edge of another symbol that covers the true position', () => {
    const at = (x: number, y: number, trueX: number, trueY: number, shape: DrawnSymbol['shape'] = 'circle', r = 5): DrawnSymbol => ({ x, y, trueX, trueY, shape, r });
    assert.deepEqual(trueMarks([at(10, 10, 12, 10)], 0), { dot: false, leader: null }, 'still under its own symbol');
    assert.deepEqual(trueMarks([at(10, 10, 20, 10)], 0), { dot: true, leader: [20, 10, 15, 10] });
    // A bar is flatter than it is wide: its outline is nearer above than beside.
    assert.deepEqual(trueMarks([at(10, 10, 10, 20, 'bar', 4)], 0), { dot: true, leader: [10, 20, 10, 12.2] });
    // The museum moved off the town it lies in: the line ends at the town's symbol (r 5 + 0.75 of stroke), no dot.
    const town = at(30, 10, 30, 10);
    const museum = at(10, 10, 31, 10, 'diamond');
    const marks = trueMarks([town, museum], 1);
    assert.equal(marks.dot, false);
    assert.ok(marks.leader && Math.abs(marks.leader[0] - 24.25) <= 0.1 && marks.leader[2] === 16.5, JSON.stringify(marks.leader));
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

describe('displacement on the demo map (720 and 360 px)', () => {
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
