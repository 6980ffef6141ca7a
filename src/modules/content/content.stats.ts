import type { Content, Doc } from './content.schema.ts';
import { SECTION_KINDS } from './content.schema.ts';
import { renderMarkdown } from '../site/markdown.ts';

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
  const order = { theme: 0, article: 1, page: 2 } as const;
  return [...c.docs]
    .sort((a, b) => order[a.kind] - order[b.kind] || (a.visit ?? '').localeCompare(b.visit ?? '') || a.position - b.position || a.id.localeCompare(b.id))
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
