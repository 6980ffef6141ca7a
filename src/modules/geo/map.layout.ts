// The layout of a server-drawn map (map.render.ts writes it as SVG): the
// frame and the projected geometry (cached per base map), the markers moved
// off their neighbours, the labels placed, and the numbers of the markers
// whose names found no room. Pure: positions in px, no SVG.

import { geoDistance, geoStream, type GeoProjection } from 'd3-geo';
import type { Feature } from 'geojson';
import { estimateTextWidth, placeLabels, type LabelBox, type LabelPoint, type LabelPosition, type PlacedLabel } from './labels.ts';
import { MAP_TEXT, MARKER_RADIUS, STYLE_PRIORITY, type LayerRole, type MapFeature, type MapLayer, type MapMarker, type MapOptions } from './map.types.ts';
import { symbolHalfSize, textBlock, wrap, type TextLine } from './map.svg.ts';
import { displace, DISPLACED_MIN, trueMarks } from './displace.ts';
import { areaAnchors, drawable, EARTH_KM, frame, lineAnchors, niceKm, PathWriter, simplifyStream, type Frame, type MapShape } from './map.geometry.ts';

// -------------------------------------------------------------------- layout

export interface MarkerLayout {
  marker: MapMarker;
  /** Where the symbol is drawn: the true position, unless displacement moved it off a neighbour. */
  x: number;
  y: number;
  /** The place's projected position. */
  trueX: number;
  trueY: number;
  /** Moved more than 1.5 px from its true position. */
  displaced: boolean;
  /** Displaced, with a dot at its true position (not when a symbol, its own or another, covers it: see trueMarks). */
  trueDot: boolean;
  /** Displaced: the line from the dot, or from the edge of the symbol covering the true position, to this symbol's outline. */
  trueLeader: [number, number, number, number] | null;
  r: number;
  /** Inside the map; markers outside it are not drawn. */
  visible: boolean;
  lines: TextLine[];
  label: PlacedLabel | null;
  /** With numberUnlabelled: its number in the map's key, drawn beside the symbol, when its name did not fit. */
  number?: { n: number; placed: PlacedLabel };
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
/** Radius of the dot at a displaced marker's true position, px: no wider than the gap between two symbols. */
export const TRUE_DOT_R = 1.2;
/** Space between a symbol's outline and the dashed circle of an estimated position, px. */
const UNCERTAINTY_GAP = 3;

// ------------------------------------------------------------ geometry cache

// The frame, the projected paths and the area-label anchors depend only on the
// layers' features and the map's size, not on the markers or the language: a
// site draws the same base map many times (every place page's locator map is
// the subject area at 320 px). Projecting, simplifying and searching label
// anchors is by far the costliest part of a map (megabytes of short-lived
// arrays per map), so it is done once per distinct base map and kept as long
// as the layers' feature arrays are alive (a new content version drops it).

interface BaseFeature { layerIndex: number; feature: MapFeature; d: string; shapes: MapShape[]; anchors: Map<string, { x: number; y: number; positions?: LabelPosition[] }[]> }
interface BaseMap { frame: Frame; features: BaseFeature[] }

const featureIds = new WeakMap<object, number>();
let nextFeatureId = 0;
const idOf = (o: object): number => {
  let id = featureIds.get(o);
  if (id === undefined) featureIds.set(o, (id = nextFeatureId++));
  return id;
};
const baseMaps = new WeakMap<object, Map<string, BaseMap>>();

function computeBaseMap(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): BaseMap {
  const f = frame(layers, markers, opts);
  const tol = opts.simplify ?? 0.75;
  const features: BaseFeature[] = [];
  for (const role of ROLE_ORDER) {
    layers.forEach((layer, layerIndex) => {
      if (layer.role !== role) return;
      for (const feature of layer.features) {
        if (!drawable(feature)) continue;
        const writer = new PathWriter();
        geoStream(feature as Feature, f.projection.stream(simplifyStream(writer, tol)));
        const d = writer.result();
        if (d) features.push({ layerIndex, feature, d, shapes: writer.shapes, anchors: new Map() });
      }
    });
  }
  return { frame: f, features };
}

/** The base map, from the cache when the frame does not depend on the markers. */
function baseMap(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): BaseMap {
  const first = layers[0]?.features;
  // Fitted to the markers (or, without drawable features, falling back to them), the frame is the markers': not cached.
  if (opts.fit !== 'layers' || !first || !layers.some((l) => l.features.some(drawable))) return computeBaseMap(layers, markers, opts);
  const key = JSON.stringify([layers.map((l) => [idOf(l.features), l.role]), opts.width, opts.height ?? null, opts.padding ?? null, opts.projection ?? null, opts.simplify ?? null]);
  let byKey = baseMaps.get(first);
  if (!byKey) baseMaps.set(first, (byKey = new Map()));
  let base = byKey.get(key);
  if (!base) byKey.set(key, (base = computeBaseMap(layers, markers, opts)));
  return base;
}

/** Everything renderMap draws, in px: exposed for tests and for callers that need positions (e.g. an HTML overlay). */
export function layoutMap(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): MapLayout {
  const base = baseMap(layers, markers, opts);
  const { projection, width: W, height: H } = base.frame;
  // Fresh layout objects (labels are set on them below); paths and shapes are shared and never modified.
  const features: FeatureLayout[] = base.features.map((b) => ({ layer: layers[b.layerIndex]!, feature: b.feature, d: b.d, shapes: b.shapes }));

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
    const lines: TextLine[] = wrap(m.label, maxChars).map((text) => ({ text, size: t.size, lang: m.lang }));
    if (m.sublabel) lines.push({ text: m.sublabel, size: MAP_TEXT.sublabel.size, cls: 'map-sublabel' });
    const visible = Number.isFinite(x) && Number.isFinite(y) && x >= 0 && y >= 0 && x <= W && y <= H;
    const rx = Math.round(x * 10) / 10;
    const ry = Math.round(y * 10) / 10;
    return { marker: m, x: rx, y: ry, trueX: rx, trueY: ry, displaced: false, trueDot: false, trueLeader: null, r: MARKER_RADIUS[style], visible, lines, label: null };
  });
  const priority = (m: MapMarker) => m.priority ?? STYLE_PRIORITY[m.style ?? 'secondary'];

  // Displacement, before the labels, which are placed around the symbols where they are drawn.
  const dots: LabelBox[] = [];
  const trueLeaders: [number, number, number, number][] = [];
  if (opts.displace !== false) {
    const shown = mk.filter((m) => m.visible);
    const gap = typeof opts.displace === 'object' ? opts.displace.gap : undefined;
    const moved = displace(shown.map((m) => ({ x: m.x, y: m.y, shape: m.marker.shape ?? 'circle', r: m.r, priority: priority(m.marker) })), { width: W, height: H }, gap === undefined ? {} : { gap });
    shown.forEach((m, k) => {
      m.x = Math.round(moved[k]!.x * 10) / 10;
      m.y = Math.round(moved[k]!.y * 10) / 10;
    });
    const drawn = shown.map((m) => ({ x: m.x, y: m.y, trueX: m.trueX, trueY: m.trueY, shape: m.marker.shape ?? 'circle', r: m.r }));
    shown.forEach((m, k) => {
      if (Math.hypot(m.x - m.trueX, m.y - m.trueY) <= DISPLACED_MIN) return;
      m.displaced = true;
      const marks = trueMarks(drawn, k);
      m.trueDot = marks.dot;
      m.trueLeader = marks.leader;
      // The dot and the line are kept clear of the labels, like the symbols.
      if (m.trueDot) dots.push({ x: m.trueX - TRUE_DOT_R, y: m.trueY - TRUE_DOT_R, width: 2 * TRUE_DOT_R, height: 2 * TRUE_DOT_R });
      if (m.trueLeader) trueLeaders.push(m.trueLeader);
    });
  }

  const points: LabelPoint[] = [];
  mk.forEach((m, i) => {
    if (!m.visible || !m.marker.label.trim()) return;
    const style = m.marker.style ?? 'secondary';
    const size = textBlock(m.lines, (l) => (l.cls ? 1 : MAP_TEXT[style].width));
    // The symbol's extent (about half its stroke included): squares, diamonds, triangles and bars reach beyond or short of r.
    const shape = m.marker.shape ?? 'circle';
    const { hx, hy } = symbolHalfSize(shape, m.r);
    const r = Math.max(hx, hy) + (shape === 'ring' ? 1 : 0.5);
    points.push({ id: `m${i}`, x: m.x, y: m.y, r, ...size, priority: priority(m.marker) });
  });
  const featureLines = new Map<number, TextLine[]>();
  features.forEach((f, i) => {
    const text = f.layer.labelOf?.(f.feature)?.trim();
    if (!text) return;
    const isLine = f.layer.role === 'line';
    const t = isLine ? MAP_TEXT.line : MAP_TEXT.area;
    const lang = f.layer.labelLangOf?.(f.feature);
    const lines = wrap(text, maxChars).map((s) => ({ text: s, size: t.size, lang }));
    const size = textBlock(lines, () => t.width);
    const cache = base.features[i]!.anchors;
    const anchorKey = isLine ? 'line' : `${size.width} ${size.height}`;
    let anchors = cache.get(anchorKey);
    if (!anchors) cache.set(anchorKey, (anchors = isLine ? lineAnchors(f.shapes) : areaAnchors(f.shapes, size.width, size.height, W, H)));
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
  const placed = placeLabels(points, { width: W, height: H }, { obstacles: [...(scale ? [scale.box] : []), ...dots], lines: trueLeaders, leaders: opts.leaders ?? [10, 22, 36] });
  mk.forEach((m, i) => { m.label = placed.get(`m${i}`) ?? null; });
  featureLines.forEach((lines, i) => { features[i]!.label = { lines, placed: placed.get(`f${i}`) ?? null }; });
  if (opts.numberUnlabelled) numberUnlabelled(mk, placed, { width: W, height: H }, [...(scale ? [scale.box] : []), ...dots], trueLeaders);

  return { width: W, height: H, projection, features, markers: mk, ...(scale ? { scale } : {}) };
}

/**
 * Numbers for the markers whose name found no room, north to south, each
 * placed beside its symbol clear of the labels already there; a marker where
 * even its number does not fit keeps none (its link still names it).
 */
function numberUnlabelled(mk: MarkerLayout[], placed: Map<string, PlacedLabel | null>, bounds: { width: number; height: number }, obstacles: LabelBox[], lines: [number, number, number, number][]): void {
  const size = MAP_TEXT.number.size;
  const without = mk.map((m, i) => ({ m, i })).filter(({ m }) => m.visible && !m.label && m.marker.label.trim()).sort((a, b) => a.m.y - b.m.y || a.m.x - b.m.x);
  if (!without.length) return;
  const taken = [...obstacles, ...[...placed.values()].flatMap((p) => (p ? [p.box] : []))];
  // Every symbol is an obstacle: the numbered ones are the points themselves, the others are given as boxes.
  const numbered = new Set(without.map(({ i }) => i));
  for (const [i, m] of mk.entries()) {
    if (!m.visible || numbered.has(i)) continue;
    const { hx, hy } = symbolHalfSize(m.marker.shape ?? 'circle', m.r);
    taken.push({ x: m.x - hx - 1, y: m.y - hy - 1, width: 2 * hx + 2, height: 2 * hy + 2 });
  }
  const points: LabelPoint[] = without.map(({ m }, k) => {
    const text = String(k + 1);
    const { hx, hy } = symbolHalfSize(m.marker.shape ?? 'circle', m.r);
    return { id: `n${k}`, x: m.x, y: m.y, r: Math.max(hx, hy) + 0.5, width: estimateTextWidth(text, size) + 2 * MAP_TEXT.halo, height: size * MAP_TEXT.lineHeight + 2 * MAP_TEXT.halo };
  });
  // A number may stand a little apart, with a leader line, where the symbol's neighbours leave no room beside it.
  const got = placeLabels(points, bounds, { obstacles: taken, lines, leaders: [8, 16] });
  without.forEach(({ m }, k) => {
    const p = got.get(`n${k}`);
    if (p) m.number = { n: k + 1, placed: p };
  });
  // Numbers are given in order; one that found no room leaves a gap: renumber so that the key runs 1, 2, 3…
  let n = 0;
  for (const { m } of without) if (m.number) m.number.n = ++n;
}

/** The dashed circle of an estimated position: around the whole symbol (a bridge's bar is wider than its radius). */
export function uncertaintyRadius(shape: NonNullable<MapMarker['shape']>, r: number): number {
  const { hx, hy } = symbolHalfSize(shape, r);
  return Math.max(hx, hy, r) + UNCERTAINTY_GAP;
}
