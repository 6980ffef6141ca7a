import type { Content, Doc } from './content.schema.ts';
import { SECTION_KINDS } from './content.schema.ts';
import { renderMarkdown } from './markdown.ts';

/** Words of a piece of Markdown as a reader sees them: markup removed, a word being a run of letters or digits with its joining apostrophes and hyphens (a number keeps its separators: 1,500 or 1 300 is one word). */
export function countWords(markdown: string): number {
  const text = renderMarkdown(markdown).replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/gi, ' ');
  return text.match(/[\p{L}\p{N}]+(?:(?:['’-]|(?<=\p{N})[,.\u00a0\u202f](?=\p{N}))[\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/**
 * The reading length of a document in one language: its lead and the Markdown
 * sections of its text, quote and note blocks (headings included; captions,
 * titles and data excluded). Undefined when the document has no text of its
 * own in that language (visitors then see the default language).
 */
export function docWords(doc: Doc, locale: string): number | undefined {
  const t = doc.texts[locale];
  if (!t) return undefined;
  let n = t.lead ? countWords(t.lead) : 0;
  for (const b of doc.blocks) {
    if (SECTION_KINDS.has(b.kind)) n += countWords(t.blocks[b.id]?.body ?? '');
  }
  return n;
}

export interface DocStats {
  kind: Doc['kind'];
  id: string;
  visit?: string;
  position: number;
  /** Words per enabled locale; undefined where that language falls back to the default. */
  words: Record<string, number | undefined>;
  /** Blocks with a Markdown section that has no text in that locale (they fall back). */
  missingSections: Record<string, string[]>;
}

/** Per-document, per-language reading length and missing translations, in document order. */
export function contentStats(c: Content): DocStats[] {
  return docsInOrder(c)
    .map((doc) => {
      const words: Record<string, number | undefined> = {};
      const missingSections: Record<string, string[]> = {};
      for (const l of c.museum.locales) {
        words[l] = docWords(doc, l);
        const t = doc.texts[l];
        missingSections[l] = t ? doc.blocks.filter((b) => SECTION_KINDS.has(b.kind) && !t.blocks[b.id]?.body?.trim()).map((b) => b.id) : [];
      }
      return { kind: doc.kind, id: doc.id, visit: doc.visit, position: doc.position, words, missingSections };
    });
}

/** One field that a language does not have, though the default language does: visitors see the default's text there. */
export interface Untranslated {
  entity: 'museum' | 'visit' | 'theme' | 'article' | 'page' | 'media' | 'place' | 'event' | 'tag' | 'layer' | 'glossary';
  id: string;
  /** e.g. "title", "alt", "block intro: body"; "*" when the whole document has no file in that language. */
  field: string;
  locale: string;
}

type Maps = Record<string, Record<string, string> | undefined>;

/** One of a document's texts: its own (title, summary, lead) or a block's. */
export interface DocText {
  field: 'title' | 'summary' | 'lead' | 'body' | 'caption' | 'source';
  block?: string;
  /** Whether the language has it. */
  done: boolean;
}

/**
 * The texts of a document that its default language has (title, summary, lead, each block's body, title, caption
 * and source), in the editor's order, and whether `locale` has each: what a translation of it must give.
 */
export function docTranslation(d: Pick<Doc, 'texts' | 'blocks'>, def: string, locale: string): DocText[] {
  const base = d.texts[def];
  if (!base) return [];
  const own = d.texts[locale];
  const out: DocText[] = [];
  for (const f of ['title', 'summary', 'lead'] as const) if (base[f] !== undefined) out.push({ field: f, done: own?.[f] !== undefined });
  for (const b of d.blocks) {
    const bt = base.blocks[b.id] ?? {};
    const ot = own?.blocks[b.id] ?? {};
    for (const f of ['body', 'title', 'caption', 'source'] as const) if (bt[f]?.trim()) out.push({ field: f, block: b.id, done: !!ot[f]?.trim() });
  }
  return out;
}

/**
 * Every translatable field, in every kind of entry, that has a text in the
 * default language and none in another enabled language, grouped by language
 * and in the order of the site (museum, visits, documents, media, places,
 * events, tags, layers, glossary).
 */
export function untranslated(c: Content): Untranslated[] {
  const def = c.museum.default_locale;
  const out: Untranslated[] = [];
  for (const locale of c.museum.locales) {
    if (locale === def) continue;
    const gaps = (entity: Untranslated['entity'], id: string, maps: Maps) => {
      for (const [field, m] of Object.entries(maps)) if (m?.[def] !== undefined && m[locale] === undefined) out.push({ entity, id, field, locale });
    };
    const { museum } = c;
    gaps('museum', museum.id, { name: museum.name, short_name: museum.short_name, intro: museum.intro, about_site: museum.about_site, credits: museum.credits });
    for (const v of c.visits) gaps('visit', v.id, { title: v.title, summary: v.summary });
    for (const d of docsInOrder(c)) {
      const own = d.texts[locale];
      const base = d.texts[def];
      if (!base) continue;
      if (!own) {
        out.push({ entity: d.kind, id: d.id, field: '*', locale });
        continue;
      }
      for (const t of docTranslation(d, def, locale)) {
        if (!t.done) out.push({ entity: d.kind, id: d.id, field: t.block ? `block ${t.block}: ${t.field}` : t.field, locale });
      }
      for (const b of d.blocks) {
        if (b.kind === 'links') {
          b.items.forEach((it, i) => {
            if ('label' in it && it.label[def] !== undefined && it.label[locale] === undefined) out.push({ entity: d.kind, id: d.id, field: `block ${b.id}: link ${i + 1} label`, locale });
          });
        }
      }
    }
    for (const m of c.media) gaps('media', m.id, { title: m.title, caption: m.caption, alt: m.alt, description: m.description, subject: m.subject, credit: m.credit });
    for (const p of c.places) gaps('place', p.id, { name: p.name, description: p.description, kind_label: p.kind_label });
    for (const e of c.events) gaps('event', e.id, { title: e.title, description: e.description });
    for (const t of c.tags) gaps('tag', t.id, { label: t.label });
    for (const l of c.layers) gaps('layer', l.id, { name: l.name, credit: l.credit });
    for (const g of c.glossary) gaps('glossary', g.id, { term: g.term, abbreviation: typeof g.abbreviation === 'object' ? g.abbreviation : undefined, definition: g.definition });
  }
  return out;
}

function docsInOrder(c: Content): Doc[] {
  const order = { theme: 0, article: 1, page: 2 } as const;
  return [...c.docs].sort((a, b) => order[a.kind] - order[b.kind] || (a.visit ?? '').localeCompare(b.visit ?? '') || a.position - b.position || a.id.localeCompare(b.id));
}
