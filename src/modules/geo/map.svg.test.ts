import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { symbol, symbolCovers, symbolHalfSize, symbolOutline, symbolReach } from './map.svg.ts';
import type { MarkerShape } from './map.types.ts';

const SHAPES: MarkerShape[] = ['circle', 'ring', 'square', 'diamond', 'triangle', 'bar'];

/** The absolute vertices of a path written as M x y, then l/h relative steps, then z. */
function pathVertices(d: string): [number, number][] {
  const tokens = d.match(/[MlhLz]|-?[\d.]+/g) ?? [];
  const pts: [number, number][] = [];
  let cmd = '';
  let x = 0;
  let y = 0;
  for (let i = 0; i < tokens.length;) {
    const t = tokens[i]!;
    if (/[MlhLz]/.test(t)) { cmd = t; i++; continue; }
    if (cmd === 'h') { x += Number(t); i++; } else if (cmd === 'M') { x = Number(t); y = Number(tokens[i + 1]); i += 2; } else { x += Number(t); y += Number(tokens[i + 1]); i += 2; }
    pts.push([x, y]);
  }
  return pts;
}

const area = (p: [number, number][]) => Math.abs(p.reduce((s, [x, y], i) => { const [nx, ny] = p[(i + 1) % p.length]!; return s + x * ny - nx * y; }, 0)) / 2;

describe('symbol: shapes', () => {
  test('the triangle points up, is centred on its point, and weighs as much as the square', () => {
    const svg = symbol('triangle', 100, 50, 4);
    const d = /^<path class="map-symbol" d="([^"]+)"\/>$/.exec(svg)?.[1] ?? assert.fail(svg);
    const pts = pathVertices(d);
    assert.equal(pts.length, 3);
    const [apex, right, left] = pts as [[number, number], [number, number], [number, number]];
    assert.ok(apex[1] < right[1] && right[1] === left[1], 'apex up, base flat');
    assert.ok(Math.abs(apex[0] - 100) < 0.05 && Math.abs((left[0] + right[0]) / 2 - 100) < 0.1, 'symmetric about x');
    assert.ok(Math.abs((apex[1] + right[1]) / 2 - 50) < 0.1, 'its box centred on y');
    assert.ok(Math.abs(area(pts) / (7.2 * 7.2) - 1) < 0.03, `area ${area(pts)} ≈ the square's 51.84`);
    assert.equal(symbol('square', 100, 50, 4), '<rect class="map-symbol" x="96.4" y="46.4" width="7.2" height="7.2"/>');
  });

  test('the bar is a rounded rectangle 2.2 r wide and 1.1 r high, centred on its point', () => {
    assert.equal(symbol('bar', 100, 50, 4), '<rect class="map-symbol" x="95.6" y="47.8" width="8.8" height="4.4" rx="1.2"/>');
  });

  test('the geometry used for spacing and labels matches what is drawn', () => {
    for (const shape of SHAPES) {
      const { hx, hy } = symbolHalfSize(shape, 4);
      const o = symbolOutline(shape, 4);
      const svg = symbol(shape, 0, 0, 4);
      if (typeof o === 'number') assert.match(svg, /<circle [^>]*r="4"/);
      else if (svg.startsWith('<path')) {
        const drawn = pathVertices(/d="([^"]+)"/.exec(svg)![1]!);
        assert.equal(drawn.length, o.length, shape);
        drawn.forEach(([x, y], i) => assert.ok(Math.hypot(x - o[i]![0], y - o[i]![1]) < 0.15, `${shape} vertex ${i}`));
      } else {
        const [w, h] = [/width="([\d.]+)"/, /height="([\d.]+)"/].map((re) => Number(re.exec(svg)![1]));
        assert.ok(Math.abs(w! - 2 * hx) < 0.1 && Math.abs(h! - 2 * hy) < 0.1, shape);
      }
      // The reach along an axis is the half-size plus half the stroke.
      assert.ok(Math.abs(symbolReach(shape, 4, 1, 0) - hx - (shape === 'ring' ? 1 : 0.75)) < 1e-9, shape);
      assert.ok(Math.abs(symbolReach(shape, 4, 0, -1) - hy - (shape === 'ring' ? 1 : 0.75)) < 1e-9, shape);
    }
    // What a symbol covers, stroke included: the triangle's apex is narrow, its base wide.
    assert.ok(symbolCovers('circle', 4, 4.7, 0) && !symbolCovers('circle', 4, 4.8, 0));
    assert.ok(symbolCovers('triangle', 4, 0, -4.5) && !symbolCovers('triangle', 4, 2, -4));
    assert.ok(symbolCovers('triangle', 4, 5, 4.5) && !symbolCovers('triangle', 4, 0, 5.6));
    assert.ok(symbolCovers('bar', 4, 4.9, 2.9) && !symbolCovers('bar', 4, 0, 3.1));
    // A bar is flat: it reaches less far up than sideways; a square reaches furthest along its diagonal.
    assert.ok(symbolReach('bar', 4, 0, 1) < symbolReach('bar', 4, 1, 0));
    assert.ok(symbolReach('square', 4, Math.SQRT1_2, Math.SQRT1_2) > symbolReach('square', 4, 1, 0));
  });

  test('every shape fits the legend (16 × 16 px around r = 5) and renders as valid SVG', async () => {
    for (const shape of SHAPES) {
      const { hx, hy } = symbolHalfSize(shape, 5);
      assert.ok(hx + 1 <= 8 && hy + 1 <= 8, `${shape}: ${hx} × ${hy}`);
    }
    const body = SHAPES.map((s, i) => symbol(s, 12 + i * 20, 12, 5)).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 124 24" width="124" height="24">${body}</svg>`;
    assert.equal((svg.match(/class="map-symbol/g) ?? []).length, SHAPES.length);
    const { data, info } = await sharp(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true });
    // Each shape paints its centre (default black fill), and nothing between the shapes.
    assert.equal(info.channels, 4);
    const alpha = (x: number, y: number) => data[(y * info.width + x) * 4 + 3]!;
    for (let i = 0; i < SHAPES.length; i++) {
      assert.ok(alpha(12 + i * 20, 12) > 200, `${SHAPES[i]} drawn`);
      assert.equal(alpha(22 + i * 20, 12), 0, `nothing right of the ${SHAPES[i]}`);
    }
  });
});
