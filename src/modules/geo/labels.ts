// Label placement for the server-side SVG maps: greedy, deterministic, no DOM.
//
// Text is not measured (there is no font on the server): a label's width is
// estimated as `characters × font size × CHAR_WIDTH`. 0.55 em is the average
// advance of mixed-case Latin text in the system sans fonts the site uses
// (Arial/Helvetica/Liberation Sans ≈ 0.50–0.55, Segoe UI/Roboto ≈ 0.53–0.56,
// DejaVu Sans ≈ 0.60 for lowercase). Label boxes also include the halo
// padding, which absorbs most of the difference.

export interface LabelBox { x: number; y: number; width: number; height: number }

/** Where a label sits relative to its point. */
export type LabelPosition =
  | 'right' | 'left' | 'above' | 'below'
  | 'above-right' | 'below-right' | 'above-left' | 'below-left'
  | 'center';

/** The order in which the positions around a marker are tried. */
export const MARKER_POSITIONS: readonly LabelPosition[] = [
  'right', 'left', 'above', 'below', 'above-right', 'below-right', 'above-left', 'below-left',
];

export const CHAR_WIDTH = 0.55;

/** Estimated advance width of `text` at `fontSize` px (see the note at the top of this file). */
export function estimateTextWidth(text: string, fontSize: number): number {
  return Array.from(text).length * fontSize * CHAR_WIDTH;
}

export interface LabelPoint {
  id: string;
  /** The point the label belongs to (marker centre), in px. */
  x: number;
  y: number;
  /** Size of the label box, in px, halo included. */
  width: number;
  height: number;
  /** Higher first; within a priority, the label with the fewest free positions first, then input order. Default 0. */
  priority?: number;
  /**
   * Radius of the point's symbol in px (default 4). The label is offset by it,
   * and the symbol is an obstacle for every other label. 0 = no symbol.
   */
  r?: number;
  /** Positions to try, in order (default MARKER_POSITIONS). */
  positions?: readonly LabelPosition[];
  /** Whether the symbol is an obstacle for the other labels (default: when r > 0). */
  obstacle?: boolean;
  /** Other points the label may be attached to, tried after (x, y), e.g. points along a river, with their own positions if given. They are not obstacles. */
  alternatives?: readonly { x: number; y: number; positions?: readonly LabelPosition[] }[];
}

export interface PlacedLabel {
  /** The text anchor point: the box's left edge ('start'), right edge ('end') or centre ('middle'). */
  x: number;
  /** The top of the label box; the renderer adds the ascent to get the first baseline. */
  y: number;
  anchor: 'start' | 'end' | 'middle';
  box: LabelBox;
  /** A line from the symbol to a label set further away: [x1, y1, x2, y2]. */
  leader?: [number, number, number, number];
}

export interface PlaceLabelsOptions {
  /** Areas no label may cover (scale bar, legend…). */
  obstacles?: readonly LabelBox[];
  /** Lines no label may cover, [x1, y1, x2, y2] (e.g. the leaders of displaced markers to their true positions). */
  lines?: readonly (readonly [number, number, number, number])[];
  /** Space kept free between the label box and the edge of the bounds. Default 1. */
  margin?: number;
  /** Space kept between a label and the other points' symbols (more than `gap`, so a label is not read as a neighbour's). Default 4. */
  clearance?: number;
  /** Space between a symbol and its own label. Default 2. */
  gap?: number;
  /**
   * Extra distances (px) at which a label that fits nowhere next to its symbol is
   * tried again (once every label of the same priority has had its chance next
   * to its symbol), all positions at each distance, joined to the symbol by a leader
   * line. Default none. Only for points with a symbol.
   */
  leaders?: readonly number[];
}

const DEFAULT_R = 4;

function overlaps(a: LabelBox, b: LabelBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether the segment (x1, y1)–(x2, y2) crosses the box (Liang–Barsky). */
function segmentHitsBox(x1: number, y1: number, x2: number, y2: number, b: LabelBox): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const edges: [number, number][] = [[-dx, x1 - b.x], [dx, b.x + b.width - x1], [-dy, y1 - b.y], [dy, b.y + b.height - y1]];
  for (const [p, q] of edges) {
    if (p === 0) { if (q < 0) return false; continue; }
    const t = q / p;
    if (p < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
  }
  return t0 < t1;
}

function withLeader(c: PlacedLabel, x: number, y: number, r: number): PlacedLabel {
  const b = c.box;
  const ex = Math.min(Math.max(x, b.x), b.x + b.width);
  const ey = Math.min(Math.max(y, b.y), b.y + b.height);
  const len = Math.hypot(ex - x, ey - y) || 1;
  const sx = x + ((ex - x) / len) * (r + 1);
  const sy = y + ((ey - y) / len) * (r + 1);
  return { ...c, leader: [sx, sy, ex, ey].map((v) => Math.round(v * 10) / 10) as [number, number, number, number] };
}

function candidate(pos: LabelPosition, x: number, y: number, w: number, h: number, r: number, gap: number): PlacedLabel {
  const d = r + gap;
  // On the diagonals the box corner is put on the 45° line at the symbol's edge.
  const dd = r * Math.SQRT1_2 + gap;
  let bx: number;
  let by: number;
  let anchor: PlacedLabel['anchor'];
  switch (pos) {
    case 'right': bx = x + d; by = y - h / 2; anchor = 'start'; break;
    case 'left': bx = x - d - w; by = y - h / 2; anchor = 'end'; break;
    case 'above': bx = x - w / 2; by = y - d - h; anchor = 'middle'; break;
    case 'below': bx = x - w / 2; by = y + d; anchor = 'middle'; break;
    case 'above-right': bx = x + dd; by = y - dd - h; anchor = 'start'; break;
    case 'below-right': bx = x + dd; by = y + dd; anchor = 'start'; break;
    case 'above-left': bx = x - dd - w; by = y - dd - h; anchor = 'end'; break;
    case 'below-left': bx = x - dd - w; by = y + dd; anchor = 'end'; break;
    case 'center': bx = x - w / 2; by = y - h / 2; anchor = 'middle'; break;
  }
  const ax = anchor === 'start' ? bx : anchor === 'end' ? bx + w : bx + w / 2;
  return { x: ax, y: by, anchor, box: { x: bx, y: by, width: w, height: h } };
}

interface Cand { c: PlacedLabel; rank: number; free: boolean }

/**
 * Places the labels greedily, priority level by priority level (higher first).
 * A label may take one of its positions (tried in the order given) only if the
 * box stays inside the bounds and overlaps no placed label, no leader line, no
 * obstacle and no other point's symbol, kept `clearance` px away so that a
 * label is not read as another symbol's.
 *
 * Within a level, the label with the fewest free positions goes first (ties:
 * input order), and it takes the free position with the lowest cost: its rank
 * in the position order, plus the free positions it would take from labels not
 * yet placed (much more if it would leave one of them nowhere to go). When
 * `leaders` are given, the labels of the level that found no room next to their
 * symbol are then tried further away, with a leader line, before the next
 * level. A label for which nothing fits is hidden (null): the list printed with
 * the map is the text alternative. Deterministic: same input, same result.
 */
export function placeLabels(
  points: readonly LabelPoint[],
  bounds: { width: number; height: number },
  options: PlaceLabelsOptions = {},
): Map<string, PlacedLabel | null> {
  const margin = options.margin ?? 1;
  const gap = options.gap ?? 2;
  const cl = options.clearance ?? 4;
  const n = points.length;
  const radius = (p: LabelPoint) => p.r ?? DEFAULT_R;
  const hasSymbol = (p: LabelPoint) => radius(p) > 0 && p.obstacle !== false;
  const symbolBox = (p: LabelPoint, pad: number): LabelBox => {
    const r = radius(p) + pad;
    return { x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r };
  };
  const symbols = points.map((p, i) => ({ i, p })).filter((s) => hasSymbol(s.p)).map((s) => ({ i: s.i, box: symbolBox(s.p, cl) }));
  const taken: LabelBox[] = [...(options.obstacles ?? [])];
  const leaders: (readonly [number, number, number, number])[] = [...(options.lines ?? [])];
  const inBounds = (b: LabelBox) => b.x >= margin && b.y >= margin && b.x + b.width <= bounds.width - margin && b.y + b.height <= bounds.height - margin;
  const clearOf = (b: LabelBox, i: number) =>
    !taken.some((t) => overlaps(t, b))
    && !symbols.some((s) => s.i !== i && overlaps(s.box, b))
    && !leaders.some(([x1, y1, x2, y2]) => segmentHitsBox(x1, y1, x2, y2, b));

  // Every label's positions next to its symbol, and which are still free.
  const cands: Cand[][] = points.map((p, i) => {
    const list: Cand[] = [];
    const anchors = [{ x: p.x, y: p.y, positions: p.positions }, ...(p.alternatives ?? [])];
    for (const a of anchors) {
      for (const pos of a.positions ?? p.positions ?? MARKER_POSITIONS) {
        const c = candidate(pos, a.x, a.y, p.width, p.height, radius(p), gap);
        list.push({ c, rank: list.length, free: inBounds(c.box) && clearOf(c.box, i) });
      }
    }
    return list;
  });
  const extent = cands.map((list) => {
    if (!list.length) return null;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const { c: { box: b } } of list) { x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.width); y1 = Math.max(y1, b.y + b.height); }
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  });
  // Labels whose positions can collide.
  const near: number[][] = points.map((_, i) => {
    const e = extent[i];
    const out: number[] = [];
    if (e) for (let j = 0; j < n; j++) if (j !== i && extent[j] && overlaps(e, extent[j]!)) out.push(j);
    return out;
  });
  const done = new Uint8Array(n);
  const freeCount = (i: number) => cands[i]!.reduce((k, c) => k + (c.free ? 1 : 0), 0);
  const result = new Map<string, PlacedLabel | null>();

  const accept = (i: number, c: PlacedLabel | null) => {
    done[i] = 1;
    result.set(points[i]!.id, c);
    if (!c) return;
    taken.push(c.box);
    if (c.leader) leaders.push(c.leader);
    const [x1, y1, x2, y2] = c.leader ?? [0, 0, 0, 0];
    const others = c.leader ? points.map((_, j) => j) : near[i]!;
    for (const j of others) {
      if (done[j]) continue;
      for (const k of cands[j]!) {
        if (k.free && (overlaps(k.c.box, c.box) || (c.leader && segmentHitsBox(x1, y1, x2, y2, k.c.box)))) k.free = false;
      }
    }
  };

  const cost = (i: number, k: Cand, all = false): number => {
    let total = k.rank;
    const [x1, y1, x2, y2] = k.c.leader ?? [0, 0, 0, 0];
    for (const j of all ? points.keys() : near[i]!) {
      if (done[j] || j === i) continue;
      let free = 0;
      let lost = 0;
      for (const o of cands[j]!) {
        if (!o.free) continue;
        free++;
        if (overlaps(o.c.box, k.c.box) || (k.c.leader && segmentHitsBox(x1, y1, x2, y2, o.c.box))) lost++;
      }
      if (!lost) continue;
      // Leaving a label nowhere to go costs more than any position; leaving it one, more than a worse position;
      // otherwise the share of its free positions taken (a river label with 40 positions hardly minds losing 4).
      total += lost === free ? 20 : free - lost === 1 ? 4 : (2 * lost) / free;
    }
    return total;
  };

  /** The best position further away, with a leader line (same cost as above; nearer first). */
  const withLeaderAt = (i: number, distances: readonly number[]): PlacedLabel | null => {
    const p = points[i]!;
    const r = radius(p);
    const own = symbolBox(p, cl);
    let best: PlacedLabel | null = null;
    let bestCost = Infinity;
    let rank = 0;
    for (const extra of distances) {
      for (const pos of p.positions ?? MARKER_POSITIONS) {
        const c = withLeader(candidate(pos, p.x, p.y, p.width, p.height, r + extra, gap), p.x, p.y, r);
        const k: Cand = { c, rank: rank++, free: true };
        if (!inBounds(c.box) || !clearOf(c.box, i)) continue;
        const [x1, y1, x2, y2] = c.leader!;
        if (taken.some((t) => segmentHitsBox(x1, y1, x2, y2, t))) continue;
        // Symbols that touch this one cannot be avoided by its leader: they are not obstacles for it.
        if (symbols.some((s) => s.i !== i && !overlaps(s.box, own) && segmentHitsBox(x1, y1, x2, y2, s.box))) continue;
        const total = cost(i, k, true);
        if (total < bestCost) { bestCost = total; best = c; }
      }
    }
    return best;
  };

  const far = (options.leaders ?? []).filter((d) => d > 0);
  const order = points.map((p, i) => ({ p, i })).sort((a, b) => (b.p.priority ?? 0) - (a.p.priority ?? 0) || a.i - b.i);
  for (let start = 0; start < order.length;) {
    const level = order[start]!.p.priority ?? 0;
    let end = start;
    while (end < order.length && (order[end]!.p.priority ?? 0) === level) end++;
    const tier = order.slice(start, end).map((o) => o.i);
    start = end;
    const left = new Set(tier);
    const failed: number[] = [];
    while (left.size) {
      let pick = -1;
      let fewest = Infinity;
      for (const i of left) {
        const f = freeCount(i);
        if (f < fewest || (f === fewest && i < pick)) { fewest = f; pick = i; }
      }
      left.delete(pick);
      let best: Cand | null = null;
      let bestCost = Infinity;
      for (const k of cands[pick]!) {
        if (!k.free) continue;
        const c = cost(pick, k);
        if (c < bestCost) { bestCost = c; best = k; }
      }
      if (best) accept(pick, best.c);
      else failed.push(pick);
    }
    for (const i of failed.sort((a, b) => a - b)) {
      accept(i, far.length && hasSymbol(points[i]!) ? withLeaderAt(i, far) : null);
    }
  }
  // The map is returned in input order, whatever the placement order was.
  return new Map(points.map((p) => [p.id, result.get(p.id) ?? null]));
}
