import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateTextWidth, placeLabels, CHAR_WIDTH, type LabelPoint } from './labels.ts';
import { overlaps, prng } from './geo.test-support.ts';

describe('estimateTextWidth', () => {
  test('is characters × font size × 0.55, counting code points', () => {
    assert.equal(CHAR_WIDTH, 0.55);
    assert.equal(estimateTextWidth('Valence', 10), 7 * 10 * 0.55);
    assert.equal(estimateTextWidth('Drôme', 12), 5 * 12 * 0.55);
  });
});

describe('placeLabels', () => {
  test('a lone point gets its label on the right, vertically centred', () => {
    const placed = placeLabels([{ id: 'a', x: 50, y: 50, width: 40, height: 14, r: 4 }], { width: 200, height: 100 }).get('a');
    assert.ok(placed);
    assert.equal(placed.anchor, 'start');
    assert.equal(placed.box.x, 50 + 4 + 2);
    assert.equal(placed.box.y, 50 - 7);
    assert.equal(placed.x, placed.box.x);
  });

  test('a point near the right edge gets its label on the left (anchor end)', () => {
    const placed = placeLabels([{ id: 'a', x: 190, y: 50, width: 40, height: 14 }], { width: 200, height: 100 }).get('a');
    assert.equal(placed?.anchor, 'end');
    assert.ok(placed.box.x + placed.box.width <= 190);
  });

  test('a label that fits nowhere is hidden (null)', () => {
    const placed = placeLabels([{ id: 'a', x: 10, y: 10, width: 500, height: 14 }], { width: 200, height: 100 });
    assert.equal(placed.get('a'), null);
  });

  test('higher-priority labels are kept when space is short, whatever the input order', () => {
    // Three labels for the same spot: only two fit (left and right of it).
    const points: LabelPoint[] = [
      { id: 'low', x: 100, y: 10, width: 80, height: 14, r: 0, priority: 1 },
      { id: 'mid', x: 100, y: 10, width: 80, height: 14, r: 0, priority: 2 },
      { id: 'high', x: 100, y: 10, width: 80, height: 14, r: 0, priority: 3 },
    ];
    for (const order of [points, [...points].reverse(), [points[1]!, points[0]!, points[2]!]]) {
      const placed = placeLabels(order, { width: 200, height: 20 });
      assert.ok(placed.get('high'), 'the highest priority label is shown');
      assert.ok(placed.get('mid'), 'the second one too');
      assert.equal(placed.get('low'), null, 'the lowest is hidden');
      assert.deepEqual([...placed.keys()], order.map((p) => p.id), 'the result is in input order');
    }
  });

  test('labels avoid other symbols, obstacles and the bounds; none overlap (300 random points)', () => {
    const rnd = prng(42);
    const points: LabelPoint[] = Array.from({ length: 300 }, (_, i) => ({
      id: `p${i}`, x: rnd() * 700, y: rnd() * 500, width: 30 + rnd() * 90, height: 14 + (rnd() < 0.2 ? 13 : 0), priority: Math.floor(rnd() * 3), r: 3 + rnd() * 2,
    }));
    const obstacle = { x: 0, y: 460, width: 150, height: 40 };
    const placed = placeLabels(points, { width: 700, height: 500 }, { obstacles: [obstacle], leaders: [10, 22] });
    const boxes = [...placed.entries()].filter(([, p]) => p).map(([id, p]) => ({ id, box: p!.box }));
    assert.ok(boxes.length > 60, `some labels are shown (${boxes.length})`);
    for (const { id, box } of boxes) {
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 700 && box.y + box.height <= 500, `${id} inside the bounds`);
      assert.ok(!overlaps(box, obstacle), `${id} clear of the obstacle`);
      for (const p of points) {
        if (p.id === id) continue;
        const r = p.r!;
        assert.ok(!overlaps(box, { x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r }), `${id} clear of the symbol of ${p.id}`);
      }
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i]!.box, boxes[j]!.box), `${boxes[i]!.id} and ${boxes[j]!.id} do not overlap`);
    }
  });

  test('leader lines are used only when allowed, for labels with no room next to their symbol', () => {
    // A ring of symbols around the point leaves no room next to it.
    const ring: LabelPoint[] = [];
    for (let k = 0; k < 16; k++) ring.push({ id: `n${k}`, x: 100 + 14 * Math.cos((k * Math.PI) / 8), y: 100 + 14 * Math.sin((k * Math.PI) / 8), width: 1, height: 1, priority: -1 });
    const centre: LabelPoint = { id: 'c', x: 100, y: 100, width: 40, height: 14, priority: 5 };
    assert.equal(placeLabels([centre, ...ring], { width: 300, height: 300 }).get('c'), null);
    const placed = placeLabels([centre, ...ring], { width: 300, height: 300 }, { leaders: [20, 40] }).get('c');
    assert.ok(placed?.leader, 'placed with a leader');
  });

  test('lines given as obstacles (leaders of displaced markers) are not covered by any label', () => {
    const point: LabelPoint = { id: 'a', x: 50, y: 50, width: 40, height: 14, r: 4 };
    assert.equal(placeLabels([point], { width: 200, height: 100 }).get('a')?.anchor, 'start', 'on the right by default');
    const line = [50, 50, 80, 50] as const;
    const placed = placeLabels([point], { width: 200, height: 100 }, { lines: [line] }).get('a');
    assert.ok(placed);
    assert.ok(placed.box.x + placed.box.width <= 50 || placed.box.y >= 50 || placed.box.y + placed.box.height <= 50, 'not across the line');
  });

  test('alternatives: a label may move along its line to another anchor', () => {
    const placed = placeLabels(
      [{ id: 'river', x: 5, y: 5, width: 60, height: 14, r: 0, positions: ['center'], alternatives: [{ x: 100, y: 50 }] }],
      { width: 200, height: 100 },
    ).get('river');
    assert.deepEqual(placed?.box, { x: 70, y: 43, width: 60, height: 14 });
    assert.equal(placed?.anchor, 'middle');
  });

  test('is deterministic', () => {
    const rnd = prng(7);
    const points: LabelPoint[] = Array.from({ length: 80 }, (_, i) => ({ id: `p${i}`, x: rnd() * 300, y: rnd() * 300, width: 40 + rnd() * 40, height: 14, priority: i % 3 }));
    const a = JSON.stringify([...placeLabels(points, { width: 300, height: 300 }, { leaders: [10] })]);
    const b = JSON.stringify([...placeLabels(points, { width: 300, height: 300 }, { leaders: [10] })]);
    assert.equal(a, b);
  });
});
