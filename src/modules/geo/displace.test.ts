import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { displace, trueMarks, type DisplaceItem, type DrawnSymbol } from './displace.ts';
import { layoutMap, renderMap, type MapMarker, type MapOptions } from './map.render.ts';

const simple: MapOptions = { width: 400, title: 'T', description: 'D', idPrefix: 't', fit: 'markers' };

/** A small deterministic PRNG (mulberry32), as in labels.test.ts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
