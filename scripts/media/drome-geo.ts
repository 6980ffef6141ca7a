// Shared drawing code for the Drôme maps, the liberation map and the animated
// liberation map: loads the reference GeoJSON, fits a conformal conic projection
// to the Drôme, and returns SVG strings that sharp (librsvg) rasterizes.
// Text in the images is language-neutral (place names, numbers), because one
// file serves both the French and the English visit.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { geoConicConformal, geoPath, type GeoProjection, type GeoPermissibleObjects } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, LineString, Point } from 'geojson';
import sharp from 'sharp';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root (scripts/media/ is two levels down). */
export const REPO = resolve(HERE, '..', '..');
/** Reference map data, beside the repository unless GEO_DIR says otherwise. */
export const GEO_DIR = resolve(process.env.GEO_DIR ?? join(REPO, '..', 'shared', 'reference', 'geo'));
/** Where the generated media go: the demo bundle's media folder. */
export const OUT_DIR = join(REPO, 'content', 'drome', 'media');

export const FONT = 'DejaVu Sans';

interface PlaceProps { id: string; name_fr: string; kind: string; liberated?: string }
interface RiverProps { id: string; name_fr: string }

export interface Geo {
  drome: Feature<Geometry>;
  neighbours: { code: string; name: string; feature: Feature<Geometry> }[];
  rivers: Feature<LineString, RiverProps>[];
  places: Map<string, { lon: number; lat: number; props: PlaceProps }>;
}

function readJson<T>(path: string): T {
  if (!existsSync(path)) throw new Error(`Map data not found: ${path}\nSet GEO_DIR to the folder that holds france-geojson/ and drome-*.geojson.`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function loadGeo(): Geo {
  const fg = (name: string) => readJson<Feature<Geometry, { nom: string; code: string }>>(join(GEO_DIR, 'france-geojson', name));
  const neighbours = ['departement-07-ardeche', 'departement-38-isere', 'departement-84-vaucluse', 'departement-05-hautes-alpes'].map((n) => {
    const feature = fg(`${n}.geojson`);
    return { code: feature.properties.code, name: feature.properties.nom, feature };
  });
  const rivers = readJson<FeatureCollection<LineString, RiverProps>>(join(GEO_DIR, 'drome-rivers.geojson')).features;
  const points = readJson<FeatureCollection<Point, PlaceProps>>(join(GEO_DIR, 'drome-places.geojson')).features;
  const places = new Map(points.map((f) => {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    return [f.properties.id, { lon, lat, props: f.properties }] as const;
  }));
  // The Drôme polygon's ring 1 is a hole (Enclave des Papes, Vaucluse): kept as is.
  return { drome: fg('departement-26-drome.geojson'), neighbours, rivers, places };
}

export function place(geo: Geo, id: string): { lon: number; lat: number } {
  const p = geo.places.get(id);
  if (!p) throw new Error(`place "${id}" is not in drome-places.geojson`);
  return p;
}

/**
 * Conformal conic projection (secant parallels 44° and 45.5°), its central meridian
 * through the middle of the Drôme so that north is straight up on the map, fitted
 * so that the Drôme fills `extent`.
 */
export function makeProjection(geo: Geo, extent: [[number, number], [number, number]]): GeoProjection {
  return geoConicConformal().parallels([44, 45.5]).rotate([-5.2, 0]).fitExtent(extent, geo.drome as GeoPermissibleObjects);
}

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r1 = (n: number): string => (Math.round(n * 10) / 10).toString();

export interface TextStyle {
  size: number;
  weight?: 'normal' | 'bold';
  italic?: boolean;
  anchor?: 'start' | 'middle' | 'end';
  fill?: string;
  /** White outline that keeps the text legible over lines and fills; 0 for none. */
  halo?: number;
  haloColor?: string;
  letterSpacing?: number;
  rotate?: number;
  opacity?: number;
}

/** A text drawn twice, outline first, so it stays legible whatever is under it. */
export function text(x: number, y: number, content: string, s: TextStyle): string {
  const attrs = [
    `x="${r1(x)}"`, `y="${r1(y)}"`, `font-family="${FONT}"`, `font-size="${s.size}"`,
    `font-weight="${s.weight ?? 'normal'}"`, `text-anchor="${s.anchor ?? 'start'}"`,
    s.italic ? 'font-style="italic"' : '', s.letterSpacing ? `letter-spacing="${s.letterSpacing}"` : '',
    s.rotate ? `transform="rotate(${r1(s.rotate)} ${r1(x)} ${r1(y)})"` : '',
  ].filter(Boolean).join(' ');
  const halo = s.halo ?? Math.max(2, s.size / 7);
  const op = s.opacity !== undefined && s.opacity < 1 ? ` opacity="${s.opacity.toFixed(3)}"` : '';
  const body = esc(content);
  const outline = halo > 0 ? `<text ${attrs} fill="none" stroke="${s.haloColor ?? '#ffffff'}" stroke-width="${r1(halo)}" stroke-linejoin="round">${body}</text>` : '';
  return `<g${op}>${outline}<text ${attrs} fill="${s.fill ?? '#1a1a1a'}">${body}</text></g>`;
}

export const COLORS = {
  paper: '#ffffff',
  neighbour: '#e3e3e0',
  neighbourEdge: '#a3a3a0',
  neighbourText: '#595959',
  drome: '#fbf8f1',
  dromeEdge: '#262626',
  river: '#2f6db5',
  riverText: '#1d4f8c',
  town: '#1a1a1a',
  muted: '#6b6b6b',
  free: '#a4161a',
  freeText: '#8c1014',
};

/** Where each neighbouring department's name goes, per output (lon, lat). */
export type NeighbourLabels = Partial<Record<'07' | '38' | '84' | '05', { lon: number; lat: number; rotate?: number }>>;
/** Where each river's name goes (lon, lat, angle in degrees). */
export type RiverLabels = Partial<Record<'rhone' | 'isere' | 'drome' | 'roubion', { lon: number; lat: number; rotate: number }>>;

export interface BaseOptions {
  width: number;
  height: number;
  /** Line widths and font sizes scale with this (1 = the 1600 px wide static maps). */
  scale: number;
  neighbourLabels: NeighbourLabels;
  riverLabels: RiverLabels;
  /** Where to write the department's own name, if anywhere. */
  title?: { lon: number; lat: number };
}

/**
 * The base map: paper, the neighbouring departments in light grey (clipped to the
 * frame), the Drôme with the Enclave des Papes left as part of the Vaucluse, the four
 * rivers, and the neighbours' and rivers' names.
 */
export function baseMap(geo: Geo, proj: GeoProjection, o: BaseOptions): string {
  const path = geoPath(proj);
  const k = o.scale;
  const d = (f: Feature<Geometry>) => path(f as GeoPermissibleObjects) ?? '';
  const out: string[] = [];
  // Land outside the Drôme is grey everywhere (also Loire, Gard, Alpes-de-Haute-Provence,
  // which have no outline here); the four named neighbours get their borders drawn.
  out.push(`<rect width="${o.width}" height="${o.height}" fill="${COLORS.neighbour}"/>`);
  out.push(`<defs><clipPath id="frame"><rect width="${o.width}" height="${o.height}"/></clipPath></defs>`);
  out.push(`<g clip-path="url(#frame)">`);
  for (const n of geo.neighbours) out.push(`<path d="${d(n.feature)}" fill="${COLORS.neighbour}" stroke="${COLORS.neighbourEdge}" stroke-width="${r1(1.5 * k)}" stroke-linejoin="round"/>`);
  out.push(`<path d="${d(geo.drome)}" fill="${COLORS.drome}" fill-rule="evenodd" stroke="${COLORS.dromeEdge}" stroke-width="${r1(3 * k)}" stroke-linejoin="round"/>`);
  for (const r of geo.rivers) {
    const w = r.properties.id === 'rhone' ? 6 : r.properties.id === 'isere' ? 4.5 : 3.5;
    out.push(`<path d="${d(r)}" fill="none" stroke="${COLORS.river}" stroke-width="${r1(w * k)}" stroke-linejoin="round" stroke-linecap="round"/>`);
  }
  out.push('</g>');
  for (const n of geo.neighbours) {
    const at = o.neighbourLabels[n.code as keyof NeighbourLabels];
    if (!at) continue;
    const [x, y] = proj([at.lon, at.lat]) ?? [0, 0];
    out.push(text(x, y, n.name.toUpperCase(), { size: Math.round(30 * k), anchor: 'middle', fill: COLORS.neighbourText, letterSpacing: 4 * k, halo: 0, rotate: at.rotate }));
  }
  if (o.title) {
    const [x, y] = proj([o.title.lon, o.title.lat]) ?? [0, 0];
    out.push(text(x, y, 'DRÔME', { size: Math.round(40 * k), anchor: 'middle', fill: '#4a4a4a', letterSpacing: 10 * k, halo: 0 }));
  }
  for (const r of geo.rivers) {
    const at = o.riverLabels[r.properties.id as keyof RiverLabels];
    if (!at) continue;
    const [x, y] = proj([at.lon, at.lat]) ?? [0, 0];
    out.push(text(x, y, r.properties.name_fr, { size: Math.round(30 * k), italic: true, anchor: 'middle', fill: COLORS.riverText, rotate: at.rotate, halo: 6 * k }));
  }
  return out.join('\n');
}

export type Anchor = 'start' | 'middle' | 'end';
/** A town's label: offsets from the point, in ems of the label's font size. */
export interface TownLabel { id: string; name: string; anchor: Anchor; dx: number; dy: number; small?: boolean }

/**
 * The towns on the general map, and the liberation map's towns (Luc-en-Diois,
 * Valréas). Label offsets were set by eye for the 1600 px static maps.
 */
export const TOWNS: TownLabel[] = [
  { id: 'saint-rambert-d-albon', name: 'Saint-Rambert-d’Albon', anchor: 'start', dx: 0.55, dy: 0.35 },
  { id: 'romans-sur-isere', name: 'Romans-sur-Isère', anchor: 'start', dx: 0.45, dy: -1.25 },
  { id: 'valence', name: 'Valence', anchor: 'start', dx: 0.55, dy: 0.35 },
  { id: 'vassieux-en-vercors', name: 'Vassieux-en-Vercors', anchor: 'middle', dx: 0, dy: -0.75, small: true },
  { id: 'livron-sur-drome', name: 'Livron-sur-Drôme', anchor: 'start', dx: 0.5, dy: -0.3 },
  { id: 'loriol-sur-drome', name: 'Loriol-sur-Drôme', anchor: 'end', dx: -0.5, dy: 0.7 },
  { id: 'crest', name: 'Crest', anchor: 'start', dx: 0.55, dy: 0.35 },
  { id: 'die', name: 'Die', anchor: 'start', dx: 0.55, dy: 0.35 },
  { id: 'luc-en-diois', name: 'Luc-en-Diois', anchor: 'start', dx: 0.5, dy: 0.35, small: true },
  { id: 'montelimar', name: 'Montélimar', anchor: 'start', dx: 0.55, dy: 0.35 },
  { id: 'dieulefit', name: 'Dieulefit', anchor: 'start', dx: 0.55, dy: 0.35 },
  { id: 'valreas', name: 'Valréas', anchor: 'end', dx: -0.6, dy: 0.35 },
  { id: 'nyons', name: 'Nyons', anchor: 'start', dx: 0.55, dy: 0.35 },
  { id: 'buis-les-baronnies', name: 'Buis-les-Baronnies', anchor: 'start', dx: 0.5, dy: 0.35, small: true },
];

/** Where a town's label starts: its em offsets, but always clear of a marker of radius `clear`. */
export function labelAt(t: TownLabel, x: number, y: number, size: number, clear: number): [number, number] {
  const dx = t.anchor === 'middle' ? 0 : Math.sign(t.dx) * Math.max(Math.abs(t.dx) * size, clear);
  return [x + dx, y + t.dy * size];
}

// Advance widths of DejaVu Sans Bold, in ems, for the characters of a date label.
const BOLD_ADVANCE: Record<string, number> = { '.': 0.38, ' ': 0.348, '/': 0.365 };
const advance = (c: string): number => BOLD_ADVANCE[c] ?? 0.696;

/**
 * A date label ("20.08", "22.08 / 30.08") in bold on a white tag, so that no border or
 * river line runs through it. `x` is where the text is anchored.
 */
export function dateTag(x: number, y: number, label: string, s: { size: number; anchor: Anchor; fill: string; opacity?: number }): string {
  const w = [...label].reduce((n, c) => n + advance(c), 0) * s.size;
  const x0 = s.anchor === 'start' ? x : s.anchor === 'end' ? x - w : x - w / 2;
  const pad = 0.18 * s.size;
  const op = s.opacity !== undefined && s.opacity < 1 ? ` opacity="${s.opacity.toFixed(3)}"` : '';
  return `<g${op}><rect x="${r1(x0 - pad)}" y="${r1(y - 0.82 * s.size)}" width="${r1(w + 2 * pad)}" height="${r1(1.06 * s.size)}" rx="${r1(pad)}" fill="#ffffff" fill-opacity="0.92"/>`
    + text(x, y, label, { size: s.size, anchor: s.anchor, fill: s.fill, weight: 'bold', halo: 0 }) + '</g>';
}

export interface MarkerStyle { r: number; fill: string; stroke: string; strokeWidth: number; ring?: { r: number; stroke: string; width: number } }

export function marker(x: number, y: number, m: MarkerStyle, opacity = 1): string {
  const op = opacity < 1 ? ` opacity="${opacity.toFixed(3)}"` : '';
  const ring = m.ring ? `<circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(m.ring.r)}" fill="none" stroke="${m.ring.stroke}" stroke-width="${r1(m.ring.width)}"/>` : '';
  return `<g${op}>${ring}<circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(m.r)}" fill="${m.fill}" stroke="${m.stroke}" stroke-width="${r1(m.strokeWidth)}"/></g>`;
}

/** Pixels per kilometre near the middle of the Drôme (the projection is conformal). */
export function pxPerKm(proj: GeoProjection): number {
  const a = proj([5.2, 44.7]);
  const b = proj([5.2, 44.7 + 20 / 111.2]);
  if (!a || !b) throw new Error('projection failed');
  return Math.hypot(b[0] - a[0], b[1] - a[1]) / 20;
}

/** A scale bar of `km` kilometres in 10 km steps, left end at (x, y). */
export function scaleBar(proj: GeoProjection, x: number, y: number, km: number, k: number): string {
  const ppk = pxPerKm(proj);
  const h = 10 * k;
  const out: string[] = [];
  const step = 10;
  for (let i = 0; i < km / step; i++) {
    out.push(`<rect x="${r1(x + i * step * ppk)}" y="${r1(y)}" width="${r1(step * ppk)}" height="${r1(h)}" fill="${i % 2 ? '#ffffff' : '#1a1a1a'}" stroke="#1a1a1a" stroke-width="${r1(2 * k)}"/>`);
  }
  for (let v = 0; v <= km; v += step) {
    out.push(text(x + v * ppk, y - 10 * k, String(v), { size: Math.round(24 * k), anchor: 'middle', halo: 0 }));
  }
  out.push(text(x + km * ppk + 12 * k, y + h, 'km', { size: Math.round(24 * k), halo: 0 }));
  return out.join('\n');
}

/** A north arrow: the projection keeps the Drôme's central meridian vertical. */
export function northArrow(x: number, y: number, k: number): string {
  const h = 70 * k;
  const w = 22 * k;
  return [
    `<path d="M ${r1(x)} ${r1(y)} L ${r1(x + w)} ${r1(y + h)} L ${r1(x)} ${r1(y + h * 0.72)} Z" fill="#1a1a1a"/>`,
    `<path d="M ${r1(x)} ${r1(y)} L ${r1(x - w)} ${r1(y + h)} L ${r1(x)} ${r1(y + h * 0.72)} Z" fill="#ffffff" stroke="#1a1a1a" stroke-width="${r1(2 * k)}" stroke-linejoin="round"/>`,
    text(x, y - 12 * k, 'N', { size: Math.round(32 * k), weight: 'bold', anchor: 'middle', halo: 0 }),
  ].join('');
}

export const svgDoc = (width: number, height: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${body}\n</svg>\n`;

/** Rasterizes an SVG to an opaque (no alpha) buffer: a palette PNG, a JPEG or a plain PNG for video frames. */
export async function rasterize(svg: string, format: 'png-palette' | 'png-fast' | 'jpeg'): Promise<Buffer> {
  const img = sharp(Buffer.from(svg), { density: 72 }) // 72 dpi: one SVG unit = one pixel
   .flatten({ background: '#ffffff' });
  if (format === 'jpeg') return img.jpeg({ quality: 80, mozjpeg: true, chromaSubsampling: '4:2:0' }).toBuffer();
  if (format === 'png-fast') return img.png({ compressionLevel: 1 }).toBuffer();
  return img.png({ compressionLevel: 9, palette: true, quality: 90, effort: 10 }).toBuffer();
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Layout of the two static maps (general map and liberation map): same frame, same labels. */
export const STATIC = {
  width: 1600,
  height: 1900,
  extent: [[200, 100], [1400, 1790]] as [[number, number], [number, number]],
  neighbourLabels: {
    '07': { lon: 4.56, lat: 44.93, rotate: -90 },
    '38': { lon: 5.55, lat: 45.22 },
    '84': { lon: 5.25, lat: 44.09 },
    '05': { lon: 5.92, lat: 44.62, rotate: 90 },
  } satisfies NeighbourLabels,
  riverLabels: {
    rhone: { lon: 4.705, lat: 44.36, rotate: -82 },
    isere: { lon: 4.97, lat: 45.005, rotate: 12 },
    drome: { lon: 5.26, lat: 44.684, rotate: -8 },
    roubion: { lon: 4.9, lat: 44.58, rotate: 0 },
  } satisfies RiverLabels,
  title: { lon: 5.13, lat: 44.86 },
};

export interface Highlight {
  /** Language-neutral date label, e.g. "20.08" or "22.08 / 30.08". */
  date: string;
}

/**
 * The static map: base map, towns, scale bar, north arrow. With `highlights`, the
 * liberated towns get a larger red marker with a ring and their date under the name,
 * the others stay small and grey, and the Livron bridge gets its own symbol.
 */
export function staticMap(geo: Geo, opts: { highlights?: Map<string, Highlight>; bridge?: boolean } = {}): string {
  const { width, height } = STATIC;
  const proj = makeProjection(geo, STATIC.extent);
  const body: string[] = [baseMap(geo, proj, { width, height, scale: 1, neighbourLabels: STATIC.neighbourLabels, riverLabels: STATIC.riverLabels, title: STATIC.title })];
  const hl = opts.highlights;
  if (opts.bridge) body.push(bridgeSymbol(proj, geo, 1));
  for (const t of TOWNS) {
    const p = place(geo, t.id);
    const [x, y] = proj([p.lon, p.lat]) ?? [0, 0];
    const h = hl?.get(t.id);
    // Livron and Loriol sit either side of the bridge: with the bridge symbol, their
    // names are enough (their dots would hide under it).
    const besideBridge = opts.bridge && (t.id === 'livron-sur-drome' || t.id === 'loriol-sur-drome');
    const size = t.small ? 30 : 34;
    if (h) {
      body.push(marker(x, y, { r: 13, fill: COLORS.free, stroke: '#ffffff', strokeWidth: 3, ring: { r: 19, stroke: COLORS.free, width: 3 } }));
    } else if (!besideBridge) {
      body.push(marker(x, y, { r: hl ? 7 : 9, fill: hl ? COLORS.muted : COLORS.town, stroke: '#ffffff', strokeWidth: 2.5 }));
    }
    const [lx, ly] = labelAt(t, x, y, size, h ? 30 : 14);
    body.push(text(lx, ly, t.name, { size, anchor: t.anchor, fill: hl && !h ? COLORS.muted : COLORS.town, weight: h ? 'bold' : 'normal', halo: 7 }));
    if (h) body.push(dateTag(lx, ly + size * 1.12, h.date, { size, anchor: t.anchor, fill: COLORS.freeText }));
  }
  body.push(scaleBar(proj, 90, height - 70, 20, 1));
  body.push(northArrow(width - 110, 80, 1));
  return svgDoc(width, height, body.join('\n'));
}

/**
 * The Livron bridge: the usual map symbol for a bridge — two lines along the road,
 * their ends flared — turned to follow the RN 7 (north–south) across the Drôme, on a white disc.
 */
export function bridgeSymbol(proj: GeoProjection, geo: Geo, k: number, opacity = 1): string {
  const p = place(geo, 'pont-de-livron');
  const [x, y] = proj([p.lon, p.lat]) ?? [0, 0];
  const r = 22 * k;
  const a = 9 * k; // half-gap between the brackets
  const l = 13 * k; // half-length of a bracket
  const op = opacity < 1 ? ` opacity="${opacity.toFixed(3)}"` : '';
  const sw = r1(4 * k);
  return `<g${op}><circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(r)}" fill="#ffffff" stroke="#1a1a1a" stroke-width="${r1(2.5 * k)}"/><g transform="rotate(90 ${r1(x)} ${r1(y)})">`
    + `<path d="M ${r1(x - l)} ${r1(y - a - 5 * k)} L ${r1(x - l + 5 * k)} ${r1(y - a)} L ${r1(x + l - 5 * k)} ${r1(y - a)} L ${r1(x + l)} ${r1(y - a - 5 * k)}" fill="none" stroke="#1a1a1a" stroke-width="${sw}" stroke-linejoin="round"/>`
    + `<path d="M ${r1(x - l)} ${r1(y + a + 5 * k)} L ${r1(x - l + 5 * k)} ${r1(y + a)} L ${r1(x + l - 5 * k)} ${r1(y + a)} L ${r1(x + l)} ${r1(y + a + 5 * k)}" fill="none" stroke="#1a1a1a" stroke-width="${sw}" stroke-linejoin="round"/></g></g>`;
}
