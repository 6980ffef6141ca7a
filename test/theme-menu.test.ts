import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { count, DEMO, siteFor, type TestSite } from './harness.ts';
import { BIG_VISIT_THEMES, bigVisitBundle } from './big-visit.ts';
import { MENU_FULL_MAX, MENU_NEIGHBOURS } from '../src/web/views/theme-menu.tsx';

// The theme menu of issue 12: a visit of more than MENU_FULL_MAX themes gets a
// compact menu in each page (the current theme and its neighbours, numbered,
// and a link to the visit page, which lists every theme); a smaller visit
// keeps the full menu. The menu is rendered once per visit and language, and
// still counts its fallbacks in each page's note.

const PAGE_NOTE = /<p class="fallback-notice fallback-page">/;
const UNTRANSLATED = 58;

/** The theme menu of a page: its numbers, the current one, its "all themes" link. */
function menu(html: string) {
  const m = /<details class="theme-menu" id="theme-menu">[\s\S]*?<\/details>/.exec(html);
  assert.ok(m, 'the page has a theme menu');
  const block = m[0];
  const numbers = [...block.matchAll(/<span class="menu-num">(\d+)<\/span>/g)].map((x) => Number(x[1]));
  const current = /<a href="[^"]*" aria-current="page"><span class="menu-num">(\d+)<\/span>/.exec(block)?.[1];
  const all = /<p class="menu-all"><a href="([^"]*)"( aria-current="page")?>([^<]*)<\/a><\/p>/.exec(block);
  return { block, numbers, current: current === undefined ? undefined : Number(current), all, compact: block.includes('class="menu-compact"') };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe(`a visit of ${BIG_VISIT_THEMES} themes`, () => {
  let site: TestSite;
  before(async () => {
    site = await siteFor(bigVisitBundle([UNTRANSLATED]));
  });
  after(() => site.close());

  test('the compact menu shows the current theme and its neighbours, at the start, middle and end', async () => {
    assert.ok(BIG_VISIT_THEMES > MENU_FULL_MAX);
    const size = 2 * MENU_NEIGHBOURS + 1;
    const cases: [path: string, n: number, shown: number[]][] = [
      ['/en/visit/the-rise-of-nazism', 1, range(1, size)],
      ['/en/visit/occupation-and-collaboration', 4, range(1, size)],
      ['/en/visit/theme-30', 30, range(30 - MENU_NEIGHBOURS, 30 + MENU_NEIGHBOURS)],
      ['/fr/visite/theme-30', 30, range(30 - MENU_NEIGHBOURS, 30 + MENU_NEIGHBOURS)],
      ['/en/visit/theme-59', 59, range(BIG_VISIT_THEMES - size + 1, BIG_VISIT_THEMES)],
      ['/en/visit/theme-60', 60, range(BIG_VISIT_THEMES - size + 1, BIG_VISIT_THEMES)],
    ];
    for (const [path, n, shown] of cases) {
      const r = await site.get(path);
      assert.equal(r.status, 200, path);
      const m = menu(await r.text());
      assert.ok(m.compact, `${path}: compact menu`);
      assert.deepEqual(m.numbers, shown, `${path}: themes shown`);
      assert.equal(m.current, n, `${path}: the current theme is marked`);
      assert.ok(m.block.includes(`<ol class="menu-compact" start="${shown[0]}">`), `${path}: the list starts at its first number`);
      assert.ok(m.all, `${path}: a link to all the themes`);
      assert.equal(m.all[1], path.startsWith('/fr/') ? '/fr/visite' : '/en/visit');
      assert.ok(m.all[3]!.includes(String(BIG_VISIT_THEMES)), `${path}: the link says how many themes (${m.all[3]})`);
      // Bounded: seven items whatever the size of the visit.
      assert.ok(m.block.length < 3_000, `${path}: menu of ${m.block.length} bytes`);
    }
  });

  test('pages that are not themes show the first themes; on the visit page the "all themes" link is the current page', async () => {
    const home = menu(await site.html('/en/'));
    assert.deepEqual(home.numbers, range(1, 2 * MENU_NEIGHBOURS + 1));
    assert.equal(home.current, undefined);
    assert.equal(home.all?.[2], undefined);
    const visitHtml = await site.html('/en/visit');
    const visit = menu(visitHtml);
    assert.equal(visit.all?.[2], ' aria-current="page"');
    // The visit page itself lists every theme.
    assert.equal(count(visitHtml, /<span class="theme-num" aria-hidden="true">/), BIG_VISIT_THEMES);
  });

  test('the 404 page of a large visit links to the visit page instead of listing every theme', async () => {
    for (const [path, visit] of [['/en/visit/nope', '/en/visit'], ['/fr/visite/nope', '/fr/visite']] as const) {
      const r = await site.get(path);
      assert.equal(r.status, 404);
      const html = await r.text();
      const section = /<section aria-labelledby="err-themes">[\s\S]*?<\/section>/.exec(html)?.[0];
      assert.ok(section, `${path}: the themes section`);
      assert.ok(section.includes(`<a href="${visit}">`), `${path}: links to the visit page`);
      assert.ok(section.includes(String(BIG_VISIT_THEMES)), `${path}: says how many themes`);
      assert.equal(count(section, /<li/), 0, `${path}: no list of ${BIG_VISIT_THEMES} themes`);
    }
  });

  test('a memoized menu still counts its fallbacks in the page it is shown in', async () => {
    // Theme 58 has no English text: it is in the menu of themes 55 to 60, not in that of theme 30.
    for (const path of ['/en/visit/theme-60', '/en/visit/theme-56', '/en/visit/theme-60']) {
      const html = await site.html(path);
      const m = menu(html);
      assert.ok(m.numbers.includes(UNTRANSLATED), path);
      assert.match(m.block, /<span lang="fr">/, `${path}: the French title carries its lang`);
      assert.match(html, PAGE_NOTE, `${path}: the page says some texts are not translated`);
    }
    const middle = await site.html('/en/visit/theme-30');
    assert.doesNotMatch(menu(middle).block, /lang="fr"/);
    assert.doesNotMatch(middle, PAGE_NOTE, 'theme 30 shows no French text');
  });
});

test('a visit of up to MENU_FULL_MAX themes keeps its full menu (the demo: 11)', async () => {
  const site = await siteFor(DEMO);
  try {
    for (const path of ['/fr/', '/en/visit/the-rise-of-nazism', '/fr/visite/videos', '/en/map']) {
      const m = menu(await site.html(path));
      assert.equal(m.compact, false, path);
      assert.deepEqual(m.numbers, range(1, 11), path);
      assert.equal(m.all, null, path);
    }
  } finally {
    await site.close();
  }
});
