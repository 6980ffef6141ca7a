// Synthetic bundles for the scale case (bench/scale.ts): the demo
// `content/drome` with its themes copied until the visit has `themes`
// themes, in `locales` languages. Places, events, tags, layers, articles,
// pages and media stay the demo's: the copies refer to the demo's media
// entries, so an import makes no new image derivatives.
//
// - Copy k of a demo theme gets the id `<id>-c<k>`, the position after the
//   last one, and in every language the slug `<slug>-c<k>` and the title
//   `<title> (<k>)`; its structure and texts are the demo theme's.
// - Languages beyond fr and en are copies of the French or English texts
//   under real language codes: every locale map of every YAML file gains the
//   new codes, every `<doc>.fr.md` / `.en.md` gets a copy. The validator only
//   takes languages the interface speaks (src/i18n has fr, en and de; a
//   regional code such as fr-BE uses its primary language's catalogue), so the
//   extra languages are de and regional variants of fr, en and de: fr-* copy
//   the French texts, en-*, de and de-* the English ones.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const DEMO = 'content/drome';
/** The demo's languages first, then others in this order (de has a UI catalogue, the rest fall back to English). */
export const LOCALES = ['fr', 'en', 'de', 'fr-BE', 'en-GB', 'de-AT', 'fr-CA', 'en-IE', 'de-CH', 'fr-CH', 'en-AU', 'de-LU', 'fr-LU', 'en-CA', 'de-BE', 'en-NZ', 'fr-MC', 'en-ZA', 'de-LI', 'en-IN'] as const;
/** The demo language whose texts a locale copies. */
const sourceOf = (l: string): 'fr' | 'en' => (l.startsWith('fr') ? 'fr' : 'en');
/** The demo theme whose French lead the "changed bundle" edits, and its page. */
export const CHANGED_THEME = '10-liberation';
export const CHANGED_PAGE = '/fr/visite/la-liberation-de-la-drome';

export interface Synthetic {
  dir: string;
  themes: number;
  locales: string[];
  /** A theme copy's page in the last language: a page no visitor asked for yet. */
  lastCopyPage: string;
  /** Some theme copies' pages, in various languages, for "uncached page" requests. */
  samplePages: string[];
}

const isLocaleMap = (o: object, demo: readonly string[]): boolean => {
  const keys = Object.keys(o);
  return keys.length > 0 && keys.includes(demo[0]!) && keys.every((k) => (LOCALES as readonly string[]).includes(k));
};

/** Adds the new locales to every locale map (an object keyed by fr and en only), copying fr or en. */
function addLocales(v: unknown, extra: string[], demo: readonly string[]): void {
  if (Array.isArray(v)) {
    for (const x of v) addLocales(x, extra, demo);
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  const o = v as Record<string, unknown>;
  if (isLocaleMap(o, demo)) {
    for (const l of extra) o[l] ??= o[sourceOf(l)] ?? o[demo[0]!];
    return;
  }
  for (const x of Object.values(o)) addLocales(x, extra, demo);
}

function yamlFiles(dir: string, base = ''): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) => {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) return rel === 'media' || rel === 'geo' ? [] : yamlFiles(dir, rel);
    return e.name.endsWith('.yaml') ? [rel] : [];
  });
}

/** Writes the bundle into `dir` (which must not exist). Slugs of a copy: `<slug>-c<k>` in every language. */
export function writeSynthetic(dir: string, themes: number, locales: number): Synthetic {
  if (locales < 2 || locales > LOCALES.length) throw new Error(`synthetic bundle: 2 to ${LOCALES.length} languages, not ${locales}`);
  cpSync(DEMO, dir, { recursive: true });
  const demoLocales = ['fr', 'en'] as const;
  const all = LOCALES.slice(0, locales);
  const extra = all.slice(2);

  // Languages: every YAML file's locale maps, the museum's locale list, every doc's texts.
  for (const rel of yamlFiles(dir)) {
    const file = join(dir, rel);
    const text = readFileSync(file, 'utf8');
    if (!extra.length || !/\b(fr|en):/.test(text)) continue;
    const y = parse(text) as unknown;
    addLocales(y, extra, demoLocales);
    if (rel === 'bundle.yaml') (y as { museum: { locales: string[] } }).museum.locales = [...all];
    writeFileSync(file, stringify(y, { lineWidth: 0 }));
  }
  for (const sub of ['themes', 'articles', 'pages']) {
    for (const name of readdirSync(join(dir, sub))) {
      const m = /^(.+)\.fr\.md$/.exec(name);
      if (!m) continue;
      for (const l of extra) cpSync(join(dir, sub, `${m[1]}.${sourceOf(l)}.md`), join(dir, sub, `${m[1]}.${l}.md`));
    }
  }

  // Themes: the demo's, then copies of them in turn until there are `themes`.
  const demoThemes = readdirSync(join(dir, 'themes')).filter((n) => /^\d{2,}-.+\.yaml$/.test(n)).sort().map((n) => n.slice(0, -'.yaml'.length));
  const samplePages: string[] = [];
  let lastCopyPage = CHANGED_PAGE;
  for (let pos = demoThemes.length + 1; pos <= themes; pos++) {
    const src = demoThemes[(pos - 1) % demoThemes.length]!;
    const k = Math.floor((pos - 1) / demoThemes.length);
    const id = `${src.replace(/^\d+-/, '')}-c${k}`;
    const base = `${String(pos).padStart(2, '0')}-${id}`;
    cpSync(join(dir, 'themes', `${src}.yaml`), join(dir, 'themes', `${base}.yaml`));
    all.forEach((l, li) => {
      const md = readFileSync(join(dir, 'themes', `${src}.${l}.md`), 'utf8')
        .replace(/^title: (.*)$/m, (_, t: string) => `title: ${JSON.stringify(`${parse(t) as string} (${k})`)}`)
        .replace(/^slug: (.*)$/m, (_, s: string) => `slug: ${s}-c${k}`);
      writeFileSync(join(dir, 'themes', `${base}.${l}.md`), md);
      const slug = /^slug: (.*)$/m.exec(md)![1]!;
      const visit = (parse(readFileSync(join(dir, 'visits', 'main.yaml'), 'utf8')) as { slug: Record<string, string> }).slug[l];
      const page = `/${l}/${visit}/${slug}`;
      if (pos === themes && li === all.length - 1) lastCopyPage = page;
      if (pos % 37 === 0) samplePages.push(page);
    });
  }
  // The demo's own theme pages in the other languages, after the copies: "uncached" pages for a case without copies.
  const visit = (parse(readFileSync(join(dir, 'visits', 'main.yaml'), 'utf8')) as { slug: Record<string, string> }).slug;
  for (const t of demoThemes) {
    for (const l of all.slice(1)) samplePages.push(`/${l}/${visit[l]}/${/^slug: (.*)$/m.exec(readFileSync(join(dir, 'themes', `${t}.${l}.md`), 'utf8'))![1]!}`);
  }
  return { dir, themes: Math.max(themes, demoThemes.length), locales: [...all], lastCopyPage, samplePages };
}

/** Changes the French lead of theme 10 (a new sentence with `marker`): what an import of a corrected bundle does. */
export function changeBundle(dir: string, marker: string): void {
  const file = join(dir, 'themes', `${CHANGED_THEME}.fr.md`);
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(/^lead: >-\n/m, `lead: >-\n  ${marker}.\n`);
  if (changed === text) throw new Error(`${file}: no "lead: >-" to change`);
  writeFileSync(file, changed);
}

// `npx tsx bench/synthetic.ts <dir> <themes> <locales>`: writes one, to look at or import by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, t, l] = process.argv.slice(2);
  if (!dir) throw new Error('usage: bench/synthetic.ts <dir> <themes> <locales>');
  mkdirSync(join(dir, '..'), { recursive: true });
  const s = writeSynthetic(dir, Number(t ?? 300), Number(l ?? 2));
  console.log(`${s.dir}: ${s.themes} themes × ${s.locales.length} languages (${s.locales.join(', ')}); last copy ${s.lastCopyPage}`);
}
