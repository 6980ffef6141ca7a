import { estimateTextWidth, type PlacedLabel } from './labels.ts';
import { MAP_TEXT, type MarkerShape } from './map.types.ts';

// Writing SVG: escaping, compact numbers, class lists, labels as <text>, marker symbols.

export const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function escapeXml(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A number rounded to 0.1, as short as possible ("12", "-3.5", ".5"). */
export function fmt(n: number): string {
  return tenths(Math.round(n * 10));
}
export function tenths(t: number): string {
  if (t === 0) return '0';
  const neg = t < 0;
  const a = Math.abs(t);
  const s = a % 10 === 0 ? String(a / 10) : a < 10 ? `.${a}` : `${Math.floor(a / 10)}.${a % 10}`;
  return neg ? `-${s}` : s;
}

export function classAttr(...names: (string | undefined | false)[]): string {
  return escapeXml(names.filter(Boolean).join(' '));
}

export const SAFE_HREF = /^(?:https?:\/\/|mailto:|[/#?.]|[^:/?#]*(?:[/?#]|$))/i;

export function cleanDataKey(k: string): string | null {
  const key = k.replace(/([A-Z])/g, '-$1').toLowerCase();
  return /^[a-z][a-z0-9-]*$/.test(key) && !key.startsWith('xml') ? key : null;
}

export interface TextLine { text: string; size: number; cls?: string; lang?: string | undefined }

/** Splits a long label at spaces into as few lines as needed (at most 3), choosing the breaks that make the longest line shortest. */
export function wrap(label: string, max: number): string[] {
  const text = label.trim().replace(/\s+/g, ' ');
  const words = text.split(' ');
  const len = (a: number, b: number) => Array.from(words.slice(a, b).join(' ')).length;
  const chars = Array.from(text).length;
  if (chars <= max || words.length < 2) return [text];
  const n = Math.min(3, Math.ceil(chars / max), words.length);
  let best: number[] = [];
  let bestMax = Infinity;
  const k = words.length;
  if (n === 2) {
    for (let i = 1; i < k; i++) {
      const m = Math.max(len(0, i), len(i, k));
      if (m < bestMax) { bestMax = m; best = [i]; }
    }
  } else {
    for (let i = 1; i < k - 1; i++) {
      for (let j = i + 1; j < k; j++) {
        const m = Math.max(len(0, i), len(i, j), len(j, k));
        if (m < bestMax) { bestMax = m; best = [i, j]; }
      }
    }
  }
  const cuts = [0, ...best, k];
  return cuts.slice(1).map((c, i) => words.slice(cuts[i], c).join(' '));
}

export function textBlock(lines: TextLine[], widthFactor: (l: TextLine) => number): { width: number; height: number } {
  const halo = MAP_TEXT.halo;
  const width = Math.max(...lines.map((l) => estimateTextWidth(l.text, l.size) * widthFactor(l)));
  const height = lines.reduce((h, l) => h + l.size * MAP_TEXT.lineHeight, 0);
  return { width: width + 2 * halo, height: height + 2 * halo };
}

const langAttr = (l: TextLine) => (l.lang ? ` lang="${escapeXml(l.lang)}"` : '');

export function textElement(cls: string, lines: TextLine[], placed: PlacedLabel): string {
  const halo = MAP_TEXT.halo;
  const x = placed.anchor === 'start' ? placed.x + halo : placed.anchor === 'end' ? placed.x - halo : placed.x;
  const anchor = placed.anchor === 'start' ? '' : ` text-anchor="${placed.anchor}"`;
  let y = placed.y + halo;
  const first = lines[0]!;
  const baselines = lines.map((l) => {
    const b = y + l.size * (MAP_TEXT.ascent + (MAP_TEXT.lineHeight - 1) / 2);
    y += l.size * MAP_TEXT.lineHeight;
    return b;
  });
  if (lines.length === 1) {
    return `<text class="${cls}" x="${fmt(x)}" y="${fmt(baselines[0]!)}" font-size="${first.size}"${anchor}${langAttr(first)}>${escapeXml(first.text)}</text>`;
  }
  const spans = lines.map((l, i) => {
    const c = l.cls ? ` class="${l.cls}"` : '';
    const fs = l.size !== first.size ? ` font-size="${l.size}"` : '';
    return `<tspan${c} x="${fmt(x)}" y="${fmt(baselines[i]!)}"${fs}${langAttr(l)}>${escapeXml(l.text)}</tspan>`;
  });
  // A space between the lines, so that the text read out (and matched against the
  // link's name) is "Cour des Fusillés, La Chapelle", not "La" glued to "Chapelle".
  return `<text class="${cls}" font-size="${first.size}"${anchor}>${spans.join(' ')}</text>`;
}

// Symbol geometry, shared by symbol(), the label clearance and the displacement,
// so that what is drawn is what is kept apart.

/** The triangle has the square's area (1.8 r × 1.8 r), so that it weighs the same on the map. */
const TRI_SIDE = Math.sqrt((1.8 * 1.8 * 4) / Math.sqrt(3));
const TRI_HEIGHT = (TRI_SIDE * Math.sqrt(3)) / 2;

/** Paint outside a symbol's outline: half its stroke (1.5 px in .map-symbol, 2 px for the ring). */
export function symbolStroke(shape: MarkerShape): number {
  return shape === 'ring' ? 1 : 0.75;
}

/** The outline around (0, 0), stroke excluded: a radius, or the vertices (the bar's rounded corners lie inside its box). */
export function symbolOutline(shape: MarkerShape, r: number): number | [number, number][] {
  switch (shape) {
    case 'square': { const s = r * 0.9; return [[-s, -s], [s, -s], [s, s], [-s, s]]; }
    case 'diamond': { const d = r * 1.3; return [[0, -d], [d, 0], [0, d], [-d, 0]]; }
    // Centred on its bounding box, not its centroid: the label positions around it stay symmetric.
    case 'triangle': { const a = (r * TRI_SIDE) / 2; const h = (r * TRI_HEIGHT) / 2; return [[0, -h], [a, h], [-a, h]]; }
    case 'bar': { const a = r * 1.1; const h = r * 0.55; return [[-a, -h], [a, -h], [a, h], [-a, h]]; }
    case 'ring':
    case 'circle':
      return r;
  }
}

/** Half the width and height of the outline's bounding box, stroke excluded. */
export function symbolHalfSize(shape: MarkerShape, r: number): { hx: number; hy: number } {
  const o = symbolOutline(shape, r);
  if (typeof o === 'number') return { hx: o, hy: o };
  return { hx: Math.max(...o.map((p) => Math.abs(p[0]))), hy: Math.max(...o.map((p) => Math.abs(p[1]))) };
}

/** How far the painted symbol reaches from its centre in the direction (ux, uy), a unit vector (its support function). */
export function symbolReach(shape: MarkerShape, r: number, ux: number, uy: number): number {
  const o = symbolOutline(shape, r);
  const reach = typeof o === 'number' ? o : Math.max(...o.map(([x, y]) => x * ux + y * uy));
  return reach + symbolStroke(shape);
}

/** Whether the painted symbol (stroke included) covers the point (dx, dy) from its centre. */
export function symbolCovers(shape: MarkerShape, r: number, dx: number, dy: number): boolean {
  const o = symbolOutline(shape, r);
  const s = symbolStroke(shape);
  if (typeof o === 'number') return Math.hypot(dx, dy) <= o + s;
  // Within every edge pushed out by the stroke (the outlines are convex and go clockwise on screen).
  for (let i = 0; i < o.length; i++) {
    const [x1, y1] = o[i]!;
    const [x2, y2] = o[(i + 1) % o.length]!;
    const len = Math.hypot(x2 - x1, y2 - y1);
    if (((dx - x1) * (y2 - y1) + (dy - y1) * (x1 - x2)) / len > s) return false;
  }
  return true;
}

export function symbol(shape: MarkerShape, x: number, y: number, r: number): string {
  switch (shape) {
    case 'square': {
      const s = r * 1.8;
      return `<rect class="map-symbol" x="${fmt(x - s / 2)}" y="${fmt(y - s / 2)}" width="${fmt(s)}" height="${fmt(s)}"/>`;
    }
    case 'diamond': {
      const d = r * 1.3;
      return `<path class="map-symbol" d="M${fmt(x)} ${fmt(y - d)}l${fmt(d)} ${fmt(d)} ${fmt(-d)} ${fmt(d)} ${fmt(-d)} ${fmt(-d)}z"/>`;
    }
    case 'triangle': {
      const a = r * TRI_SIDE;
      const h = r * TRI_HEIGHT;
      return `<path class="map-symbol" d="M${fmt(x)} ${fmt(y - h / 2)}l${fmt(a / 2)} ${fmt(h)}h${fmt(-a)}z"/>`;
    }
    case 'bar': {
      const w = r * 2.2;
      const h = r * 1.1;
      return `<rect class="map-symbol" x="${fmt(x - w / 2)}" y="${fmt(y - h / 2)}" width="${fmt(w)}" height="${fmt(h)}" rx="${fmt(r * 0.3)}"/>`;
    }
    case 'ring':
      return `<circle class="map-symbol map-symbol--ring" cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}"/>`;
    case 'circle':
      return `<circle class="map-symbol" cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}"/>`;
  }
}
