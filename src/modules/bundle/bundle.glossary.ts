import type { GlossaryEntry, LocaleMap } from '../content/content.schema.ts';
import { RESERVED_GLOSSARY_IDS } from '../content/content.glossary.ts';
import type { Problems, Where } from './bundle.problems.ts';

// Rules of glossary.yaml beyond its schema: the term and the definition in the
// default language (other languages fall back to it, visibly, as every text
// does), only enabled languages, and no word that leads to two entries: the
// site marks a term's first use in each theme and must know which entry it is.

type CheckMap = (file: string, label: string, map: LocaleMap | undefined, required: boolean, where: Where & { field: string }) => void;

const FILE = 'glossary.yaml';

export function checkGlossary(entries: readonly GlossaryEntry[], locales: readonly string[], p: Problems, checkMap: CheckMap): void {
  for (const e of entries) {
    const G = { entity: 'glossary', id: e.id } as const;
    if (RESERVED_GLOSSARY_IDS.includes(e.id)) p.add('reserved_id', FILE, `glossary "${e.id}": id "${e.id}" is used by the page itself (it is the entry's address, /…/glossary#${e.id}); choose another`, { ...G, field: 'id' });
    checkMap(FILE, `glossary "${e.id}": term`, e.term, true, { ...G, field: 'term' });
    checkMap(FILE, `glossary "${e.id}": definition`, e.definition, true, { ...G, field: 'definition' });
    if (typeof e.abbreviation === 'object') checkMap(FILE, `glossary "${e.id}": abbreviation`, e.abbreviation, true, { ...G, field: 'abbreviation' });
  }
  // Per language, every word an entry is found by: terms without regard to case (a term may begin a sentence), abbreviations as written.
  for (const locale of locales) {
    const owners = new Map<string, string>();
    for (const e of entries) {
      const words: { key: string; text: string; field: string }[] = [];
      const term = e.term[locale];
      if (term !== undefined) words.push({ key: term.toLocaleLowerCase(locale), text: term, field: `term.${locale}` });
      const abbr = typeof e.abbreviation === 'string' ? e.abbreviation : e.abbreviation?.[locale];
      const abbrField = typeof e.abbreviation === 'string' ? 'abbreviation' : `abbreviation.${locale}`;
      if (abbr !== undefined) words.push({ key: abbr.toLocaleLowerCase(locale), text: abbr, field: abbrField });
      const seen = new Set<string>();
      for (const w of words) {
        if (seen.has(w.key)) continue; // an entry whose abbreviation is its term ("maquis", "maquis") is one entry
        seen.add(w.key);
        const other = owners.get(w.key);
        if (other !== undefined && other !== e.id) {
          p.add('duplicate_term', FILE, `glossary "${e.id}": ${w.field}: "${w.text}" is already the term or abbreviation of "${other}" in "${locale}" (a word in the themes can lead to one entry only)`, { entity: 'glossary', id: e.id, field: w.field, locale });
        } else owners.set(w.key, e.id);
      }
    }
  }
}
