import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURE, siteFor, type TestSite } from './harness.ts';

// A different museum (natural history, German and English) imports and renders
// through the same code: nothing in Parcours is specific to the demo.

let s: TestSite;
before(async () => {
  s = await siteFor(FIXTURE);
});
after(() => s.close());

test('the default language is German and / goes there', async () => {
  assert.equal((await s.get('/')).headers.get('location'), '/de/');
  assert.equal((await s.get('/', { 'Accept-Language': 'en-US' })).headers.get('location'), '/en/');
  const html = await s.html('/de/');
  assert.match(html, /<html lang="de">/);
  assert.match(html, /Rundgang beginnen/);
  assert.match(html, /Naturkundemuseum Beispielstadt/);
});

test('both visits render, each with its own themes', async () => {
  const main = await s.html('/de/rundgang');
  assert.equal([...main.matchAll(/<h2 class="theme-title">/g)].length, 3);
  const kids = await s.html('/en/kids');
  assert.equal([...kids.matchAll(/<h2 class="theme-title">/g)].length, 1);
  assert.match(await s.html('/en/'), /href="\/en\/kids"/);
});

test('every block kind renders', async () => {
  const fossils = await s.html('/en/tour/fossils');
  assert.match(fossils, /class="note note-sources" role="note"/);
  assert.match(fossils, /class="chronology-block"/);
  assert.match(fossils, /class="links-block"/);
  assert.match(fossils, /href="https:\/\/example\.org\/plattenkalk"/);
  const minerals = await s.html('/en/tour/minerals');
  assert.match(minerals, /class="gallery"/);
  assert.match(minerals, /figure-video/);
  assert.match(minerals, /class="map-block"/);
  assert.match(minerals, /48\.8959° N, 10\.9946° E/);
  const evolution = await s.html('/en/tour/evolution');
  assert.match(evolution, /<figure class="quote"><blockquote><p>There is grandeur/);
  assert.match(evolution, /figure-audio/);
});

test('missing English text falls back to German, marked with its language and a visible notice', async () => {
  const html = await s.html('/en/tour/evolution');
  // the notice is in English, outside the German fragment
  assert.match(html, /<p class="fallback-notice">Not yet translated: shown in German\.<\/p><div class="prose" lang="de">/);
  // English interface text is never inside an element marked German
  assert.doesNotMatch(html, /<article[^>]* lang=/);
  assert.match(html, /<p class="kicker">Theme 3 of 3<\/p>/);
  assert.match(html, /Der Urvogel aus dem Plattenkalk/);
  // the lead is missing in English: shown in German with its lang attribute
  assert.match(html, /<p class="fallback-notice">Not yet translated: shown in German\.<\/p><p class="lead" lang="de">/);
  // a caption missing in English falls back too
  assert.match(html, /<figcaption><span lang="de">/);
});

test('German dates and the night precision', async () => {
  const html = await s.html('/de/chronologie');
  assert.match(html, /Nacht vom 14\. zum 15\. Oktober 1936/);
  assert.match(html, /<h2 id="year-1925">1925<\/h2>/);
});

test('German UI routes and 404', async () => {
  assert.equal((await s.get('/de/mehr-erfahren/feldforschung')).status, 200);
  assert.equal((await s.get('/en/learn-more/fieldwork')).status, 200);
  const r = await s.get('/de/rundgang/gibt-es-nicht');
  assert.equal(r.status, 404);
  assert.match(await r.text(), /Seite nicht gefunden/);
});

test("a children's visit theme shows its own visit's themes in the menu, current one marked", async () => {
  const html = await s.html('/en/kids/animal-tracks');
  const menu = /<details class="theme-menu"[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
  assert.match(menu, /<a href="\/en\/kids\/animal-tracks" aria-current="page">/);
  assert.doesNotMatch(menu, /\/en\/tour\//);
});
