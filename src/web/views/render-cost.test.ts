import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsx } from 'hono/jsx/jsx-runtime';
import type { Child } from 'hono/jsx';
import { readBundle } from '../../modules/bundle/bundle.reader.ts';
import type { Content, Doc, HistEvent, Media, Place } from '../../modules/content/content.schema.ts';
import { Ctx, indexContent, type Assets } from '../site/site.context.ts';
import { docLd, mediaLd, placeLd } from '../site/site.seo.ts';
import { Layout, type PageMeta } from './layout.tsx';
import { ChronologyPage, DocPage, ThemePage } from './pages.tsx';
import { PlacePage, placeDescription } from './geo.tsx';
import { MediaPage } from './media.tsx';

// Rendering one page must cost what the page shows, not the size of the
// museum (issue 12). The demo gets N extra themes (in its main visit), events,
// places, media and articles; every array of the content, the chronology and
// the visit's theme list count the elements read through them. After a first
// render (which may build what is memoized per content version, such as the
// theme menu), rendering a theme, a place, a media item or an article page
// reads as many elements with 10 extra themes as with 1,000.

const ASSETS: Assets = { css: '/assets/site.css', js: '/assets/site.js', icons: { svg: '/i.svg', ico: '/i.ico', touch: '/i.png' } };
const base = readBundle('content/drome').content;

function synthetic(extra: number): Content {
  if (!base) throw new Error('the demo bundle does not read');
  const c = structuredClone(base);
  const texts = (title: string, slug: string, blocks: Doc['texts'][string]['blocks'] = {}) => ({
    fr: { title: `${title} (fr)`, slug, blocks }, en: { title, slug, blocks },
  });
  for (let i = 0; i < extra; i += 1) {
    const place: Place = { id: `x-place-${i}`, kind: 'village', lat: 44.5 + (i % 100) / 200, lon: 4.9 + (i % 70) / 100, name: { fr: `Lieu ${i}`, en: `Place ${i}` } };
    const media: Media = { id: `x-media-${i}`, kind: 'image', caption: { fr: `Image ${i}.`, en: `Picture ${i}.` }, credit: { fr: 'Parcours', en: 'Parcours' } };
    const event = { id: `x-event-${i}`, date: { precision: 'day', start: `1943-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}` }, places: [place.id], themes: [`x-theme-${i}`], tags: ['x-tag'], title: { fr: `Événement ${i}`, en: `Event ${i}` } } as HistEvent;
    // In front of the demo's own: a search (find) for a demo item would read them all.
    c.places.unshift(place);
    c.media.unshift(media);
    c.events.unshift(event);
    c.docs.unshift({
      kind: 'theme', id: `x-theme-${i}`, visit: 'main', position: 100 + i,
      blocks: [{ id: 'body', kind: 'text' }, { id: 'fig', kind: 'figure', media: media.id }, { id: 'where', kind: 'map', places: [place.id] }, { id: 'when', kind: 'chronology', events: [event.id] }],
      texts: texts(`Extra theme ${i}`, `extra-theme-${i}`, { body: { body: `Text of extra theme ${i}.` } }),
    });
    c.docs.unshift({ kind: 'article', id: `x-article-${i}`, position: i, blocks: [{ id: 'body', kind: 'text' }], texts: texts(`Extra article ${i}`, `extra-article-${i}`, { body: { body: 'An article.' } }) });
  }
  c.tags.unshift({ id: 'x-tag', label: { fr: 'Extra', en: 'Extra' } });
  return c;
}

/** Replaces the arrays a page could scan by proxies that count the elements read. */
function counted(c: Content, index: ReturnType<typeof indexContent>): { reads: () => number; reset: () => void } {
  let n = 0;
  const wrap = <T extends object>(a: T[]): T[] => new Proxy(a, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) n += 1;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  c.docs = wrap(c.docs);
  c.events = wrap(c.events);
  c.places = wrap(c.places);
  c.media = wrap(c.media);
  c.tags = wrap(c.tags);
  c.visits = wrap(c.visits);
  index.chronology = wrap(index.chronology);
  for (const [id, list] of index.themesByVisit) index.themesByVisit.set(id, wrap(list));
  return { reads: () => n, reset: () => { n = 0; } };
}

async function render(ctx: Ctx, meta: Omit<PageMeta, 'alternates'>, body: (c: Ctx) => Child, seo: (c: Ctx) => unknown): Promise<string> {
  const page = ctx.forPage();
  JSON.stringify(seo(page));
  return `${await jsx(Layout, { ctx: page, meta: { ...meta, alternates: {} }, children: body(page) }).toString()}`;
}

interface Cost { reads: Record<string, number>; bytes: Record<string, number> }

async function costOf(extra: number): Promise<Cost> {
  const c = synthetic(extra);
  const index = indexContent(c);
  const counter = counted(c, index);
  const fr = new Ctx(c, index, 'fr', 'https://visite.example.org', ASSETS);
  const doc = (kind: string, id: string) => index.docs.get(`${kind}/${id}`)!;
  const liberation = doc('theme', 'liberation');
  const extraTheme = doc('theme', 'x-theme-5');
  const visit = index.primary;
  const place = index.places.get('romans-sur-isere')!;
  const media = index.media.get('drome-map')!;
  const article = doc('article', 'ffi-drome-1944');
  const pages: Record<string, (ctx: Ctx) => Promise<string>> = {
    'theme (demo)': (ctx) => render(ctx, { title: 't', description: '', path: ctx.docPath(liberation), currentTheme: liberation.id }, (p) => jsx(ThemePage, { ctx: p, theme: liberation, visit }), (p) => docLd(p, liberation, [])),
    'theme (extra)': (ctx) => render(ctx, { title: 't', description: '', path: ctx.docPath(extraTheme), currentTheme: extraTheme.id }, (p) => jsx(ThemePage, { ctx: p, theme: extraTheme, visit }), (p) => docLd(p, extraTheme, [])),
    place: (ctx) => render(ctx, { title: 'p', description: placeDescription(ctx, place), path: ctx.placePath(place) }, (p) => jsx(PlacePage, { ctx: p, place }), (p) => placeLd(p, place)),
    media: (ctx) => render(ctx, { title: 'm', description: '', path: ctx.mediaPath(media) }, (p) => jsx(MediaPage, { ctx: p, media }), (p) => mediaLd(p, media)),
    article: (ctx) => render(ctx, { title: 'a', description: '', path: ctx.docPath(article) }, (p) => jsx(DocPage, { ctx: p, doc: article }), (p) => docLd(p, article, [])),
    // The control: the chronology lists every event, so its cost must grow (the counter works).
    chronology: (ctx) => render(ctx, { title: 'c', description: '', path: ctx.chronologyPath() }, (p) => jsx(ChronologyPage, { ctx: p }), () => null),
  };
  const cost: Cost = { reads: {}, bytes: {} };
  for (const [name, page] of Object.entries(pages)) {
    await page(fr); // builds the theme menu of the visit in French, once
    counter.reset();
    cost.bytes[name] = (await page(fr)).length;
    cost.reads[name] = counter.reads();
  }
  return cost;
}

test('a theme, place, media or article page reads no more of the content with 1,000 extra themes than with 10', async () => {
  const small = await costOf(10);
  const large = await costOf(1000);
  for (const name of ['theme (demo)', 'theme (extra)', 'place', 'media', 'article']) {
    assert.equal(large.reads[name], small.reads[name], `${name}: ${small.reads[name]} elements read with 10 extra themes, ${large.reads[name]} with 1,000`);
  }
  // The chronology lists every event: the proxies do count what a page reads.
  assert.ok(large.reads.chronology! > small.reads.chronology! + 900, `chronology: ${small.reads.chronology} → ${large.reads.chronology}`);
  // The compact menu keeps a page of a large visit about as long as one of a small visit (the full menu of 1,011 themes would add ~150 KB).
  for (const name of ['theme (demo)', 'theme (extra)', 'place', 'media']) {
    assert.ok(large.bytes[name]! < small.bytes[name]! + 2_000, `${name}: ${small.bytes[name]} bytes → ${large.bytes[name]}`);
  }
});
