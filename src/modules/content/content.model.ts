import type { Block, Content, Doc, GlossaryEntry, HistEvent, Media, Place, Tag, Visit } from './content.schema.ts';
import { isPending, mediaIdsOf } from './content.schema.ts';
import type { EventSelection } from './content.events.ts';

// The content as an indexed read model, built once per content version: every
// lookup a page needs is a map access, so that rendering one page costs what
// the page shows, not the size of the museum. The rules are those of
// content.events.ts (chronology order, what a block selects, events at a
// place), computed once here instead of once per page.

export interface ContentModel {
  /** Documents by `${kind}/${id}` (the first one when ids repeat, as a search would find). */
  docs: Map<string, Doc>;
  visits: Map<string, Visit>;
  places: Map<string, Place>;
  events: Map<string, HistEvent>;
  /** The media items visitors see: one with no file yet only when the museum shows them (museum.pending_media). */
  media: Map<string, Media>;
  tags: Map<string, Tag>;
  glossary: Map<string, GlossaryEntry>;
  /** The primary visit (or the first). */
  primary: Visit;
  /** The visits that are not primary, in content order. */
  otherVisits: Visit[];
  /** Each visit's themes, by position. */
  themesByVisit: Map<string, Doc[]>;
  /** A theme's index in its visit's list (0 for the first). */
  themeIndex: Map<string, number>;
  /** Every event in chronology order (see sortEvents): sorted once. */
  chronology: HistEvent[];
  /** An event's index in `chronology`. */
  chronologyRank: Map<string, number>;
  /** The events that happened at a place, in content order (as eventsAt). */
  eventsAtPlace: Map<string, HistEvent[]>;
  /** The same, in chronology order. */
  eventsAtPlaceSorted: Map<string, HistEvent[]>;
  /** The events a theme tells (their `themes` name it), in chronology order. */
  eventsByTheme: Map<string, HistEvent[]>;
  /** The events carrying a tag, in chronology order. */
  eventsByTag: Map<string, HistEvent[]>;
  /** The tags the events use, in the order they first appear in the content. */
  usedTags: string[];
  /** The years of the events (YYYY), ascending. */
  years: string[];
  /** The documents whose blocks show a media item, in content order. */
  docsShowing: Map<string, Doc[]>;
  /** The themes whose map blocks name a place, by place. */
  themesMappingPlace: Map<string, Doc[]>;
  /** The themes whose links blocks name an article, in content order, by article id. */
  themesLinkingArticle: Map<string, Doc[]>;
  /** The "by date" map blocks of the themes, in content order (the map page shows them all). */
  byDateMaps: { doc: Doc; block: Extract<Block, { kind: 'map' }> }[];
  /** The first standalone page (about). */
  about: Doc | undefined;
  /** A document's index in the content, to keep content order where a rule sorts on something else. */
  docRank: Map<Doc, number>;
  /** A place's index in the content. */
  placeRank: Map<string, number>;
}

/** A map by id that keeps the first of repeated ids, as `find` would. */
function byId<T>(items: readonly T[], key: (t: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const it of items) if (!out.has(key(it))) out.set(key(it), it);
  return out;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function buildModel(c: Content): ContentModel {
  const primary = c.visits.find((v) => v.primary) ?? c.visits[0];
  if (!primary) throw new Error('content has no visit');
  const docRank = new Map(c.docs.map((d, i) => [d, i]));

  const themesByVisit = new Map<string, Doc[]>(c.visits.map((v) => [v.id, []]));
  for (const d of c.docs) if (d.kind === 'theme' && d.visit !== undefined) themesByVisit.get(d.visit)?.push(d);
  const themeIndex = new Map<string, number>();
  for (const list of themesByVisit.values()) {
    list.sort((a, b) => a.position - b.position);
    list.forEach((d, i) => { if (!themeIndex.has(d.id)) themeIndex.set(d.id, i); });
  }

  // Chronology order: by start date, then content order (the rule of sortEvents).
  const pos = new Map(c.events.map((e, i) => [e.id, i]));
  const chronology = [...c.events].sort((a, b) => a.date.start.localeCompare(b.date.start) || (pos.get(a.id) ?? 0) - (pos.get(b.id) ?? 0));
  const chronologyRank = new Map<string, number>();
  chronology.forEach((e, i) => { if (!chronologyRank.has(e.id)) chronologyRank.set(e.id, i); });

  const eventsAtPlace = new Map<string, HistEvent[]>();
  const usedTags = new Set<string>();
  for (const e of c.events) {
    for (const p of new Set(e.places)) push(eventsAtPlace, p, e);
    for (const t of e.tags) usedTags.add(t);
  }
  const eventsAtPlaceSorted = new Map<string, HistEvent[]>();
  const eventsByTheme = new Map<string, HistEvent[]>();
  const eventsByTag = new Map<string, HistEvent[]>();
  for (const e of chronology) {
    for (const p of new Set(e.places)) push(eventsAtPlaceSorted, p, e);
    for (const th of new Set(e.themes)) push(eventsByTheme, th, e);
    for (const t of new Set(e.tags)) push(eventsByTag, t, e);
  }

  const docsShowing = new Map<string, Doc[]>();
  const themesMappingPlace = new Map<string, Doc[]>();
  const themesLinkingArticle = new Map<string, Doc[]>();
  const byDateMaps: ContentModel['byDateMaps'] = [];
  for (const d of c.docs) {
    for (const id of new Set(mediaIdsOf(d))) push(docsShowing, id, d);
    if (d.kind !== 'theme') continue;
    const mapped = new Set<string>();
    const linked = new Set<string>();
    for (const b of d.blocks) {
      if (b.kind === 'map') {
        for (const p of b.places ?? []) mapped.add(p);
        if (b.by_date === true) byDateMaps.push({ doc: d, block: b });
      }
      if (b.kind === 'links') for (const it of b.items) if ('article' in it) linked.add(it.article);
    }
    for (const p of mapped) push(themesMappingPlace, p, d);
    for (const a of linked) push(themesLinkingArticle, a, d);
  }

  return {
    docs: byId(c.docs, (d) => `${d.kind}/${d.id}`),
    visits: byId(c.visits, (v) => v.id),
    places: byId(c.places, (p) => p.id),
    events: byId(c.events, (e) => e.id),
    media: byId(c.museum.pending_media === 'show' ? c.media : c.media.filter((m) => !isPending(m)), (m) => m.id),
    tags: byId(c.tags, (t) => t.id),
    glossary: byId(c.glossary, (g) => g.id),
    primary,
    otherVisits: c.visits.filter((v) => !v.primary),
    themesByVisit,
    themeIndex,
    chronology,
    chronologyRank,
    eventsAtPlace,
    eventsAtPlaceSorted,
    eventsByTheme,
    eventsByTag,
    usedTags: [...usedTags],
    years: [...new Set(c.events.map((e) => e.date.start.slice(0, 4)))].sort(),
    docsShowing,
    themesMappingPlace,
    themesLinkingArticle,
    byDateMaps,
    about: c.docs.find((d) => d.kind === 'page'),
    docRank,
    placeRank: new Map(c.places.map((p, i) => [p.id, i])),
  };
}

/** Events in chronology order, by their rank in the model (the order sortEvents gives). */
export function inChronology(m: ContentModel, events: Iterable<HistEvent>): HistEvent[] {
  return [...events].sort((a, b) => (m.chronologyRank.get(a.id) ?? 0) - (m.chronologyRank.get(b.id) ?? 0));
}

/**
 * What a map or chronology block selects (the rule of selectEvents): its
 * listed events, and those carrying its tag or lost tag within its dates, in
 * chronology order. Reads only the listed events and the tags' events.
 */
export function selectIn(m: ContentModel, b: EventSelection): HistEvent[] {
  const inRange = (e: HistEvent) => (!b.from || e.date.start >= b.from) && (!b.to || e.date.start <= b.to);
  const out = new Set<HistEvent>();
  for (const id of b.events ?? []) {
    const e = m.events.get(id);
    if (e) out.add(e);
  }
  for (const tag of [b.tag, b.lost_tag]) {
    if (tag === undefined) continue;
    for (const e of m.eventsByTag.get(tag) ?? []) if (inRange(e)) out.add(e);
  }
  return inChronology(m, out);
}

/** Themes that tell a place's story: those of its events, and those whose map blocks name it; by position, then content order. */
export function themesTellingPlace(m: ContentModel, placeId: string): Doc[] {
  const found = new Set<Doc>(m.themesMappingPlace.get(placeId) ?? []);
  for (const e of m.eventsAtPlace.get(placeId) ?? []) {
    for (const id of e.themes) {
      const d = m.docs.get(`theme/${id}`);
      if (d) found.add(d);
    }
  }
  return [...found].sort((a, b) => a.position - b.position || (m.docRank.get(a) ?? 0) - (m.docRank.get(b) ?? 0));
}
