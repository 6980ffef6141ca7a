// Server-side SVG maps (map page, place locator maps, theme map blocks).
//
// Pure: GeoJSON in, an SVG string out; no DOM, no tile server, deterministic.
// d3-geo projects and clips; a stream stage then simplifies the projected
// geometry to what the display needs (points closer than `simplify` px are
// dropped, then Douglas–Peucker at half that), and the path writer rounds to
// 0.1 px and writes relative commands. Styling is done by the site stylesheet
// through classes (the CSP forbids inline styles); the only presentation
// attributes are those that carry layout (font-size, text-anchor, which the
// label placement depends on) or that a class cannot express (fill="none" on
// lines, pattern references, whose ids are per SVG).

import { geoBounds, geoConicConformal, geoDistance, geoMercator, geoPath, geoStream } from 'd3-geo';
import type { GeoProjection, GeoStream } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, MultiPoint } from 'geojson';
import { estimateTextWidth, placeLabels, MARKER_POSITIONS, type LabelBox, type LabelPoint, type LabelPosition, type PlacedLabel } from './labels.ts';

export { placeLabels, estimateTextWidth, CHAR_WIDTH, MARKER_POSITIONS } from './labels.ts';
export type { LabelBox, LabelPoint, LabelPosition, PlacedLabel, PlaceLabelsOptions } from './labels.ts';

export type LayerRole = 'subject' | 'context' | 'line';
export type MapFeature = Feature<Geometry | null, Record<string, unknown> | null>;
export type MapPattern = 'hatch' | 'dots';

export interface MapLayer {
  id: string;
  role: LayerRole;
  /** Polygon, MultiPolygon, LineString or MultiLineString features (other geometries are ignored). */
  features: readonly MapFeature[];
  /** Label drawn for a line or area, per feature, already localised, optional. */
  labelOf?: (f: MapFeature) => string | undefined;
  /** Extra class on a feature's path (e.g. 'is-occupied'), optional. */
  classOf?: (f: MapFeature) => string | undefined;
  /** A pattern drawn over an area, so that colour is not the only cue (e.g. the 1940 occupied zone). */
  patternOf?: (f: MapFeature) => MapPattern | undefined;
}

export type MarkerStyle = 'primary' | 'secondary' | 'muted';
export type MarkerShape = 'circle' | 'square' | 'diamond' | 'ring';

export interface MapMarker {
  id: string;
  lon: number;
  lat: number;
  label: string;
  href?: string;
  /** Accessible name of the link; defaults to the label (followed by ", " and the sublabel when there is one). */
  name?: string;
  style?: MarkerStyle;
  shape?: MarkerShape;
  sublabel?: string;
  /** data-* attributes to add on the marker group, e.g. { date: '1944-08-22' } for scripts. */
  data?: Record<string, string>;
  /** Label priority (higher placed first). Default from the style: primary 3, secondary 2, muted 1. */
  priority?: number;
}

export interface MapOptions {
  width: number;
  /** Computed from the fitted extent when absent. */
  height?: number;
  title: string;
  description: string;
  /** Unique per SVG in a page: used for the ids of title, desc and patterns. */
  idPrefix: string;
  /** Fit the projection to the subject layers, or to the markers' bounding box (locator maps). */
  fit: 'layers' | 'markers';
  /** Space between the fitted extent and the edge, px. Default 12 ('layers') or 40 ('markers'). */
  padding?: number;
  scaleBar?: { label: (km: number) => string };
  lang?: string;
  className?: string;
  /** Simplification tolerance in px (0 = none). Default 0.75. */
  simplify?: number;
  /** 'markers' fit: smallest extent shown, in km, so that a single place still shows its surroundings. Default 30. */
  minSpanKm?: number;
  /** Labels longer than this are wrapped at spaces on several lines. Default 24. */
  labelMaxChars?: number;
  /** Distances (px) at which a crowded marker's label is tried with a leader line; [] = none. Default [10, 22, 36]. */
  leaders?: number[];
  /** Default: a conformal conic centred on the fitted data (Lambert-like); 'mercator' for small extents or if preferred. */
  projection?: 'conic' | 'mercator';
}

/** Typography the label placement assumes; the stylesheet must not change these sizes. */
export const MAP_TEXT = {
  /** font-size in px, and a width factor (primary labels are bold). */
  primary: { size: 13, width: 1.05 },
  secondary: { size: 12, width: 1 },
  muted: { size: 11, width: 1 },
  sublabel: { size: 10.5, width: 1 },
  line: { size: 11, width: 1 },
  /** Area names may be set in capitals with some letter-spacing by the stylesheet: 1.4 allows for both. */
  area: { size: 12, width: 1.4 },
  scale: { size: 11, width: 1 },
  /** Line height, in em. */
  lineHeight: 1.15,
  /** Baseline below the top of a line box, in em. */
  ascent: 0.9,
  /** Room for the halo around a label, px. */
  halo: 1.5,
} as const;

/** Symbol radius per marker style, px. */
export const MARKER_RADIUS: Record<MarkerStyle, number> = { primary: 5, secondary: 4, muted: 3 };
const STYLE_PRIORITY: Record<MarkerStyle, number> = { primary: 3, secondary: 2, muted: 1 };

// ---------------------------------------------------------------- utilities

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function escapeXml(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A number rounded to 0.1, as short as possible ("12", "-3.5", ".5"). */
function fmt(n: number): string {
  return tenths(Math.round(n * 10));
}
function tenths(t: number): string {
  if (t === 0) return '0';
  const neg = t < 0;
  const a = Math.abs(t);
  const s = a % 10 === 0 ? String(a / 10) : a < 10 ? `.${a}` : `${Math.floor(a / 10)}.${a % 10}`;
  return neg ? `-${s}` : s;
}

function classAttr(...names: (string | undefined | false)[]): string {
  return escapeXml(names.filter(Boolean).join(' '));
}

const SAFE_HREF = /^(?:https?:\/\/|mailto:|[/#?.]|[^:/?#]*(?:[/?#]|$))/i;

function cleanDataKey(k: string): string | null {
  const key = k.replace(/([A-Z])/g, '-$1').toLowerCase();
  return /^[a-z][a-z0-9-]*$/.test(key) && !key.startsWith('xml') ? key : null;
}

// ---------------------------------------------------------- geometry stream

type Pt = [number, number];

function sqDist(a: Pt, b: Pt): number {
  const dx = a[0] - b[0];
  const dy = a[1] - b[1];
  return dx * dx + dy * dy;
}

function sqSegDist(p: Pt, a: Pt, b: Pt): number {
  let [x, y] = a;
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) { x = b[0]; y = b[1]; } else if (t > 0) { x += dx * t; y += dy * t; }
  }
  dx = p[0] - x;
  dy = p[1] - y;
  return dx * dx + dy * dy;
}

function douglasPeucker(pts: Pt[], sqTol: number): Pt[] {
  const n = pts.length;
  if (n < 3) return pts;
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length) {
    const [first, last] = stack.pop()!;
    let max = sqTol;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = sqSegDist(pts[i]!, pts[first]!, pts[last]!);
      if (d > max) { max = d; index = i; }
    }
    if (index > 0) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return pts.filter((_, i) => keep[i]);
}

/** Simplifies one projected line or ring; null when nothing worth drawing is left. */
function simplifyLine(pts: Pt[], tol: number, ring: boolean): Pt[] | null {
  if (tol > 0 && pts.length > 2) {
    const sq = tol * tol;
    const out: Pt[] = [pts[0]!];
    let prev = pts[0]!;
    for (let i = 1; i < pts.length; i++) {
      const p = pts[i]!;
      if (sqDist(p, prev) >= sq) { out.push(p); prev = p; }
    }
    const last = pts[pts.length - 1]!;
    if (!ring && prev !== last) out.push(last);
    pts = douglasPeucker(out, sq / 4);
  }
  if (ring) {
    if (pts.length < 3) return null;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const [x, y] of pts) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    if (x1 - x0 < Math.max(tol, 0.1) && y1 - y0 < Math.max(tol, 0.1)) return null;
  } else if (pts.length < 2) return null;
  return pts;
}

/** A stream stage, after projection and clipping: buffers each line or ring and passes it on simplified. */
function simplifyStream(out: GeoStream, tol: number): GeoStream {
  let inPolygon = false;
  let buf: Pt[] | null = null;
  return {
    polygonStart() { inPolygon = true; out.polygonStart(); },
    polygonEnd() { inPolygon = false; out.polygonEnd(); },
    lineStart() { buf = []; },
    point(x, y) { if (buf) buf.push([x, y]); else out.point(x, y); },
    lineEnd() {
      const pts = buf ? simplifyLine(buf, tol, inPolygon) : null;
      buf = null;
      if (!pts) return;
      out.lineStart();
      for (const [x, y] of pts) out.point(x, y);
      out.lineEnd();
    },
    sphere() { out.sphere?.(); },
  };
}

export interface MapShape { pts: Pt[]; closed: boolean }

/** Writes an SVG path with relative commands in 0.1 px, and keeps the rounded shapes (for area and line labels). */
class PathWriter implements GeoStream {
  private d = '';
  private px = 0;
  private py = 0;
  private sx = 0;
  private sy = 0;
  private first = false;
  private inPolygon = false;
  private cur: Pt[] | null = null;
  readonly shapes: MapShape[] = [];

  polygonStart() { this.inPolygon = true; }
  polygonEnd() { this.inPolygon = false; }
  lineStart() { this.first = true; this.cur = []; }
  point(x: number, y: number) {
    const X = Math.round(x * 10);
    const Y = Math.round(y * 10);
    if (!this.cur) return; // a bare point: markers are drawn apart
    if (this.first) {
      this.d += 'm' + this.pair(X - this.px, Y - this.py, true);
      this.sx = X; this.sy = Y;
      this.first = false;
    } else {
      if (X === this.px && Y === this.py) return;
      this.d += this.pair(X - this.px, Y - this.py, false);
    }
    this.px = X; this.py = Y;
    this.cur.push([X / 10, Y / 10]);
  }
  lineEnd() {
    if (this.inPolygon) {
      this.d += 'z';
      this.px = this.sx; this.py = this.sy;
    }
    if (this.cur && this.cur.length) this.shapes.push({ pts: this.cur, closed: this.inPolygon });
    this.cur = null;
  }
  sphere() {}
  private pair(dx: number, dy: number, afterCommand: boolean): string {
    const a = tenths(dx);
    const b = tenths(dy);
    const sepA = afterCommand || a.startsWith('-') ? '' : ' ';
    const sepB = b.startsWith('-') ? '' : ' ';
    return sepA + a + sepB + b;
  }
  result(): string { return this.d; }
}

// ---------------------------------------------------------------- projection

const EARTH_KM = 6371.0088;
const LINE_TYPES = new Set(['LineString', 'MultiLineString']);
const AREA_TYPES = new Set(['Polygon', 'MultiPolygon']);

function drawable(f: MapFeature): boolean {
  return !!f.geometry && (LINE_TYPES.has(f.geometry.type) || AREA_TYPES.has(f.geometry.type) || f.geometry.type === 'GeometryCollection');
}

function fitObject(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): FeatureCollection | MultiPoint {
  if (opts.fit === 'layers') {
    for (const role of ['subject', 'line', 'context'] as const) {
      const features = layers.filter((l) => l.role === role).flatMap((l) => l.features.filter(drawable));
      if (features.length) return { type: 'FeatureCollection', features: features as Feature[] };
    }
  }
  if (!markers.length) throw new Error('renderMap: nothing to fit the map to (no subject layer and no marker)');
  const lons = markers.map((m) => m.lon);
  const lats = markers.map((m) => m.lat);
  const lon = (Math.min(...lons) + Math.max(...lons)) / 2;
  const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const half = (opts.minSpanKm ?? 30) / 2;
  const dLat = (half / EARTH_KM) * (180 / Math.PI);
  const dLon = dLat / Math.max(0.05, Math.cos((lat * Math.PI) / 180));
  return {
    type: 'MultiPoint',
    coordinates: [...markers.map((m) => [m.lon, m.lat]), [lon - dLon, lat], [lon + dLon, lat], [lon, lat - dLat], [lon, lat + dLat]],
  };
}

interface Frame { projection: GeoProjection; width: number; height: number }

function frame(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): Frame {
  const obj = fitObject(layers, markers, opts);
  const W = opts.width;
  if (!(W > 0)) throw new Error('renderMap: width must be positive');
  const pad = opts.padding ?? (opts.fit === 'markers' ? 40 : 12);
  let projection: GeoProjection;
  if (opts.projection === 'mercator') projection = geoMercator();
  else {
    const [[lon0, lat0], [lon1, lat1]] = geoBounds(obj);
    const lonC = lon0 <= lon1 ? (lon0 + lon1) / 2 : (lon0 + lon1 + 360) / 2;
    const span = lat1 - lat0;
    projection = geoConicConformal().rotate([-lonC, 0]).parallels([lat0 + span / 6, lat1 - span / 6]);
  }
  let H = opts.height;
  if (H === undefined) {
    projection.fitWidth(W - 2 * pad, obj);
    const [[, y0], [, y1]] = geoPath(projection).bounds(obj);
    H = Math.ceil(y1 - y0 + 2 * pad);
    if (opts.fit === 'markers') H = Math.min(Math.max(H, Math.round(W * 0.6)), Math.round(W * 1.25));
  }
  projection.fitExtent([[pad, pad], [W - pad, H - pad]], obj);
  projection.clipExtent([[-2, -2], [W + 2, H + 2]]);
  return { projection, width: W, height: H };
}

// ---------------------------------------------------------- labels helpers

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

function textBlock(lines: TextLine[], widthFactor: (l: TextLine) => number): { width: number; height: number } {
  const halo = MAP_TEXT.halo;
  const width = Math.max(...lines.map((l) => estimateTextWidth(l.text, l.size) * widthFactor(l)));
  const height = lines.reduce((h, l) => h + l.size * MAP_TEXT.lineHeight, 0);
  return { width: width + 2 * halo, height: height + 2 * halo };
}

function textElement(cls: string, lines: TextLine[], placed: PlacedLabel): string {
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

function insideRings(x: number, y: number, shapes: MapShape[]): boolean {
  let inside = false;
  for (const s of shapes) {
    const p = s.pts;
    for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
      const [xi, yi] = p[i]!;
      const [xj, yj] = p[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function edgeDistance(x: number, y: number, shapes: MapShape[]): number {
  let min = Infinity;
  for (const s of shapes) {
    const p = s.pts;
    for (let i = 0, j = p.length - 1; i < p.length; j = i++) min = Math.min(min, sqSegDist([x, y], p[j]!, p[i]!));
  }
  return Math.sqrt(min);
}

/** Points inside an area (best first: furthest from its edges) where a centred box of w × h fits entirely. */
function areaAnchors(shapes: MapShape[], w: number, h: number, W: number, H: number): { x: number; y: number }[] {
  const rings = shapes.filter((s) => s.closed);
  if (!rings.length) return [];
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const s of rings) for (const [x, y] of s.pts) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  x0 = Math.max(x0, 0); y0 = Math.max(y0, 0); x1 = Math.min(x1, W); y1 = Math.min(y1, H);
  if (x1 - x0 < w || y1 - y0 < h) return [];
  const step = Math.max(4, Math.max(x1 - x0, y1 - y0) / 24);
  const found: { x: number; y: number; d: number }[] = [];
  for (let y = y0 + step / 2; y < y1; y += step) {
    for (let x = x0 + step / 2; x < x1; x += step) {
      if (!insideRings(x, y, rings)) continue;
      const d = edgeDistance(x, y, rings);
      if (d >= h / 2) found.push({ x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10, d });
    }
  }
  found.sort((a, b) => b.d - a.d || a.y - b.y || a.x - b.x);
  // Best first; the box must lie inside the area (certain when the edges are further than its half-diagonal).
  const halfDiagonal = Math.hypot(w, h) / 2;
  const out: { x: number; y: number }[] = [];
  for (const c of found) {
    if (out.length === 12) break;
    if (c.d < halfDiagonal) {
      const { x, y } = c;
      const corners: Pt[] = [[x - w / 2, y - h / 2], [x + w / 2, y - h / 2], [x - w / 2, y + h / 2], [x + w / 2, y + h / 2], [x, y - h / 2], [x, y + h / 2]];
      if (!corners.every(([cx, cy]) => insideRings(cx, cy, rings))) continue;
    }
    out.push({ x: c.x, y: c.y });
  }
  return out;
}

/** Points along a line (middle first), with the label positions that suit the line's direction there. */
function lineAnchors(shapes: MapShape[]): { x: number; y: number; positions: LabelPosition[] }[] {
  const lines = shapes.filter((s) => !s.closed && s.pts.length > 1);
  const segs: { a: Pt; b: Pt; len: number }[] = [];
  for (const s of lines) for (let i = 1; i < s.pts.length; i++) segs.push({ a: s.pts[i - 1]!, b: s.pts[i]!, len: Math.sqrt(sqDist(s.pts[i - 1]!, s.pts[i]!)) });
  const total = segs.reduce((t, s) => t + s.len, 0);
  if (total === 0) return [];
  const out: { x: number; y: number; positions: LabelPosition[] }[] = [];
  for (const f of [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9]) {
    let at = f * total;
    for (const s of segs) {
      if (at > s.len) { at -= s.len; continue; }
      const t = s.len ? at / s.len : 0;
      const x = s.a[0] + (s.b[0] - s.a[0]) * t;
      const y = s.a[1] + (s.b[1] - s.a[1]) * t;
      const flat = Math.abs(s.b[0] - s.a[0]) >= Math.abs(s.b[1] - s.a[1]);
      const positions: LabelPosition[] = flat
        ? ['above', 'below', 'above-right', 'below-left', 'above-left', 'below-right']
        : ['right', 'left', 'above-right', 'below-left', 'above-left', 'below-right'];
      out.push({ x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10, positions });
      break;
    }
  }
  return out;
}

// ------------------------------------------------------------------ symbols

function symbol(shape: MarkerShape, x: number, y: number, r: number): string {
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

function niceKm(target: number): number {
  const pow = 10 ** Math.floor(Math.log10(target));
  for (const m of [5, 2, 1]) if (m * pow <= target) return m * pow;
  return pow;
}

// -------------------------------------------------------------------- layout

export interface MarkerLayout {
  marker: MapMarker;
  x: number;
  y: number;
  r: number;
  /** Inside the map; markers outside it are not drawn. */
  visible: boolean;
  lines: TextLine[];
  label: PlacedLabel | null;
}
export interface FeatureLayout { layer: MapLayer; feature: MapFeature; d: string; shapes: MapShape[]; label?: { lines: TextLine[]; placed: PlacedLabel | null } }
export interface MapLayout {
  width: number;
  height: number;
  projection: GeoProjection;
  features: FeatureLayout[];
  markers: MarkerLayout[];
  scale?: { x: number; y: number; px: number; km: number; text: string; box: LabelBox };
}

const ROLE_ORDER: LayerRole[] = ['context', 'subject', 'line'];

/** Everything renderMap draws, in px: exposed for tests and for callers that need positions (e.g. an HTML overlay). */
export function layoutMap(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): MapLayout {
  const { projection, width: W, height: H } = frame(layers, markers, opts);
  const tol = opts.simplify ?? 0.75;

  const features: FeatureLayout[] = [];
  for (const role of ROLE_ORDER) {
    for (const layer of layers) {
      if (layer.role !== role) continue;
      for (const feature of layer.features) {
        if (!drawable(feature)) continue;
        const writer = new PathWriter();
        geoStream(feature as Feature, projection.stream(simplifyStream(writer, tol)));
        const d = writer.result();
        if (d) features.push({ layer, feature, d, shapes: writer.shapes });
      }
    }
  }

  // Scale bar: measured at the centre of the map, bottom left.
  let scale: MapLayout['scale'];
  if (opts.scaleBar) {
    const a = projection.invert?.([W / 2, H / 2]);
    const b = projection.invert?.([W / 2 + 100, H / 2]);
    if (a && b) {
      const kmPerPx = (geoDistance(a, b) * EARTH_KM) / 100;
      const km = niceKm(kmPerPx * Math.min(160, W * 0.22));
      const px = km / kmPerPx;
      const text = opts.scaleBar.label(km);
      const x = 10;
      const y = H - 10;
      const tw = estimateTextWidth(text, MAP_TEXT.scale.size);
      const top = y - 6 - MAP_TEXT.scale.size * 1.2;
      scale = { x, y, px, km, text, box: { x: x - 3, y: top, width: Math.max(px, tw) + 6, height: y - top + 3 } };
    }
  }

  // Labels: markers first (by priority), then line and area labels in the room left.
  const maxChars = opts.labelMaxChars ?? 24;
  const mk: MarkerLayout[] = markers.map((m) => {
    const style = m.style ?? 'secondary';
    const [x, y] = projection([m.lon, m.lat]) ?? [NaN, NaN];
    const t = MAP_TEXT[style];
    const lines: TextLine[] = wrap(m.label, maxChars).map((text) => ({ text, size: t.size }));
    if (m.sublabel) lines.push({ text: m.sublabel, size: MAP_TEXT.sublabel.size, cls: 'map-sublabel' });
    const visible = Number.isFinite(x) && Number.isFinite(y) && x >= 0 && y >= 0 && x <= W && y <= H;
    return { marker: m, x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10, r: MARKER_RADIUS[style], visible, lines, label: null };
  });
  const points: LabelPoint[] = [];
  mk.forEach((m, i) => {
    if (!m.visible || !m.marker.label.trim()) return;
    const style = m.marker.style ?? 'secondary';
    const size = textBlock(m.lines, (l) => (l.cls ? 1 : MAP_TEXT[style].width));
    // The symbol's extent (stroke included): squares and diamonds reach beyond or short of r.
    const shape = m.marker.shape ?? 'circle';
    const r = shape === 'diamond' ? m.r * 1.3 + 0.5 : shape === 'square' ? m.r * 0.9 + 0.5 : shape === 'ring' ? m.r + 1 : m.r + 0.5;
    points.push({ id: `m${i}`, x: m.x, y: m.y, r, ...size, priority: m.marker.priority ?? STYLE_PRIORITY[style] });
  });
  const featureLines = new Map<number, TextLine[]>();
  features.forEach((f, i) => {
    const text = f.layer.labelOf?.(f.feature)?.trim();
    if (!text) return;
    const isLine = f.layer.role === 'line';
    const t = isLine ? MAP_TEXT.line : MAP_TEXT.area;
    const lines = wrap(text, maxChars).map((s) => ({ text: s, size: t.size }));
    const size = textBlock(lines, () => t.width);
    const anchors = isLine ? lineAnchors(f.shapes) : areaAnchors(f.shapes, size.width, size.height, W, H);
    if (!anchors.length) return;
    featureLines.set(i, lines);
    const [first, ...rest] = anchors as { x: number; y: number; positions?: LabelPosition[] }[];
    points.push({
      id: `f${i}`, x: first!.x, y: first!.y, ...size,
      // Line labels sit a few px off their line; area labels are centred and have no symbol.
      r: isLine ? 3 : 0,
      obstacle: false,
      priority: isLine ? -1 : -2,
      positions: first!.positions ?? ['center'],
      alternatives: rest.map((a) => ({ x: a.x, y: a.y, positions: a.positions ?? ['center'] })),
    });
  });
  const placed = placeLabels(points, { width: W, height: H }, { obstacles: scale ? [scale.box] : [], leaders: opts.leaders ?? [10, 22, 36] });
  mk.forEach((m, i) => { m.label = placed.get(`m${i}`) ?? null; });
  featureLines.forEach((lines, i) => { features[i]!.label = { lines, placed: placed.get(`f${i}`) ?? null }; });

  return { width: W, height: H, projection, features, markers: mk, ...(scale ? { scale } : {}) };
}

// -------------------------------------------------------------------- render

/** Renders the map as an SVG string (see the file header). */
export function renderMap(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): string {
  const L = layoutMap(layers, markers, opts);
  const id = escapeXml(opts.idPrefix);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${L.width} ${L.height}" width="${L.width}" height="${L.height}"`
    + ` class="${classAttr('map', opts.className)}" role="group" aria-labelledby="${id}-title ${id}-desc"`
    + (opts.lang ? ` lang="${escapeXml(opts.lang)}"` : '') + '>',
    `<title id="${id}-title">${escapeXml(opts.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(opts.description)}</desc>`,
  );

  // Decorative base map: hidden from assistive technologies (the title, the description and the markers carry the content).
  out.push('<g class="map-base" aria-hidden="true">');
  const patterns = new Set<MapPattern>();
  for (const f of L.features) { const p = f.layer.role !== 'line' ? f.layer.patternOf?.(f.feature) : undefined; if (p) patterns.add(p); }
  if (patterns.size) {
    out.push('<defs>');
    if (patterns.has('hatch')) out.push(`<pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="map-pattern" width="1.5" height="6"/></pattern>`);
    if (patterns.has('dots')) out.push(`<pattern id="${id}-dots" width="6" height="6" patternUnits="userSpaceOnUse"><circle class="map-pattern map-pattern--dot" cx="3" cy="3" r="1"/></pattern>`);
    out.push('</defs>');
  }
  let open: MapLayer | null = null;
  for (const f of L.features) {
    if (f.layer !== open) {
      if (open) out.push('</g>');
      open = f.layer;
      const none = f.layer.role === 'line' ? ' fill="none"' : '';
      out.push(`<g class="map-${f.layer.role}" data-layer="${escapeXml(f.layer.id)}"${none}>`);
    }
    const extra = f.layer.classOf?.(f.feature);
    out.push(`<path${extra ? ` class="${classAttr(extra)}"` : ''} d="${f.d}"/>`);
  }
  if (open) out.push('</g>');
  // Patterns go over the areas, in a group of their own, so that the layer rules (.map-subject path…) do not override their fill.
  const patterned = L.features.map((f) => ({ f, pattern: f.layer.role !== 'line' ? f.layer.patternOf?.(f.feature) : undefined })).filter((x) => x.pattern);
  if (patterned.length) {
    out.push('<g class="map-patterns">');
    for (const { f, pattern } of patterned) out.push(`<path class="map-patterned map-patterned--${pattern}" fill="url(#${id}-${pattern})" d="${f.d}"/>`);
    out.push('</g>');
  }

  const featureLabels = L.features.filter((f) => f.label?.placed);
  if (featureLabels.length) {
    out.push('<g class="map-feature-labels">');
    for (const f of featureLabels) {
      out.push(textElement(f.layer.role === 'line' ? 'map-label map-label--line' : `map-label map-label--area map-label--${f.layer.role}`, f.label!.lines, f.label!.placed!));
    }
    out.push('</g>');
  }
  if (L.scale) {
    const { x, y, px, text } = L.scale;
    out.push(
      `<g class="map-scale"><path class="map-scale-bar" fill="none" d="M${fmt(x)} ${fmt(y - 5)}v5h${fmt(px)}v-5"/>`
      + `<text class="map-scale-label" x="${fmt(x)}" y="${fmt(y - 8)}" font-size="${MAP_TEXT.scale.size}">${escapeXml(text)}</text></g>`,
    );
  }
  out.push('</g>');

  // Markers: each one a link (or, without href, an image) with an accessible name; the shape differs per kind, not only the colour.
  out.push('<g class="map-markers">');
  for (const m of L.markers) {
    // A marker outside the map is not drawn: an invisible link would still take the keyboard focus.
    if (!m.visible) continue;
    const mm = m.marker;
    const style = mm.style ?? 'secondary';
    const shape = mm.shape ?? 'circle';
    const name = mm.name ?? (mm.sublabel ? `${mm.label}, ${mm.sublabel}` : mm.label);
    const cls = classAttr('map-marker', `map-marker--${style}`, `map-marker--${shape}`, !m.label && 'map-marker--unlabelled');
    let attrs = ` class="${cls}" data-id="${escapeXml(mm.id)}"`;
    for (const [k, v] of Object.entries(mm.data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const key = cleanDataKey(k);
      if (key && key !== 'id') attrs += ` data-${key}="${escapeXml(v)}"`;
    }
    const href = mm.href && SAFE_HREF.test(mm.href.trim()) ? mm.href.trim() : undefined;
    const open = href ? `<a href="${escapeXml(href)}" aria-label="${escapeXml(name)}"${attrs}>` : `<g role="img" aria-label="${escapeXml(name)}"${attrs}>`;
    // A marker whose label did not fit still shows its name on hover.
    const tip = m.label ? '' : `<title>${escapeXml(name)}</title>`;
    const leader = m.label?.leader ? `<path class="map-leader" d="M${m.label.leader.slice(0, 2).map(fmt).join(' ')}L${m.label.leader.slice(2).map(fmt).join(' ')}"/>` : '';
    const label = m.label ? leader + textElement(`map-label map-label--${style}`, m.lines, m.label) : '';
    out.push(open + tip + symbol(shape, m.x, m.y, m.r) + label + (href ? '</a>' : '</g>'));
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
