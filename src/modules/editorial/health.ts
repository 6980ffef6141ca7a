import type { BlockKind, Content, DocKind, Media } from '../content/content.schema.ts';
import { docTranslation } from '../content/content.stats.ts';
import { brokenReferences, docReferences, eventReferences, existsIn, missingAlt, type BrokenReference } from '../content/content.references.ts';
import { keyOf } from './documents.ts';
import { blockFields, type FieldName } from './fields.ts';

// The content's health as the admin's dashboard shows it (docs/admin.md,
// "Dashboard"), computed from the drafts: per language the share of a
// document's texts that are translated and where the gaps are, media without
// alt text or caption in a language, references that lead nowhere. The rules
// are the bundle's (content.references.ts, content.stats.ts): what publishing
// would refuse is marked so. Every gap names the editor's field when the
// editor has one (fields.ts), so that the page can link to it.

/** A document's blocks, for the labels of its fields ("Block 3 (text), text"). */
export type BlockOutline = { id: string; kind: BlockKind }[];

export interface DocGaps {
  kind: DocKind;
  id: string;
  /** The texts of the default language this language lacks, in the editor's order. */
  missing: FieldName[];
  blocks: BlockOutline;
}

export interface LanguageHealth {
  locale: string;
  /** Texts of the default language (titles, summaries, leads, block texts) … */
  texts: number;
  /** … and how many of them this language has. */
  translated: number;
  /** The documents with gaps, in the site's order. */
  docs: DocGaps[];
}

export interface MediaGap {
  id: string;
  kind: Media['kind'];
  locale: string;
  /** An image without alt text in this language. */
  alt: boolean;
  caption: boolean;
  /** Publishing refuses it (the bundle's alt text rule). */
  required: boolean;
}

export interface ReferenceGap {
  owner: { kind: DocKind | 'event'; id: string };
  ref: BrokenReference;
  /** The editor's field nearest to the reference: its block's first text, in the default language. */
  field?: FieldName;
  blocks?: BlockOutline;
}

export interface ContentHealth {
  defaultLocale: string;
  /** Every language but the default one, in the museum's order. */
  languages: LanguageHealth[];
  media: MediaGap[];
  references: ReferenceGap[];
  /** The documents' titles by key ("theme/minerals") and language: what the dashboard's lists show. */
  titles: Record<string, Record<string, string>>;
}

const DOC_ORDER = { theme: 0, article: 1, page: 2 } as const;

export function contentHealth(c: Content): ContentHealth {
  const def = c.museum.default_locale;
  const docs = [...c.docs].sort((a, b) => DOC_ORDER[a.kind] - DOC_ORDER[b.kind] || a.position - b.position || (a.id < b.id ? -1 : 1));
  const outline = (d: (typeof docs)[number]): BlockOutline => d.blocks.map((b) => ({ id: b.id, kind: b.kind }));

  const languages: LanguageHealth[] = c.museum.locales.filter((l) => l !== def).map((locale) => {
    let texts = 0;
    let translated = 0;
    const gaps: DocGaps[] = [];
    for (const d of docs) {
      const all = docTranslation(d, def, locale);
      texts += all.length;
      const missing = all.filter((t) => !t.done);
      translated += all.length - missing.length;
      if (missing.length) gaps.push({ kind: d.kind, id: d.id, blocks: outline(d), missing: missing.map((t) => (t.block ? { locale, field: t.field, block: t.block } : { locale, field: t.field as FieldName['field'] })) });
    }
    return { locale, texts, translated, docs: gaps };
  });

  const media: MediaGap[] = [];
  for (const locale of c.museum.locales) {
    for (const m of c.media) {
      const alt = m.kind === 'image' && !m.alt?.[locale];
      const caption = !m.caption[locale];
      if (alt || caption) media.push({ id: m.id, kind: m.kind, locale, alt, caption, required: alt && missingAlt(m, def).includes(locale) });
    }
  }

  const byId = new Map(c.media.map((m) => [m.id, m]));
  const exists = existsIn(c);
  const references: ReferenceGap[] = [];
  for (const d of docs) {
    for (const ref of brokenReferences(docReferences(d), byId, exists)) {
      const first = ref.block ? blockFields(d, ref.block.id)[0] : undefined;
      references.push({ owner: { kind: d.kind, id: d.id }, ref, blocks: outline(d), ...(first && ref.block ? { field: { locale: def, field: first, block: ref.block.id } } : {}) });
    }
  }
  for (const e of c.events) for (const ref of brokenReferences(eventReferences(e), byId, exists)) references.push({ owner: { kind: 'event', id: e.id }, ref });

  const titles: Record<string, Record<string, string>> = {};
  for (const d of c.docs) titles[keyOf(d.kind, d.id)] = Object.fromEntries(Object.entries(d.texts).map(([l, t]) => [l, t.title]));
  for (const v of c.visits) titles[keyOf('visit', v.id)] = v.title;
  for (const m of c.media) titles[keyOf('media', m.id)] = m.title ?? m.caption;
  for (const e of c.events) titles[keyOf('event', e.id)] = e.title;
  for (const p of c.places) titles[keyOf('place', p.id)] = p.name;
  titles.museum = c.museum.name;
  return { defaultLocale: def, languages, media, references, titles };
}
