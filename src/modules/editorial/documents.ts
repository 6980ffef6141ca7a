import { createHash } from 'node:crypto';
import type { Content, Doc, DocKind, GeoLayer, GlossaryEntry, HistEvent, Media, Museum, Place, StoredFile, Tag, Visit } from '../content/content.schema.ts';

// The editorial model's documents (docs/decisions/0022): the site's content
// cut into the pieces staff edit, save and publish one by one, each with its
// own history. A document's state is plain JSON; `split` and `join` go from
// the aggregate the site renders (Content) to documents and back, and
// join(split(c)) is c (test/editorial-documents.test.ts checks it on the demo).

export type PartKind = 'museum' | 'order' | 'visit' | DocKind | 'media' | 'place' | 'event' | 'tag' | 'glossary' | 'layer';

/** A visit with the order of its themes (a theme's position is its place in this list). */
export type VisitData = Visit & { themes: string[] };
/** A theme has no position of its own: its visit orders it. Articles and pages keep theirs. */
export type DocData = Omit<Doc, 'position'> & { position?: number };
/** A media item with what import learned of its files (by bundle path). */
export type MediaData = Media & { files?: Record<string, StoredFile> };
/** The order of every list of the content that no other document orders. */
export interface OrderData {
  visits: string[];
  media: string[];
  places: string[];
  events: string[];
  tags: string[];
  glossary: string[];
  layers: string[];
}

export type Part =
  | { kind: 'museum'; id: 'museum'; data: Museum }
  | { kind: 'order'; id: 'order'; data: OrderData }
  | { kind: 'visit'; id: string; data: VisitData }
  | { kind: DocKind; id: string; data: DocData }
  | { kind: 'media'; id: string; data: MediaData }
  | { kind: 'place'; id: string; data: Place }
  | { kind: 'event'; id: string; data: HistEvent }
  | { kind: 'tag'; id: string; data: Tag }
  | { kind: 'glossary'; id: string; data: GlossaryEntry }
  | { kind: 'layer'; id: string; data: GeoLayer };

const SINGLE = new Set<PartKind>(['museum', 'order']);
export const PART_KINDS: readonly PartKind[] = ['museum', 'order', 'visit', 'theme', 'article', 'page', 'media', 'place', 'event', 'tag', 'glossary', 'layer'];
const isPartKind = (s: string): s is PartKind => (PART_KINDS as readonly string[]).includes(s);

/** A document's key: "museum", "order", or "<kind>/<id>". */
export const keyOf = (kind: PartKind, id: string): string => (SINGLE.has(kind) ? kind : `${kind}/${id}`);
export function parseKey(key: string): { kind: PartKind; id: string } | undefined {
  if (key === 'museum' || key === 'order') return { kind: key, id: key };
  const slash = key.indexOf('/');
  const kind = key.slice(0, slash);
  const id = key.slice(slash + 1);
  return slash > 0 && isPartKind(kind) && !SINGLE.has(kind) && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) ? { kind, id } : undefined;
}

/** The bundle paths a media item names (its original, other encodings, poster, text tracks). */
export function mediaPaths(m: Media): string[] {
  return [m.file, ...(m.sources ?? []), m.poster, ...Object.values(m.captions ?? {}), ...Object.values(m.chapters ?? {}), ...Object.values(m.transcript ?? {})]
    .filter((p): p is string => p !== undefined);
}

export function split(c: Content): Part[] {
  const parts: Part[] = [{ kind: 'museum', id: 'museum', data: c.museum }];
  parts.push({ kind: 'order', id: 'order', data: {
    visits: c.visits.map((v) => v.id), media: c.media.map((m) => m.id), places: c.places.map((p) => p.id), events: c.events.map((e) => e.id),
    tags: c.tags.map((t) => t.id), glossary: c.glossary.map((g) => g.id), layers: c.layers.map((l) => l.id),
  } });
  for (const v of c.visits) {
    const themes = c.docs.filter((d) => d.kind === 'theme' && d.visit === v.id).sort((a, b) => a.position - b.position).map((d) => d.id);
    parts.push({ kind: 'visit', id: v.id, data: { ...v, themes } });
  }
  for (const d of c.docs) {
    const { position, ...rest } = d;
    parts.push({ kind: d.kind, id: d.id, data: d.kind === 'theme' ? rest : { ...rest, position } });
  }
  const files = c.files ?? {};
  for (const m of c.media) {
    const own = Object.fromEntries(mediaPaths(m).filter((p) => files[p]).map((p) => [p, files[p]!]));
    parts.push({ kind: 'media', id: m.id, data: Object.keys(own).length ? { ...m, files: own } : m });
  }
  for (const p of c.places) parts.push({ kind: 'place', id: p.id, data: p });
  for (const e of c.events) parts.push({ kind: 'event', id: e.id, data: e });
  for (const t of c.tags) parts.push({ kind: 'tag', id: t.id, data: t });
  for (const g of c.glossary) parts.push({ kind: 'glossary', id: g.id, data: g });
  for (const l of c.layers) parts.push({ kind: 'layer', id: l.id, data: l });
  return parts;
}

/** Items in the order `ids` gives; those it does not name (added since) after them, by id. */
function ordered<T extends { id: string }>(items: T[], ids: readonly string[]): T[] {
  const at = new Map(ids.map((id, i) => [id, i]));
  const rank = (x: T) => at.get(x.id) ?? Number.MAX_SAFE_INTEGER;
  return [...items].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const bytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The aggregate the documents make, or undefined without a museum. */
export function join(parts: readonly Part[]): Content | undefined {
  let museum: Museum | undefined;
  let order: OrderData = { visits: [], media: [], places: [], events: [], tags: [], glossary: [], layers: [] };
  const visits: VisitData[] = [];
  const docs: Doc[] = [];
  const themes: DocData[] = [];
  const media: MediaData[] = [];
  const places: Place[] = [];
  const events: HistEvent[] = [];
  const tags: Tag[] = [];
  const glossary: GlossaryEntry[] = [];
  const layers: GeoLayer[] = [];
  for (const p of parts) {
    switch (p.kind) {
      case 'museum': museum = p.data; break;
      case 'order': order = p.data; break;
      case 'visit': visits.push(p.data); break;
      case 'theme': themes.push(p.data); break;
      case 'article': case 'page': docs.push({ ...p.data, position: p.data.position ?? 0 } as Doc); break;
      case 'media': media.push(p.data); break;
      case 'place': places.push(p.data); break;
      case 'event': events.push(p.data); break;
      case 'tag': tags.push(p.data); break;
      case 'glossary': glossary.push(p.data); break;
      case 'layer': layers.push(p.data); break;
    }
  }
  if (!museum) return undefined;
  const sortedVisits = ordered(visits, order.visits);
  // A theme's position is its rank in its visit's list, counted from 1 (01-… in a bundle).
  const rank = new Map<string, number>();
  // Counted among the themes there are: one taken off the site leaves no gap in the numbers.
  const present = new Set(themes.map((t) => `${t.visit}/${t.id}`));
  for (const v of sortedVisits) v.themes.filter((id) => present.has(`${v.id}/${id}`)).forEach((id, i) => rank.set(`${v.id}/${id}`, i + 1));
  const unranked = themes.filter((t) => !rank.has(`${t.visit}/${t.id}`)).sort((a, b) => bytes(a.id, b.id));
  for (const t of themes) {
    const position = rank.get(`${t.visit}/${t.id}`) ?? 10_000 + unranked.indexOf(t);
    docs.push({ ...t, position } as Doc);
  }
  docs.sort((a, b) => bytes(a.kind, b.kind) || a.position - b.position || bytes(a.id, b.id));
  const files: Record<string, StoredFile> = {};
  const items: Media[] = ordered(media, order.media).map((m) => {
    const { files: own, ...item } = m;
    Object.assign(files, own);
    return item;
  });
  const sortedFiles = Object.fromEntries(Object.keys(files).sort(bytes).map((k) => [k, files[k]!]));
  return {
    museum,
    visits: sortedVisits.map(({ themes: _themes, ...v }) => v),
    docs,
    media: items,
    places: ordered(places, order.places),
    events: ordered(events, order.events),
    layers: ordered(layers, order.layers),
    tags: ordered(tags, order.tags),
    glossary: ordered(glossary, order.glossary),
    files: sortedFiles,
  };
}

/** JSON with keys in a stable order, so that equal states have equal digests whatever order their keys were set in. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]]))
    : x));
}

export const digestOf = (json: string): string => createHash('sha256').update(json).digest('hex');
