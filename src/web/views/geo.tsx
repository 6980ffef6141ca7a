import { raw } from 'hono/html';
import type { Ctx } from '../site/site.context.ts';
import { isApproximate, licenceGranted, type Doc, type Place } from '../../modules/content/content.schema.ts';
import { renderMap } from '../../modules/geo/map.render.ts';
import { DATA_PATHS } from '../../modules/geo/geo.data.ts';
import { Breadcrumb, DocLinks, FilterForm, L, LInline, Sentence } from './components.tsx';
import { applyFilter, isFiltered, type EventFilter } from '../../modules/content/content.events.ts';
import { plainText } from '../../modules/content/markdown.ts';
import { describe } from '../site/site.seo.ts';
import { EventList, EventTime } from './blocks.tsx';
import { areaName, Coordinates, drawMaps, formatCoordinates, kindInline, kindTitle, Legend, mapLayers, MapCredits, marker, onMap, placeFacts } from './map-common.tsx';
import { themesTellingPlace } from '../../modules/content/content.model.ts';
import { mapBlockAnchor } from './map-block.tsx';

// The map page and the place pages. Maps are SVG drawn on the server from the
// bundle's layers; every map is followed by the same places as text.

/**
 * A place in the map's list: its name, kind and number of events. Filtered,
 * the list is the answer to the filter, so it names the matching events at
 * each place; unfiltered, the place's page tells its events (the map page
 * listed all 117 again, 29 KB of a page a phone parses).
 */
function PlaceItem({ ctx, place, only }: { ctx: Ctx; place: Place; only?: Set<string> | undefined }) {
  const events = ctx.eventsAt(place).filter((e) => !only || only.has(e.id));
  return (
    <li>
      <a href={ctx.placePath(place)}><L ctx={ctx} v={ctx.tx(place.name)} /></a> <span class="place-kind">({placeFacts(ctx, place, events.length)})</span>
      {only && events.length ? (
        <ul class="place-events">
          {events.map((e) => <li><EventTime ctx={ctx} event={e} />{ctx.t('punct.colon')}<a href={`${ctx.chronologyPath()}#event-${e.id}`}><L ctx={ctx} v={ctx.tx(e.title)} /></a></li>)}
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
  const only = kept && new Set(matching.map((e) => e.id));
  const all = ctx.c.places.filter((p) => !kept || kept.has(p.id));
  const shown = all.filter(inside).sort((a, b) => b.lat - a.lat);
  const beyond = all.filter((p) => !inside(p)).sort((a, b) => ctx.plain(a.name).localeCompare(ctx.plain(b.name), ctx.locale));
  // Regions (the Drôme itself, the Vercors) are areas, not points: listed, not drawn as markers.
  const markers = shown.filter((p) => p.kind !== 'region').map((p) => marker(ctx, p));
  const svg = drawMaps(ctx, markers, ctx.t('map.svgTitle', { count: markers.length }), 'map')?.html;
  // Without a map, every place is in the one list, north to south, and none is "beyond the map".
  const listed = svg ? shown : [...all].sort((a, b) => b.lat - a.lat);
  const apart = svg ? beyond : [];
  return (
    <>
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: ctx.t('map.title') }]} />
      <h1>{ctx.t('map.title')}</h1>
      {/* Without map layers there is no map: the page is the list of places, and says so. */}
      <p class="lead">{ctx.t(svg ? 'map.intro' : 'map.introNoMap')}</p>
      {ctx.c.events.length ? <FilterForm ctx={ctx} action={ctx.mapPath()} filter={filter} problems={problems} shown={matching.length} total={ctx.c.events.length} /> : null}
      {svg ? <figure class="map-figure">{raw(svg)}<figcaption><Legend ctx={ctx} places={shown.filter((p) => p.kind !== 'region')} displaced={svg.includes('map-displaced-leader')} /><MapCredits ctx={ctx} /></figcaption></figure> : null}
      {isFiltered(filter) || !ctx.index.byDateMaps.length ? null : (
        // Told where they belong, in their themes: drawn here too, they made
        // the map page the heaviest of the site (224 KB with one of them).
        <section aria-labelledby="map-by-date">
          <h2 id="map-by-date">{ctx.t('map.byDateMaps')}</h2>
          <ul class="map-by-date-list">{ctx.index.byDateMaps.map(({ doc: d, block: b }) => (
            <li><a href={`${ctx.docPath(d)}#${mapBlockAnchor(b)}`}><L ctx={ctx} v={ctx.docField(d, (t) => t.blocks[b.id]?.title) ?? ctx.own(ctx.t('map.places'))} /></a>{' '}
              <span class="map-by-date-theme">— {ctx.t('theme.positionShort', { n: ctx.themeNumber(d) })}{ctx.t('punct.colon')}<L ctx={ctx} v={ctx.docTitle(d)} /></span></li>
          ))}</ul>
        </section>
      )}
      {listed.length ? (
        <section aria-labelledby="map-list">
          <h2 id="map-list">{ctx.t('map.listTitle')}</h2>
          <ul class="place-index">{listed.map((p) => <PlaceItem ctx={ctx} place={p} only={only} />)}</ul>
        </section>
      ) : null}
      {apart.length ? (
        <section aria-labelledby="map-beyond">
          <h2 id="map-beyond">{ctx.t('map.beyondTitle')}</h2>
          <p>{ctx.t('map.beyondIntro')}</p>
          <ul class="place-index">{apart.map((p) => <PlaceItem ctx={ctx} place={p} only={only} />)}</ul>
        </section>
      ) : null}
      <section aria-labelledby="map-data">
        <h2 id="map-data">{ctx.t('map.download')}</h2>
        <ul>
          <li><a href={DATA_PATHS.geojson} type="application/geo+json" download>{ctx.t('map.downloadGeojson')}</a></li>
          <li><a href={DATA_PATHS.placesCsv} type="text/csv" download>{ctx.t('map.downloadCsvPlaces')}</a></li>
          <li><a href={DATA_PATHS.eventsCsv} type="text/csv" download>{ctx.t('map.downloadCsvEvents')}</a></li>
        </ul>
        <DataLicence ctx={ctx} />
      </section>
    </>
  );
}

/**
 * The licence the museum states for its open data, or a plain word that it has
 * stated none. A licence only proposed is named as such, without rel="license"
 * (it is not granted yet), and reuse must be asked for until the museum confirms it.
 */
function DataLicence({ ctx }: { ctx: Ctx }) {
  const licence = ctx.c.museum.data_licence;
  const vars = { museum: ctx.museumName() };
  if (!licence) return <p><Sentence ctx={ctx} vars={vars} text={(slot) => ctx.t('map.dataNoLicence', { museum: slot('museum') })} /></p>;
  if (!licenceGranted(licence)) {
    return <p class="data-licence-proposed">{ctx.t('map.dataLicenceProposed')}{ctx.t('punct.colon')}<a href={licence.url}>{licence.name}</a>. <Sentence ctx={ctx} vars={vars} text={(slot) => ctx.t('map.dataLicencePending', { museum: slot('museum') })} /></p>;
  }
  return <p>{ctx.t('map.dataLicence')}{ctx.t('punct.colon')}<a href={licence.url} rel="license">{licence.name}</a>. <Sentence ctx={ctx} vars={vars} text={(slot) => ctx.t('map.dataCredit', { museum: slot('museum') })} /></p>;
}

/** Themes that tell a place's story: those of its events, and those whose map blocks name it. */
export function themesOf(ctx: Ctx, p: Place): Doc[] {
  return themesTellingPlace(ctx.index, p.id);
}

/** The page's meta description: the place's own description, else what happened there. */
export function placeDescription(ctx: Ctx, p: Place): string {
  const own = ctx.plain(p.description);
  const events = ctx.eventsAt(p).map((e) => plainText(ctx.plain(e.title)));
  const where = `${formatCoordinates(p)}${isApproximate(p) ? ` (${ctx.t('place.approximate')})` : ''}`;
  const summary = `${ctx.plain(p.name)} (${kindInline(ctx, p)})${ctx.t('punct.colon')}${events.length ? events.join(' · ') : where}`;
  return describe(own ? `${ctx.plain(p.name)}${ctx.t('punct.colon')}${plainText(own)}` : summary);
}

export function PlacePage({ ctx, place }: { ctx: Ctx; place: Place }) {
  const name = ctx.tx(place.name);
  const events = ctx.eventsAt(place);
  const themes = themesOf(ctx, place);
  const inside = onMap(ctx)(place);
  // The locator's title and description are sentences of the interface around the names: counted for the page's note.
  const area = ctx.attr(areaName(ctx));
  const shown = ctx.attr(name) || place.id;
  const svg = inside && ctx.c.layers.length ? renderMap(mapLayers(ctx).filter((l) => l.role !== 'line'), [{ ...marker(ctx, place), href: undefined, style: 'primary' }], {
    width: 320, title: ctx.t('place.locator', { name: shown, area }), description: ctx.t('place.locatorDesc', { name: shown, area }),
    idPrefix: `locator-${place.id}`, fit: 'layers', lang: ctx.locale, className: 'map--locator',
  }) : '';
  return (
    <article class="place">
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: ctx.t('map.title'), href: ctx.mapPath() }, { label: <L ctx={ctx} v={name} /> }]} />
      <header class="doc-header">
        <p class="kicker">{ctx.t('place.kicker')} · {kindTitle(ctx, place)}</p>
        <h1><L ctx={ctx} v={name} /></h1>
        {place.description ? <p class="lead"><LInline ctx={ctx} v={ctx.tx(place.description)} /></p> : null}
      </header>
      <div class="place-where">
        {svg ? <figure class="map-figure map-figure--locator">{raw(svg)}</figure> : <p>{ctx.t('place.outside')}</p>}
        {isApproximate(place) ? (
          <div class="place-position">
            <p><span class="place-coords-label">{ctx.t('place.coordinates')}{ctx.t('punct.colon')}</span><Coordinates ctx={ctx} place={place} /></p>
            <p class="place-precision">{ctx.t('place.approximateNote')}</p>
          </div>
        ) : <p><span class="place-coords-label">{ctx.t('place.coordinates')}{ctx.t('punct.colon')}</span><Coordinates ctx={ctx} place={place} /></p>}
      </div>
      {events.length ? (
        <section aria-labelledby="place-events">
          <h2 id="place-events">{ctx.t('place.events')}</h2>
          <EventList ctx={ctx} events={events} linkToTheme={true} anchors={false} />
        </section>
      ) : null}
      <DocLinks ctx={ctx} id="place-themes" title={ctx.t('place.themes')} docs={themes} />
      <p><a href={ctx.mapPath()}>{ctx.t('place.allPlaces')}</a></p>
    </article>
  );
}
