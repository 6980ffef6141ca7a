import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import sharp from 'sharp';
import { DEMO, PAGE_TYPES, PUBLIC_URL, copyBundle, count, siteFor, type TestSite } from './harness.ts';

const T10 = PAGE_TYPES['theme 10 (chronology block)']!;
const T11 = PAGE_TYPES['theme 11 (last)']!;
const published = Object.entries(PAGE_TYPES).filter(([kind]) => kind !== 'not found (404)').map(([, p]) => p);
const PAGES = { fr: published.map((p) => p.fr), en: published.map((p) => p.en) };

let s: TestSite;
before(async () => {
  s = await siteFor(DEMO);
});
after(() => s.close());

describe('every page type, in both languages', () => {
  for (const [lang, paths] of Object.entries(PAGES)) {
    for (const path of paths) {
      test(`${path} is a complete, well-labelled page`, async () => {
        const res = await s.get(path);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
        const html = await res.text();
        assert.match(html, new RegExp(`<html lang="${lang}">`));
        assert.equal(count(html, /<h1[ >]/), 1, 'exactly one h1');
        assert.equal(count(html.slice(0, html.indexOf('</head>')), /<title>/), 1, 'one document title (maps have their own SVG titles)');
        assert.match(html, /<meta name="description" content="[^"]{20,}"/);
        assert.match(html, new RegExp(`<link rel="canonical" href="${PUBLIC_URL}${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"/>`));
        assert.match(html, /<link rel="alternate" hreflang="fr" href="[^"]+"\/><link rel="alternate" hreflang="en"/);
        assert.match(html, /hreflang="x-default"/);
        assert.match(html, /<meta property="og:title"/);
        assert.match(html, /<a class="skip-link" href="#main">/);
        assert.match(html, /<main id="main"/);
        assert.doesNotMatch(html, /<script>(?!<)/, 'no inline executable script');
      });
    }
  }
  test('titles and descriptions are unique across pages', async () => {
    const titles = new Set<string>();
    const descriptions = new Set<string>();
    const all = [...s.site.current!.pages.keys()];
    for (const path of all) {
      const html = await s.html(path);
      titles.add(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
      descriptions.add(/<meta name="description" content="([^"]*)"/.exec(html)?.[1] ?? '');
    }
    assert.equal(titles.size, all.length);
    assert.equal(descriptions.size, all.length);
  });
});

describe('the theme page', () => {
  test('says where the visitor is and where to go next, with real titles', async () => {
    const fr = await s.html(T10.fr);
    assert.match(fr, /Thème 10 sur 11/);
    assert.match(fr, /<link rel="prev" href="\/fr\/visite\/la-deportation-et-l-internement"\/>/);
    assert.match(fr, /<link rel="next" href="\/fr\/visite\/videos"\/>/);
    assert.match(fr, /Thème précédent<\/span> La déportation et l’internement<\/a>/);
    assert.match(fr, /Thème suivant<\/span> Vidéos<\/a>/);
    const en = await s.html(T10.en);
    assert.match(en, /Theme 10 of 11/);
    assert.match(en, /Next theme<\/span> Videos<\/a>/);
    assert.match(en, /Previous theme<\/span> Deportation and internment<\/a>/);
  });
  test('the breadcrumb leads back to the visit and home', async () => {
    const en = await s.html(T10.en);
    assert.match(en, /<nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="\/en\/">Home<\/a><\/li><li><a href="\/en\/visit">The guided visit<\/a><\/li><li><span aria-current="page">Theme 10/);
  });
  test('the theme menu is on the page and marks the current theme', async () => {
    const en = await s.html(T10.en);
    assert.match(en, /<details class="theme-menu"/);
    assert.equal(count(en, /aria-current="page"><span class="menu-num">/), 1);
    assert.match(en, /<a href="\/en\/visit\/the-liberation-of-the-drome" aria-current="page"><span class="menu-num">10<\/span>/);
  });
  test('the language switch leads to the same theme in the other language', async () => {
    const en = await s.html(T10.en);
    assert.match(en, /<nav class="lang-switch" aria-label="Language"><ul><li><a href="\/fr\/visite\/la-liberation-de-la-drome" hreflang="fr" lang="fr"/);
    const fr = await s.html(T10.fr);
    assert.match(fr, /<a href="\/en\/visit\/the-liberation-of-the-drome" hreflang="en" lang="en"/);
  });
  test('theme 10 is written: sections, notes where sources disagree; its only photograph, not supplied yet, is left out', async () => {
    for (const path of [T10.fr, T10.en]) {
      const html = await s.html(path);
      assert.ok(count(html, /<h2[ >]/) >= 4, 'sections with headings');
      assert.doesNotMatch(html, /<figure class="figure figure-image">|class="placeholder"|romans-film-1944-08-30/);
      assert.match(html, /class="note note-sources" role="note"/);
      assert.match(html, /Valréas/);
      assert.match(html, /Nyons/);
    }
  });
  test('a figure has its caption, its credit and a link to its page', async () => {
    for (const [path, media] of [['/fr/a-propos', '/fr/media/drome-map'], ['/en/about', '/en/media/drome-map']] as const) {
      const html = await s.html(path);
      const figure = /<figure class="figure figure-image">.*?<\/figure>/s.exec(html)?.[0] ?? assert.fail(`${path}: a figure`);
      assert.match(figure, /<figcaption>[^<]+/);
      assert.match(figure, /class="credit"/);
      assert.ok(figure.includes(`class="media-details" href="${media}"`), `${path}: the link to the media page`);
    }
  });
  test('the last theme has no next link and says so', async () => {
    const html = await s.html(T11.en);
    assert.doesNotMatch(html, /rel="next"/);
    assert.match(html, /This is the last theme of the visit\./);
  });
  test('JSON-LD describes the theme as part of the visit', async () => {
    const html = await s.html(T10.en);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null');
    assert.equal(ld['@type'], 'WebPage');
    assert.equal(ld.position, 10);
    assert.equal(ld.isPartOf['@id'], `${PUBLIC_URL}/en/visit#visit`);
    assert.equal(ld.inLanguage, 'en');
  });
});

describe('home, visit, chronology, article, about', () => {
  test('home: name, introduction, start button, numbered themes, practical information', async () => {
    const html = await s.html('/fr/');
    assert.match(html, /<h1>Musée de la Résistance en Drôme et de la Déportation<\/h1>/);
    assert.match(html, /<a class="button" href="\/fr\/visite\/la-montee-du-nazisme">Commencer la visite<\/a>/);
    assert.equal(count(html, /<span class="theme-num" aria-hidden="true">/), 11);
    assert.match(html, /Informations pratiques/);
    assert.match(html, /Romans-sur-Isère/);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null');
    assert.equal(ld[0]['@type'], 'Museum');
    assert.equal(ld[0].address.addressLocality, 'Romans-sur-Isère');
  });
  test('visit overview lists the eleven themes in order', async () => {
    const html = await s.html('/en/visit');
    const titles = [...html.matchAll(/<h2 class="theme-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    assert.equal(titles.length, 11);
    assert.equal(titles[0], 'The rise of Nazism');
    assert.equal(titles[9], 'The liberation of the Drôme');
    assert.equal(titles[10], 'Videos');
  });
  test('chronology groups events by year and links each to its theme', async () => {
    const html = await s.html('/en/chronology');
    assert.match(html, /<h2 id="year-1944">1944<\/h2>/);
    assert.match(html, /night of 16–17 August 1944/);
    assert.match(html, /Theme: <a href="\/en\/visit\/the-liberation-of-the-drome"/);
    // An event of two themes links to both; one place or several, labelled to match.
    const loriol = /<li id="event-loriol-camp-reopens"[^>]*>.*?<\/li>/s.exec(html)?.[0] ?? '';
    assert.match(loriol, /<span>Place: <a href="\/en\/places\/loriol-sur-drome">Loriol-sur-Drôme<\/a><\/span>/);
    assert.match(loriol, /<span>Themes: <a href="\/en\/visit\/occupation-and-collaboration"[^>]*>Occupation and collaboration<\/a>, <a href="\/en\/visit\/deportation-and-internment"/);
    assert.match(html, /<span>Places: <a href="\/en\/places\/valence">Valence<\/a>, <a href="\/en\/places\/romans-sur-isere">Romans-sur-Isère<\/a>, <a href="\/en\/places\/bourg-de-peage">Bourg-de-Péage<\/a><\/span>/);
    const fr = await s.html('/fr/chronologie');
    assert.match(fr, /nuit du 16 au 17 août 1944/);
    // Within a year, events are grouped by month, with labels true to their precision.
    assert.match(html, /<section class="month"><h3 id="month-1944-08">August 1944<\/h3>/);
    assert.equal(count(html, /<section [^>]*aria-labelledby="year-/g), count(html, /<h2 id="year-/g));
    assert.match(fr, /<h3 id="month-1944-08">août 1944<\/h3>/);
  });
  test('the chronology opens with a strip of events per year, each bar a named link to its year', async () => {
    const html = await s.html('/en/chronology');
    const strip = /<nav class="density" aria-label="Events per year">[\s\S]*?<\/nav>/.exec(html)?.[0] ?? assert.fail('no density strip');
    const bars = [...strip.matchAll(/<a href="#year-(\d{4})" title="(\d{4}): (\d+) events?">/g)];
    assert.ok(bars.length >= 10);
    // The empty years between 1918 and 1933 are folded into one gap, not fourteen empty columns.
    assert.match(strip, /<li class="density-gap" aria-hidden="true" title="1919–1932">…<\/li>/);
    assert.equal(count(strip, /<li class="density-col">/), 14);
    assert.equal(count(strip, /<svg /), 14);
    // Each link's name is its visible year and count, with the words hidden: "1944: 53 events".
    // One bar a year, turned on its side on phones by CSS, not drawn twice.
    assert.match(strip, /<a href="#year-1944" title="1944: (\d+) events"><svg[^>]*>[\s\S]*?<\/svg><span class="density-year">1944<\/span><span class="visually-hidden">: <\/span><span class="density-count">\1<\/span><span class="visually-hidden"> events<\/span><\/a>/);
    const y1944 = bars.find((b) => b[1] === '1944');
    assert.equal(Number(y1944?.[3]), (await s.site.current!.pages.get('/en/chronology')) ? count(html.slice(html.indexOf('id="year-1944"'), html.indexOf('id="year-1945"')), /<li id="event-/) : 0);
    for (const [, y] of bars) assert.ok(html.includes(`id="year-${y}"`));
  });
  test('a theme links to its period in the chronology, which anchors the theme\'s first event', async () => {
    const theme = await s.html('/en/visit/the-liberation-of-the-drome');
    assert.match(theme, /<a href="\/en\/chronology#period-liberation">See the whole chronology<\/a>/);
    const html = await s.html('/en/chronology');
    assert.match(html, /<li id="event-[a-z0-9-]+"><span id="period-liberation" class="period-anchor" data-theme-path="\/en\/visit\/the-liberation-of-the-drome"><\/span>/);
  });
  test('the article links back to the themes that cite it', async () => {
    const html = await s.html('/en/learn-more/the-ffi-of-the-drome-in-1944');
    assert.match(html, /<h1>The FFI of the Drôme in 1944<\/h1>/);
    assert.match(html, /<table>/);
    assert.match(html, /href="\/en\/visit\/the-liberation-of-the-drome"/);
  });
});

describe('HTTP behaviour', () => {
  test('/ redirects by remembered choice, then Accept-Language, then the default language', async () => {
    const loc = async (h: Record<string, string>) => (await s.get('/', h)).headers.get('location');
    assert.equal(await loc({}), '/fr/');
    assert.equal(await loc({ 'Accept-Language': 'en-GB,en;q=0.9,fr;q=0.5' }), '/en/');
    assert.equal(await loc({ 'Accept-Language': 'de-DE, it;q=0.8' }), '/fr/');
    assert.equal(await loc({ 'Accept-Language': 'en', Cookie: 'parcours_lang=fr' }), '/fr/');
    assert.equal(await loc({ Cookie: 'parcours_lang=xx' }), '/fr/');
    // Weights: the parameter name is case-insensitive; an invalid weight drops its language instead of ranking it first.
    assert.equal(await loc({ 'Accept-Language': 'fr;Q=0, en' }), '/en/');
    assert.equal(await loc({ 'Accept-Language': 'fr;q=high, en;q=0.5' }), '/en/');
    assert.equal(await loc({ 'Accept-Language': 'fr;q=2, en;q=0.5' }), '/en/');
    assert.match((await s.get('/')).headers.get('vary') ?? '', /Accept-Language/);
  });
  test('reading a page remembers its language', async () => {
    const r = await s.get('/en/visit');
    assert.match(r.headers.get('set-cookie') ?? '', /^parcours_lang=en; Path=\/; Max-Age=\d+; SameSite=Lax; HttpOnly; Secure$/);
    // a response carrying a cookie must not be stored by shared caches
    assert.equal(r.headers.get('cache-control'), 'private, no-cache');
    const again = await s.get('/en/visit', { Cookie: 'parcours_lang=en' });
    assert.equal(again.headers.get('set-cookie'), null);
    assert.equal(again.headers.get('cache-control'), 'public, max-age=0, must-revalidate');
  });
  test('each encoding has its own ETag', async () => {
    const br = (await s.get(T10.en, { 'Accept-Encoding': 'br' })).headers.get('etag');
    const gz = (await s.get(T10.en, { 'Accept-Encoding': 'gzip' })).headers.get('etag');
    const id = (await s.get(T10.en)).headers.get('etag');
    assert.equal(new Set([br, gz, id]).size, 3);
    assert.equal((await s.get(T10.en, { 'Accept-Encoding': 'br', 'If-None-Match': br! })).status, 304);
    assert.equal((await s.get(T10.en, { 'Accept-Encoding': 'gzip', 'If-None-Match': br! })).status, 200);
  });
  test('ETag revalidation answers 304 without a body', async () => {
    const first = await s.get(T10.en);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const second = await s.get(T10.en, { 'If-None-Match': etag });
    assert.equal(second.status, 304);
    assert.equal(await second.text(), '');
  });
  test('brotli and gzip when accepted, identity otherwise', async () => {
    assert.equal((await s.get(T10.en, { 'Accept-Encoding': 'gzip, deflate, br' })).headers.get('content-encoding'), 'br');
    assert.equal((await s.get(T10.en, { 'Accept-Encoding': 'gzip' })).headers.get('content-encoding'), 'gzip');
    assert.equal((await s.get(T10.en, { 'Accept-Encoding': 'br;q=0, gzip' })).headers.get('content-encoding'), 'gzip');
    // A weight that is not a qvalue drops its coding rather than counting as q=1.
    for (const ae of ['br;q=nonsense, gzip', 'br;q=1.5, gzip', 'br;q=0;q=1, gzip', 'BR; Q = 0 , gzip']) {
      assert.equal((await s.get(T10.en, { 'Accept-Encoding': ae })).headers.get('content-encoding'), 'gzip', ae);
    }
    assert.equal((await s.get(T10.en, { 'Accept-Encoding': 'gzip;q=0.001, br;q=0.5' })).headers.get('content-encoding'), 'br');
    const plain = await s.get(T10.en);
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(Number(plain.headers.get('content-length')), Buffer.byteLength(await plain.text()));
  });
  test('HEAD answers the headers without a body', async () => {
    const r = await s.app.request(T10.en, { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.ok(Number(r.headers.get('content-length')) > 1000);
    assert.equal(await r.text(), '');
  });
  test('security headers on pages, errors and assets', async () => {
    for (const path of [T10.en, '/en/nope', '/healthz']) {
      const h = (await s.get(path)).headers;
      assert.match(h.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.match(h.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      assert.doesNotMatch(h.get('content-security-policy') ?? '', /unsafe-inline/);
      assert.equal(h.get('x-content-type-options'), 'nosniff');
      assert.equal(h.get('referrer-policy'), 'strict-origin-when-cross-origin');
    }
  });
  test('content-hashed assets are immutable for a year; pages revalidate', async () => {
    const html = await s.html('/en/');
    const css = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    const js = /<script type="module" src="(\/assets\/site\.[0-9A-Z]{8}\.js)">/.exec(html)?.[1];
    assert.ok(css && js);
    for (const a of [css, js]) {
      const r = await s.get(a);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    }
    assert.equal((await s.get('/en/', { Cookie: 'parcours_lang=en' })).headers.get('cache-control'), 'public, max-age=0, must-revalidate');
    assert.equal((await s.get('/assets/site.000000000000.css')).status, 404);
  });
  test('a site icon: linked from every page (SVG, ICO, touch icon), and /favicon.ico is a real ICO cached for a month', async () => {
    const html = await s.html('/fr/');
    const ico = /<link rel="icon" href="(\/assets\/favicon\.[0-9a-f]{12}\.ico)" sizes="32x32"\/>/.exec(html)?.[1] ?? assert.fail('no ICO link');
    const svg = /<link rel="icon" href="(\/assets\/icon\.[0-9a-f]{12}\.svg)" type="image\/svg\+xml"\/>/.exec(html)?.[1] ?? assert.fail('no SVG link');
    const touch = /<link rel="apple-touch-icon" href="(\/assets\/apple-touch-icon\.[0-9a-f]{12}\.png)"\/>/.exec(html)?.[1] ?? assert.fail('no touch icon');
    const types = { [ico]: 'image/x-icon', [svg]: 'image/svg+xml', [touch]: 'image/png' };
    for (const [path, type] of Object.entries(types)) {
      const r = await s.get(path);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-type'), type, path);
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable', path);
    }
    const drawing = await (await s.get(svg)).text();
    assert.match(drawing, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // Its own dark version (a dark burgundy square is lost on a dark tab bar), in the site's dark-mode colours.
    assert.match(drawing, /<style>@media \(prefers-color-scheme: dark\)\{\.b\{fill:#d9936a\}\.p\{stroke:#161513\}\}<\/style>/);
    // Every page links it: an error page and a filtered page too.
    for (const other of [await (await s.get('/fr/pas-une-page')).text(), await (await s.get('/en/chronology?tag=maquis')).text()]) {
      assert.ok(other.includes(`<link rel="icon" href="${svg}" type="image/svg+xml"/>`) && other.includes(`<link rel="icon" href="${ico}" sizes="32x32"/>`));
    }
    const r = await s.get('/favicon.ico');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/x-icon');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=2592000');
    const body = Buffer.from(await r.arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon), then one 16-byte entry per image, each a PNG of its stated size.
    assert.deepEqual([body.readUInt16LE(0), body.readUInt16LE(2)], [0, 1]);
    const sizes: number[] = [];
    for (let i = 0; i < body.readUInt16LE(4); i++) {
      const at = 6 + 16 * i;
      const png = body.subarray(body.readUInt32LE(at + 12), body.readUInt32LE(at + 12) + body.readUInt32LE(at + 8));
      const meta = await sharp(png).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', body[at], body[at + 1]]);
      sizes.push(meta.width);
    }
    assert.deepEqual(sizes, [16, 32, 48]);
    assert.equal((await s.get('/favicon.ico', { 'If-None-Match': r.headers.get('etag')! })).status, 304);
  });
  test('sitemap lists every page in every language with alternates; robots points to it', async () => {
    const xml = await (await s.get('/sitemap.xml')).text();
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    assert.equal(locs.length, s.site.current!.pages.size);
    assert.ok(locs.includes(`${PUBLIC_URL}${T10.fr}`) && locs.includes(`${PUBLIC_URL}${T10.en}`));
    assert.match(xml, /<xhtml:link rel="alternate" hreflang="en" href="https:\/\/visite\.example\.org\/en\/visit\/the-liberation-of-the-drome"\/>/);
    assert.match(await (await s.get('/robots.txt')).text(), /Sitemap: https:\/\/visite\.example\.org\/sitemap\.xml/);
  });
  test('/healthz reports ok', async () => {
    const r = await s.get('/healthz');
    assert.equal(r.status, 200);
    assert.equal((await r.json() as { status: string }).status, 'ok');
  });
  test('one canonical address: trailing slashes redirect', async () => {
    assert.equal((await s.get('/fr')).headers.get('location'), '/fr/');
    assert.equal((await s.get('/en/visit/')).headers.get('location'), '/en/visit');
  });
});

describe('bad input', () => {
  test('an unknown theme gives a localized 404 with the theme menu', async () => {
    const r = await s.get('/fr/visite/n-existe-pas');
    assert.equal(r.status, 404);
    const html = await r.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Page introuvable/);
    assert.equal(count(html, /<span class="theme-num"/), 11);
    const en = await s.get('/en/learn-more/nothing-here');
    assert.equal(en.status, 404);
    assert.match(await en.text(), /Page not found/);
  });
  test('an unknown language prefix gives a 404 offering the available languages', async () => {
    for (const path of ['/de/', '/xx/visit', '/zz']) {
      const r = await s.get(path);
      assert.equal(r.status, 404);
      const html = await r.text();
      assert.match(html, /<a href="\/fr\/" hreflang="fr" lang="fr">français<\/a>/);
      assert.match(html, /<a href="\/en\/" hreflang="en" lang="en">English<\/a>/);
    }
  });
  test('path traversal and malformed percent-encoding are refused, never served', async () => {
    for (const path of ['/assets/..%2f..%2fpackage.json', '/fr/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e%2fsrc%2fapp.ts', '/fr/%E0%A4%A', '/%', '/fr/%00']) {
      const r = await s.get(path);
      assert.ok([400, 404].includes(r.status), `${path} → ${r.status}`);
      const body = await r.text();
      assert.doesNotMatch(body, /"name": "parcours"|root:|import \{/);
      assert.doesNotMatch(body, /at .*\.ts:\d+/, 'no stack trace');
    }
  });
  test('over-long URLs get 414', async () => {
    const r = await s.get(`/fr/${'a'.repeat(3000)}`);
    assert.equal(r.status, 414);
    assert.match(await r.text(), /Adresse trop longue|Address too long/);
  });
  test('methods other than GET and HEAD are refused', async () => {
    const r = await s.app.request('/fr/', { method: 'POST' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  });
});

describe('error pages', () => {
  test('a 404 has no canonical address, is not indexed, and marks no navigation item as current', async () => {
    const html = await (await s.get('/fr/visite/n-existe-pas')).text();
    assert.doesNotMatch(html, /rel="canonical"/);
    assert.match(html, /<meta name="robots" content="noindex"\/>/);
    assert.doesNotMatch(html, /<li><a href="\/fr\/" aria-current="page">/);
    assert.match(html, /<ol class="theme-list">(.*?<a href="\/fr\/visite\/[a-z0-9-]+">){11}/s);
  });
});

test('French titles cited in the English text carry lang="fr"', async () => {
  const html = await s.html(T10.en);
  assert.match(html, /<span lang="fr">«\s?La Résistance dans la\s+Drôme\s?»<\/span>/);
  assert.match(html, /<span lang="fr">«\s?La Libération de la\s+Drôme\s?»<\/span>/);
  assert.doesNotMatch(html, /\]\{lang=/, 'no unrendered attribute syntax');
});

describe('a theme whose text is not written yet', () => {
  let t: TestSite;
  before(async () => {
    // The demo with theme 9 reduced to its title, slug and summary.
    const dir = copyBundle(DEMO);
    writeFileSync(join(dir, 'themes/09-deportation.yaml'), 'visit: main\nblocks: []\n');
    for (const l of ['fr', 'en']) {
      const file = join(dir, `themes/09-deportation.${l}.md`);
      const front = parse(/^---\n([\s\S]*?)\n---\n/.exec(readFileSync(file, 'utf8'))![1]!) as Record<string, string>;
      writeFileSync(file, `---\n${stringify({ title: front.title, slug: front.slug, summary: front.summary })}---\n`);
    }
    t = await siteFor(dir);
  });
  after(() => t.close());

  test('says honestly that it is in preparation, in the list and on its page', async () => {
    assert.match(await t.html('/fr/visite/la-deportation-et-l-internement'), /Le texte de ce thème est en préparation/);
    assert.match(await t.html('/en/visit/deportation-and-internment'), /The text of this theme is in preparation/);
    assert.match(await t.html('/en/visit'), /Text in preparation\./);
  });
});
