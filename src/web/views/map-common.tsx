import { raw } from 'hono/html';
import { geoBounds } from 'd3-geo';
import { langOf, type Ctx, type Localized } from '../site/site.context.ts';
import { L } from './components.tsx';
import { isApproximate, type Content, type Doc, type GeoLayer, type Place } from '../../modules/content/content.schema.ts';
import { escapeXml, renderDualMap, renderMap, symbol, uncertaintyRadius, type MapFeature, type MapLayer, type MapLayout, type MapMarker } from '../../modules/geo/map.render.ts';

// What the map page, the place pages and the map blocks share: the layers in
// the page's language, the markers of places, the one drawing of a map for two widths, its
// legend and credits.

type Shape = NonNullable<MapMarker['shape']>;
const SHAPES: Record<Place['kind'], Shape> = { town: 'circle', village: 'ring', museum: 'diamond', bridge: 'bar', site: 'triangle', camp: 'square', region: 'square', other: 'square' };
const STYLES: Record<Place['kind'], NonNullable<MapMarker['style']>> = { town: 'primary', museum: 'primary', village: 'secondary', bridge: 'secondary', site: 'secondary', camp: 'secondary', region: 'muted', other: 'muted' };

/** The area the maps are about, in a sentence ("the Drôme"). */
export function areaName(ctx: Ctx): Localized {
  const subject = ctx.c.layers.find((l) => l.role === 'subject');
  return ctx.tx(subject?.name) ?? ctx.museumName();
}

/** The bundle's layers as the renderer draws them, labelled in the page's language. */
export function mapLayers(ctx: Ctx): MapLayer[] {
  return ctx.c.layers.map((l: GeoLayer) => {
    const layer: MapLayer = { id: l.id, role: l.role, features: l.data.features as MapLayer['features'] };
    const { label_property: prop } = l;
    // A feature's label is a property per language (name_fr, name_en): looked up like any other translation.
    const label = prop ? (f: MapFeature) => ctx.tx(featureNames(f, prop, ctx.c.museum.locales)) : l.role === 'context' && l.name ? () => ctx.tx(l.name) : undefined;
    if (label) {
      layer.labelOf = (f) => ctx.attr(label(f)) || undefined;
      layer.labelLangOf = (f) => langOf(label(f));
    }
    return layer;
  });
}

/** A feature's names by language, from its properties (`name_{locale}` → name_fr, name_en…); empty values are missing ones. */
function featureNames(f: MapFeature, prop: string, locales: string[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const l of locales) {
    const v = f.properties?.[prop.replace('{locale}', l)];
    if (v !== undefined && v !== null && String(v) !== '') names[l] = String(v);
  }
  return names;
}

/** Whether a place lies within the area the maps show (the subject layers' bounds, with a small margin). */
const bounds = new WeakMap<Content, (p: Place) => boolean>();
export function onMap(ctx: Ctx): (p: Place) => boolean {
  // Computed once per content: every place page and map block asks.
  const known = bounds.get(ctx.c);
  if (known) return known;
  const test = subjectTest(ctx);
  bounds.set(ctx.c, test);
  return test;
}

function subjectTest(ctx: Ctx): (p: Place) => boolean {
  const subjects = ctx.c.layers.filter((l) => l.role === 'subject').flatMap((l) => l.data.features);
  if (!subjects.length) return () => false;
  const [[w, s], [e, n]] = geoBounds({ type: 'FeatureCollection', features: subjects } as never);
  const mx = (e - w) * 0.08;
  const my = (n - s) * 0.08;
  return (p) => p.lon >= w - mx && p.lon <= e + mx && p.lat >= s - my && p.lat <= n + my;
}

function eventCount(ctx: Ctx, n: number): string {
  return n === 0 ? ctx.t('map.noEvent') : n === 1 ? ctx.t('map.oneEvent') : ctx.t('map.events', { count: n });
}

/**
 * What a place was, inside a phrase: its own words (kind_label: « camp de
 * concentration ») when the page's language has them, else its kind's word in
 * lower case, except in German, where a noun keeps its capital ("Stadt").
 */
export function kindInline(ctx: Ctx, p: Pick<Place, 'kind' | 'kind_label'>): string {
  const own = ctx.tx(p.kind_label);
  if (own && !own.fallback) return own.text;
  const label = ctx.t(`place.kind.${p.kind}`);
  return ctx.locale === 'de' || ctx.locale.startsWith('de-') ? label : label.toLocaleLowerCase(ctx.locale);
}

/** The same at the start of a line (a page's kicker): with a capital. */
export function kindTitle(ctx: Ctx, p: Pick<Place, 'kind' | 'kind_label'>): string {
  const own = ctx.tx(p.kind_label);
  if (!own || own.fallback) return ctx.t(`place.kind.${p.kind}`);
  return own.text.charAt(0).toLocaleUpperCase(ctx.locale) + own.text.slice(1);
}

/**
 * What follows a place's name in a list or a marker's name: its kind and how many events happened there
 * ("town, 3 events"). A camp with no event of its own is named for what it was, without "no dated event":
 * its history is told by the deportations that led there, not by a count.
 */
export function placeFacts(ctx: Ctx, p: Place, events: number): string {
  const kind = kindInline(ctx, p);
  const approximate = isApproximate(p) ? `, ${ctx.t('place.approximate')}` : '';
  return p.kind === 'camp' && events === 0 ? `${kind}${approximate}` : `${kind}${approximate}, ${eventCount(ctx, events)}`;
}

export function marker(ctx: Ctx, p: Place): MapMarker {
  const label = ctx.tx(p.name);
  const name = ctx.attr(label);
  const n = ctx.eventsAt(p).length;
  const lang = langOf(label);
  const approximate = isApproximate(p);
  return {
    id: p.id, lon: p.lon, lat: p.lat, label: name, ...(lang ? { lang } : {}), href: ctx.placePath(p),
    name: `${name}, ${placeFacts(ctx, p, n)}`,
    shape: SHAPES[p.kind], style: STYLES[p.kind], ...(approximate ? { approximate } : {}),
    // Where space is short, the places with the most history keep their labels.
    priority: n + (STYLES[p.kind] === 'primary' ? 20 : STYLES[p.kind] === 'secondary' ? 10 : 0),
  };
}

/**
 * A map of the area with these markers, laid out twice on one drawing: 720 px
 * wide, and 360 px for phones, which get fewer, larger labels rather than a
 * desktop map shrunk to illegibility (renderDualMap). CSS shows one set of
 * labels and markers, so screen readers meet each place once; the geometry
 * is in the page once. Empty when the bundle has no layers.
 */
export function drawMaps(ctx: Ctx, markers: MapMarker[], title: string, idPrefix: string): { html: string; width: number; height: number } | undefined {
  if (!ctx.c.layers.length) return undefined;
  const description = ctx.t('map.svgDesc', { area: ctx.attr(areaName(ctx)) });
  const { svg, wide, narrow } = renderDualMap(mapLayers(ctx), markers, {
    width: 720, title, description, idPrefix, fit: 'layers', lang: ctx.locale,
    scaleBar: { label: (km: number) => ctx.t('map.scale', { km }) }, numberUnlabelled: true,
  }, 360);
  return { html: svg + mapKey(wide, 'wide') + mapKey(narrow, 'narrow'), width: wide.width, height: wide.height };
}

/** A theme's small map's width, px (site.css: .theme-map). */
const THEME_MAP_WIDTH = 96;

/**
 * A small map per theme for the lists of themes (home, overview): the area
 * with a dot at each place the theme tells (its events' places and its map
 * blocks'), so that the sequence of themes shows where each happened. Seen,
 * not heard: the theme's title and summary say what it is (aria-hidden, no
 * link). The first one carries the area's geometry, the others draw it again
 * with <use>. None for a theme without a place on the map, or without layers.
 */
export function themeMaps(ctx: Ctx, themes: readonly Doc[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!ctx.c.layers.length) return out;
  const inside = onMap(ctx);
  const layers = mapLayers(ctx).map(({ labelOf: _labelOf, ...l }) => l);
  const geometry = 'theme-maps-geometry';
  for (const th of themes) {
    const ids = new Set([
      ...(ctx.index.eventsByTheme.get(th.id) ?? []).flatMap((e) => e.places),
      ...th.blocks.flatMap((b) => (b.kind === 'map' ? b.places ?? [] : [])),
    ]);
    const places = ctx.placesOf([...ids]).filter((p) => p.kind !== 'region' && inside(p));
    if (!places.length) continue;
    const first = out.size === 0;
    const svg = renderMap(layers, places.map((p) => ({ id: p.id, lon: p.lon, lat: p.lat, label: '', name: ctx.plain(p.name), style: 'muted' as const, decorative: true })), {
      width: THEME_MAP_WIDTH, fit: 'layers', title: '', description: '', idPrefix: `theme-map-${th.id}`, className: 'map--theme', displace: false,
      ...(first ? { geometryId: geometry } : { sharedBase: { id: geometry, scale: 1 } }),
    });
    out.set(th.id, svg);
  }
  return out;
}

/**
 * The names of the markers shown by a number, under their map (the wide or
 * the narrow one, shown with it). Seen, not heard: each marker's link already
 * names its place for a screen reader.
 */
function mapKey(layout: MapLayout, size: 'wide' | 'narrow'): string {
  const numbered = layout.markers.flatMap((m) => (m.number ? [{ n: m.number.n, m: m.marker }] : [])).sort((a, b) => a.n - b.n);
  if (!numbered.length) return '';
  const items = numbered.map(({ n, m }) => `<li><span class="map-key-n">${n}</span> ${m.lang ? `<span lang="${escapeXml(m.lang)}">${escapeXml(m.label)}</span>` : escapeXml(m.label)}</li>`);
  return `<ol class="map-key map-key--${size}" aria-hidden="true">${items.join('')}</ol>`;
}

export function MapCredits({ ctx }: { ctx: Ctx }) {
  const seen = new Set<string>();
  const credits = ctx.c.layers.map((l) => ctx.tx(l.credit)).filter((c) => c !== undefined && c.text !== '' && !seen.has(c.text) && seen.add(c.text) !== undefined);
  if (!credits.length) return null;
  return <p class="map-credits"><span class="map-credits-label">{ctx.t('map.credits')}{ctx.t('punct.colon')}</span>{credits.map((c, i) => <>{i ? ' · ' : ''}<L ctx={ctx} v={c} /></>)}</p>;
}

/**
 * The kinds of place shown, by their symbols (unless `kinds` is false); the dashed circle of an estimated position
 * when one is shown; and, when a drawing moved markers aside, what its dots and lines mean. Null when there is nothing to say.
 */
export function Legend({ ctx, places, displaced = false, kinds: withKinds = true }: { ctx: Ctx; places: Place[]; displaced?: boolean; kinds?: boolean }) {
  const kinds = withKinds ? [...new Set(places.map((p) => p.kind))] : [];
  const approximate = places.some(isApproximate);
  if (!kinds.length && !approximate && !displaced) return null;
  return (
    <ul class="map-legend">
      {kinds.map((k) => (
        <li><svg class="legend-symbol" viewBox="-8 -8 16 16" width="16" height="16" aria-hidden="true">{raw(symbol(SHAPES[k], 0, 0, 5))}</svg> {ctx.t(`place.kind.${k}`)}</li>
      ))}
      {approximate ? (
        <li><svg class="legend-symbol" viewBox="-9 -9 18 18" width="18" height="18" aria-hidden="true"><circle class="map-uncertainty" cx="0" cy="0" r={String(uncertaintyRadius('circle', 4))} />{raw(symbol('circle', 0, 0, 4))}</svg> {ctx.t('map.approximate')}</li>
      ) : null}
      {displaced ? (
        <li><svg class="legend-symbol" viewBox="-8 -8 24 16" width="24" height="16" aria-hidden="true"><path class="map-displaced-leader" d="M-5 3L7.5 -1.5" /><circle class="map-true-position" cx="-5" cy="3" r="1.6" />{raw(symbol('circle', 11, -2.5, 4))}</svg> {ctx.t('map.displaced')}</li>
      ) : null}
    </ul>
  );
}

/** A place's coordinates as text, with the visible mark "approximate location" when they are an estimate. */
export function Coordinates({ ctx, place }: { ctx: Ctx; place: Place }) {
  return <><span class="coords">{formatCoordinates(place)}</span>{isApproximate(place) ? <> <span class="coords-approx">({ctx.t('place.approximate')})</span></> : null}</>;
}

export function formatCoordinates(p: Place): string {
  const f = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(4)}° ${v >= 0 ? pos : neg}`;
  return `${f(p.lat, 'N', 'S')}, ${f(p.lon, 'E', 'W')}`;
}
