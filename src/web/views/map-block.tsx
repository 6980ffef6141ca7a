import { raw } from 'hono/html';
import type { Ctx, Localized } from '../site/site.context.ts';
import type { Block, HistEvent } from '../../modules/content/content.schema.ts';
import { formatDay } from '../../shared/dates.ts';
import { L, LInline, SectionHeading } from './components.tsx';
import { placeChanges, reachedOn, type Change } from '../../modules/content/content.events.ts';
import { inChronology, selectIn } from '../../modules/content/content.model.ts';
import { names } from '../../shared/text.ts';
import { plainText } from '../../modules/content/markdown.ts';
import { Coordinates, drawMaps, Legend, mapLayers, MapCredits, marker, onMap } from './map-common.tsx';
import { dualGeometryId, renderMap, symbol, type MapMarker } from '../../modules/geo/map.render.ts';

/** The day panels' width, px; the block's map is laid out with the default padding of a map fitted to its layers. */
const SMALL_WIDTH = 200;
const MAP_PADDING = 12;

// Map blocks, embedded in documents; with `by_date`, the generic "events
// carrying tag X, over time" view (the liberation of the Drôme day by day in
// the demo): each place is reached on the day of an event with the block's
// tag, and — with `lost_tag` — lost again on the day of an event with that
// tag, until a later event with the block's tag. Without script, the map shows
// every place with its dates and a table gives the days; with script, a
// slider shows the map on a chosen day.

export type MapBlockData = Extract<Block, { kind: 'map' }>;
/** Each day from `from` to `to`, as YYYY-MM-DD. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

const tagLabel = (ctx: Ctx, id: string): Localized => ctx.tx(ctx.tag(id)?.label) ?? ctx.own(id);

/** The anchor of a map block's heading in its document. */
export const mapBlockAnchor = (block: { id: string }): string => `map-${block.id}-heading`;

/**
 * A map embedded in a document: the selected places on the map, then as text.
 * With `by_date`, a table gives the places day by day, and a slider (script)
 * shows the map on a day.
 */
export function MapBlock({ ctx, block, title, caption }: { ctx: Ctx; block: MapBlockData; title: Localized | undefined; caption?: Localized | undefined }) {
  const byDate = block.by_date === true;
  const events = selectIn(ctx.index, block);
  const changes = placeChanges(events, byDate ? block.lost_tag : undefined);
  const ids = new Set([...(block.places ?? []), ...events.flatMap((e) => e.places)]);
  const inside = onMap(ctx);
  // In content order, as the places are listed.
  const places = ctx.placesOf([...ids]).filter((p) => p.kind !== 'region').sort((a, b) => (ctx.index.placeRank.get(a.id) ?? 0) - (ctx.index.placeRank.get(b.id) ?? 0));
  const shown = places.filter(inside);
  const heading = title ?? ctx.own(ctx.t('map.places'));
  const dates = events.map((e) => e.date.start.slice(0, 10)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  const from = block.from ?? dates[0];
  const to = block.to ?? dates[dates.length - 1];
  const short = (iso: string) => formatDay(iso, ctx.locale).replace(/\s\d{4}$/, '');
  const markers = shown.map((p) => {
    const m = marker(ctx, p);
    const list = changes.get(p.id) ?? [];
    const reached = list.filter((c) => c.reached).map((c) => c.date);
    if (byDate && list.length) {
      // The dates shown are the days the place was reached; a loss is shown by the slider and told by the table.
      if (reached.length) m.sublabel = reached.map(short).join(' / ');
      m.data = { changes: list.map((c) => `${c.date}${c.reached ? '+' : '-'}`).join(' '), name: m.label };
      // The link's name starts with the text it shows (name, then dates).
      if (m.sublabel) m.name = `${m.label} ${m.sublabel}, ${m.name?.slice(m.label.length + 2) ?? ''}`;
    }
    return m;
  });
  const id = `map-${block.id}`;
  const drawn = markers.length ? drawMaps(ctx, markers, ctx.attr(heading), id) : undefined;
  const svg = drawn?.html ?? '';
  const range = byDate && from && to ? days(from, to) : [];
  const lost = byDate && block.lost_tag ? tagLabel(ctx, block.lost_tag) : undefined;
  return (
    <section class="map-block" aria-labelledby={mapBlockAnchor(block)} data-by-date={range.length ? 'true' : undefined}>
      <SectionHeading ctx={ctx} id={mapBlockAnchor(block)} text={heading} />
      {range.length ? (
        <div class="by-date-controls" hidden data-days={range.join(' ')} data-day-labels={range.map((d) => formatDay(d, ctx.locale)).join('|')}
          data-status={ctx.t('map.byDateStatus', { date: '{date}', count: '{count}' })}
          data-status-lost={lost ? ctx.t('map.byDateStatusLost', { date: '{date}', count: '{count}', label: ctx.attr(lost), names: '{names}' }) : undefined}>
          <label for={`${id}-day`}>{ctx.t('map.byDateLabel')}</label>
          <input type="range" id={`${id}-day`} min="0" max={String(range.length - 1)} step="1" value={String(range.length - 1)} aria-describedby={`${id}-status`} />
          <output id={`${id}-status`} for={`${id}-day`} aria-live="polite"></output>
          <ul class="by-date-legend">
            <li><Swatch cls="" />{ctx.t('map.byDateLegendReached')}</li>
            <li><Swatch cls="map-marker--later" />{ctx.t('map.byDateLegendLater')}</li>
            {lost ? <li><Swatch cls="map-marker--lost" /><L ctx={ctx} v={lost} /></li> : null}
          </ul>
        </div>
      ) : null}
      {svg ? (
        <figure class="map-figure">{raw(svg)}<figcaption>
          {caption ? <p class="map-caption"><LInline ctx={ctx} v={caption} /></p> : null}
          {/* By date, the slider's legend gives the states; the kinds are said too when the map draws more than one
              (a village's ring is not a town retaken); an estimated position is always said. */}
          <Legend ctx={ctx} places={shown} kinds={!byDate || new Set(shown.map((p) => p.kind)).size > 1} displaced={svg.includes('map-displaced-leader')} />
          <MapCredits ctx={ctx} />
        </figcaption></figure>
      ) : null}
      {range.length && drawn ? <SmallMultiples ctx={ctx} events={events} changes={changes} markers={markers} days={range} id={id} lost={lost && ctx.attr(lost)} frame={drawn} /> : null}
      {range.length ? <ByDateTable ctx={ctx} events={withContext(ctx, events, block)} changes={changes} days={range} id={id} /> : (
        <ul class="place-index">{places.map((p) => <li><a href={ctx.placePath(p)}><L ctx={ctx} v={ctx.tx(p.name)} /></a> <Coordinates ctx={ctx} place={p} /></li>)}</ul>
      )}
    </section>
  );
}

/**
 * Without script, the map on each day something changed, as small maps side
 * by side (the slider replaces them when script runs; print shows them too).
 * No labels at this size: each map is named by its day and count and
 * described by the places reached; the table below gives the same in full.
 */
function SmallMultiples({ ctx, events, changes, markers, days: range, id, lost, frame }: { ctx: Ctx; events: HistEvent[]; changes: Map<string, Change[]>; markers: MapMarker[]; days: string[]; id: string; lost: string | undefined; frame: { width: number; height: number } }) {
  const layers = mapLayers(ctx).map(({ labelOf: _labelOf, ...l }) => l);
  const byId = new Map(markers.map((m) => [m.id, m]));
  // The panels draw the block's own map again, smaller (a <use> each, on the same frame scaled): the page carries its geometry once.
  const k = SMALL_WIDTH / frame.width;
  const small = {
    width: SMALL_WIDTH, height: frame.height * k, padding: MAP_PADDING * k, fit: 'layers', lang: ctx.locale, className: 'map--small',
    sharedBase: { id: dualGeometryId(id), scale: k },
  } as const;
  const panels = range.filter((day) => events.some((e) => e.date.start === day)).map((day, i) => {
    const state = (pid: string) => {
      const list = changes.get(pid) ?? [];
      return reachedOn(list, day) ? 'reached' : list.some((c) => c.date <= day) ? 'lost' : 'later';
    };
    const names = (s: string) => markers.filter((m) => state(m.id) === s).map((m) => m.label);
    const date = formatDay(day, ctx.locale);
    const reached = [...changes.keys()].filter((pid) => state(pid) === 'reached').length;
    const lostNames = names('lost');
    const title = lostNames.length && lost
      ? ctx.t('map.byDateStatusLost', { date, count: reached, label: lost, names: lostNames.join(', ') })
      : ctx.t('map.byDateStatus', { date, count: reached });
    const description = `${ctx.t('map.byDateLegendReached')}${ctx.t('punct.colon')}${names('reached').join(', ') || '—'}`;
    // The places whose state changes that day are named on the map; the others are only drawn.
    const today = (pid: string) => (changes.get(pid) ?? []).some((c) => c.date === day);
    const svg = renderMap(layers, [...byId.values()].map((m) => ({
      id: m.id, lon: m.lon, lat: m.lat, label: today(m.id) ? m.label : '', name: m.label, ...(m.lang ? { lang: m.lang } : {}), ...(m.shape ? { shape: m.shape } : {}), ...(m.style ? { style: m.style } : {}),
      classes: state(m.id) === 'reached' ? [] : [`map-marker--${state(m.id)}`], decorative: true, ...(today(m.id) ? { priority: 10 } : {}),
    })), { ...small, title, description, idPrefix: `${id}-day${i}`, leaders: [] });
    return <li><figure>{raw(svg)}<figcaption aria-hidden="true"><time datetime={day}>{date}</time></figcaption></figure></li>;
  });
  return (
    <section class="by-date-multiples" aria-labelledby={`${id}-multiples`}>
      <h3 id={`${id}-multiples`}>{ctx.t('map.byDateMultiples')}</h3>
      <ol>{panels}</ol>
    </section>
  );
}

/** A marker's look in a state, for the slider's legend. */
function Swatch({ cls }: { cls: string }) {
  return <svg class="legend-symbol" viewBox="-8 -8 16 16" width="16" height="16" aria-hidden="true"><g class={`map-marker map-marker--primary ${cls}`.trim()}>{raw(symbol('circle', 0, 0, 5))}</g></svg>;
}

/** The map's events and its context events (a bombing, a battle, a parade: they change no place), in chronology order, for the table. */
function withContext(ctx: Ctx, events: HistEvent[], block: MapBlockData): HistEvent[] {
  const context = (block.context_events ?? []).flatMap((eid) => ctx.index.events.get(eid) ?? []);
  return context.length ? inChronology(ctx.index, [...events, ...context]) : events;
}

/** Day by day: each day's events and their places, and how many places are reached at the end of it — the map's text equivalent. */
function ByDateTable({ ctx, events, changes, days: range, id }: { ctx: Ctx; events: HistEvent[]; changes: Map<string, Change[]>; days: string[]; id: string }) {
  const rows = range.map((day) => ({
    day,
    today: events.filter((e) => e.date.start === day),
    count: [...changes.values()].filter((c) => reachedOn(c, day)).length,
  })).filter((r) => r.today.length);
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
      <table class="by-date-table">
        <caption id={`${id}-caption`}>{ctx.t('map.byDateCaption')}</caption>
        <thead><tr><th scope="col">{ctx.t('map.byDateDay')}</th><th scope="col">{ctx.t('map.byDateEvents')}</th><th scope="col">{ctx.t('map.byDateCount')}</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row"><time datetime={r.day}>{formatDay(r.day, ctx.locale)}</time></th>
              <td><ul>{r.today.map((e) => {
                // « Libération de Crest », not « Libération de Crest (Crest) »: a place the title names is not said again.
                const title = plainText(ctx.plain(e.title));
                const places = ctx.placesOf(e.places).filter((x) => !names(title, ctx.plain(x.name), ctx.locale));
                return <li><a href={`${ctx.chronologyPath()}#event-${e.id}`}><L ctx={ctx} v={ctx.tx(e.title)} /></a>{places.length ? <> ({places.map((x, i) => <>{i ? ', ' : ''}<a href={ctx.placePath(x)}><L ctx={ctx} v={ctx.tx(x.name)} /></a></>)})</> : null}</li>;
              })}</ul></td>
              <td>{String(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
