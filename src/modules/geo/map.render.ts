// Server-side SVG maps (map page, place locator maps, theme map blocks).
//
// Pure: GeoJSON in, an SVG string out; no DOM, no tile server, deterministic.
// d3-geo projects and clips; a stream stage then simplifies the projected
// geometry to what the display needs (simplify-js: points closer than
// `simplify` px are dropped, then Douglas–Peucker), and the path writer rounds to
// 0.1 px and writes relative commands. Styling is done by the site stylesheet
// through classes (the CSP forbids inline styles); the only presentation
// attributes are those that carry layout (font-size, text-anchor, which the
// label placement depends on) or that a class cannot express (fill="none" on
// lines, pattern references, whose ids are per SVG).

import { geoDistance, geoStream, type GeoProjection } from 'd3-geo';
import type { Feature } from 'geojson';
import { estimateTextWidth, placeLabels, type LabelBox, type LabelPoint, type LabelPosition, type PlacedLabel } from './labels.ts';
import { MAP_TEXT, MARKER_RADIUS, STYLE_PRIORITY, type LayerRole, type MapFeature, type MapPattern, type MapLayer, type MapMarker, type MapOptions } from './map.types.ts';
import { classAttr, cleanDataKey, escapeXml, fmt, SAFE_HREF, symbol, symbolHalfSize, textBlock, textElement, wrap, type TextLine } from './map.svg.ts';
import { displace, DISPLACED_MIN, trueMarks } from './displace.ts';
import { areaAnchors, drawable, EARTH_KM, frame, lineAnchors, niceKm, PathWriter, simplifyStream, type Frame, type MapShape } from './map.geometry.ts';

export type { LabelBox, PlacedLabel } from './labels.ts';
export * from './map.types.ts';
export { escapeXml, wrap, symbol, type TextLine } from './map.svg.ts';
export type { MapShape } from './map.geometry.ts';

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
const TRUE_DOT_R = 1.2;
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

// -------------------------------------------------------------------- render

/** Renders the map as an SVG string (see the file header). */
export function renderMap(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): string {
  return renderMapLaidOut(layers, markers, opts).svg;
}

/** The SVG and the layout it was drawn from (the markers' numbers, for a key). */
export function renderMapLaidOut(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions): { svg: string; layout: MapLayout } {
  const L = layoutMap(layers, markers, opts);
  const id = escapeXml(opts.idPrefix);
  const out: string[] = [svgOpen(L, opts)];
  // Decorative base map: hidden from assistive technologies (the title, the description and the markers carry the content).
  out.push('<g class="map-base" aria-hidden="true">');
  if (opts.sharedBase) out.push(`<use href="#${escapeXml(opts.sharedBase.id)}" transform="scale(${+opts.sharedBase.scale.toFixed(5)})"/>`);
  else if (opts.geometryId) out.push(`<g id="${escapeXml(opts.geometryId)}">`, ...baseGeometry(L, id), '</g>');
  else out.push(...baseGeometry(L, id));
  out.push(...overlay(L));
  out.push('</g>');
  out.push('<g class="map-markers">', ...markerElements(L), '</g>');
  out.push('</svg>');
  return { svg: out.join('\n'), layout: L };
}

/**
 * One map for two widths: the wide drawing and, for phones, one laid out at
 * `narrowWidth` (fewer, larger labels, numbers where names find no room) on
 * the same projection halved, so that both share the base map's geometry.
 * The narrow labels and markers are scaled up into the wide coordinates; the
 * site's CSS shows one set (`.map-wide` or `.map-narrow`), so that a screen
 * reader meets each place once. Strokes of the base map do not scale
 * (vector-effect, in the stylesheet): they keep their width at either size.
 */
export function renderDualMap(layers: readonly MapLayer[], markers: readonly MapMarker[], opts: MapOptions, narrowWidth: number): { svg: string; wide: MapLayout; narrow: MapLayout } {
  const W = layoutMap(layers, markers, opts);
  const k = opts.width / narrowWidth;
  const pad = opts.padding ?? (opts.fit === 'markers' ? 40 : 12);
  // The same frame, k times smaller: the fit of the halved extent is the wide projection halved.
  const N = layoutMap(layers, markers, { ...opts, width: narrowWidth, height: W.height / k, padding: pad / k });
  const id = escapeXml(opts.idPrefix);
  const scaled = `transform="scale(${fmt(k)})"`;
  const out: string[] = [svgOpen(W, { ...opts, className: classAttr('map--dual', opts.className) })];
  out.push('<g class="map-base" aria-hidden="true">');
  out.push(`<g id="${dualGeometryId(id)}">`, ...baseGeometry(W, id), '</g>');
  out.push('<g class="map-wide">', ...overlay(W), '</g>');
  out.push(`<g class="map-narrow" ${scaled}>`, ...overlay(N), '</g>');
  out.push('</g>');
  out.push('<g class="map-markers map-wide">', ...markerElements(W), '</g>');
  out.push(`<g class="map-markers map-narrow" ${scaled}>`, ...markerElements(N), '</g>');
  out.push('</svg>');
  return { svg: out.join('\n'), wide: W, narrow: N };
}

/** The id of a dual map's geometry, for the maps that draw it again with `sharedBase`. */
export const dualGeometryId = (idPrefix: string): string => `${idPrefix}-geometry`;

function svgOpen(L: MapLayout, opts: MapOptions): string {
  const id = escapeXml(opts.idPrefix);
  const size = `viewBox="0 0 ${fmt(L.width)} ${fmt(L.height)}" width="${fmt(L.width)}" height="${fmt(L.height)}" class="${classAttr('map', opts.className)}"`;
  // Without a title the map is decorative (the text beside it says what it shows): hidden, with no name to give.
  if (!opts.title) return `<svg xmlns="http://www.w3.org/2000/svg" ${size} aria-hidden="true" focusable="false">`;
  return `<svg xmlns="http://www.w3.org/2000/svg" ${size} role="group" aria-labelledby="${id}-title ${id}-desc"`
    + (opts.lang ? ` lang="${escapeXml(opts.lang)}"` : '') + '>\n'
    + `<title id="${id}-title">${escapeXml(opts.title)}</title>\n`
    + `<desc id="${id}-desc">${escapeXml(opts.description)}</desc>`;
}

/** The area and line labels and the scale bar, drawn over the base map. */
function overlay(L: MapLayout): string[] {
  const out: string[] = [];
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
  return out;
}

/** Markers: each one a link (or, without href, an image) with an accessible name; the shape differs per kind, not only the colour. */
function markerElements(L: MapLayout): string[] {
  const out: string[] = [];
  for (const m of L.markers) {
    // A marker outside the map is not drawn: an invisible link would still take the keyboard focus.
    if (!m.visible) continue;
    const mm = m.marker;
    const style = mm.style ?? 'secondary';
    const shape = mm.shape ?? 'circle';
    // A numbered marker's name starts with its number, the text it shows (and the key's entry).
    const named = mm.name ?? (mm.sublabel ? `${mm.label}, ${mm.sublabel}` : mm.label);
    const name = m.number ? `${m.number.n}. ${named}` : named;
    // A muted marker says so (the stylesheet greys it); the other styles and the shape are in the symbol drawn, not said again.
    const cls = classAttr('map-marker', style === 'muted' && 'map-marker--muted', ...(mm.classes ?? []).filter((c) => /^[a-z][a-z0-9-]*$/.test(c)));
    let attrs = ` class="${cls}" data-id="${escapeXml(mm.id)}"`;
    for (const [k, v] of Object.entries(mm.data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const key = cleanDataKey(k);
      if (key && key !== 'id') attrs += ` data-${key}="${escapeXml(v)}"`;
    }
    const href = mm.href && SAFE_HREF.test(mm.href.trim()) ? mm.href.trim() : undefined;
    // A decorative marker (the map's title and description name what it shows) is hidden from assistive technologies.
    const open = href ? `<a href="${escapeXml(href)}" aria-label="${escapeXml(name)}"${attrs}>`
      : mm.decorative ? `<g aria-hidden="true"${attrs}>` : `<g role="img" aria-label="${escapeXml(name)}"${attrs}>`;
    // A marker whose label did not fit still shows its name on hover.
    const tip = m.label || mm.decorative ? '' : `<title>${escapeXml(name)}</title>`;
    const leader = m.label?.leader ? `<path class="map-leader" d="M${m.label.leader.slice(0, 2).map(fmt).join(' ')}L${m.label.leader.slice(2).map(fmt).join(' ')}"/>` : '';
    const label = m.label ? leader + textElement(`map-label map-label--${style}`, m.lines, m.label)
      : m.number ? (m.number.placed.leader ? `<path class="map-leader" d="M${m.number.placed.leader.slice(0, 2).map(fmt).join(' ')}L${m.number.placed.leader.slice(2).map(fmt).join(' ')}"/>` : '')
        + textElement('map-label map-label--number', [{ text: String(m.number.n), size: MAP_TEXT.number.size }], m.number.placed) : '';
    // A displaced marker's dot and line are part of it (they fade with it on the by-date maps), drawn under its symbol.
    const dot = m.trueDot ? `<circle class="map-true-position" cx="${fmt(m.trueX)}" cy="${fmt(m.trueY)}" r="${TRUE_DOT_R}"/>` : '';
    const toTrue = m.trueLeader ? `<path class="map-displaced-leader" d="M${fmt(m.trueLeader[0])} ${fmt(m.trueLeader[1])}L${fmt(m.trueLeader[2])} ${fmt(m.trueLeader[3])}"/>` : '';
    // An estimated position: a dashed circle around the symbol, so that the map does not look surer than the data.
    const around = mm.approximate ? `<circle class="map-uncertainty" cx="${fmt(m.x)}" cy="${fmt(m.y)}" r="${fmt(uncertaintyRadius(shape, m.r))}"/>` : '';
    out.push(open + tip + toTrue + dot + around + symbol(shape, m.x, m.y, m.r) + label + (href ? '</a>' : '</g>'));
  }
  return out;
}

/** A map's layers, paths and patterns: its geometry, without labels. */
function baseGeometry(L: MapLayout, id: string): string[] {
  const out: string[] = [];
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
  return out;
}

/** The dashed circle of an estimated position: around the whole symbol (a bridge's bar is wider than its radius). */
export function uncertaintyRadius(shape: NonNullable<MapMarker['shape']>, r: number): number {
  const { hx, hy } = symbolHalfSize(shape, r);
  return Math.max(hx, hy, r) + UNCERTAINTY_GAP;
}
