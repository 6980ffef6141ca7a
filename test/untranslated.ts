import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { copyBundle } from './harness.ts';

// A copy of a bundle with its translations taken out: every text that then
// shows on a page in another language is the default language's, tagged with
// SENTINEL, so that a test can find each one in the HTML and check how it is
// shown. Half the documents lose their translation entirely; the others keep
// only their title, slug and summary (every other field and block falls back).

/** Appended to every text of the default language. */
export const SENTINEL = '⸨untranslated⸩';

/** Locale maps whose values are not texts shown as such (slugs, file paths): kept whole. */
const KEEP = new Set(['slug', 'transcript', 'captions', 'chapters', 'file']);

function walk(v: unknown, key: string, locales: Set<string>, def: string): unknown {
  if (Array.isArray(v)) return v.map((x) => walk(x, key, locales, def));
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const isMap = keys.length > 0 && keys.every((k) => locales.has(k)) && typeof o[def] === 'string';
  if (isMap) return KEEP.has(key) ? o : { [def]: `${o[def] as string} ${SENTINEL}` };
  return Object.fromEntries(keys.map((k) => [k, walk(o[k], k, locales, def)]));
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const FRONT = /^---\n([\s\S]*?)\n---\n?/;

/** Marks the default language's document: front matter texts and each line of prose. */
function markDoc(text: string): string {
  const m = FRONT.exec(text);
  if (!m) throw new Error('document without front matter');
  const fm = parse(m[1]!) as Record<string, unknown>;
  const mark = (s: unknown) => (typeof s === 'string' ? `${s} ${SENTINEL}` : s);
  for (const k of ['title', 'summary', 'lead']) if (fm[k] !== undefined) fm[k] = mark(fm[k]);
  for (const b of Object.values((fm.blocks ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const k of Object.keys(b)) b[k] = mark(b[k]);
  }
  // Tables, link definitions and block markers are left alone: a word after them would change what they are.
  const body = text.slice(m[0].length).split('\n').map((line) =>
    !line.trim() || line.startsWith(':::') || line.trimStart().startsWith('|') || /^\s*\[[^\]]+\]:/.test(line) || /^\s*\{.*\}\s*$/.test(line) ? line : `${line} ${SENTINEL}`,
  ).join('\n');
  return `---\n${stringify(fm).trimEnd()}\n---\n${body}`;
}

/** Keeps only what a translation must have: title, slug and summary. */
function stripDoc(text: string): string {
  const fm = parse(FRONT.exec(text)![1]!) as Record<string, unknown>;
  return `---\n${stringify({ title: fm.title, slug: fm.slug, summary: fm.summary }).trimEnd()}\n---\n`;
}

export function untranslatedCopy(src: string): string {
  const dir = copyBundle(src);
  const bundle = parse(readFileSync(join(dir, 'bundle.yaml'), 'utf8')) as { museum: { default_locale: string; locales: string[] } };
  const def = bundle.museum.default_locale;
  const locales = new Set(bundle.museum.locales);
  const all = files(dir);
  let layers: { file: string; label_property?: string }[] = [];
  try {
    layers = parse(readFileSync(join(dir, 'layers.yaml'), 'utf8')) as typeof layers;
  } catch {
    // no map layers
  }
  for (const f of all.filter((p) => p.endsWith('.yaml'))) {
    writeFileSync(f, stringify(walk(parse(readFileSync(f, 'utf8')), '', locales, def)));
  }
  // Map layers' labels: a property per language (name_fr, name_en).
  for (const l of layers) {
    if (!l.label_property) continue;
    const path = join(dir, l.file);
    const geo = JSON.parse(readFileSync(path, 'utf8')) as { features: { properties: Record<string, unknown> | null }[] };
    for (const feat of geo.features) {
      const p = feat.properties;
      if (!p) continue;
      for (const loc of locales) if (loc !== def) delete p[l.label_property.replace('{locale}', loc)];
      const k = l.label_property.replace('{locale}', def);
      if (typeof p[k] === 'string') p[k] = `${p[k] as string} ${SENTINEL}`;
    }
    writeFileSync(path, JSON.stringify(geo));
  }
  const docs = all.filter((p) => /^(themes|articles|pages)\//.test(relative(dir, p)) && p.endsWith(`.${def}.md`)).sort();
  docs.forEach((p, i) => {
    writeFileSync(p, markDoc(readFileSync(p, 'utf8')));
    for (const loc of locales) {
      if (loc === def) continue;
      const other = p.replace(new RegExp(`\\.${def}\\.md$`), `.${loc}.md`);
      try {
        if (i % 2 === 0) rmSync(other);
        else writeFileSync(other, stripDoc(readFileSync(other, 'utf8')));
      } catch {
        // not translated in the first place
      }
    }
  });
  return dir;
}

/** English pages of the untranslated demo, one of each kind of fallback: what axe and the Nu checker also look at. */
export const UNTRANSLATED_PAGES: Record<string, string> = {
  'home (museum name, theme list)': '/en/',
  'theme with no English text': '/en/visit/la-montee-du-nazisme',
  'theme with only its title in English': '/en/visit/the-phoney-war-1939-1940',
  'theme 10 (map and chronology blocks)': '/en/visit/the-liberation-of-the-drome',
  chronology: '/en/chronology',
  map: '/en/map',
  glossary: '/en/glossary',
  'place page': '/en/places/romans-sur-isere',
  'media page (image)': '/en/media/drome-map',
  'media page (video)': '/en/media/t11-liberation-animated-map',
};
