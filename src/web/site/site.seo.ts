import type { Ctx } from './site.context.ts';
import { licenceGranted, type Doc, type GlossaryEntry, type HistEvent, type Media, type Place, type Visit } from '../../modules/content/content.schema.ts';
import { DATA_PATHS } from '../../modules/geo/geo.data.ts';
import { fullUrl, originalUrl, variantUrl, widthAtLeast } from '../../modules/media/media.urls.ts';
import { plainText } from '../../modules/content/markdown.ts';

// schema.org JSON-LD: the Museum, the visit as a collection page, and each
// theme as a web page that is part of it, in the page's language.

export function museumLd(ctx: Ctx): object {
  const m = ctx.c.museum;
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Museum',
    '@id': `${ctx.publicUrl}/#museum`,
    name: ctx.plain(m.name),
    url: ctx.absolute(ctx.home()),
    description: plainText(ctx.plain(m.intro)),
  };
  if (m.address) {
    ld.address = {
      '@type': 'PostalAddress',
      streetAddress: m.address.street,
      postalCode: m.address.postal_code,
      addressLocality: m.address.locality,
      addressCountry: m.address.country,
    };
  }
  return ld;
}

export function websiteLd(ctx: Ctx): object {
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    '@id': `${ctx.publicUrl}/#website`,
    url: ctx.absolute(ctx.home()),
    name: ctx.plain(ctx.c.museum.name),
    inLanguage: ctx.c.museum.locales,
    publisher: { '@id': `${ctx.publicUrl}/#museum` },
  };
}

export function visitLd(ctx: Ctx, visit: Visit): object {
  const url = ctx.absolute(ctx.visitPath(visit));
  return {
    '@context': 'https://schema.org',
    '@type': 'CollectionPage',
    '@id': `${url}#visit`,
    url,
    name: ctx.plain(visit.title),
    description: plainText(ctx.plain(visit.summary)),
    inLanguage: ctx.locale,
    isPartOf: { '@id': `${ctx.publicUrl}/#website` },
    about: { '@id': `${ctx.publicUrl}/#museum` },
    hasPart: ctx.themesOf(visit.id).map((th, i) => ({
      '@type': 'WebPage',
      '@id': ctx.absolute(ctx.docPath(th)),
      name: ctx.docTexts(th).texts.title,
      position: i + 1,
    })),
  };
}

export function docLd(ctx: Ctx, doc: Doc, crumbs: { name: string; path: string }[]): object {
  const { texts } = ctx.docTexts(doc);
  const url = ctx.absolute(ctx.docPath(doc));
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': doc.kind === 'article' ? 'Article' : doc.kind === 'page' ? 'AboutPage' : 'WebPage',
    '@id': url,
    url,
    name: texts.title,
    inLanguage: ctx.locale,
    publisher: { '@id': `${ctx.publicUrl}/#museum` },
    breadcrumb: {
      '@type': 'BreadcrumbList',
      itemListElement: crumbs.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.name, item: ctx.absolute(c.path) })),
    },
  };
  if (doc.kind === 'article') ld.headline = texts.title;
  if (texts.summary) ld.description = plainText(texts.summary);
  if (doc.kind === 'theme') {
    const visit = ctx.visitOf(doc);
    if (visit) {
      ld.isPartOf = { '@type': 'CollectionPage', '@id': `${ctx.absolute(ctx.visitPath(visit))}#visit`, name: ctx.plain(visit.title) };
      ld.position = ctx.themeNumber(doc);
    }
  }
  return ld;
}

/** A meta description: the first given text, as plain text, cut at a word near 160 characters. */
export function describe(...candidates: (string | undefined)[]): string {
  const text = plainText(candidates.find((c) => c && c.trim()) ?? '');
  if (text.length <= 160) return text;
  const cut = text.slice(0, 157);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 100 ? cut.lastIndexOf(' ') : 157)}…`;
}

/** A media item's page: schema.org ImageObject, VideoObject or AudioObject. */
export function mediaLd(ctx: Ctx, m: Media): object {
  const type = m.kind === 'video' ? 'VideoObject' : m.kind === 'audio' ? 'AudioObject' : 'ImageObject';
  const url = ctx.absolute(ctx.mediaPath(m));
  const f = ctx.stored(m.file);
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': type,
    '@id': `${url}#media`,
    url,
    name: ctx.mediaTitle(m).text,
    caption: plainText(ctx.plain(m.caption)),
    creditText: ctx.plain(m.credit),
    inLanguage: ctx.locale,
    isPartOf: { '@id': `${ctx.publicUrl}/#website` },
  };
  const description = ctx.plain(m.description) || ctx.plain(m.alt);
  if (description) ld.description = plainText(description);
  if (m.creator) ld.creator = { '@type': 'Organization', name: m.creator };
  if (m.date) ld.dateCreated = m.date;
  if (m.license) ld.license = m.license;
  if (m.rights) ld.copyrightNotice = m.rights;
  if (f && m.kind === 'image' && f.widths) {
    ld.contentUrl = ctx.absolute(fullUrl(f));
    ld.thumbnailUrl = ctx.absolute(variantUrl(f, widthAtLeast(f, 640), 'jpg'));
    ld.width = f.width;
    ld.height = f.height;
    ld.encodingFormat = 'image/jpeg';
  } else if (f) {
    ld.contentUrl = ctx.absolute(originalUrl(f));
    ld.encodingFormat = f.mime;
    const poster = ctx.stored(m.poster);
    if (poster) ld.thumbnailUrl = ctx.absolute(variantUrl(poster, widthAtLeast(poster, 640), 'jpg'));
    const transcript = ctx.stored(m.transcript?.[ctx.locale])?.text;
    if (transcript) ld.transcript = plainText(transcript);
  }
  return ld;
}

/** A historical event as schema.org Event: its dates (ISO, as precise as known), places and page. */
/**
 * An event as schema.org describes it. Its places are named and referred to
 * by the @id under which their own page describes them in full (coordinates
 * included): the chronology's 117 events carried every place's coordinates
 * again, some 20 KB of the page that a phone parses for nothing.
 */
function eventLd(ctx: Ctx, e: HistEvent, location?: object): object {
  const description = ctx.plain(e.description);
  return {
    '@type': 'Event',
    '@id': ctx.absolute(`${ctx.chronologyPath()}#event-${e.id}`),
    name: plainText(ctx.plain(e.title)),
    startDate: e.date.start,
    ...(e.date.precision === 'range' ? { endDate: e.date.end } : {}),
    ...(description ? { description: plainText(description) } : {}),
    location: location ?? ctx.placesOf(e.places).map((p) => ({ '@type': 'Place', '@id': `${ctx.absolute(ctx.placePath(p))}#place`, name: ctx.plain(p.name) })),
  };
}

/**
 * The chronology as a schema.org Dataset: what its events cover, and where
 * they download in full (CSV, GeoJSON). It used to carry every event as an
 * Event, 53 KB of the page that a phone parsed for no reader; each event is
 * still described as an Event on the page of its place, and the data files
 * hold them all.
 */
export function chronologyLd(ctx: Ctx, events: readonly HistEvent[]): object {
  const url = ctx.absolute(ctx.chronologyPath());
  const years = events.map((e) => (e.date.precision === 'range' ? e.date.end : e.date.start).slice(0, 4)).sort();
  const starts = events.map((e) => e.date.start.slice(0, 4)).sort();
  const licence = ctx.c.museum.data_licence;
  return {
    '@context': 'https://schema.org',
    '@type': 'Dataset',
    '@id': `${url}#dataset`,
    url,
    name: `${ctx.t('chronology.title')} — ${ctx.plain(ctx.c.museum.name)}`,
    description: ctx.t('chronology.datasetDescription', { count: events.length }),
    inLanguage: ctx.locale,
    isAccessibleForFree: true,
    ...(starts.length ? { temporalCoverage: `${starts[0]}/${years[years.length - 1]}` } : {}),
    creator: { '@id': `${ctx.publicUrl}/#museum` },
    isPartOf: { '@id': `${ctx.publicUrl}/#website` },
    ...(licence && licenceGranted(licence) ? { license: licence.url } : {}),
    distribution: [
      { '@type': 'DataDownload', encodingFormat: 'text/csv', contentUrl: ctx.absolute(DATA_PATHS.eventsCsv) },
      { '@type': 'DataDownload', encodingFormat: 'application/geo+json', contentUrl: ctx.absolute(DATA_PATHS.geojson) },
    ],
  };
}

/** A place's page: schema.org Place with its coordinates and the events that happened there. */
export function placeLd(ctx: Ctx, p: Place): object {
  const url = ctx.absolute(ctx.placePath(p));
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Place',
    '@id': `${url}#place`,
    url,
    name: ctx.plain(p.name),
    geo: { '@type': 'GeoCoordinates', latitude: p.lat, longitude: p.lon },
  };
  const description = ctx.plain(p.description);
  if (description) ld.description = plainText(description);
  // In content order, as the open data lists them.
  const events = ctx.index.eventsAtPlace.get(p.id) ?? [];
  if (events.length) {
    ld.event = events.map((e) => eventLd(ctx, e, { '@id': `${url}#place` }));
  }
  return ld;
}

/** The glossary page: a schema.org DefinedTermSet, each entry a DefinedTerm with its anchor (in the page's order). */
export function glossaryLd(ctx: Ctx, entries: readonly GlossaryEntry[]): object {
  const url = ctx.absolute(ctx.glossaryPath());
  return {
    '@context': 'https://schema.org',
    '@type': 'DefinedTermSet',
    '@id': url,
    name: ctx.t('glossary.title'),
    inLanguage: ctx.locale,
    hasDefinedTerm: entries.map((e) => {
      const abbr = typeof e.abbreviation === 'string' ? e.abbreviation : ctx.plain(e.abbreviation);
      return {
        '@type': 'DefinedTerm', '@id': `${url}#${e.id}`, url: `${url}#${e.id}`,
        name: ctx.plain(e.term), ...(abbr ? { termCode: abbr } : {}), description: plainText(ctx.plain(e.definition)),
      };
    }),
  };
}
