import type { MarkerShape } from './map.types.ts';
import { symbolCovers, symbolHalfSize, symbolReach, symbolStroke } from './map.svg.ts';

// Cartographic displacement. Places a few km apart project a few px apart, so
// their symbols would be drawn on top of each other: one hides the other, and
// since each marker is a link, the link targets overlap too (WCAG 2.5.8). The
// symbols are moved apart by the least that separates them, and the map shows
// where each moved one really is (trueMarks: a dot and a leader line).
//
// The method is pairwise projection, pass after pass (Gauss–Seidel): a pair
// whose symbols come closer than `gap` along the line between their centres is
// pushed apart along that line by exactly the shortfall; the lower-priority
// marker moves, or both half-way when their priorities are equal. Separation is
// measured with each shape's reach in that direction (its support function), so
// that bars may sit closer above each other than side by side. No randomness:
// the same input always gives the same positions.

export interface DisplaceItem {
  /** The true (projected) position, px. */
  x: number;
  y: number;
  shape: MarkerShape;
  r: number;
  /** Higher moves less: not at all against a lower one, unless the edge of the map stops the lower one or the cluster jams. */
  priority: number;
}

export interface DisplaceOptions {
  /** Space kept between two symbols (strokes included), px. Default 2. */
  gap?: number;
  /** Passes over all pairs at most; the demo settles in a few, a jammed cluster of 60 markers in 200. Default 200. */
  passes?: number;
}

/** A marker moved further than this (px) from its true position counts as displaced (see trueMarks). */
export const DISPLACED_MIN = 1.5;

/** The golden angle: coinciding points are pushed apart in directions that never repeat. */
const GOLDEN = Math.PI * (3 - Math.sqrt(5));

/** Where to draw each symbol (same order as `items`) so that no two overlap, within `passes`; symbols stay inside the bounds. */
export function displace(items: readonly DisplaceItem[], bounds: { width: number; height: number }, options: DisplaceOptions = {}): { x: number; y: number }[] {
  const gap = options.gap ?? 2;
  const passes = options.passes ?? 200;
  const n = items.length;
  const pos = items.map((p) => ({ x: p.x, y: p.y }));
  // The symbol stays inside the map, unless its true position already does not leave it the room.
  const box = items.map((p) => {
    const { hx, hy } = symbolHalfSize(p.shape, p.r);
    const s = symbolStroke(p.shape);
    return {
      x0: Math.min(p.x, hx + s), x1: Math.max(p.x, bounds.width - hx - s),
      y0: Math.min(p.y, hy + s), y1: Math.max(p.y, bounds.height - hy - s),
      // The furthest the symbol reaches in any direction: pairs further apart than the sum are skipped at once.
      reach: Math.hypot(hx, hy) + s,
    };
  });

  /** Moves item k by `amount` along (ux, uy), clamped to the bounds; returns how far it got along that direction. */
  const move = (k: number, ux: number, uy: number, amount: number): number => {
    if (amount <= 0) return 0;
    const p = pos[k]!;
    const b = box[k]!;
    const x = Math.min(Math.max(p.x + ux * amount, b.x0), b.x1);
    const y = Math.min(Math.max(p.y + uy * amount, b.y0), b.y1);
    const got = (x - p.x) * ux + (y - p.y) * uy;
    p.x = x;
    p.y = y;
    return got;
  };

  for (let pass = 0; pass < passes; pass++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = pos[i]!;
        const b = pos[j]!;
        let dx = b.x - a.x;
        let dy = b.y - a.y;
        const d = Math.hypot(dx, dy);
        if (d >= box[i]!.reach + box[j]!.reach + gap) continue;
        if (d < 1e-9) {
          // On top of each other: apart along the line between their true positions, or, if those coincide too, in a direction set by the index.
          dx = items[j]!.x - items[i]!.x;
          dy = items[j]!.y - items[i]!.y;
          if (Math.hypot(dx, dy) < 1e-9) { dx = Math.cos(j * GOLDEN); dy = Math.sin(j * GOLDEN); }
        }
        const len = Math.hypot(dx, dy);
        const ux = dx / len;
        const uy = dy / len;
        const I = items[i]!;
        const J = items[j]!;
        const need = symbolReach(I.shape, I.r, ux, uy) + symbolReach(J.shape, J.r, -ux, -uy) + gap;
        const short = need - d;
        if (short <= 1e-3) continue;
        moved = true;
        // Share of the move taken by i: none if it has the higher priority, half if equal. Strict
        // priorities can jam (a marker squeezed between two higher ones already apart), so past
        // the first third of the passes the higher one takes a growing share, up to half.
        const give = Math.min(0.5, Math.max(0, (pass - passes / 3) / passes));
        const si = I.priority > J.priority ? give : I.priority < J.priority ? 1 - give : 0.5;
        const got = move(j, ux, uy, short * (1 - si)) + move(i, -ux, -uy, short * si);
        // What the edge of the map stopped, the other one makes up.
        const rest = short - got;
        if (rest > 1e-3) move(i, -ux, -uy, rest - move(j, ux, uy, rest));
      }
    }
    if (!moved) break;
  }
  return pos;
}

export interface DrawnSymbol { x: number; y: number; trueX: number; trueY: number; shape: MarkerShape; r: number }

/**
 * How the map shows where a displaced symbol (all[k]) really is: a dot at its
 * true position, and a leader line from its outline to the dot. Where a symbol
 * covers the true position, no dot: under its own symbol nothing is needed
 * (the symbol still marks the place); under another one (the museum inside the
 * town), the leader stops at that symbol's edge, so it neither draws over it
 * nor points at a dot no one sees.
 */
export function trueMarks(all: readonly DrawnSymbol[], k: number): { dot: boolean; leader: [number, number, number, number] | null } {
  const m = all[k]!;
  const covers = (n: DrawnSymbol, x: number, y: number) => symbolCovers(n.shape, n.r, x - n.x, y - n.y);
  if (covers(m, m.trueX, m.trueY)) return { dot: false, leader: null };
  const d = Math.hypot(m.trueX - m.x, m.trueY - m.y);
  const ux = (m.trueX - m.x) / d;
  const uy = (m.trueY - m.y) / d;
  const edge = symbolReach(m.shape, m.r, ux, uy) - symbolStroke(m.shape);
  const [ax, ay] = [m.x + ux * edge, m.y + uy * edge];
  const other = all.find((n, j) => j !== k && covers(n, m.trueX, m.trueY));
  let [ex, ey] = [m.trueX, m.trueY];
  if (other) {
    // Where the line enters the other symbol: it leaves m's outside it and ends inside (convex), so bisect.
    let lo = edge;
    let hi = d;
    for (let step = 0; step < 24; step++) {
      const mid = (lo + hi) / 2;
      if (covers(other, m.x + ux * mid, m.y + uy * mid)) hi = mid; else lo = mid;
    }
    [ex, ey] = [m.x + ux * lo, m.y + uy * lo];
  }
  const round = (v: number) => Math.round(v * 10) / 10;
  const leader = Math.hypot(ex - ax, ey - ay) >= 0.5 ? [ex, ey, ax, ay].map(round) as [number, number, number, number] : null;
  return { dot: !other, leader };
}
