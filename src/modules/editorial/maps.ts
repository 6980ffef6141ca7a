import type { z } from 'zod';
import type { Fields } from './fields.ts';

// The texts of the museum's settings and of a visit: language maps
// ({fr: …, en: …}) at the top of the document, edited as form fields named
// `<locale>.<name>` like a theme's, and validated with the bundle's own
// schema of the whole document (Museum, Visit), so that a field's error is
// the bundle's rule said beside it.

export interface MapSpec {
  /** The document's language maps the editor shows, in order. */
  names: readonly string[];
  /** Those every language the document is written in must have. */
  required: ReadonlySet<string>;
  /** Those written as paragraphs rather than a line. */
  long: ReadonlySet<string>;
}

export const MUSEUM_TEXTS: MapSpec = {
  names: ['name', 'short_name', 'intro', 'about_site', 'credits'],
  required: new Set(['name', 'intro', 'about_site']),
  long: new Set(['intro', 'about_site', 'credits']),
};
/** A media item's texts (its Dublin Core title and description, what shows with it). Alt text is needed for images only. */
export const MEDIA_TEXTS: MapSpec = {
  names: ['title', 'alt', 'caption', 'credit', 'description'],
  required: new Set(['caption']),
  long: new Set(['alt', 'caption', 'description']),
};
export const EVENT_TEXTS: MapSpec = { names: ['title', 'description'], required: new Set(['title']), long: new Set(['description']) };
export const PLACE_TEXTS: MapSpec = { names: ['name', 'kind_label', 'description'], required: new Set(['name']), long: new Set(['description']) };
export const VISIT_TEXTS: MapSpec = { names: ['title', 'slug', 'summary'], required: new Set(['title', 'slug', 'summary']), long: new Set(['summary']) };

const LOCALE = /^([a-z]{2,3}(?:-[A-Z]{2})?)\.([a-z_]+)$/;

/** The language and name of a field of this spec, or undefined. */
export function parseMapField(name: string, spec: MapSpec): { locale: string; name: string } | undefined {
  const m = LOCALE.exec(name);
  return m && spec.names.includes(m[2]!) ? { locale: m[1]!, name: m[2]! } : undefined;
}

type Maps = Record<string, Record<string, string> | undefined>;

export function mapFieldsOf(data: unknown, spec: MapSpec, locales: readonly string[]): Fields {
  const maps = data as Maps;
  const out: Fields = {};
  for (const locale of locales) for (const n of spec.names) out[`${locale}.${n}`] = maps[n]?.[locale] ?? '';
  return out;
}

export type MapApply<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

/**
 * The document with these fields' values (an empty field removes that language's text; an optional map left empty
 * goes), checked with `schema` (the bundle's, for the whole document, given without the keys `omit` names). Errors
 * are catalogue keys by field name.
 */
export function applyMapFields<T>(data: T, spec: MapSpec, fields: Fields, defaultLocale: string, schema: z.ZodType, omit: readonly string[] = []): MapApply<T> {
  const next = structuredClone(data) as Maps;
  for (const [field, raw] of Object.entries(fields)) {
    const f = parseMapField(field, spec);
    if (!f) continue;
    const v = raw.replace(/\r\n?/g, '\n').trim();
    const map = { ...(next[f.name] ?? {}) };
    if (v === '') delete map[f.locale];
    else map[f.locale] = v;
    next[f.name] = map;
  }
  const errors: Record<string, string> = {};
  // The languages the document is written in: any of its texts has them.
  const written = new Set(spec.names.flatMap((n) => Object.keys(next[n] ?? {})));
  for (const n of spec.names) {
    const map = next[n] ?? {};
    if (!Object.keys(map).length && !spec.required.has(n)) delete next[n];
    // A text given in some language is given in the default one too (the bundle's rule for every language map).
    if ((spec.required.has(n) || Object.keys(map).length) && !map[defaultLocale]) errors[`${defaultLocale}.${n}`] = 'admin.field.required';
    // A language the document is written in needs each required text in it too.
    if (spec.required.has(n)) for (const l of written) if (!map[l]) errors[`${l}.${n}`] ??= 'admin.field.required';
  }
  const checked = Object.fromEntries(Object.entries(next).filter(([k]) => !omit.includes(k)));
  const parsed = schema.safeParse(checked);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const [n, locale] = i.path.map(String);
      const name = n && spec.names.includes(n) ? `${locale ?? defaultLocale}.${n}` : `${defaultLocale}.${spec.names[0]}`;
      errors[name] ??= i.code === 'too_big' ? 'admin.field.tooLong' : i.code === 'invalid_format' ? 'admin.content.badSlug' : 'admin.content.badText';
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: next as T };
}
