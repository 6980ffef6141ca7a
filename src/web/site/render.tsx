import type { Child } from 'hono/jsx';
import type { Content, Doc } from '../../modules/content/content.schema.ts';
import { Ctx, type Assets, type SiteIndex } from './site.context.ts';
import { chronologyLd, describe, docLd, glossaryLd, mediaLd, museumLd, placeLd, visitLd, websiteLd } from './site.seo.ts';
import { sortEvents, type EventFilter } from '../../modules/content/content.events.ts';
import { MapPage, PlacePage, placeDescription } from '../views/geo.tsx';
import { MediaPage } from '../views/media.tsx';
import { GlossaryPage, glossaryInOrder } from '../views/glossary.tsx';
import { Layout, type PageMeta } from '../views/layout.tsx';
import { PAGE_NOTE_SLOT, pageNote } from '../views/components.tsx';
import { ChronologyPage, DocPage, ErrorPage, HomePage, ThemePage, VisitPage } from '../views/pages.tsx';
import type { FilterableKind, Route } from './routes.ts';
import { filterQuery } from './site.filters.ts';
import type { ShareText } from './share-image.ts';
import { DEFAULT_ACCENT } from './museum-style.ts';

// One page as HTML: a pure function of its route and the content version
// (RenderSite, built once per version). The worker thread and the inline
// renderer call the same functions; a static export can too.

export type ErrorKind = 'notFound' | 'badRequest' | 'tooLong' | 'internal' | 'unavailable';

/** What every render of one content version shares: built once, never per page. */
export interface RenderSite {
  content: Content;
  index: SiteIndex;
  publicUrl: string;
  assets: Assets;
  media: Map<string, Content['media'][number]>;
  places: Map<string, Content['places'][number]>;
  visits: Map<string, Content['visits'][number]>;
}

export function renderSite(content: Content, index: SiteIndex, publicUrl: string, assets: Assets): RenderSite {
  return {
    content, index, publicUrl, assets,
    media: new Map(content.media.map((m) => [m.id, m])),
    places: new Map(content.places.map((p) => [p.id, p])),
    visits: new Map(content.visits.map((v) => [v.id, v])),
  };
}

/**
 * One page. `body` gets a Ctx of its own, which counts the fallbacks the page
 * shows; once all is rendered, the page's note is written where the layout
 * left room for it.
 */
async function renderHtml(ctx: Ctx, meta: PageMeta, body: (page: Ctx) => Child): Promise<string> {
  const page = ctx.forPage();
  const node = <Layout ctx={page} meta={meta}>{body(page)}</Layout>;
  const html = await node.toString();
  return `<!DOCTYPE html>${html.replace(PAGE_NOTE_SLOT, pageNote(page))}`;
}

/** The first paragraph of a document's first text block (headings skipped), for its description. */
function firstParagraph(doc: Doc, texts: Doc['texts'][string]): string | undefined {
  const first = doc.blocks.find((b) => b.kind === 'text' && texts.blocks[b.id]?.body);
  const body = first ? texts.blocks[first.id]?.body : undefined;
  return body?.split(/\n\s*\n/).find((para) => para.trim() && !para.trim().startsWith('#'));
}

const missing = (route: Route): never => {
  throw new Error(`${route.path}: no ${route.kind} "${route.id}" in this content version`);
};

/** The HTML of one public page, byte for byte what the site served when every page was rendered ahead of time. */
export function renderPage(route: Route, site: RenderSite): Promise<string> {
  const { content, index } = site;
  const ctx = new Ctx(content, index, route.locale, site.publicUrl, site.assets);
  const alternates = route.alternates;
  const page = (meta: Omit<PageMeta, 'alternates'>, body: (page: Ctx) => Child) => renderHtml(ctx, { ...meta, alternates }, body);
  switch (route.kind) {
    case 'home': {
      const m = content.museum;
      return page({
        title: ctx.museumName().text, description: describe(ctx.plain(m.intro), ctx.plain(m.about_site)), path: ctx.home(),
        jsonLd: [museumLd(ctx), websiteLd(ctx)],
      }, (c) => <HomePage ctx={c} />);
    }
    case 'visit': {
      const visit = site.visits.get(route.id) ?? missing(route);
      return page({
        title: ctx.plain(visit.title), description: describe(ctx.plain(visit.summary)), path: ctx.visitPath(visit), jsonLd: [visitLd(ctx, visit)],
      }, (c) => <VisitPage ctx={c} visit={visit} />);
    }
    case 'doc':
      return renderDoc(ctx, index.docByKey.get(route.id) ?? missing(route), alternates);
    case 'media': {
      const m = site.media.get(route.id) ?? missing(route);
      return page({
        title: ctx.mediaTitle(m).text, description: describe(ctx.plain(m.caption), ctx.plain(m.alt)), path: ctx.mediaPath(m), jsonLd: [mediaLd(ctx, m)],
      }, (c) => <MediaPage ctx={c} media={m} />);
    }
    case 'map':
      return page({ title: ctx.t('map.title'), description: describe(ctx.t('map.intro')), path: ctx.mapPath() }, (c) => <MapPage ctx={c} />);
    case 'place': {
      const p = site.places.get(route.id) ?? missing(route);
      return page({
        title: ctx.plain(p.name), description: placeDescription(ctx, p), path: ctx.placePath(p), jsonLd: [placeLd(ctx, p)],
      }, (c) => <PlacePage ctx={c} place={p} />);
    }
    case 'chronology':
      return page({
        title: ctx.t('chronology.title'), description: describe(ctx.t('chronology.intro')), path: ctx.chronologyPath(),
        jsonLd: content.events.length ? [chronologyLd(ctx, sortEvents(content.events, content.events))] : [],
      }, (c) => <ChronologyPage ctx={c} />);
    case 'glossary':
      return page({
        title: ctx.t('glossary.title'), description: describe(ctx.t('glossary.intro')), path: ctx.glossaryPath(), jsonLd: [glossaryLd(ctx, glossaryInOrder(ctx))],
      }, (c) => <GlossaryPage ctx={c} />);
  }
}

/** What a page's sharing image says (share-image.ts draws it): the museum, the page's kicker and title. */
export function shareText(route: Route, site: RenderSite): ShareText {
  const { content, index } = site;
  const ctx = new Ctx(content, index, route.locale, site.publicUrl, site.assets);
  const museum = ctx.museumName().text;
  const base = { museum, site: site.publicUrl.replace(/^https?:\/\//, ''), accent: content.museum.style?.accent ?? DEFAULT_ACCENT };
  switch (route.kind) {
    case 'home':
      return { ...base, title: ctx.plain(index.primary.title) };
    case 'visit':
      return { ...base, title: ctx.plain((site.visits.get(route.id) ?? missing(route)).title) };
    case 'doc': {
      const doc = index.docByKey.get(route.id) ?? missing(route);
      const title = ctx.docTitle(doc).text;
      if (doc.kind !== 'theme') return { ...base, title };
      const visit = ctx.visitOf(doc);
      const themes = visit ? ctx.themesOf(visit.id) : [];
      return { ...base, kicker: ctx.t('theme.position', { n: themes.findIndex((t) => t.id === doc.id) + 1, total: themes.length }), title };
    }
    case 'media':
      return { ...base, title: ctx.mediaTitle(site.media.get(route.id) ?? missing(route)).text };
    case 'place':
      return { ...base, title: ctx.plain((site.places.get(route.id) ?? missing(route)).name) };
    case 'map':
      return { ...base, title: ctx.t('map.title') };
    case 'chronology':
      return { ...base, title: ctx.t('chronology.title') };
    case 'glossary':
      return { ...base, title: ctx.t('glossary.title') };
  }
}

function renderDoc(ctx: Ctx, doc: Doc, alternates: Record<string, string>): Promise<string> {
  const { texts } = ctx.docTexts(doc);
  const path = ctx.docPath(doc);
  const crumbs = [{ name: ctx.t('nav.home'), path: ctx.home() }];
  if (doc.kind === 'theme') {
    const visit = ctx.visitOf(doc);
    if (!visit) throw new Error(`theme ${doc.id} has no visit`);
    const themes = ctx.themesOf(visit.id);
    const i = themes.findIndex((t) => t.id === doc.id);
    const prev = themes[i - 1];
    const next = themes[i + 1];
    crumbs.push({ name: ctx.plain(visit.title), path: ctx.visitPath(visit) });
    crumbs.push({ name: texts.title, path });
    const meta: PageMeta = {
      title: `${ctx.t('theme.positionShort', { n: i + 1 })}. ${texts.title}`, description: describe(ctx.docField(doc, (t) => t.summary)?.text, ctx.docField(doc, (t) => t.lead)?.text),
      path, ogType: 'article', currentTheme: doc.id, jsonLd: [docLd(ctx, doc, crumbs)], alternates,
    };
    if (prev) meta.prev = ctx.docPath(prev);
    if (next) meta.next = ctx.docPath(next);
    return renderHtml(ctx, meta, (c) => <ThemePage ctx={c} theme={doc} visit={visit} />);
  }
  crumbs.push({ name: texts.title, path });
  return renderHtml(ctx, {
    title: texts.title, description: describe(ctx.docField(doc, (t) => t.summary)?.text, ctx.docField(doc, (t) => t.lead)?.text, firstParagraph(doc, texts), ctx.plain(ctx.c.museum.intro)), path,
    ogType: doc.kind === 'article' ? 'article' : 'website', jsonLd: [docLd(ctx, doc, crumbs)], alternates,
  }, (c) => <DocPage ctx={c} doc={doc} />);
}

/** The home page's address in every language: where an error page's language switch leads. */
function homes(site: RenderSite): Record<string, string> {
  return Object.fromEntries(site.content.museum.locales.map((l) => [l, `/${l}/`]));
}

/** An error page in one language (the default language's also serves unknown language prefixes). */
export function renderError(site: RenderSite, locale: string, kind: ErrorKind): Promise<string> {
  const ctx = new Ctx(site.content, site.index, locale, site.publicUrl, site.assets);
  const t = ctx.t;
  const [title, text, showThemes] = {
    notFound: [t('notFound.title'), t('notFound.text'), true],
    badRequest: [t('error.badRequest.title'), t('error.badRequest.text'), false],
    tooLong: [t('error.tooLong.title'), t('error.tooLong.text'), false],
    internal: [t('error.internal.title'), t('error.internal.text'), false],
    unavailable: [t('error.unavailable.title'), t('error.unavailable.text'), false],
  }[kind] as [string, string, boolean];
  return renderHtml(ctx, { title, description: text, path: '', alternates: homes(site), noindex: true },
    (c) => <ErrorPage ctx={c} title={title} text={text} showThemes={showThemes} />);
}

/**
 * A filtered chronology or map page. Its canonical address is the unfiltered
 * page; it is not indexed. With problems, the page shows everything and says why.
 * `filter` holds the valid values only: the language switch carries them to the
 * same page in another language (theme ids and tags are the same in every language).
 */
export function renderFilterable(site: RenderSite, locale: string, kind: FilterableKind, filter: EventFilter, problems: string[]): Promise<string> {
  const ctx = new Ctx(site.content, site.index, locale, site.publicUrl, site.assets);
  const all = Object.fromEntries(site.content.museum.locales.map((l) => [l, kind === 'map' ? ctx.forLocale(l).mapPath() : ctx.forLocale(l).chronologyPath()]));
  const meta = kind === 'map'
    ? { title: ctx.t('map.title'), description: describe(ctx.t('map.intro')), path: ctx.mapPath() }
    : { title: ctx.t('chronology.title'), description: describe(ctx.t('chronology.intro')), path: ctx.chronologyPath() };
  const shown = problems.length ? {} : filter;
  const body = (c: Ctx) => (kind === 'map' ? <MapPage ctx={c} filter={shown} problems={problems} /> : <ChronologyPage ctx={c} filter={shown} problems={problems} />);
  return renderHtml(ctx, { ...meta, alternates: all, switchQuery: filterQuery(filter), noindex: true }, body);
}
