import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { DEMO, FIXTURE, copyBundle, memoryDb, siteFor, testStore } from './harness.ts';
import { lines, problemsWith } from './bundle-problems.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { exportBundle, importBundle } from '../src/modules/bundle/bundle.service.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { GlossaryFinder } from '../src/modules/content/content.glossary.ts';
import { untranslated } from '../src/modules/content/content.stats.ts';
import { renderMarkdown, type GlossaryMarking } from '../src/modules/content/markdown.ts';
import type { GlossaryEntry } from '../src/modules/content/content.schema.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

// Issue 15: the glossary. glossary.yaml (optional) is validated, stored on
// both engines and exported back; a page in each language lists the entries
// in that language's order with anchors; in a theme's texts, the first use of
// each entry links to it, never in a heading, a link or code, always escaped.

/** The fixture museum (de, en) with a glossary. */
const FIXTURE_GLOSSARY = `- id: dino
  term: {de: Dinosaurier, en: dinosaur}
  definition: {de: Ein ausgestorbenes Reptil., en: An extinct reptile.}
- id: ddr
  term: {de: Deutsche Demokratische Republik, en: German Democratic Republic}
  abbreviation: {de: DDR, en: GDR}
  definition: {de: Der ostdeutsche Staat von 1949 bis 1990., en: The East German state from 1949 to 1990.}
- id: nhm
  term: {de: Naturhistorisches Museum}
  abbreviation: NHM
  definition: {de: Ein Museum der Naturgeschichte.}
`;

function withGlossary(text: string): string {
  const dir = copyBundle(FIXTURE);
  writeFileSync(join(dir, 'glossary.yaml'), text);
  return dir;
}
const glossaryProblems = (text: string) => problemsWith(FIXTURE, (d) => writeFileSync(join(d, 'glossary.yaml'), text));
const summary = (text: string) => glossaryProblems(text).map((p) => [p.code, p.entity, p.id, p.field, p.locale]);
const has = (text: string, expected: unknown[]) => {
  const got = summary(text);
  assert.ok(got.some((s) => JSON.stringify(s) === JSON.stringify(expected)), `${JSON.stringify(expected)} in:\n${lines(glossaryProblems(text))}`);
};

describe('glossary.yaml: what the reader accepts and refuses', () => {
  test('the fixture with a glossary (one abbreviation per language, one for all, none) has no problem; the demo has 19 entries', () => {
    assert.deepEqual(glossaryProblems(FIXTURE_GLOSSARY), []);
    const { content } = readBundle(withGlossary(FIXTURE_GLOSSARY));
    assert.deepEqual(content!.glossary.map((g) => [g.id, g.abbreviation]), [['dino', undefined], ['ddr', { de: 'DDR', en: 'GDR' }], ['nhm', 'NHM']]);
    assert.equal(readBundle(DEMO).content!.glossary.length, 19);
  });

  test('`parcours check` lists what a language lacks of an entry (the demo\'s are all translated)', () => {
    const gaps = untranslated(readBundle(withGlossary(FIXTURE_GLOSSARY)).content!).filter((g) => g.entity === 'glossary');
    assert.deepEqual(gaps, [{ entity: 'glossary', id: 'nhm', field: 'term', locale: 'en' }, { entity: 'glossary', id: 'nhm', field: 'definition', locale: 'en' }]);
    assert.deepEqual(untranslated(readBundle(DEMO).content!).filter((g) => g.entity === 'glossary'), []);
  });

  test('term and definition are required in the default language; other languages may be missing (they fall back)', () => {
    has('- {id: a, term: {en: A}, definition: {de: x, en: y}}\n', ['missing_default_locale', 'glossary', 'a', 'term.de', 'de']);
    has('- {id: a, term: {de: A}, definition: {en: y}}\n', ['missing_default_locale', 'glossary', 'a', 'definition.de', 'de']);
    has('- {id: a, term: {de: A}, abbreviation: {en: B}, definition: {de: y}}\n', ['missing_default_locale', 'glossary', 'a', 'abbreviation.de', 'de']);
    has('- {id: a, term: {de: A}}\n', ['required', 'glossary', 'a', 'definition', undefined]);
    assert.deepEqual(glossaryProblems('- {id: a, term: {de: A}, definition: {de: y}}\n'), []);
  });

  test('unique ids, enabled languages, plain one-line words, a list', () => {
    has('- {id: a, term: {de: A}, definition: {de: x}}\n- {id: a, term: {de: B}, definition: {de: y}}\n', ['duplicate_id', 'glossary', 'a', 'id', undefined]);
    has('- {id: a, term: {de: A, fr: A}, definition: {de: x}}\n', ['unknown_locale', 'glossary', 'a', 'term.fr', 'fr']);
    has('- {id: a, term: {de: "A\\nB"}, definition: {de: x}}\n', ['schema', 'glossary', 'a', 'term.de', undefined]);
    has('- {id: a, term: {de: A}, abbreviation: [A], definition: {de: x}}\n', ['schema', 'glossary', 'a', 'abbreviation', undefined]);
    has('- {id: a, term: {de: "…"}, definition: {de: x}}\n', ['schema', 'glossary', 'a', 'term.de', undefined]);
    has('- {id: A B, term: {de: A}, definition: {de: x}}\n', ['schema', 'glossary', 'A B', 'id', undefined]);
    assert.deepEqual(summary('id: a\n'), [['schema', 'glossary', undefined, undefined, undefined]]);
  });

  test('a word leads to one entry only (terms whatever their case), and an id the page uses is refused', () => {
    has('- {id: a, term: {de: Fossil}, definition: {de: x}}\n- {id: b, term: {de: fossil}, definition: {de: y}}\n', ['duplicate_term', 'glossary', 'b', 'term.de', 'de']);
    has('- {id: a, term: {de: A, en: A}, abbreviation: FFI, definition: {de: x}}\n- {id: b, term: {de: B}, abbreviation: {de: C, en: FFI}, definition: {de: y}}\n', ['duplicate_term', 'glossary', 'b', 'abbreviation.en', 'en']);
    has('- {id: main, term: {de: A}, definition: {de: x}}\n', ['reserved_id', 'glossary', 'main', 'id', undefined]);
    // Its own term as its abbreviation is one entry, not two.
    assert.deepEqual(glossaryProblems('- {id: a, term: {de: Maquis}, abbreviation: maquis, definition: {de: x}}\n'), []);
  });
});

describe('the glossary through import, the database and export', () => {
  test('import → load gives the entries as read; export writes glossary.yaml back, and reading it gives them again', async () => {
    for (const dir of [DEMO, withGlossary(FIXTURE_GLOSSARY)]) {
      const db = await memoryDb();
      try {
        await importBundle(db, dir, testStore());
        const read = readBundle(dir).content!.glossary;
        assert.deepEqual((await loadContent(db))!.glossary, read);
        const out = join(mkdtempSync(join(tmpdir(), 'parcours-glossary-')), 'export');
        await exportBundle(db, out, testStore());
        assert.deepEqual(readBundle(out).content!.glossary, read);
        // Canonical: a second round gives the same bytes.
        const db2 = await memoryDb();
        try {
          await importBundle(db2, out, testStore());
          const again = join(mkdtempSync(join(tmpdir(), 'parcours-glossary-')), 'export');
          await exportBundle(db2, again, testStore());
          assert.equal(readFileSync(join(again, 'glossary.yaml'), 'utf8'), readFileSync(join(out, 'glossary.yaml'), 'utf8'));
        } finally {
          await db2.destroy();
        }
      } finally {
        await db.destroy();
      }
    }
  });

  test('an abbreviation for every language is one value in glossary_entry; one per language is in glossary_translation', async () => {
    const db = await memoryDb();
    try {
      await importBundle(db, withGlossary(FIXTURE_GLOSSARY), testStore());
      const entries = await db.selectFrom('glossary_entry').select(['id', 'abbreviation']).orderBy('position').execute();
      assert.deepEqual(entries, [{ id: 'dino', abbreviation: null }, { id: 'ddr', abbreviation: null }, { id: 'nhm', abbreviation: 'NHM' }]);
      const ddr = await db.selectFrom('glossary_translation').select(['locale', 'abbreviation']).where('entry_id', '=', 'ddr').orderBy('locale').execute();
      assert.deepEqual(ddr, [{ locale: 'de', abbreviation: 'DDR' }, { locale: 'en', abbreviation: 'GDR' }]);
      // A bundle without a glossary empties the tables.
      await importBundle(db, FIXTURE, testStore());
      assert.equal((await db.selectFrom('glossary_entry').selectAll().execute()).length, 0);
      assert.deepEqual((await loadContent(db))!.glossary, []);
    } finally {
      await db.destroy();
    }
  });

  test('migration 0009_glossary creates the two tables and drops them again', async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'parcours-migrate-')), 'g.db'));
    try {
      assert.ok((await migrateToLatest(db)).includes('0009_glossary'));
      const tables = async () => (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name like 'glossary%' order by name`.execute(db)).rows.map((r) => r.name);
      assert.deepEqual(await tables(), ['glossary_entry', 'glossary_translation']);
      const m = await import('../src/db/migrations/0009_glossary.ts');
      await m.down(db);
      assert.deepEqual(await tables(), []);
    } finally {
      await db.destroy();
    }
  });
});

/** The entry ids of a glossary page, in page order. */
const idsOf = (html: string) => [...html.matchAll(/<dt id="([^"]+)">/g)].map((m) => m[1]);

describe('the glossary page', () => {
  test('in French and in English: every entry, in the alphabetical order of the language, each with its anchor; abbreviations in <abbr>', async () => {
    const s = await siteFor(DEMO);
    try {
      const fr = await s.html('/fr/glossaire');
      const en = await s.html('/en/glossary');
      assert.equal(idsOf(fr).length, 19);
      // Under their abbreviation (FFI) or their term (maquis), whatever the case, in each language's order.
      assert.deepEqual(idsOf(fr), ['as', 'cdl', 'cnr', 'ffi', 'front-national', 'ftp', 'gestapo', 'lvf', 'maquis', 'milice', 'mur', 'ora', 'requis', 'sap', 'soe', 'sol', 'ss', 'sto', 'zone-sud']);
      // In English the southern zone (zone sud) and the STO conscript (requis) move.
      assert.deepEqual(idsOf(en), ['as', 'cdl', 'cnr', 'ffi', 'front-national', 'ftp', 'gestapo', 'lvf', 'maquis', 'milice', 'mur', 'ora', 'sap', 'soe', 'sol', 'zone-sud', 'ss', 'sto', 'requis']);
      assert.match(fr, /<dt id="ffi"><abbr title="Forces françaises de l’intérieur">FFI<\/abbr><span class="glossary-expansion"> — Forces françaises de l’intérieur<\/span><\/dt><dd>/);
      assert.match(en, /<dt id="ffi"><abbr title="French Forces of the Interior">FFI<\/abbr>/);
      assert.match(fr, /<dt id="maquis">maquis<\/dt>/);
      // Structured data: a DefinedTermSet of the same entries, in the same order, each at its anchor.
      const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(en)![1]!) as { '@type': string; hasDefinedTerm: { '@id': string; name: string; termCode?: string }[] };
      assert.equal(ld['@type'], 'DefinedTermSet');
      assert.deepEqual(ld.hasDefinedTerm.map((t) => t['@id'].split('#')[1]), idsOf(en));
      assert.deepEqual(ld.hasDefinedTerm.find((t) => t.termCode === 'FFI')?.name, 'French Forces of the Interior');
      // Linked from the main navigation of every page, listed in the sitemap with its alternates.
      for (const page of [fr, await s.html('/en/')]) assert.match(page, /<nav class="main-nav"[\s\S]*?<a href="\/(fr\/glossaire|en\/glossary)"[^>]*>(Glossaire|Glossary)<\/a>[\s\S]*?<\/nav>/);
      assert.match(fr, /<a href="\/fr\/glossaire" aria-current="page">Glossaire<\/a>/);
      const sitemap = await (await s.get('/sitemap.xml')).text();
      assert.match(sitemap, /<loc>[^<]*\/fr\/glossaire<\/loc><xhtml:link rel="alternate" hreflang="fr" href="[^"]*\/fr\/glossaire"\/><xhtml:link rel="alternate" hreflang="en" href="[^"]*\/en\/glossary"\/>/);
    } finally {
      await s.close();
    }
  });

  test('a museum without a glossary has no glossary page, no link to one, nothing in its sitemap', async () => {
    const s = await siteFor(FIXTURE);
    try {
      for (const path of ['/de/glossar', '/en/glossary']) assert.equal((await s.get(path)).status, 404, path);
      const home = await s.html('/de/');
      assert.doesNotMatch(home, /glossar/i);
      assert.doesNotMatch(await (await s.get('/sitemap.xml')).text(), /glossar/i);
    } finally {
      await s.close();
    }
  });

  test('the fixture with a glossary: a German page, an entry missing in English shown in German and said so', async () => {
    const s = await siteFor(withGlossary(FIXTURE_GLOSSARY));
    try {
      const de = await s.html('/de/glossar');
      assert.deepEqual(idsOf(de), ['ddr', 'dino', 'nhm']);
      const en = await s.html('/en/glossary');
      assert.deepEqual(idsOf(en), ['dino', 'ddr', 'nhm']);
      assert.match(en, /<abbr title="German Democratic Republic">GDR<\/abbr>/);
      // No English term nor definition: the German ones, with their lang, marked, and the page's note.
      assert.match(en, /<dt id="nhm"><abbr>NHM<\/abbr><span class="glossary-expansion"> — <span lang="de">Naturhistorisches Museum<\/span> <span class="fallback-mark" aria-hidden="true">/);
      assert.match(en, /<dd><span lang="de">Ein Museum der Naturgeschichte\.<\/span>/);
      assert.match(en, /class="fallback-notice fallback-page"/);
    } finally {
      await s.close();
    }
  });
});

describe('the first use of a term in a theme', () => {
  const entries: GlossaryEntry[] = [
    { id: 'ffi', term: { fr: 'Forces françaises de l’intérieur' }, abbreviation: 'FFI', definition: { fr: 'd' } },
    { id: 'as', term: { fr: 'Armée secrète' }, abbreviation: 'AS', definition: { fr: 'd' } },
    { id: 'maquis', term: { fr: 'maquis' }, definition: { fr: 'd' } },
    { id: 'evil', term: { fr: '<script>alert("x")</script> & co' }, abbreviation: 'X"Y', definition: { fr: 'd' } },
  ];
  const marking = (marked = new Set<string>()): GlossaryMarking => ({
    finder: new GlossaryFinder(entries, 'fr'), marked, href: (id) => `/fr/glossaire#${id}`, title: (id) => entries.find((e) => e.id === id)?.term.fr,
  });
  const links = (html: string) => [...html.matchAll(/<a class="glossary-link" href="([^"]+)">/g)].map((m) => m[1]);

  test('only the first use of each entry, its term or its abbreviation, whichever comes first, and across the texts of a page', () => {
    const m = marking();
    const html = renderMarkdown('Les FFI, les FFI encore, puis les Forces françaises de l’intérieur.\n\nUn maquis, deux maquis.', { glossary: m });
    assert.equal(html, '<p>Les <a class="glossary-link" href="/fr/glossaire#ffi"><abbr title="Forces françaises de l’intérieur">FFI</abbr></a>, les FFI encore, puis les Forces françaises de l’intérieur.</p>\n<p>Un <a class="glossary-link" href="/fr/glossaire#maquis">maquis</a>, deux maquis.</p>\n');
    // The next text of the same page marks only what is new.
    assert.deepEqual(links(renderMarkdown('Le Maquis et les FFI, avec l’AS.', { glossary: m })), ['/fr/glossaire#as']);
    // The term first: a link without <abbr>, and the abbreviation after it is left alone.
    const t = renderMarkdown('L’Armée secrète (AS) et l’AS.', { glossary: marking() });
    assert.match(t, /<a class="glossary-link" href="\/fr\/glossaire#as">Armée secrète<\/a> \(AS\) et l’AS\./);
  });

  test('never in a heading, a link or code; whole words only; an abbreviation only as written, a term whatever its case', () => {
    const html = renderMarkdown('## Les FFI\n\n[Les FFI](https://example.org) et `FFI` ; maquisards, ASSO, as, FFIs, Maquis. Puis les FFI.', { glossary: marking() });
    assert.equal(links(html).join(' '), '/fr/glossaire#maquis /fr/glossaire#ffi');
    assert.match(html, /<h2>Les FFI<\/h2>/);
    assert.match(html, /<a href="https:\/\/example.org">Les FFI<\/a> et <code>FFI<\/code>/);
    assert.match(html, /<a class="glossary-link" href="\/fr\/glossaire#maquis">Maquis<\/a>\. Puis les <a class="glossary-link" href="\/fr\/glossaire#ffi"><abbr title="Forces françaises de l’intérieur">FFI<\/abbr><\/a>\./);
    // A term written across spaces of another kind is found; a term split over two lines of the file is not.
    assert.equal(links(renderMarkdown('Les Forces\u00a0françaises de l’intérieur.', { glossary: marking() })).length, 1);
    assert.equal(links(renderMarkdown('Les Forces françaises\nde l’intérieur.', { glossary: marking() })).length, 0);
  });

  test('terms from the bundle are escaped: a term with <script> in it, an abbreviation with a quote', () => {
    const html = renderMarkdown('Voici <script>alert("x")</script> & co, et X"Y.', { glossary: marking() });
    assert.doesNotMatch(html, /<script>/);
    assert.equal(links(html).length, 1);
    assert.match(html, /<a class="glossary-link" href="\/fr\/glossaire#evil">&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; co<\/a>, et X&quot;Y\./);
    const abbr = renderMarkdown('Et X"Y.', { glossary: marking() });
    assert.match(abbr, /<abbr title="&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; co">X&quot;Y<\/abbr>/);
    // Without a glossary, rendering is what it was.
    assert.equal(renderMarkdown('Les FFI.'), '<p>Les FFI.</p>\n');
  });

  test('the demo\'s theme 6, in French and in English: each entry at most once, to the glossary of the page\'s language, never in a heading', async () => {
    const s = await siteFor(DEMO);
    try {
      for (const [path, glossary] of [['/fr/visite/la-resistance-s-etend', '/fr/glossaire'], ['/en/visit/the-resistance-spreads', '/en/glossary']] as const) {
        const html = await s.html(path);
        const found = links(html);
        assert.ok(found.length >= 5, `${path}: ${found.join(' ')}`);
        assert.equal(new Set(found).size, found.length, `${path}: an entry marked twice: ${found.join(' ')}`);
        for (const href of found) assert.ok(href!.startsWith(`${glossary}#`), href);
        assert.ok(found.includes(`${glossary}#ffi`) && found.includes(`${glossary}#maquis`), found.join(' '));
        for (const h of html.match(/<h[1-6][^>]*>[\s\S]*?<\/h[1-6]>/g) ?? []) assert.doesNotMatch(h, /glossary-link/, h);
        // Every anchor exists on the glossary page.
        const page = await s.html(glossary);
        for (const href of found) assert.match(page, new RegExp(`<dt id="${href!.split('#')[1]}">`));
      }
      // Articles are not marked.
      assert.doesNotMatch(await s.html('/fr/en-savoir-plus/les-ffi-de-la-drome-en-1944'), /glossary-link/);
    } finally {
      await s.close();
    }
  });
});
