// Server-side SVG maps (map page, place locator maps, theme map blocks).
//
// Pure: GeoJSON in, an SVG string out; no DOM, no tile server, deterministic.
// The layout (map.layout.ts): d3-geo projects and clips; a stream stage then
// simplifies the projected geometry to what the display needs (simplify-js:
// points closer than `simplify` px are dropped, then Douglas–Peucker), and the
// path writer rounds to 0.1 px and writes relative commands. Here it is
// written as SVG. Styling is done by the site stylesheet
// through classes (the CSP forbids inline styles); the only presentation
// attributes are those that carry layout (font-size, text-anchor, which the
// label placement depends on) or that a class cannot express (fill="none" on
// lines, pattern references, whose ids are per SVG).

import { MAP_TEXT, type MapLayer, type MapMarker, type MapOptions, type MapPattern } from './map.types.ts';
import { classAttr, cleanDataKey, escapeXml, fmt, SAFE_HREF, symbol, textElement } from './map.svg.ts';
import { layoutMap, TRUE_DOT_R, uncertaintyRadius, type MapLayout } from './map.layout.ts';

export type { LabelBox } from './labels.ts';
export * from './map.types.ts';
export { escapeXml, wrap, symbol } from './map.svg.ts';
export { layoutMap, uncertaintyRadius, type MapLayout, type MarkerLayout } from './map.layout.ts';

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
