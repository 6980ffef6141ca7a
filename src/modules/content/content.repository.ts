import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Content, Media } from './content.schema.ts';
import { notifyContentChanged } from '../../db/changes.ts';

type Q = Kysely<Database> | Transaction<Database>;

// The only place with queries on content tables. The visit is one aggregate:
// it is written whole (import) and read whole (rendering, export).

const ALL_TABLES = [
  'glossary_translation', 'glossary_entry', 'tag_translation', 'tag', 'geo_layer_translation', 'geo_layer',
  'event_tag', 'event_theme', 'event_place', 'event_translation', 'event',
  'place_translation', 'place', 'block_translation', 'block', 'document_translation',
  'document', 'media_file', 'media_translation', 'media', 'visit_translation', 'visit',
  'museum_translation', 'museum',
] as const;

export async function deleteAllContent(q: Q): Promise<void> {
  for (const t of ALL_TABLES) await q.deleteFrom(t).execute();
}

/** The meta key of the published content's version: every serving process loads the new content when it changes. */
export const CONTENT_VERSION_KEY = 'content_version';

/**
 * Replaces the published content (the tables the site renders from) inside a
 * write transaction, and gives it a new version: import and publish both end
 * here, all or nothing. Returns the new version.
 */
export async function writeProjection(trx: Transaction<Database>, content: Content): Promise<string> {
  await deleteAllContent(trx);
  await insertContent(trx, content);
  const version = String(Number((await readMeta(trx, CONTENT_VERSION_KEY)) ?? '0') + 1);
  await writeMeta(trx, CONTENT_VERSION_KEY, version);
  // Delivered at commit to every serving process that listens (PostgreSQL): they load it at once.
  await notifyContentChanged(trx, version);
  return version;
}

async function insertMany<T extends keyof Database>(q: Q, table: T, rows: Database[T][]): Promise<void> {
  // Chunked so that no statement exceeds SQLite's variable limit.
  for (let i = 0; i < rows.length; i += 50) {
    await q.insertInto(table).values(rows.slice(i, i + 50) as never).execute();
  }
}

const json = (v: unknown) => JSON.stringify(v);
const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export async function insertContent(q: Q, c: Content): Promise<void> {
  const { museum: m } = c;
  await q.insertInto('museum').values({ id: m.id, default_locale: m.default_locale, locales: json(m.locales), address: m.address ? json(m.address) : null, data_licence: m.data_licence ? json(m.data_licence) : null, pending_media: n(m.pending_media), style: m.style ? json(m.style) : null }).execute();
  await insertMany(q, 'museum_translation', m.locales.map((l) => ({
    museum_id: m.id, locale: l, name: n(m.name[l]), short_name: n(m.short_name?.[l]), intro: n(m.intro[l]),
    about_site: n(m.about_site[l]), credits: n(m.credits?.[l]),
  })));
  await insertMany(q, 'visit', c.visits.map((v, i) => ({ id: v.id, is_primary: v.primary ? 1 : 0, position: i })));
  await insertMany(q, 'visit_translation', c.visits.flatMap((v) => m.locales.map((l) => ({
    visit_id: v.id, locale: l, title: n(v.title[l]), slug: n(v.slug[l]), summary: n(v.summary[l]),
  }))));
  await insertMany(q, 'document', c.docs.map((d) => ({ kind: d.kind, id: d.id, visit_id: n(d.visit), position: d.position })));
  await insertMany(q, 'document_translation', c.docs.flatMap((d) => Object.entries(d.texts).map(([l, t]) => ({
    kind: d.kind, id: d.id, locale: l, title: t.title, slug: t.slug, summary: n(t.summary), lead: n(t.lead),
  }))));
  await insertMany(q, 'block', c.docs.flatMap((d) => d.blocks.map((b, i) => {
    const { id, kind, ...data } = b;
    return { doc_kind: d.kind, doc_id: d.id, block_id: id, position: i, block_kind: kind, data: json(data) };
  })));
  await insertMany(q, 'block_translation', c.docs.flatMap((d) => Object.entries(d.texts).flatMap(([l, t]) =>
    Object.entries(t.blocks).map(([bid, bt]) => ({
      doc_kind: d.kind, doc_id: d.id, block_id: bid, locale: l,
      body: n(bt.body), caption: n(bt.caption), title: n(bt.title), source: n(bt.source),
    })))));
  await insertMany(q, 'media', c.media.map((x, i) => ({
    id: x.id, kind: x.kind, position: i, file: n(x.file), width: n(x.width), height: n(x.height),
    rights: n(x.rights), source: n(x.source), date: n(x.date), data: mediaData(x),
  })));
  await insertMany(q, 'media_translation', c.media.flatMap((x) => m.locales
    .filter((l) => MEDIA_TEXTS.some((k) => x[k]?.[l] !== undefined))
    .map((l) => ({
      media_id: x.id, locale: l, alt: n(x.alt?.[l]), caption: n(x.caption[l]), credit: n(x.credit[l]),
      title: n(x.title?.[l]), description: n(x.description?.[l]), subject: n(x.subject?.[l]),
    }))));
  await insertMany(q, 'media_file', Object.entries(c.files ?? {}).map(([path, f]) => ({
    path, hash: f.hash, mime: f.mime, bytes: f.bytes, width: n(f.width), height: n(f.height),
    info: f.widths || f.placeholder ? json({ widths: f.widths, placeholder: f.placeholder }) : null, text: n(f.text),
  })));
  await insertMany(q, 'tag', c.tags.map((t, i) => ({ id: t.id, position: i })));
  await insertMany(q, 'tag_translation', c.tags.flatMap((t) => Object.entries(t.label).map(([l, label]) => ({ tag_id: t.id, locale: l, label }))));
  await insertMany(q, 'glossary_entry', c.glossary.map((g, i) => ({ id: g.id, position: i, abbreviation: typeof g.abbreviation === 'string' ? g.abbreviation : null })));
  await insertMany(q, 'glossary_translation', c.glossary.flatMap((g) => m.locales
    .filter((l) => g.term[l] ?? g.definition[l] ?? (typeof g.abbreviation === 'object' ? g.abbreviation[l] : undefined))
    .map((l) => ({
      entry_id: g.id, locale: l, term: n(g.term[l]), definition: n(g.definition[l]),
      abbreviation: typeof g.abbreviation === 'object' ? n(g.abbreviation[l]) : null,
    }))));
  await insertMany(q, 'geo_layer', c.layers.map((x, i) => ({
    id: x.id, position: i, role: x.role, file: x.file, label_property: n(x.label_property), data: json(x.data),
  })));
  await insertMany(q, 'geo_layer_translation', c.layers.flatMap((x) => m.locales
    .filter((l) => x.name?.[l] ?? x.credit[l])
    .map((l) => ({ layer_id: x.id, locale: l, name: n(x.name?.[l]), credit: n(x.credit[l]) }))));
  await insertMany(q, 'place', c.places.map((x, i) => ({ id: x.id, kind: x.kind, position: i, lat: x.lat, lon: x.lon, precision: n(x.precision) })));
  await insertMany(q, 'place_translation', c.places.flatMap((x) => m.locales
    .filter((l) => x.name[l] ?? x.description?.[l] ?? x.kind_label?.[l])
    .map((l) => ({ place_id: x.id, locale: l, name: n(x.name[l]), description: n(x.description?.[l]), kind_label: n(x.kind_label?.[l]) }))));
  await insertMany(q, 'event', c.events.map((e, i) => ({
    id: e.id, position: i, precision: e.date.precision, date_start: e.date.start, date_end: e.date.precision === 'range' ? e.date.end : null,
  })));
  await insertMany(q, 'event_translation', c.events.flatMap((e) => m.locales
    .filter((l) => e.title[l] ?? e.description?.[l])
    .map((l) => ({ event_id: e.id, locale: l, title: n(e.title[l]), description: n(e.description?.[l]) }))));
  const links = (pick: (e: Content['events'][number]) => string[]) =>
    c.events.flatMap((e) => pick(e).map((target, position) => ({ event_id: e.id, position, target })));
  await insertMany(q, 'event_place', links((e) => e.places));
  await insertMany(q, 'event_theme', links((e) => e.themes));
  await insertMany(q, 'event_tag', links((e) => e.tags));
}

/** The translatable fields of a media item, one column each in media_translation. */
export const MEDIA_TEXTS = ['alt', 'caption', 'credit', 'title', 'description', 'subject'] as const;
/** The language-neutral fields of a media item that have no column of their own. */
export const MEDIA_DATA = ['creator', 'identifier', 'license', 'poster', 'sources', 'captions', 'chapters', 'transcript', 'external'] as const;

function mediaData(x: Media): string | null {
  const data = Object.fromEntries(MEDIA_DATA.filter((k) => x[k] !== undefined).map((k) => [k, x[k]]));
  return Object.keys(data).length ? json(data) : null;
}

/**
 * One document's block texts in one language, with the content version the
 * database holds (`versionKey` in meta): one statement, so both come from the
 * same moment. At least one row (the version's) when the key exists; block_id
 * is null when the document has no block text in that language.
 */
export function blockTextsQuery(q: Q, versionKey: string, kind: string, id: string, locale: string) {
  return q.selectFrom('meta')
    .leftJoin('block_translation as bt', (j) => j.on('bt.doc_kind', '=', kind).on('bt.doc_id', '=', id).on('bt.locale', '=', locale))
    .select(['meta.value as version', 'bt.block_id', 'bt.body', 'bt.caption', 'bt.title', 'bt.source'])
    .where('meta.key', '=', versionKey)
    .compile();
}

export async function readMeta(q: Q, key: string): Promise<string | undefined> {
  const row = await q.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writeMeta(q: Q, key: string, value: string): Promise<void> {
  await q.deleteFrom('meta').where('key', '=', key).execute();
  await q.insertInto('meta').values({ key, value }).execute();
}

/** Content hashes of every stored media file the content names (the media store keeps these and no others). */
export async function storedHashes(q: Q): Promise<Set<string>> {
  const rows = await q.selectFrom('media_file').select('hash').where('text', 'is', null).execute();
  return new Set(rows.map((r) => r.hash));
}

/** The published museum's languages, in menu order; none before the first import. */
export async function publishedLocales(q: Q): Promise<string[]> {
  const r = await q.selectFrom('museum').select('locales').executeTakeFirst();
  return r ? (JSON.parse(r.locales) as string[]) : [];
}
