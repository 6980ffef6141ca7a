import { raw } from 'hono/html';
import { geoBounds } from 'd3-geo';
import type { Ctx } from '../../modules/site/site.context.ts';
import type { Block, Content, Doc, GeoLayer, HistEvent, Place } from '../../modules/content/content.schema.ts';
import type { Localized } from '../../modules/site/site.context.ts';
import { formatDay } from '../../shared/dates.ts';
import { renderMap, symbol, type MapLayer, type MapMarker } from '../../modules/geo/map.render.ts';
import { DATA_PATHS } from '../../modules/geo/geo.data.ts';
import { Breadcrumb, FilterForm, L, LInline } from './components.tsx';
import { applyFilter, isFiltered, type EventFilter } from '../../modules/site/site.filters.ts';
import { plainText } from '../../modules/site/markdown.ts';
import { describe } from '../../modules/site/site.seo.ts';
import { EventList, EventTime, sortEvents } from './blocks.tsx';

// The map page and the place pages. Maps are SVG drawn on the server from the
// bundle's layers; every map is followed by the same places as text.

type Shape = NonNullable<MapMarker['shape']>;
const SHAPES: Record<Place['kind'], Shape> = { town: 'circle', village: 'ring', museum: 'diamond', bridge: 'square', site: 'square', camp: 'square', region: 'square', other: 'square' };
const STYLES: Record<Place['kind'], NonNullable<MapMarker['style']>> = { town: 'primary', museum: 'primary', village: 'secondary', bridge: 'secondary', site: 'secondary', camp: 'secondary', region: 'muted', other: 'muted' };

/** The area the maps are about, in a sentence ("the Drôme"). */
export function areaName(ctx: Ctx): string {
  const subject = ctx.c.layers.find((l) => l.role === 'subject');
  return ctx.s(subject?.name) || ctx.museumName();
}

/** The bundle's layers as the renderer draws them, labelled in the page's language. */
export function mapLayers(ctx: Ctx): MapLayer[] {
  return ctx.c.layers.map((l: GeoLayer) => {
    const prop = l.label_property?.replace('{locale}', ctx.locale);
    const fallback = l.label_property?.replace('{locale}', ctx.def);
    const layer: MapLayer = { id: l.id, role: l.role, features: l.data.features as MapLayer['features'] };
    if (prop) layer.labelOf = (f) => String(f.properties?.[prop] ?? (fallback ? f.properties?.[fallback] : undefined) ?? '') || undefined;
    else if (l.role === 'context' && l.name) layer.labelOf = () => ctx.s(l.name);
    return layer;
  });
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

export const eventsAt = (ctx: Ctx, p: Place): HistEvent[] => sortEvents(ctx.c.events.filter((e) => e.places.includes(p.id)), ctx.c.events);

function eventCount(ctx: Ctx, n: number): string {
  return n === 0 ? ctx.t('map.noEvent') : n === 1 ? ctx.t('map.oneEvent') : ctx.t('map.events', { count: n });
}

export function marker(ctx: Ctx, p: Place): MapMarker {
  const name = ctx.s(p.name);
  const n = eventsAt(ctx, p).length;
  return {
    id: p.id, lon: p.lon, lat: p.lat, label: name, href: ctx.placePath(p),
    name: `${name}, ${ctx.t(`place.kind.${p.kind}`).toLowerCase()}, ${eventCount(ctx, n)}`,
    shape: SHAPES[p.kind], style: STYLES[p.kind],
    // Where space is short, the places with the most history keep their labels.
    priority: n + (STYLES[p.kind] === 'primary' ? 20 : STYLES[p.kind] === 'secondary' ? 10 : 0),
  };
}

/**
 * A map of the area with these markers, drawn twice: 720 px wide, and 360 px
 * for phones, which get fewer, larger labels rather than a desktop map shrunk
 * to illegibility. CSS shows one; the other is display:none, so screen
 * readers meet one map. Empty when the bundle has no layers.
 */
function drawMaps(ctx: Ctx, markers: MapMarker[], title: string, idPrefix: string): string {
  if (!ctx.c.layers.length) return '';
  const description = ctx.t('map.svgDesc', { area: areaName(ctx) });
  const draw = (width: number, prefix: string, className: string) => renderMap(mapLayers(ctx), markers, {
    width, title, description, idPrefix: prefix, fit: 'layers', lang: ctx.locale, className,
    scaleBar: { label: (km: number) => ctx.t('map.scale', { km }) },
  });
  return draw(720, idPrefix, 'map--wide') + draw(360, `${idPrefix}-narrow`, 'map--narrow');
}

function MapCredits({ ctx }: { ctx: Ctx }) {
  const credits = [...new Set(ctx.c.layers.map((l) => ctx.s(l.credit)).filter((c) => c))];
  if (!credits.length) return null;
  return <p class="map-credits"><span class="map-credits-label">{ctx.t('map.credits')}{ctx.t('punct.colon')}</span>{credits.join(' · ')}</p>;
}

function Legend({ ctx, places }: { ctx: Ctx; places: Place[] }) {
  const kinds = [...new Set(places.map((p) => p.kind))];
  return (
    <ul class="map-legend">
      {kinds.map((k) => (
        <li><svg class="legend-symbol" viewBox="-8 -8 16 16" width="16" height="16" aria-hidden="true">{raw(symbol(SHAPES[k], 0, 0, 5))}</svg> {ctx.t(`place.kind.${k}`)}</li>
      ))}
    </ul>
  );
}

function PlaceItem({ ctx, place, only }: { ctx: Ctx; place: Place; only?: Set<string> | undefined }) {
  const events = eventsAt(ctx, place).filter((e) => !only || only.has(e.id));
  return (
    <li>
      <a href={ctx.placePath(place)}><L v={ctx.tx(place.name)} /></a> <span class="place-kind">({ctx.t(`place.kind.${place.kind}`).toLowerCase()}, {eventCount(ctx, events.length)})</span>
      {events.length ? (
        <ul class="place-events">
          {events.map((e) => <li><EventTime ctx={ctx} event={e} />{ctx.t('punct.colon')}<a href={`${ctx.chronologyPath()}#event-${e.id}`}><L v={ctx.tx(e.title)} /></a></li>)}
        </ul>
      ) : null}
    </li>
  );
}

export function MapPage({ ctx, filter = {}, problems = [] }: { ctx: Ctx; filter?: EventFilter; problems?: string[] }) {
  const inside = onMap(ctx);
  // Filtered, the map shows the places of the matching events only.
  const matching = applyFilter(ctx.c.events, filter);
  const kept = isFiltered(filter) ? new Set(matching.flatMap((e) => e.places)) : undefined;
  const all = ctx.c.places.filter((p) => !kept || kept.has(p.id));
  const shown = all.filter(inside).sort((a, b) => b.lat - a.lat);
  const beyond = all.filter((p) => !inside(p)).sort((a, b) => ctx.s(a.name).localeCompare(ctx.s(b.name), ctx.locale));
  // Regions (the Drôme itself, the Vercors) are areas, not points: listed, not drawn as markers.
  const markers = shown.filter((p) => p.kind !== 'region').map((p) => marker(ctx, p));
  const svg = drawMaps(ctx, markers, ctx.t('map.svgTitle', { count: markers.length }), 'map');
  return (
    <>
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: ctx.t('map.title') }]} />
      <h1>{ctx.t('map.title')}</h1>
      <p class="lead">{ctx.t('map.intro')}</p>
      {ctx.c.events.length ? <FilterForm ctx={ctx} action={ctx.mapPath()} filter={filter} problems={problems} shown={matching.length} total={ctx.c.events.length} /> : null}
      {svg ? <figure class="map-figure">{raw(svg)}<figcaption><Legend ctx={ctx} places={shown.filter((p) => p.kind !== 'region')} /><MapCredits ctx={ctx} /></figcaption></figure> : null}
      {isFiltered(filter) ? null : ctx.c.docs.filter((d) => d.kind === 'theme').flatMap((d) => d.blocks.filter((b): b is MapBlockData => b.kind === 'map' && b.by_date === true).map((b) => (
        <>
          <MapBlock ctx={ctx} block={b} title={ctx.docField(d, (t) => t.blocks[b.id]?.title)} />
          <p class="map-block-source">{ctx.t('map.fromTheme')} <a href={ctx.docPath(d)}><L v={ctx.docTitle(d)} /></a></p>
        </>
      )))}
      <section aria-labelledby="map-list">
        <h2 id="map-list">{ctx.t('map.listTitle')}</h2>
        <ul class="place-index">{shown.map((p) => <PlaceItem ctx={ctx} place={p} only={kept && new Set(matching.map((e) => e.id))} />)}</ul>
      </section>
      {beyond.length ? (
        <section aria-labelledby="map-beyond">
          <h2 id="map-beyond">{ctx.t('map.beyondTitle')}</h2>
          <p>{ctx.t('map.beyondIntro')}</p>
          <ul class="place-index">{beyond.map((p) => <PlaceItem ctx={ctx} place={p} only={kept && new Set(matching.map((e) => e.id))} />)}</ul>
        </section>
      ) : null}
      <section aria-labelledby="map-data">
        <h2 id="map-data">{ctx.t('map.download')}</h2>
        <ul>
          <li><a href={DATA_PATHS.geojson} type="application/geo+json" download>{ctx.t('map.downloadGeojson')}</a></li>
          <li><a href={DATA_PATHS.placesCsv} type="text/csv" download>{ctx.t('map.downloadCsvPlaces')}</a></li>
          <li><a href={DATA_PATHS.eventsCsv} type="text/csv" download>{ctx.t('map.downloadCsvEvents')}</a></li>
        </ul>
        <p>{ctx.t('map.downloadLicence')}</p>
      </section>
    </>
  );
}

/** Themes that tell a place's story: those of its events, and those whose map blocks name it. */
export function themesOf(ctx: Ctx, p: Place, events: HistEvent[]): Doc[] {
  const ids = new Set(events.flatMap((e) => e.themes));
  for (const d of ctx.c.docs) if (d.blocks.some((b) => b.kind === 'map' && b.places?.includes(p.id))) ids.add(d.id);
  return ctx.c.docs.filter((d) => d.kind === 'theme' && ids.has(d.id)).sort((a, b) => a.position - b.position);
}

/** The page's meta description: the place's own description, else what happened there. */
export function placeDescription(ctx: Ctx, p: Place): string {
  const own = ctx.s(p.description);
  const events = eventsAt(ctx, p).map((e) => plainText(ctx.s(e.title)));
  const summary = `${ctx.s(p.name)} (${ctx.t(`place.kind.${p.kind}`).toLowerCase()})${ctx.t('punct.colon')}${events.length ? events.join(' · ') : formatCoordinates(p)}`;
  return describe(own ? `${ctx.s(p.name)}${ctx.t('punct.colon')}${plainText(own)}` : summary);
}

export function formatCoordinates(p: Place): string {
  const f = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(4)}° ${v >= 0 ? pos : neg}`;
  return `${f(p.lat, 'N', 'S')}, ${f(p.lon, 'E', 'W')}`;
}

export function PlacePage({ ctx, place }: { ctx: Ctx; place: Place }) {
  const name = ctx.tx(place.name);
  const events = eventsAt(ctx, place);
  const themes = themesOf(ctx, place, events);
  const inside = onMap(ctx)(place);
  const area = areaName(ctx);
  const svg = inside && ctx.c.layers.length ? renderMap(mapLayers(ctx).filter((l) => l.role !== 'line'), [{ ...marker(ctx, place), href: undefined, style: 'primary' }], {
    width: 320, title: ctx.t('place.locator', { name: name?.text ?? place.id, area }), description: ctx.t('place.locatorDesc', { name: name?.text ?? place.id, area }),
    idPrefix: `locator-${place.id}`, fit: 'layers', lang: ctx.locale, className: 'map--locator',
  }) : '';
  return (
    <article class="place">
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: ctx.t('map.title'), href: ctx.mapPath() }, { label: <L v={name} /> }]} />
      <header class="doc-header">
        <p class="kicker">{ctx.t('place.kicker')} · {ctx.t(`place.kind.${place.kind}`)}</p>
        <h1><L v={name} /></h1>
        {place.description ? <p class="lead"><LInline v={ctx.tx(place.description)} /></p> : null}
      </header>
      <div class="place-where">
        {svg ? <figure class="map-figure map-figure--locator">{raw(svg)}</figure> : <p>{ctx.t('place.outside')}</p>}
        <p><span class="place-coords-label">{ctx.t('place.coordinates')}{ctx.t('punct.colon')}</span><span class="coords">{formatCoordinates(place)}</span></p>
      </div>
      {events.length ? (
        <section aria-labelledby="place-events">
          <h2 id="place-events">{ctx.t('place.events')}</h2>
          <EventList ctx={ctx} events={events} linkToTheme={true} anchors={false} />
        </section>
      ) : null}
      {themes.length ? (
        <section aria-labelledby="place-themes">
          <h2 id="place-themes">{ctx.t('place.themes')}</h2>
          <ul>{themes.map((th) => <li><a href={ctx.docPath(th)}><L v={ctx.docTitle(th)} /></a></li>)}</ul>
        </section>
      ) : null}
      <p><a href={ctx.mapPath()}>{ctx.t('place.allPlaces')}</a></p>
    </article>
  );
}

type MapBlockData = Extract<Block, { kind: 'map' }>;

/** The events a map or chronology block selects: its listed events, and those carrying its tag within its dates. */
export function blockEvents(ctx: Ctx, b: Pick<MapBlockData, 'events' | 'tag' | 'from' | 'to'>): HistEvent[] {
  const inRange = (e: HistEvent) => (!b.from || e.date.start >= b.from) && (!b.to || e.date.start <= b.to);
  return sortEvents(ctx.c.events.filter((e) => b.events?.includes(e.id) || (b.tag !== undefined && e.tags.includes(b.tag) && inRange(e))), ctx.c.events);
}

/** Each day from `from` to `to`, as YYYY-MM-DD. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

/**
 * A map embedded in a document: the selected places on the map, then as text.
 * With `by_date`, each place is dated by its first selected event; a table
 * gives the places day by day, and a slider (script) shows the map at a day.
 */
export function MapBlock({ ctx, block, title }: { ctx: Ctx; block: MapBlockData; title: Localized | undefined }) {
  const events = blockEvents(ctx, block);
  const firstDate = new Map<string, string>();
  for (const e of events) for (const p of e.places) if (!firstDate.has(p)) firstDate.set(p, e.date.start);
  const ids = new Set([...(block.places ?? []), ...events.flatMap((e) => e.places)]);
  const inside = onMap(ctx);
  const places = ctx.c.places.filter((p) => ids.has(p.id) && p.kind !== 'region');
  const shown = places.filter(inside);
  const heading = title ?? { text: ctx.t('map.places') };
  const byDate = block.by_date === true;
  const dates = events.map((e) => e.date.start.slice(0, 10)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  const from = block.from ?? dates[0];
  const to = block.to ?? dates[dates.length - 1];
  const short = (iso: string) => formatDay(iso, ctx.locale).replace(/\s\d{4}$/, '');
  const markers = shown.map((p) => {
    const m = marker(ctx, p);
    const d = firstDate.get(p.id);
    if (byDate && d) {
      const all = [...new Set(events.filter((e) => e.places.includes(p.id)).map((e) => e.date.start))];
      m.sublabel = all.map(short).join(' / ');
      m.data = { date: d };
      // The link's name starts with the text it shows (name, then dates).
      m.name = `${m.label} ${m.sublabel}, ${m.name?.slice(m.label.length + 2) ?? ''}`;
    }
    return m;
  });
  const id = `map-${block.id}`;
  const svg = markers.length ? drawMaps(ctx, markers, heading.text, id) : '';
  const range = byDate && from && to ? days(from, to) : [];
  return (
    <section class="map-block" aria-labelledby={`${id}-heading`} data-by-date={byDate && range.length ? 'true' : undefined}>
      <h2 id={`${id}-heading`}><L v={heading} /></h2>
      {range.length ? (
        <div class="by-date-controls" hidden data-days={range.join(' ')} data-day-labels={range.map((d) => formatDay(d, ctx.locale)).join('|')}
          data-status={ctx.t('map.byDateStatus', { date: '{date}', count: '{count}' })}>
          <label for={`${id}-day`}>{ctx.t('map.byDateLabel')}</label>
          <input type="range" id={`${id}-day`} min="0" max={String(range.length - 1)} step="1" value={String(range.length - 1)} aria-describedby={`${id}-status`} />
          <output id={`${id}-status`} for={`${id}-day`} aria-live="polite"></output>
        </div>
      ) : null}
      {svg ? <figure class="map-figure">{raw(svg)}<figcaption><MapCredits ctx={ctx} /></figcaption></figure> : null}
      {range.length ? <ByDateTable ctx={ctx} events={events} days={range} id={id} /> : (
        <ul class="place-index">{places.map((p) => <li><a href={ctx.placePath(p)}><L v={ctx.tx(p.name)} /></a> <span class="coords">{formatCoordinates(p)}</span></li>)}</ul>
      )}
    </section>
  );
}


/** Day by day: the places each day added, and how many so far — the map's text equivalent. */
function ByDateTable({ ctx, events, days: range, id }: { ctx: Ctx; events: HistEvent[]; days: string[]; id: string }) {
  const seen = new Set<string>();
  const rows = range.map((day) => {
    const today = events.filter((e) => e.date.start === day);
    const added = today.flatMap((e) => e.places).filter((p) => !seen.has(p));
    for (const p of added) seen.add(p);
    return { day, today, count: seen.size };
  }).filter((r) => r.today.length);
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
      <table class="by-date-table">
        <caption id={`${id}-caption`}>{ctx.t('map.byDateCaption')}</caption>
        <thead><tr><th scope="col">{ctx.t('map.byDateDay')}</th><th scope="col">{ctx.t('map.byDateEvents')}</th><th scope="col">{ctx.t('map.byDateCount')}</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row"><time datetime={r.day}>{formatDay(r.day, ctx.locale)}</time></th>
              <td><ul>{r.today.map((e) => <li><a href={`${ctx.chronologyPath()}#event-${e.id}`}><L v={ctx.tx(e.title)} /></a>{e.places.length ? <> ({e.places.map((pid) => ctx.c.places.find((x) => x.id === pid)).filter((x) => x !== undefined).map((x, i) => <>{i ? ', ' : ''}<a href={ctx.placePath(x)}><L v={ctx.tx(x.name)} /></a></>)})</> : null}</li>)}</ul></td>
              <td>{String(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
