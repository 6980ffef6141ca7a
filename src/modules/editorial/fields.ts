import { z } from 'zod';
import { DocFrontMatter, SECTION_KINDS, textProblem, type BlockKind, type BlockTexts } from '../content/content.schema.ts';
import type { DocData } from './documents.ts';

// A document's texts as the editor's form fields: one string per field and
// language, named `<locale>.title`, `<locale>.block.<id>.body`… Forms post
// these; saving applies them to the document's current state; a conflict is
// judged field by field against the revision the form was made from.

export const DOC_TEXT_FIELDS = ['title', 'slug', 'summary', 'lead'] as const;
export const BLOCK_TEXT_FIELDS = ['body', 'title', 'caption', 'source'] as const;
export type DocTextField = (typeof DOC_TEXT_FIELDS)[number];
export type BlockTextField = (typeof BLOCK_TEXT_FIELDS)[number];

export type Fields = Record<string, string>;

export interface FieldName {
  locale: string;
  /** A document's own text, or a block's. */
  field: DocTextField | BlockTextField;
  block?: string;
}

export const fieldName = (f: FieldName): string => (f.block ? `${f.locale}.block.${f.block}.${f.field}` : `${f.locale}.${f.field}`);
/** The element id of a field in the editor (the dashboard and publish problems link to it). */
export const fieldId = (f: FieldName): string => (f.block ? `field-${f.locale}-block-${f.block}-${f.field}` : `field-${f.locale}-${f.field}`);

export function parseFieldName(name: string): FieldName | undefined {
  const m = /^([a-z]{2,3}(?:-[A-Z]{2})?)\.(?:block\.([a-z0-9]+(?:-[a-z0-9]+)*)\.(body|title|caption|source)|(title|slug|summary|lead))$/.exec(name);
  if (!m) return undefined;
  return m[2] ? { locale: m[1]!, block: m[2], field: m[3] as BlockTextField } : { locale: m[1]!, field: m[4] as DocTextField };
}

/** The texts each block kind has (docs/bundle-format.md, "Blocks"): the editor offers them all, filled or not. */
const KIND_TEXTS: Record<BlockKind, readonly BlockTextField[]> = {
  text: ['body'], quote: ['body', 'source'], note: ['body', 'title'], figure: ['caption'], gallery: ['title'], video: ['caption'], audio: ['caption'],
  chronology: ['title'], map: ['title', 'caption'], chart: ['title', 'caption', 'source'], links: ['title'],
};

/** Whether a block's text must be there in every language it is written in (the others are optional). */
export const requiredText = (kind: BlockKind, field: BlockTextField): boolean =>
  (field === 'body' && SECTION_KINDS.has(kind)) || (kind === 'quote' && field === 'source') || (kind === 'chart' && field === 'title');

/** The text fields a block shows in the editor: those of its kind, and whichever others any language uses. */
export function blockFields(doc: DocData, blockId: string): BlockTextField[] {
  const block = doc.blocks.find((b) => b.id === blockId);
  if (!block) return [];
  const used = new Set<BlockTextField>(KIND_TEXTS[block.kind]);
  for (const t of Object.values(doc.texts)) for (const f of BLOCK_TEXT_FIELDS) if (t.blocks[blockId]?.[f] !== undefined) used.add(f);
  return BLOCK_TEXT_FIELDS.filter((f) => used.has(f));
}

/** Every field of a document in these languages, with its value ('' when missing). */
export function fieldsOf(doc: DocData, locales: readonly string[]): Fields {
  const out: Fields = {};
  for (const locale of locales) {
    const t = doc.texts[locale];
    for (const field of DOC_TEXT_FIELDS) out[fieldName({ locale, field })] = t?.[field] ?? '';
    for (const b of doc.blocks) for (const field of blockFields(doc, b.id)) out[fieldName({ locale, field, block: b.id })] = t?.blocks[b.id]?.[field] ?? '';
  }
  return out;
}

const Body = z.string().trim().min(1, 'admin.field.required').max(20_000, 'admin.field.tooLong').superRefine((s, ctx) => {
  if (textProblem(s, false)) ctx.addIssue({ code: 'custom', message: 'admin.content.badText' });
});

/** Catalogue keys for the bundle schema's issues, so that a curator reads them in the admin's language. */
function keyOfIssue(i: z.core.$ZodIssue): string {
  if (i.code === 'too_small') return 'admin.field.required';
  if (i.code === 'too_big') return 'admin.field.tooLong';
  if (i.code === 'invalid_format') return 'admin.content.badSlug';
  return i.message.startsWith('admin.') ? i.message : 'admin.content.badText';
}

export type ApplyResult = { ok: true; doc: DocData } | { ok: false; errors: Record<string, string> };

/**
 * The document with these fields' values, validated with the bundle's schemas (DocFrontMatter for a language's
 * texts, the Markdown rules for bodies). A language whose fields are all empty has no texts (not the default one).
 * Errors are catalogue keys by field name; fields not given keep their current value.
 */
export function applyFields(current: DocData, fields: Fields, defaultLocale: string): ApplyResult {
  const doc = structuredClone(current);
  const errors: Record<string, string> = {};
  const locales = new Set(Object.keys(fields).map((n) => parseFieldName(n)?.locale).filter((l): l is string => !!l));
  for (const locale of locales) {
    const merged = { ...fieldsOf(current, [locale]), ...Object.fromEntries(Object.entries(fields).filter(([n]) => parseFieldName(n)?.locale === locale)) };
    const value = (n: string) => (merged[n] ?? '').replace(/\r\n?/g, '\n').trim();
    const all = Object.keys(merged).map(value);
    if (all.every((v) => v === '') && locale !== defaultLocale) {
      delete doc.texts[locale];
      continue;
    }
    const blocks: Record<string, BlockTexts> = {};
    const bodies: Record<string, string> = {};
    for (const b of doc.blocks) {
      const entry: Record<string, string> = {};
      for (const field of blockFields(current, b.id)) {
        const v = value(fieldName({ locale, field, block: b.id }));
        if (v === '') continue;
        if (field === 'body') {
          const parsed = Body.safeParse(v);
          if (!parsed.success) errors[fieldName({ locale, field, block: b.id })] = keyOfIssue(parsed.error.issues[0]!);
          bodies[b.id] = v;
        } else entry[field] = v;
      }
      if (Object.keys(entry).length) blocks[b.id] = entry;
    }
    const front = Object.fromEntries(DOC_TEXT_FIELDS.map((f) => [f, value(fieldName({ locale, field: f }))]).filter(([, v]) => v !== ''));
    const parsed = DocFrontMatter.safeParse({ ...front, blocks });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const [first, block, field] = i.path.map(String);
        const name = first === 'blocks' && block && field ? fieldName({ locale, block, field: field as BlockTextField }) : fieldName({ locale, field: (first ?? 'title') as DocTextField });
        errors[name] ??= i.code === 'invalid_type' ? 'admin.field.required' : keyOfIssue(i);
      }
      continue;
    }
    const texts: DocData['texts'][string] = { title: parsed.data.title, slug: parsed.data.slug, blocks: {} };
    if (parsed.data.summary !== undefined) texts.summary = parsed.data.summary;
    if (parsed.data.lead !== undefined) texts.lead = parsed.data.lead;
    for (const b of doc.blocks) {
      const entry: BlockTexts = { ...(parsed.data.blocks?.[b.id] ?? {}) };
      if (bodies[b.id] !== undefined) entry.body = bodies[b.id];
      if (Object.keys(entry).length) texts.blocks[b.id] = entry;
    }
    doc.texts[locale] = texts;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, doc };
}

/**
 * Yours against theirs, from the revision both started from: a field you changed keeps your value, one you left
 * keeps theirs; a conflict is a field both changed differently. Saving the merged fields loses no one's work.
 */
export function mergeFields(base: Fields, theirs: Fields, yours: Fields): { merged: Fields; conflicts: string[] } {
  const merged: Fields = { ...theirs };
  const conflicts: string[] = [];
  for (const [name, mine] of Object.entries(yours)) {
    const was = base[name] ?? '';
    const now = theirs[name] ?? '';
    if (mine.trim() === was.trim()) continue;
    merged[name] = mine;
    if (now.trim() !== was.trim() && now.trim() !== mine.trim()) conflicts.push(name);
  }
  return { merged, conflicts };
}
