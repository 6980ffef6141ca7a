import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown, markdownHeadings } from '../src/modules/content/markdown.ts';
import { sectionId } from '../src/web/views/blocks.tsx';
import { DEMO, siteFor, type TestSite } from './harness.ts';

// Issue 15: a theme reads as a journey. Its sections have anchors a teacher
// can link to (the same in every language: block ids), each heading is
// followed by a link to itself, the theme opens with its contents and the next
// theme, and the visit ends on where to go next rather than a dead end.

const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);

describe('section anchors in Markdown', () => {
  const env = (lang?: string) => ({ section: { id: 'romans-film', label: { before: 'Link to the section “', after: '”', lang }, textLang: 'fr' } });
  test('the first heading takes the section id, the next ones numbered; each is followed by its link', () => {
    const html = renderMarkdown('## One\n\ntext\n\n### Two\n\n## Three\n', env());
    assert.match(html, /<div class="section-head"><h2 id="romans-film">One<\/h2><a class="section-link" href="#romans-film"><span aria-hidden="true">#<\/span><span class="visually-hidden">Link to the section “One”<\/span><\/a><\/div>/);
    assert.match(html, /<h3 id="romans-film-2">Two<\/h3><a class="section-link" href="#romans-film-2">/);
    assert.match(html, /<h2 id="romans-film-3">Three<\/h2>/);
  });
  test('a fallback text (in French on an English page): the link\'s words in English, the heading\'s in French', () => {
    const html = renderMarkdown('## Un titre\n', env('en'));
    assert.match(html, /<span class="visually-hidden" lang="en">Link to the section “<span lang="fr">Un titre<\/span>”<\/span>/);
  });
  test('without a section, headings are as before', () => {
    assert.equal(renderMarkdown('## One\n'), '<h2>One</h2>\n');
  });
  test('a heading\'s words are escaped in the link\'s label', () => {
    const html = renderMarkdown('## <img src=x onerror=alert(1)> "q"\n', env());
    assert.ok(!html.includes('<img'), html);
    assert.match(html, /Link to the section “&#60;img src=x onerror=alert\(1\)&#62; &#34;q&#34;”/);
  });
  test('markdownHeadings lists h2 and h3 with their plain text', () => {
    assert.deepEqual(markdownHeadings('# A *b*\n\n## C [d](/x)\n\n#### E\n'), [{ level: 2, text: 'A b' }, { level: 2, text: 'C d' }]);
  });
  test('a block id the page uses itself gets a prefix', () => {
    assert.equal(sectionId({ id: 'sources', kind: 'text' }), 'sources');
    assert.equal(sectionId({ id: 'main', kind: 'text' }), 'section-main');
    assert.equal(sectionId({ id: 'event-x', kind: 'text' }), 'section-event-x');
    assert.equal(sectionId({ id: 'camps', kind: 'map' } as never), 'map-camps-heading');
  });
});

describe('the demo\'s themes', () => {
  let s: TestSite;
  let themes: { fr: string; en: string }[];
  before(async () => {
    s = await siteFor(DEMO);
    const sitemap = await s.html('/sitemap.xml');
    const fr = [...sitemap.matchAll(/<loc>https:\/\/[^/]+(\/fr\/visite\/[^<]+)<\/loc><xhtml:link rel="alternate" hreflang="fr" href="[^"]+"\/><xhtml:link rel="alternate" hreflang="en" href="https:\/\/[^/]+([^"]+)"/g)];
    themes = fr.map((m) => ({ fr: m[1]!, en: m[2]! }));
  });
  after(() => s.close());

  test('every theme page: unique ids, every contents entry and section link points at a heading of the page', async () => {
    assert.equal(themes.length, 11);
    for (const t of themes) {
      for (const path of [t.fr, t.en]) {
        const html = await s.html(path);
        const all = ids(html);
        assert.deepEqual(all.filter((id, i) => all.indexOf(id) !== i), [], `${path}: duplicate ids`);
        const contents = /<nav class="theme-contents"[^>]*>.*?<\/nav>/s.exec(html)?.[0] ?? assert.fail(`${path}: a contents list`);
        const entries = [...contents.matchAll(/<li><a href="#([^"]+)">/g)].map((m) => m[1]!);
        assert.ok(entries.length >= 2, `${path}: sections listed`);
        for (const id of entries) assert.match(html, new RegExp(`<(h[23]|caption) id="${id}"`), `${path}: #${id} is a heading or a chart's title`);
        for (const [, id] of html.matchAll(/<a class="section-link" href="#([^"]+)">/g)) assert.match(html, new RegExp(`<h[23] id="${id}"`), `${path}: link #${id}`);
        // Every h2 of a text block has its anchor.
        assert.doesNotMatch(html.slice(html.indexOf('class="theme-body"')), /<div class="prose"[^>]*>(?:(?!<\/div>).)*<h2>/s, `${path}: a text heading without id`);
      }
    }
  });

  test('a section has the same anchor in both languages', async () => {
    const t = themes[10]!;
    const [fr, en] = [await s.html(t.fr), await s.html(t.en)];
    const heads = (h: string) => [...h.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(heads(fr), heads(en));
    assert.ok(heads(fr).includes('romans-film'));
  });

  test('the contents name the next theme, reachable without scrolling to the end', async () => {
    const html = await s.html(themes[0]!.en);
    const contents = /<nav class="theme-contents"[^>]*>.*?<\/nav>/s.exec(html)![0];
    assert.ok(contents.includes(`<a href="${themes[1]!.en}"><span class="pager-label">Next theme</span>`), contents);
    assert.ok(html.indexOf('class="theme-contents"') < html.indexOf('class="theme-body"'), 'before the text');
  });

  test('the last theme ends on where to go next: chronology, map, the article, the museum, the visit', async () => {
    for (const [path, words] of [[themes[10]!.fr, ['Pour aller plus loin', '/fr/chronologie', '/fr/carte', '/fr/en-savoir-plus/les-ffi-de-la-drome-en-1944', '/fr/a-propos', '/fr/visite']], [themes[10]!.en, ['Where to go next', '/en/chronology', '/en/map', '/en/learn-more/the-ffi-of-the-drome-in-1944', '/en/about', '/en/visit']]] as const) {
      const html = await s.html(path);
      const end = /<section class="visit-end"[^>]*>.*?<\/section>/s.exec(html)?.[0] ?? assert.fail(`${path}: the end of the visit`);
      assert.ok(end.includes(words[0]));
      for (const href of words.slice(1)) assert.ok(end.includes(`href="${href}"`), `${path}: ${href}`);
      assert.match(html, /<p class="contents-next"><a href="#visit-end">/);
    }
    assert.doesNotMatch(await s.html(themes[9]!.en), /class="visit-end"/, 'only the last theme');
  });

  test('the overview and the home show the themes as a sequence of periods, from their dated events', async () => {
    for (const [path, range] of [['/fr/visite', '<time datetime="1918">1918</time>-<time datetime="1939">1939</time>'], ['/en/visit', '<time datetime="1918">1918</time>–<time datetime="1939">1939</time>'], ['/en/', '<time datetime="1918">1918</time>–<time datetime="1939">1939</time>']] as const) {
      const html = await s.html(path);
      const periods = [...html.matchAll(/<p class="theme-period">(.*?)<\/p>/g)].map((m) => m[1]);
      assert.equal(periods.length, 11, `${path}: a period for each theme`);
      assert.equal(periods[0], range);
      assert.equal(periods[2], '<time datetime="1940">1940</time>', 'the armistice: one year');
    }
  });
});
