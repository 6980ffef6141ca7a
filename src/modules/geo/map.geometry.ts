import { geoBounds, geoConicConformal, geoMercator, geoPath } from 'd3-geo';
import type { GeoProjection, GeoStream } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPoint } from 'geojson';
import simplify from 'simplify-js';
import type { LabelPosition } from './labels.ts';
import type { MapFeature, MapLayer, MapMarker, MapOptions } from './map.types.ts';
import { tenths } from './map.svg.ts';

// Map geometry: the projection fitted to the layers (or the markers), the
// stream stage that simplifies projected lines to what the display needs,
// the path writer, and where area and line labels may go.

export type Pt = [number, number];

/** Squared distance from p to the segment a–b (for keeping area labels off the edges). */
function sqSegDist(p: Pt, a: Pt, b: Pt): number {
  let x = a[0];
  let y = a[1];
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

/** Simplifies one projected line or ring; null when nothing worth drawing is left. */
export function simplifyLine(pts: Pt[], tol: number, ring: boolean): Pt[] | null {
  if (tol > 0 && pts.length > 2) {
    // simplify-js: points closer than `tol` are dropped, then Douglas–Peucker at `tol`.
    pts = simplify(pts.map(([x, y]) => ({ x, y })), tol).map((p) => [p.x, p.y] as Pt);
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
export function simplifyStream(out: GeoStream, tol: number): GeoStream {
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
export class PathWriter implements GeoStream {
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

export const EARTH_KM = 6371.0088;
export const LINE_TYPES = new Set(['LineString', 'MultiLineString']);
export const AREA_TYPES = new Set(['Polygon', 'MultiPolygon']);

export function drawable(f: MapFeature): boolean {
  return !!f.geometry && (LINE_TYPES.has(f.geometry.type) || AREA_TYPES.has(f.geometry.type) || f.geometry.type === 'GeometryCollection');
}

export function fitObject(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): FeatureCollection | MultiPoint {
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

export interface Frame { projection: GeoProjection; width: number; height: number }

export function frame(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): Frame {
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


// These two run for every candidate point of every area label: indexed access,
// no destructuring and no temporary arrays (they would be allocated per segment).
export function insideRings(x: number, y: number, shapes: MapShape[]): boolean {
  let inside = false;
  for (const s of shapes) {
    const p = s.pts;
    for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
      const a = p[i]!;
      const b = p[j]!;
      const xi = a[0], yi = a[1], xj = b[0], yj = b[1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function edgeDistance(x: number, y: number, shapes: MapShape[]): number {
  let min = Infinity;
  const at: Pt = [x, y];
  for (const s of shapes) {
    const p = s.pts;
    for (let i = 0, j = p.length - 1; i < p.length; j = i++) min = Math.min(min, sqSegDist(at, p[j]!, p[i]!));
  }
  return Math.sqrt(min);
}

/** Points inside an area (best first: furthest from its edges) where a centred box of w × h fits entirely. */
export function areaAnchors(shapes: MapShape[], w: number, h: number, W: number, H: number): { x: number; y: number }[] {
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
export function lineAnchors(shapes: MapShape[]): { x: number; y: number; positions: LabelPosition[] }[] {
  const lines = shapes.filter((s) => !s.closed && s.pts.length > 1);
  const segs: { a: Pt; b: Pt; len: number }[] = [];
  for (const s of lines) for (let i = 1; i < s.pts.length; i++) segs.push({ a: s.pts[i - 1]!, b: s.pts[i]!, len: Math.hypot(s.pts[i]![0] - s.pts[i - 1]![0], s.pts[i]![1] - s.pts[i - 1]![1]) });
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

export function niceKm(target: number): number {
  const pow = 10 ** Math.floor(Math.log10(target));
  for (const m of [5, 2, 1]) if (m * pow <= target) return m * pow;
  return pow;
}
