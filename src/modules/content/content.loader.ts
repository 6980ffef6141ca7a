import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { bytewise } from '../../db/database.ts';
import type { Block, Content, Doc, DocKind, EventDate, GeoLayer, GlossaryEntry, HistEvent, LocaleMap, Media, Museum, Place, StoredFile, Visit } from './content.schema.ts';
import { MEDIA_DATA, MEDIA_TEXTS } from './content.repository.ts';

// Reads the whole content aggregate back into the domain model. Rows become
// locale maps; absent translations stay absent (fallback is decided when
// rendering, so that the page can say which text is a fallback).

type Row = Record<string, unknown>;

// Locale maps are built in the museum's language order, whatever order the
// database returns rows in, so that exports are identical on every dialect.
function localeTools(order: string[]) {
  const rank = (l: unknown) => {
    const i = order.indexOf(String(l));
    return i < 0 ? order.length : i;
  };
  const byLocale = (a: { locale: string }, b: { locale: string }) => rank(a.locale) - rank(b.locale) || a.locale.localeCompare(b.locale);
  // Rows are sorted once per table (the array is cached): building a map is then one pass.
  const sorted = new WeakMap<object, Row[]>();
  const mapOf = <R extends Row & { locale: string }>(rows: R[], key: keyof R, field: keyof R): Map<string, LocaleMap> => {
    const out = new Map<string, LocaleMap>();
    let inOrder = sorted.get(rows) as R[] | undefined;
    if (!inOrder) {
      inOrder = [...rows].sort(byLocale);
      sorted.set(rows, inOrder);
    }
    for (const r of inOrder) {
      const v = r[field];
      if (v === null || v === undefined) continue;
      const id = String(r[key]);
      const m = out.get(id) ?? {};
      m[r.locale] = String(v);
      out.set(id, m);
    }
    return out;
  };
  return { byLocale, mapOf };
}
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** Rows grouped by a key in one pass, each group in the rows' order: linear, where a filter per entity was quadratic. */
function groupBy<R>(rows: readonly R[], key: (r: R) => string): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    const g = out.get(k);
    if (g) g.push(r);
    else out.set(k, [r]);
  }
  return out;
}

export interface LoadOptions {
  /**
   * Where the block texts of a document in a language come from, when it is
   * not the database now (all read at once): a getter then reads them when
   * first asked for (content.texts.ts: the render worker's way).
   */
  blockTexts?: (kind: DocKind, id: string, locale: string) => Doc['texts'][string]['blocks'];
}

export async function loadContent(db: Kysely<Database>, options: LoadOptions = {}): Promise<Content | undefined> {
  const museumRow = await db.selectFrom('museum').selectAll().executeTakeFirst();
  if (!museumRow) return undefined;
  const { byLocale, mapOf } = localeTools(JSON.parse(museumRow.locales) as string[]);
  const mt = await db.selectFrom('museum_translation').selectAll().execute();
  const mf = (f: keyof (typeof mt)[number]) => mapOf(mt, 'museum_id', f).get(museumRow.id);
  const museum: Museum = {
    id: museumRow.id,
    default_locale: museumRow.default_locale,
    locales: JSON.parse(museumRow.locales) as string[],
    name: mf('name') ?? {},
    intro: mf('intro') ?? {},
    about_site: mf('about_site') ?? {},
  };
  const shortName = mf('short_name');
  if (shortName) museum.short_name = shortName;
  if (museumRow.address) museum.address = JSON.parse(museumRow.address) as Museum['address'];
  if (museumRow.data_licence) museum.data_licence = JSON.parse(museumRow.data_licence) as Museum['data_licence'];
  if (museumRow.pending_media === 'show' || museumRow.pending_media === 'hide') museum.pending_media = museumRow.pending_media;
  if (museumRow.style) museum.style = JSON.parse(museumRow.style) as Museum['style'];
  const credits = mf('credits');
  if (credits) museum.credits = credits;

  const vt = await db.selectFrom('visit_translation').selectAll().execute();
  const [vTitle, vSlug, vSummary] = (['title', 'slug', 'summary'] as const).map((f) => mapOf(vt, 'visit_id', f));
  const visits: Visit[] = (await db.selectFrom('visit').selectAll().orderBy('position').execute()).map((v) => ({
    id: v.id, primary: v.is_primary === 1,
    title: vTitle!.get(v.id) ?? {},
    slug: vSlug!.get(v.id) ?? {},
    summary: vSummary!.get(v.id) ?? {},
  }));

  const dt = await db.selectFrom('document_translation').selectAll().execute();
  const blocks = await db.selectFrom('block').selectAll().orderBy('position').execute();
  const lazy = options.blockTexts;
  const bt = lazy ? [] : await db.selectFrom('block_translation').selectAll().execute();
  const docKey = (kind: string, id: string) => `${kind}\u0000${id}`;
  const blocksOf = groupBy(blocks, (b) => docKey(b.doc_kind, b.doc_id));
  const textsOf = groupBy([...dt].sort(byLocale), (t) => docKey(t.kind, t.id));
  const blockTextsOf = groupBy(bt, (b) => `${docKey(b.doc_kind, b.doc_id)}\u0000${b.locale}`);
  const docs: Doc[] = (await db.selectFrom('document').selectAll().orderBy(bytewise(db, 'kind')).orderBy('position').orderBy(bytewise(db, 'id')).execute()).map((d) => {
    const doc: Doc = {
      kind: d.kind as DocKind, id: d.id, position: d.position,
      blocks: (blocksOf.get(docKey(d.kind, d.id)) ?? [])
        .map((b) => ({ id: b.block_id, kind: b.block_kind, ...(JSON.parse(b.data) as object) }) as Block),
      texts: {},
    };
    if (d.visit_id) doc.visit = d.visit_id;
    for (const t of textsOf.get(docKey(d.kind, d.id)) ?? []) {
      const texts: Doc['texts'][string] = { title: t.title, slug: t.slug, blocks: {} };
      if (t.summary !== null) texts.summary = t.summary;
      if (t.lead !== null) texts.lead = t.lead;
      if (lazy) {
        const [kind, id, locale] = [doc.kind, d.id, t.locale];
        Object.defineProperty(texts, 'blocks', { get: () => lazy(kind, id, locale), enumerable: true });
      }
      for (const b of blockTextsOf.get(`${docKey(d.kind, d.id)}\u0000${t.locale}`) ?? []) {
        const entry: Doc['texts'][string]['blocks'][string] = {};
        if (b.body !== null) entry.body = b.body;
        if (b.caption !== null) entry.caption = b.caption;
        if (b.title !== null) entry.title = b.title;
        if (b.source !== null) entry.source = b.source;
        texts.blocks[b.block_id] = entry;
      }
      doc.texts[t.locale] = texts;
    }
    return doc;
  });

  const medt = await db.selectFrom('media_translation').selectAll().execute();
  const medMaps = Object.fromEntries(MEDIA_TEXTS.map((k) => [k, mapOf(medt, 'media_id', k)]));
  const media: Media[] = (await db.selectFrom('media').selectAll().orderBy('position').execute()).map((x) => {
    const data = (x.data ? JSON.parse(x.data) : {}) as Partial<Media>;
    const item = { id: x.id, kind: x.kind as Media['kind'], caption: {}, credit: {} } as Media;
    for (const k of ['file', 'rights', 'source', 'date'] as const) { const v = opt(x[k]); if (v !== undefined) item[k] = v; }
    if (x.width !== null) item.width = x.width;
    if (x.height !== null) item.height = x.height;
    for (const k of MEDIA_DATA) if (data[k] !== undefined) (item as Record<string, unknown>)[k] = data[k];
    for (const k of MEDIA_TEXTS) { const v = medMaps[k]?.get(x.id); if (v) item[k] = v; }
    return item;
  });
  const files: Record<string, StoredFile> = {};
  for (const f of await db.selectFrom('media_file').selectAll().orderBy(bytewise(db, 'path')).execute()) {
    const info = (f.info ? JSON.parse(f.info) : {}) as Pick<StoredFile, 'widths' | 'placeholder'>;
    const s: StoredFile = { hash: f.hash, mime: f.mime, bytes: f.bytes };
    if (f.width !== null) s.width = f.width;
    if (f.height !== null) s.height = f.height;
    if (info.widths) s.widths = info.widths;
    if (info.placeholder) s.placeholder = info.placeholder;
    if (f.text !== null) s.text = f.text;
    files[f.path] = s;
  }

  const pt = await db.selectFrom('place_translation').selectAll().execute();
  const [pName, pDescription, pKindLabel] = [mapOf(pt, 'place_id', 'name'), mapOf(pt, 'place_id', 'description'), mapOf(pt, 'place_id', 'kind_label')];
  const places: Place[] = (await db.selectFrom('place').selectAll().orderBy('position').execute()).map((x) => {
    const p: Place = { id: x.id, kind: x.kind as Place['kind'], lat: x.lat, lon: x.lon, name: pName.get(x.id) ?? {} };
    if (x.precision !== null) p.precision = x.precision as NonNullable<Place['precision']>;
    const d = pDescription.get(x.id);
    if (d) p.description = d;
    const k = pKindLabel.get(x.id);
    if (k) p.kind_label = k;
    return p;
  });

  const et = await db.selectFrom('event_translation').selectAll().execute();
  const link = async (t: 'event_place' | 'event_theme' | 'event_tag') => {
    const rows = await db.selectFrom(t).selectAll().orderBy(bytewise(db, 'event_id')).orderBy('position').execute();
    const m = new Map<string, string[]>();
    for (const r of rows) {
      const list = m.get(r.event_id);
      if (list) list.push(r.target);
      else m.set(r.event_id, [r.target]);
    }
    return m;
  };
  const [ep, eth, etag] = [await link('event_place'), await link('event_theme'), await link('event_tag')];
  const [eTitle, eDescription] = [mapOf(et, 'event_id', 'title'), mapOf(et, 'event_id', 'description')];
  const events: HistEvent[] = (await db.selectFrom('event').selectAll().orderBy('position').execute()).map((x) => {
    const date = (x.precision === 'range' ? { precision: 'range', start: x.date_start, end: x.date_end } : { precision: x.precision, start: x.date_start }) as EventDate;
    const e: HistEvent = {
      id: x.id, date, places: ep.get(x.id) ?? [], themes: eth.get(x.id) ?? [], tags: etag.get(x.id) ?? [],
      title: eTitle.get(x.id) ?? {},
    };
    const d = eDescription.get(x.id);
    if (d) e.description = d;
    return e;
  });
  const lt = await db.selectFrom('geo_layer_translation').selectAll().execute();
  const [lCredit, lName] = [mapOf(lt, 'layer_id', 'credit'), mapOf(lt, 'layer_id', 'name')];
  const layers: GeoLayer[] = (await db.selectFrom('geo_layer').selectAll().orderBy('position').execute()).map((x) => {
    const layer: GeoLayer = { id: x.id, role: x.role as GeoLayer['role'], file: x.file, credit: lCredit.get(x.id) ?? {}, data: JSON.parse(x.data) as GeoLayer['data'] };
    const name = lName.get(x.id);
    if (name) layer.name = name;
    if (x.label_property !== null) layer.label_property = x.label_property;
    return layer;
  });
  const tagT = await db.selectFrom('tag_translation').selectAll().execute();
  const tagLabel = mapOf(tagT, 'tag_id', 'label');
  const tags = (await db.selectFrom('tag').selectAll().orderBy('position').execute()).map((t) => ({ id: t.id, label: tagLabel.get(t.id) ?? {} }));
  const gt = await db.selectFrom('glossary_translation').selectAll().execute();
  const [gTerm, gAbbr, gDefinition] = (['term', 'abbreviation', 'definition'] as const).map((f) => mapOf(gt, 'entry_id', f));
  const glossary = (await db.selectFrom('glossary_entry').selectAll().orderBy('position').execute()).map((g) => {
    const e: GlossaryEntry = { id: g.id, term: gTerm!.get(g.id) ?? {}, definition: gDefinition!.get(g.id) ?? {} };
    const abbr = g.abbreviation ?? gAbbr!.get(g.id);
    if (abbr !== undefined) e.abbreviation = abbr;
    // The key order of the bundle (id, term, abbreviation, definition): an export writes them back alike.
    return { id: e.id, term: e.term, ...(e.abbreviation !== undefined ? { abbreviation: e.abbreviation } : {}), definition: e.definition };
  });
  return { museum, visits, docs, media, places, events, layers, tags, glossary, files };
}
