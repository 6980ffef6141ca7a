import { stringify } from 'csv-stringify/sync';
import { isApproximate, licenceGranted, type Content, type DataLicence, type HistEvent } from '../content/content.schema.ts';
import { translator } from '../../i18n/messages.ts';
import { eventsByPlace } from '../content/content.events.ts';

/** ISO 8601: a day, month or year as written; a range as start/end. */
const iso = (e: HistEvent) => (e.date.precision === 'range' ? `${e.date.start}/${e.date.end}` : e.date.start);
/** The URL segment of place pages in a language. */
const placeSegment = (l: string) => translator(l)('route.places');

// The places and events as open data: GeoJSON (places as points, with their
// events) and CSV (one file each), every language in its own column, so that
// a teacher or a researcher can reuse them in a spreadsheet or a GIS.

export const DATA_PATHS = { geojson: '/data/places.geojson', placesCsv: '/data/places.csv', eventsCsv: '/data/events.csv' } as const;

const byLocale = (c: Content, prefix: string, map: Record<string, string> | undefined) =>
  Object.fromEntries(c.museum.locales.map((l) => [`${prefix}_${l}`, map?.[l] ?? '']));

/**
 * A text cell that starts with = + - @, a tab or a carriage return gets a
 * leading quote, so that a spreadsheet shows it instead of running it
 * (OWASP, CSV injection); numbers (a longitude of -1.5) are written as numbers.
 */
const CSV_OPTIONS = { header: true, bom: true, escape_formulas: true } as const;

/** `license` when the museum grants it, `proposed_license` while it waits for the museum's confirmation. */
function licenceMember(l: DataLicence | undefined): Record<string, { name: string; url: string }> {
  if (!l) return {};
  return { [licenceGranted(l) ? 'license' : 'proposed_license']: { name: l.name, url: l.url } };
}

/** A GeoJSON FeatureCollection of the places, each with its events, in every language. */
export function placesGeoJson(c: Content, base: string): string {
  const name = c.museum.name[c.museum.default_locale] ?? c.museum.id;
  const at = eventsByPlace(c.events);
  return JSON.stringify({
    type: 'FeatureCollection',
    name: `${name}: places and events`,
    attribution: `${name}, ${base}/`,
    // Foreign members (RFC 7946 §6.1): the licence the museum grants for these data, if any;
    // a licence only proposed is named apart, so that no reader takes it for granted.
    ...licenceMember(c.museum.data_licence),
    features: c.places.map((p) => ({
      type: 'Feature',
      id: p.id,
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: {
        id: p.id,
        kind: p.kind,
        // Always stated, so that a GIS can style or filter the estimated points.
        precision: isApproximate(p) ? 'approximate' : 'exact',
        name: p.name,
        description: p.description ?? {},
        url: Object.fromEntries(c.museum.locales.map((l) => [l, `${base}/${l}/${placeSegment(l)}/${p.id}`])),
        events: (at.get(p.id) ?? []).map((e) => ({ id: e.id, date: iso(e), precision: e.date.precision, title: e.title, themes: e.themes, tags: e.tags })),
      },
    })),
  });
}

/** Places as CSV: id, kind, latitude, longitude, precision (exact or approximate), then name and description per language. */
export function placesCsv(c: Content): string {
  const at = eventsByPlace(c.events);
  const rows = c.places.map((p) => ({
    id: p.id, kind: p.kind, latitude: p.lat, longitude: p.lon, precision: isApproximate(p) ? 'approximate' : 'exact',
    ...byLocale(c, 'name', p.name), ...byLocale(c, 'description', p.description),
    events: (at.get(p.id) ?? []).map((e) => e.id).join(' '),
  }));
  return stringify(rows, CSV_OPTIONS);
}

/** Events as CSV: id, ISO date, precision, places, themes, tags, then title and description per language. */
export function eventsCsv(c: Content): string {
  const rows = c.events.map((e) => ({
    id: e.id, date: iso(e), precision: e.date.precision, date_start: e.date.start, date_end: e.date.precision === 'range' ? e.date.end : '',
    places: e.places.join(' '), themes: e.themes.join(' '), tags: e.tags.join(' '),
    ...byLocale(c, 'title', e.title), ...byLocale(c, 'description', e.description),
  }));
  return stringify(rows, CSV_OPTIONS);
}
