import type { z } from 'zod';
import type { Problem } from '../../modules/bundle/bundle.problems.ts';
import { HistEvent, Media, Museum, Place, Visit } from '../../modules/content/content.schema.ts';
import type { DocData } from '../../modules/editorial/documents.ts';
import type { Head } from '../../modules/editorial/editorial.service.ts';
import { applyFields, DOC_TEXT_FIELDS, fieldId, fieldsOf, parseFieldName, type Fields } from '../../modules/editorial/fields.ts';
import { applyMapFields, EVENT_TEXTS, mapFieldsOf, MEDIA_TEXTS, MUSEUM_TEXTS, parseMapField, PLACE_TEXTS, VISIT_TEXTS, type MapSpec } from '../../modules/editorial/maps.ts';
import type { DocStatus, PublishProblem } from './content.views.tsx';

// What the content routes make of documents: their titles, their state for
// people, their texts as form fields (a theme's blocks and texts; a visit's
// or the museum's language maps), a publish problem as a link to its field.

export const titleIn = (texts: Record<string, { title?: string }> | undefined, locales: string[]): string | undefined => {
  for (const l of locales) if (texts?.[l]?.title) return texts[l]!.title;
  return undefined;
};

/** A language map's value in the first of these languages that has one. */
export const inMap = (m: Record<string, string> | undefined, locales: string[]): string | undefined => locales.map((l) => m?.[l]).find((v) => !!v);

/** How a document's texts become form fields and back: a theme's, article's or page's; a visit's or the museum's language maps. */
export interface TextModel {
  localeOf(name: string): string | undefined;
  fieldsOf(data: unknown, locales: readonly string[]): Fields;
  apply(data: unknown, changed: Fields, defaultLocale: string): { ok: true; data: unknown } | { ok: false; errors: Record<string, string> };
}

const DOC_MODEL: TextModel = {
  localeOf: (n) => parseFieldName(n)?.locale,
  fieldsOf: (data, locales) => fieldsOf(data as DocData, locales),
  apply: (data, changed, defaultLocale) => {
    const r = applyFields(data as DocData, changed, defaultLocale);
    return r.ok ? { ok: true, data: r.doc } : r;
  },
};
const mapModel = (spec: MapSpec, schema: z.ZodType, omit: string[]): TextModel => ({
  localeOf: (n) => parseMapField(n, spec)?.locale,
  fieldsOf: (data, locales) => mapFieldsOf(data, spec, locales),
  apply: (data, changed, defaultLocale) => applyMapFields(data, spec, changed, defaultLocale, schema, omit),
});
const VISIT_MODEL = mapModel(VISIT_TEXTS, Visit, ['id', 'themes']);
const MUSEUM_MODEL = mapModel(MUSEUM_TEXTS, Museum, []);
/** The documents whose texts are language maps, with the spec of their fields. */
export const MAP_SPECS: Record<string, MapSpec> = { visit: VISIT_TEXTS, museum: MUSEUM_TEXTS, media: MEDIA_TEXTS, event: EVENT_TEXTS, place: PLACE_TEXTS };
const MAP_MODELS: Record<string, TextModel> = {
  visit: VISIT_MODEL, museum: MUSEUM_MODEL,
  // A media item's document carries what import learned of its files: not part of the bundle's Media.
  media: mapModel(MEDIA_TEXTS, Media, ['files']),
  event: mapModel(EVENT_TEXTS, HistEvent, []),
  place: mapModel(PLACE_TEXTS, Place, []),
};
export const modelOf = (d: { kind: string }): TextModel => MAP_MODELS[d.kind] ?? DOC_MODEL;

export function statusOf(h: Head | undefined): DocStatus {
  if (!h) return 'published';
  if (h.published === null) return h.draft === null ? 'unpublished' : 'new';
  return h.draft === null ? 'published' : 'draft';
}

/** A publish problem as a line, and a link to the field when the editor has it. */
export function problemLink(p: Problem): PublishProblem {
  const message = `${p.file ? `${p.file}: ` : ''}${p.message}`;
  if (p.entity && p.id && ['media', 'event', 'place'].includes(p.entity)) {
    const name = p.field && MAP_SPECS[p.entity]!.names.includes(p.field) && p.locale ? `#field-${p.locale}-${p.field}` : '';
    return { message, href: `/admin/content/${p.entity}/${p.id}${name}` };
  }
  if (!p.entity || !p.id || !(['theme', 'article', 'page'] as const).includes(p.entity as 'theme')) return { message };
  const field = (DOC_TEXT_FIELDS as readonly string[]).includes(p.field ?? '') && p.locale ? `#${fieldId({ locale: p.locale, field: p.field as 'title' })}` : '';
  return { message, href: `/admin/content/${p.entity}/${p.id}${field}` };
}

