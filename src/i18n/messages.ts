// UI message catalogues. Whole sentences per key, with named variables, so that
// each language can order words its own way. `en` is the reference: every
// other catalogue must have exactly its keys (checked by the type below).
// The catalogues live in ./catalogues/, one file per language (the administration's and the editor's messages in admin.<lang>.ts and editor.<lang>.ts, spread into it).

import { en, type Catalogue, type MessageKey } from './catalogues/en.ts';
import { fr } from './catalogues/fr.ts';
import { de } from './catalogues/de.ts';

export type { Catalogue, MessageKey };

const catalogues: Record<string, Catalogue> = { en, fr, de };

/** UI locales with a catalogue; content may use others, whose UI falls back to English. */
export const UI_LOCALES = Object.keys(catalogues);

/** The catalogue for a locale, or for its primary language ("fr-CA" → "fr"). */
export function catalogueFor(locale: string): Catalogue {
  return catalogues[locale] ?? catalogues[locale.split('-')[0] ?? ''] ?? en;
}

/** Whether the interface can speak this language (itself or its primary language). */
export function hasCatalogue(locale: string): boolean {
  return locale in catalogues || (locale.split('-')[0] ?? '') in catalogues;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: string): Translate {
  const cat = catalogueFor(locale);
  return (key, vars) => {
    const template = cat[key];
    return vars ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : template;
  };
}

/** The name of a language in that language (for the switcher), or in `inLocale`. */
export function languageName(locale: string, inLocale = locale): string {
  try {
    const name = new Intl.DisplayNames([inLocale], { type: 'language' }).of(locale) ?? locale;
    return name;
  } catch {
    return locale;
  }
}

/** Segments of the URL space that the app uses itself; content slugs may not take them. */
export function reservedSegments(locale: string): string[] {
  const t = translator(locale);
  return [t('route.articles'), t('route.chronology'), t('route.map'), t('route.places'), t('route.glossary'), 'assets', 'media', 'iiif', 'data', 'healthz'];
}
