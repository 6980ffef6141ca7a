// BENCH_ONLY=weights (issue 15): the weight of every page of the sitemap as a
// browser fetches it — the HTML and the CSS and JS it links (stylesheets,
// @import, scripts and the modules they import statically), each decoded and
// as served with Accept-Encoding: br. Images are not counted, and fonts are
// counted apart: the woff2 files of the stylesheet's @font-face rules that a
// French theme page loads, seen by Chromium. Goals: no page over 120 KB
// decoded; a theme page ≤ 40 KB compressed; ≤ 80 KB of fonts. A figure past
// REGRESSION_FACTOR × its goal makes the bench exit 1; a FAIL within it only prints.
import { get } from './machine.ts';
import { launchChromium } from './paint.ts';
import { judge, REGRESSION_FACTOR, type Verdict } from './scale.ts';
import { fetchServed, withServer } from './serve.ts';
import { translator } from '../src/i18n/messages.ts';

const GOAL = { decodedKB: 120, themeBrKB: 40, fontsKB: 80 };
/** The order page types are printed in. */
const TYPES = ['home', 'overview', 'theme', 'article', 'page', 'chronology', 'map', 'place', 'media', 'glossary', 'other'] as const;
type PageType = (typeof TYPES)[number];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

interface Asset { path: string; wire: number; decoded: number; encoding: string; deps: string[]; fonts: FontFace[] }
interface FontFace { url: string; family: string; weight: string; style: string; latin: boolean }
interface Weighed { path: string; type: PageType; html: { wire: number; decoded: number; encoding: string }; assets: Asset[]; decoded: number; wire: number }

/** A reference in `from` (a path on this server) resolved to a path on this server; undefined for another host. */
function resolve(ref: string, from: string): string | undefined {
  const u = new URL(ref, `http://127.0.0.1${from}`);
  return u.host === '127.0.0.1' ? u.pathname + u.search : undefined;
}

/** The stylesheets and scripts an HTML page links: `<link rel="stylesheet|modulepreload">` and `<script src>`. */
function linked(html: string, from: string): string[] {
  const out: string[] = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
    const rel = /\srel="([^"]*)"/.exec(tag)?.[1]?.split(/\s+/) ?? [];
    const href = /\shref="([^"]*)"/.exec(tag)?.[1];
    if (href && (rel.includes('stylesheet') || rel.includes('modulepreload'))) out.push(href);
  }
  for (const m of html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"/g)) out.push(m[1]!);
  return [...new Set(out.map((r) => resolve(r.replace(/&amp;/g, '&'), from)).filter((p) => p !== undefined))];
}

/** Whether a unicode-range (absent: everything) covers basic Latin letters. */
function coversLatin(range: string | undefined): boolean {
  if (!range) return true;
  return range.split(',').some((r) => {
    const m = /U\+([0-9a-f?]+)(?:-([0-9a-f]+))?/i.exec(r.trim());
    if (!m) return false;
    const lo = parseInt(m[1]!.replace(/\?/g, '0'), 16);
    const hi = m[2] ? parseInt(m[2], 16) : parseInt(m[1]!.replace(/\?/g, 'f'), 16);
    return lo <= 0x61 && hi >= 0x7a;
  });
}

/** What a stylesheet or a module needs the browser to fetch before it is complete: @import, static imports; and a stylesheet's woff2 faces. */
function dependencies(path: string, text: string): { deps: string[]; fonts: FontFace[] } {
  const refs: string[] = [];
  const fonts: FontFace[] = [];
  if (/\.css(\?|$)/.test(path)) {
    for (const m of text.matchAll(/@import\s+(?:url\(\s*)?["']?([^"')\s;]+)/g)) refs.push(m[1]!);
    for (const [, body] of text.matchAll(/@font-face\s*\{([^}]*)\}/g)) {
      const prop = (name: string) => new RegExp(`(?:^|;)\\s*${name}\\s*:\\s*([^;]+)`).exec(body!)?.[1]?.trim();
      for (const m of (prop('src') ?? '').matchAll(/url\(\s*["']?([^"')]+\.woff2)["']?\s*\)/g)) {
        const url = resolve(m[1]!, path);
        if (url) fonts.push({ url, family: (prop('font-family') ?? '?').replace(/["']/g, ''), weight: prop('font-weight') ?? '400', style: prop('font-style') ?? 'normal', latin: coversLatin(prop('unicode-range')) });
      }
    }
  } else {
    // Static imports and re-exports (`import"./a.js"`, `import{x}from"./a.js"`, `export*from"./a.js"`); not import().
    for (const m of text.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^'"();]*?from\s*)?["'](\.{0,2}\/[^"']+)["']/g)) refs.push(m[1]!);
  }
  return { deps: [...new Set(refs.map((r) => resolve(r, path)).filter((p) => p !== undefined))], fonts };
}

/** The page type of a sitemap path, from the shape of the URL and the interface's route words (site.context.ts). */
function pageType(path: string, overviews: Set<string>): PageType {
  const seg = path.split('/').filter(Boolean);
  const t = translator(seg[0] ?? '');
  if (seg.length === 1) return 'home';
  if (seg.length === 2) {
    const s = seg[1];
    if (s === t('route.map')) return 'map';
    if (s === t('route.chronology')) return 'chronology';
    if (s === t('route.glossary')) return 'glossary';
    return overviews.has(path) ? 'overview' : 'page';
  }
  if (seg.length === 3) {
    if (seg[1] === t('route.places')) return 'place';
    if (seg[1] === t('route.articles')) return 'article';
    if (seg[1] === 'media') return 'media';
    return 'theme';
  }
  return 'other';
}

/** The sitemap's page paths, in its order. */
async function sitemapPaths(port: number): Promise<string[]> {
  const { body } = await fetchServed(port, '/sitemap.xml');
  return [...body.toString('utf8').matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&')).pathname);
}

/** Fonts a page loads in Chromium at 375 and 1280 px (each in a fresh context): woff2 paths. Undefined without Chromium. */
async function fontsLoaded(port: number, paths: string[]): Promise<Map<string, Set<string>> | undefined> {
  const browser = await launchChromium();
  if (!browser) return undefined;
  const out = new Map<string, Set<string>>();
  try {
    for (const path of paths) {
      const seen = new Set<string>();
      for (const width of [375, 1280]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'fr-FR' });
        try {
          const page = await context.newPage();
          page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.endsWith('.woff2')) seen.add(u.pathname); });
          await page.goto(`http://127.0.0.1:${port}${path}`, { waitUntil: 'networkidle', timeout: 30_000 });
          await page.evaluate(() => document.fonts.ready.then(() => undefined));
        } finally {
          await context.close();
        }
      }
      out.set(path, seen);
    }
  } finally {
    await browser.close();
  }
  return out;
}

/** The weights case; true if a figure is past REGRESSION_FACTOR × its goal. */
export async function weightsCase(): Promise<boolean> {
  return withServer(async ({ port }) => {
    const paths = await sitemapPaths(port);
    // A one-segment path with pages under it (a visit's themes) is an overview; any other is a page (about…).
    const overviews = new Set(paths.filter((p) => p.split('/').filter(Boolean).length === 3).map((p) => p.split('/').slice(0, 3).join('/')));
    const assets = new Map<string, Asset>();
    async function asset(path: string): Promise<Asset> {
      let a = assets.get(path);
      if (!a) {
        const r = await fetchServed(port, path);
        a = { path, wire: r.wire, decoded: r.body.length, encoding: r.encoding, ...dependencies(path, r.body.toString('utf8')) };
        assets.set(path, a);
      }
      return a;
    }
    const pages: Weighed[] = [];
    for (const path of paths) {
      const r = await fetchServed(port, path);
      const html = r.body.toString('utf8');
      // The linked CSS and JS and what they import, each once.
      const closure = new Map<string, Asset>();
      const queue = linked(html, path);
      while (queue.length) {
        const p = queue.shift()!;
        if (closure.has(p)) continue;
        const a = await asset(p);
        closure.set(p, a);
        queue.push(...a.deps);
      }
      const list = [...closure.values()];
      pages.push({
        path, type: pageType(path, overviews), html: { wire: r.wire, decoded: r.body.length, encoding: r.encoding }, assets: list,
        decoded: r.body.length + list.reduce((s, a) => s + a.decoded, 0), wire: r.wire + list.reduce((s, a) => s + a.wire, 0),
      });
    }

    console.log(`\n## Page weights (issue 15): the ${pages.length} pages of /sitemap.xml, HTML + the CSS and JS they link, decoded and brotli as served`);
    const shared = [...assets.values()];
    console.log(`  CSS and JS linked (static imports followed; import() and images not counted, fonts below): ${shared.map((a) => `${a.path} ${kb(a.decoded)} (${kb(a.wire)} br)`).join(' · ')}`);
    const plain = [...pages.filter((p) => p.html.encoding !== 'br').map((p) => p.path), ...shared.filter((a) => a.encoding !== 'br').map((a) => a.path)];
    if (plain.length) console.log(`  served without brotli (counted as sent): ${plain.join(', ')}`);
    console.log(`  ${'type'.padEnd(11)}${'pages'.padStart(6)}${'over'.padStart(6)}  ${'heaviest decoded'.padEnd(48)}${'decoded'.padStart(10)}${'HTML'.padStart(10)}${'brotli'.padStart(10)}`);
    const verdicts: Verdict[] = [];
    const decodedGoal = GOAL.decodedKB * 1024;
    for (const type of TYPES) {
      const ofType = pages.filter((p) => p.type === type);
      if (!ofType.length) continue;
      const top = ofType.reduce((a, b) => (b.decoded > a.decoded ? b : a));
      const over = ofType.filter((p) => p.decoded > decodedGoal).length;
      console.log(`  ${type.padEnd(11)}${String(ofType.length).padStart(6)}${String(over).padStart(6)}  ${top.path.padEnd(48)}${kb(top.decoded).padStart(10)}${kb(top.html.decoded).padStart(10)}${kb(top.wire).padStart(10)}`);
      verdicts.push(judge(`${type} ${top.path} decoded`, top.decoded, decodedGoal, kb, `${GOAL.decodedKB} KB`));
    }
    console.log('  ("over": pages of the type above 120 KB decoded; "HTML": the heaviest page\'s HTML alone, decoded)');
    const themePages = pages.filter((p) => p.type === 'theme');
    if (themePages.length) {
      const top = themePages.reduce((a, b) => (b.wire > a.wire ? b : a));
      console.log(`  heaviest theme page compressed: ${top.path} ${kb(top.wire)} br (HTML ${kb(top.html.wire)}, CSS and JS ${kb(top.wire - top.html.wire)})`);
      verdicts.push(judge(`theme ${top.path} brotli`, top.wire, GOAL.themeBrKB * 1024, kb, `${GOAL.themeBrKB} KB`));
    }

    // Fonts: the stylesheet's faces, and those a French theme page makes Chromium fetch.
    const faces = new Map<string, FontFace>();
    for (const a of shared) for (const f of a.fonts) faces.set(f.url, f);
    const fontBytes = new Map<string, number>();
    for (const url of faces.keys()) fontBytes.set(url, (await get(port, url, { 'accept-encoding': 'br' })).body.length);
    const sum = (urls: Iterable<string>) => [...urls].reduce((s, u) => s + (fontBytes.get(u) ?? 0), 0);
    const describe = (u: string) => { const f = faces.get(u); return `${u.split('/').pop()} ${kb(fontBytes.get(u) ?? 0)}${f ? '' : ' (not in the CSS)'}`; };
    const latin = [...faces.values()].filter((f) => f.latin).map((f) => f.url);
    console.log(`\n  Fonts: ${faces.size} woff2 faces in the CSS, ${kb(sum(faces.keys()))} in all; the Latin ones (unicode-range covering a–z) ${latin.length}, ${kb(sum(latin))}:`);
    for (const u of latin) console.log(`    ${describe(u)} — ${faces.get(u)!.family} ${faces.get(u)!.weight} ${faces.get(u)!.style}`);
    const frThemes = themePages.filter((p) => p.path.startsWith('/fr/')).map((p) => p.path);
    const loaded = await fontsLoaded(port, frThemes);
    if (loaded) {
      const union = new Set([...loaded.values()].flatMap((s) => [...s]));
      const [worst, set] = [...loaded].reduce((a, b) => (sum(b[1]) > sum(a[1]) ? b : a), ['', new Set<string>()]);
      console.log(`  Chromium, the ${loaded.size} French theme pages at 375 and 1280 px: ${union.size} files fetched in all (${kb(sum(union))}); the most by one page, ${worst}: ${kb(sum(set))}`);
      for (const u of set) console.log(`    ${describe(u)}`);
      const other = [...union].filter((u) => !faces.get(u)?.latin);
      if (other.length) console.log(`  fetched beyond the Latin faces: ${other.map(describe).join(', ')}`);
      verdicts.push(judge(`fonts of a theme page ${worst}`, sum(set), GOAL.fontsKB * 1024, kb, `${GOAL.fontsKB} KB`));
    } else {
      console.log('  (no Chromium: the Latin faces of the CSS are judged, as an upper bound of what a French page loads)');
      verdicts.push(judge('fonts, Latin faces of the CSS', sum(latin), GOAL.fontsKB * 1024, kb, `${GOAL.fontsKB} KB`));
    }

    console.log('\nVerdict (weights):');
    for (const v of verdicts) console.log(`  ${v.line}`);
    const regressed = verdicts.some((v) => v.regressed);
    if (regressed) console.log(`  a figure is more than ${REGRESSION_FACTOR} × its goal: the bench exits 1`);
    return regressed;
  });
}
