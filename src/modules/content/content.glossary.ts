import type { GlossaryEntry } from './content.schema.ts';

// Where a glossary's terms and abbreviations occur in a text: the rule of the
// first-use marking (markdown.ts draws the marks). Whole words only; a term
// is found whatever its case (it may begin a sentence), an abbreviation only
// as written ("AS" is the Armée secrète, "as" is an English word); several
// words of a term may be separated by any spaces. Built once per language.

/** Ids the glossary page's frame already gives an element (the main region, the theme menu): an entry's anchor cannot take them. */
export const RESERVED_GLOSSARY_IDS: readonly string[] = ['main', 'theme-menu'];

export interface GlossaryHit {
  index: number;
  length: number;
  /** The entry found. */
  id: string;
  /** Whether the text found is the entry's abbreviation (rather than its term). */
  abbreviation: boolean;
}

interface Word { id: string; abbreviation: boolean; text: string }

const SPACES = /[\s\u00a0\u202f]+/gu;
const norm = (s: string, locale: string) => s.replace(SPACES, ' ').toLocaleLowerCase(locale);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export class GlossaryFinder {
  private readonly re: RegExp | undefined;
  private readonly words = new Map<string, Word[]>();
  constructor(entries: readonly GlossaryEntry[], private readonly locale: string) {
    const all: Word[] = [];
    for (const e of entries) {
      const term = e.term[locale];
      if (term !== undefined) all.push({ id: e.id, abbreviation: false, text: term });
      const abbr = typeof e.abbreviation === 'string' ? e.abbreviation : e.abbreviation?.[locale];
      if (abbr !== undefined && abbr !== term) all.push({ id: e.id, abbreviation: true, text: abbr });
    }
    for (const w of all) {
      const k = norm(w.text, locale);
      this.words.set(k, [...(this.words.get(k) ?? []), w]);
    }
    // Longest first, so that "FTPF" is found before "FTP" could be, and a term before one of its words.
    const alternatives = [...new Set(all.map((w) => w.text.trim()))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
      .map((t) => t.split(SPACES).map(escapeRe).join('[\\s\\u00a0\\u202f]+'));
    this.re = alternatives.length ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu') : undefined;
  }

  /** The first word of `text` (from `from`) that leads to an entry not in `skip`. */
  find(text: string, from: number, skip: ReadonlySet<string>): GlossaryHit | undefined {
    if (!this.re) return undefined;
    // One expression, reused: rendering is synchronous, no other search runs meanwhile.
    const re = this.re;
    re.lastIndex = from;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const found = m[0];
      const word = (this.words.get(norm(found, this.locale)) ?? []).find((w) => (w.abbreviation ? w.text === found.replace(SPACES, ' ') : true));
      if (word && !skip.has(word.id)) return { index: m.index, length: found.length, id: word.id, abbreviation: word.abbreviation };
      // An entry already marked: on after its words (none of them is marked for another entry). An abbreviation
      // in another case ("as" for AS): on a character, where a shorter word may start.
      re.lastIndex = m.index + (word ? found.length : 1);
    }
    return undefined;
  }
}

/** The entries in the alphabetical order of a language (by the word they are listed under), ties by id. */
export function sortGlossary(entries: readonly GlossaryEntry[], headword: (e: GlossaryEntry) => string, locale: string): GlossaryEntry[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return [...entries].sort((a, b) => collator.compare(headword(a), headword(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
