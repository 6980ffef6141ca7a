import { Museum } from '../content/content.schema.ts';

// The museum's settings that are not texts (issue 16): its postal address,
// its look (colour in the light and dark schemes, typeface) and whether media
// still to come are shown. Edited as form fields named like their path
// (`address.postal_code`, `style.accent`), checked with the bundle's Museum
// schema; the publish check adds the contrast rule.

export const MUSEUM_OPTIONS = [
  'address.street', 'address.postal_code', 'address.locality', 'address.country',
  'style.accent', 'style.accent_dark', 'style.font', 'pending_media',
] as const;
export type MuseumOption = (typeof MUSEUM_OPTIONS)[number];

type Data = Museum & { [k: string]: unknown };

export function optionsOf(m: Museum): Record<MuseumOption, string> {
  const get = (path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], m);
  return Object.fromEntries(MUSEUM_OPTIONS.map((p) => [p, String(get(p) ?? '')])) as Record<MuseumOption, string>;
}

export type OptionsResult = { ok: true; museum: Museum } | { ok: false; errors: Record<string, string> };

/** The museum with these settings (an empty field removes it; a group left empty goes), checked with the bundle's schema. */
export function applyOptions(m: Museum, form: Record<string, string | undefined>): OptionsResult {
  const next = structuredClone(m) as Data;
  for (const path of MUSEUM_OPTIONS) {
    const v = (form[path] ?? '').trim();
    const [group, key] = path.split('.') as [string, string | undefined];
    if (!key) {
      if (v) next[group] = v;
      else delete next[group];
      continue;
    }
    const o = { ...((next[group] as Record<string, string> | undefined) ?? {}) };
    if (v) o[key] = group === 'style' && key !== 'font' ? v.toLowerCase() : v;
    else delete o[key];
    if (Object.keys(o).length) next[group] = o;
    else delete next[group];
  }
  const parsed = Museum.safeParse(next);
  if (parsed.success) return { ok: true, museum: next };
  const errors: Record<string, string> = {};
  for (const i of parsed.error.issues) {
    const path = i.path.map(String).join('.');
    const field = (MUSEUM_OPTIONS as readonly string[]).includes(path) ? path : undefined;
    if (field) errors[field] ??= field.startsWith('style.accent') ? 'admin.museum.badColour' : field === 'address.country' ? 'admin.museum.badCountry' : 'admin.museum.bad';
  }
  return { ok: false, errors: Object.keys(errors).length ? errors : { 'address.street': 'admin.museum.bad' } };
}
