import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, FIXTURE, count, siteFor, type TestSite } from './harness.ts';
import { SENTINEL, untranslatedCopy } from './untranslated.ts';

// Defect 8 of issue 11: a text missing in the page's language is shown in the
// default language, and never silently. Every such text carries the `lang` of
// the language shown; an inline one is followed by a visible mark, hidden
// from screen readers, and the page says once at its top that some texts are
// not yet translated; a whole block gets its own notice.

/**
 * `mixed`: a sentence of the interface that names content (a map marker's
 * accessible name, a map's title and description, a script's status text)
 * mixes two languages and cannot carry one `lang`; the page's note must then
 * say that some texts are not yet translated.
 */
interface Found { where: string; context: string; mixed: boolean }

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TOKEN = /<!--[\s\S]*?-->|<![^>]*>|<(\/?)([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*(\/?)>|([^<]+)/g;

/**
 * The texts and attribute values of a page's body that contain the sentinel
 * but are not inside (or on) an element whose nearest `lang` is `def`.
 * The head (title, meta, JSON-LD) is left out: no visitor reads it on the page.
 */
export function unmarked(html: string, def: string): Found[] {
  const stack: { name: string; lang?: string | undefined }[] = [];
  const out: Found[] = [];
  const langHere = () => [...stack].reverse().find((e) => e.lang !== undefined)?.lang;
  for (const m of html.matchAll(TOKEN)) {
    const [tok, close, name, attrs = '', selfClose, text] = m;
    if (text !== undefined) {
      if (text.includes(SENTINEL) && !stack.some((e) => e.name === 'head') && langHere() !== def) {
        const parent = stack[stack.length - 1]?.name ?? '';
        const inSvg = stack.some((e) => e.name === 'svg');
        out.push({ where: `text in <${stack.map((e) => e.name).slice(-3).join('><')}>`, context: text.trim().slice(0, 80), mixed: inSvg && (parent === 'title' || parent === 'desc') });
      }
      continue;
    }
    if (!name) continue;
    const tag = name.toLowerCase();
    if (close) {
      const i = stack.map((e) => e.name).lastIndexOf(tag);
      if (i >= 0) stack.length = i;
      continue;
    }
    const attr = new Map([...attrs.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, a[2] ?? '']));
    const el = { name: tag, lang: attr.get('lang') };
    stack.push(el);
    for (const [k, v] of attr) {
      if (v.includes(SENTINEL) && !stack.some((e) => e.name === 'head') && langHere() !== def) {
        out.push({ where: `${k}= on <${tag}>`, context: tok.slice(0, 120), mixed: k === 'aria-label' || k.startsWith('data-') });
      }
    }
    if (selfClose || VOID.has(tag)) stack.pop();
  }
  return out;
}

const PAGE_NOTE = /<p class="fallback-notice fallback-page">/;

for (const [label, src, def, other] of [['the demo (fr → en)', DEMO, 'fr', 'en'], ['the second museum (de → en)', FIXTURE, 'de', 'en']] as const) {
  describe(`${label}, its translations taken out`, () => {
    let s: TestSite;
    before(async () => {
      s = await siteFor(untranslatedCopy(src));
    });
    after(() => s?.close());

    const pagesIn = (locale: string) => [...s.site.current!.pages].filter(([, p]) => p.locale === locale).map(([path]) => path);

    test(`every ${other} page shows each fallback with lang="${def}", and says that it is not yet translated`, async () => {
      const problems: string[] = [];
      const paths = pagesIn(other);
      assert.ok(paths.length > 10, 'pages to check');
      for (const path of paths) {
        const html = await s.html(path);
        const body = html.slice(html.indexOf('<body'));
        assert.ok(body.includes(SENTINEL), `${path} shows no text of the default language: the copy is not untranslated`);
        for (const f of unmarked(html, def)) if (!f.mixed || !PAGE_NOTE.test(body)) problems.push(`${path}: ${f.where}: ${f.context}`);
        if (!/class="fallback-notice/.test(body)) problems.push(`${path}: no notice`);
        if (count(body, PAGE_NOTE) > 1) problems.push(`${path}: the page's note is given more than once`);
        // A mark is seen, not heard: the page's note and the lang attribute say it to screen readers.
        if (count(body, /class="fallback-mark"/) !== count(body, /class="fallback-mark" aria-hidden="true">/)) problems.push(`${path}: a mark is read aloud`);
        if (count(body, /class="fallback-mark"/) && !PAGE_NOTE.test(body)) problems.push(`${path}: marks without the page's note`);
      }
      assert.deepEqual(problems.slice(0, 25), [], `${problems.length} fallback(s) shown silently`);
    });

    test(`${def} pages have no notice, no mark and no foreign lang`, async () => {
      for (const path of pagesIn(def)) {
        const html = await s.html(path);
        assert.doesNotMatch(html, /fallback-notice|fallback-mark/, path);
        assert.deepEqual(unmarked(html, def), [], path);
      }
    });
  });
}

describe('each page type marks its fallbacks (demo, English from French)', () => {
  let s: TestSite;
  before(async () => {
    s = await siteFor(untranslatedCopy(DEMO));
  });
  after(() => s?.close());

  const mark = '<span class="fallback-mark" aria-hidden="true">(in French)</span>';
  const note = '<p class="fallback-notice fallback-page">Some texts on this page are not yet translated: they are shown in French.</p>';

  test('the page note is the first thing in main, in the page language', async () => {
    const html = await s.html('/en/chronology');
    assert.ok(html.includes(`<main id="main" tabindex="-1" data-link-copied="Link copied">${note}`));
  });

  test('chronology: event titles, descriptions, places and the filter choices', async () => {
    const html = await s.html('/en/chronology');
    assert.match(html, new RegExp(`<p class="event-title"><span lang="fr">[^<]*${SENTINEL}</span> ${mark.replace(/[()]/g, '\\$&')}</p>`));
    assert.match(html, /<p class="event-desc"><span lang="fr">/);
    assert.match(html, /<option value="liberation" lang="fr">Libération ⸨untranslated⸩<\/option>/);
  });

  test('a filtered chronology (rendered on request) says it too', async () => {
    const html = await (await s.get('/en/chronology?tag=liberation')).text();
    assert.ok(html.includes(note));
    assert.match(html, /<option value="liberation" selected="" lang="fr">/);
  });

  test('map page: SVG labels and names carry lang, credits and legend are marked', async () => {
    const html = await s.html('/en/map');
    assert.match(html, /<text class="map-label map-label--primary"[^>]* lang="fr">Valence ⸨untranslated⸩<\/text>|<tspan[^>]* lang="fr">/);
    assert.match(html, /<text class="map-label map-label--line"[^>]* lang="fr">Rhône ⸨untranslated⸩<\/text>/);
    assert.match(html, /<p class="map-credits"><span class="map-credits-label">Map data: <\/span><span lang="fr">/);
    assert.ok(html.includes(note));
  });

  test('place page: its name, in the heading and on the locator map', async () => {
    const html = await s.html('/en/places/romans-sur-isere');
    assert.match(html, /<h1><span lang="fr">Romans-sur-Isère ⸨untranslated⸩<\/span> <span class="fallback-mark" aria-hidden="true">\(in French\)<\/span><\/h1>/);
    assert.match(html, /<text class="map-label map-label--primary"[^>]* lang="fr">Romans-sur-Isère ⸨untranslated⸩<\/text>|<tspan[^>]* lang="fr">Romans-sur-Isère/);
  });

  test('theme without any English text: one notice under its title, no notice per block', async () => {
    const html = await s.html('/en/visit/la-montee-du-nazisme');
    assert.match(html, /<h1 lang="fr">[^<]*⸨untranslated⸩<\/h1><p class="fallback-notice">Not yet translated: shown in French\.<\/p>/);
    assert.equal(count(html, /<p class="fallback-notice">/), 1);
  });

  test('theme with only its title in English: each block shown in French has its notice', async () => {
    const html = await s.html('/en/visit/the-phoney-war-1939-1940');
    assert.match(html, /<h1>The phoney war/);
    assert.match(html, /<p class="fallback-notice">Not yet translated: shown in French\.<\/p><div class="prose" lang="fr">/);
  });

  test('media page: alt text, caption, credit and citation', async () => {
    const html = await s.html('/en/media/drome-map');
    assert.match(html, /<img [^>]*alt="[^"]*⸨untranslated⸩" lang="fr"/);
    assert.match(html, /<figcaption><span lang="fr">/);
    assert.match(html, /<span class="credit"><span lang="fr">/);
    assert.match(html, /<p class="citation">[^\n]*<span lang="fr">/);
    assert.match(html, /data-zoom-lang="fr"/);
  });

  test('home and menu: the museum name and theme titles', async () => {
    const html = await s.html('/en/');
    assert.match(html, /<a class="brand" href="\/en\/"><span lang="fr">Musée de la Résistance/);
    assert.match(html, /<span class="menu-num">1<\/span> <span lang="fr">/);
    assert.ok(html.includes(note));
  });
});
