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

export interface TextLine { text: string; size: number; cls?: string }

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
    return `<text class="${cls}" x="${fmt(x)}" y="${fmt(baselines[0]!)}" font-size="${first.size}"${anchor}>${escapeXml(first.text)}</text>`;
  }
  const spans = lines.map((l, i) => {
    const c = l.cls ? ` class="${l.cls}"` : '';
    const fs = l.size !== first.size ? ` font-size="${l.size}"` : '';
    return `<tspan${c} x="${fmt(x)}" y="${fmt(baselines[i]!)}"${fs}>${escapeXml(l.text)}</tspan>`;
  });
  // A space between the lines, so that the text read out (and matched against the
  // link's name) is "Cour des Fusillés, La Chapelle", not "La" glued to "Chapelle".
  return `<text class="${cls}" font-size="${first.size}"${anchor}>${spans.join(' ')}</text>`;
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
    case 'ring':
      return `<circle class="map-symbol map-symbol--ring" cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}"/>`;
    case 'circle':
      return `<circle class="map-symbol" cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}"/>`;
  }
}
