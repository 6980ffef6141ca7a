import type { Child } from 'hono/jsx';
import type { Content, Doc } from '../../modules/content/content.schema.ts';
import { Ctx, indexContent, type Assets } from './site.context.ts';
import { chronologyLd, describe, docLd, mediaLd, museumLd, placeLd, visitLd, websiteLd } from './site.seo.ts';
import { sortEvents, type EventFilter } from '../../modules/content/content.events.ts';
import { MapPage, PlacePage, placeDescription } from '../views/geo.tsx';
import { MediaPage } from '../views/media.tsx';
import { Layout, type PageMeta } from '../views/layout.tsx';
import { PAGE_NOTE_SLOT, pageNote } from '../views/components.tsx';
import { ChronologyPage, DocPage, ErrorPage, HomePage, ThemePage, VisitPage } from '../views/pages.tsx';

// Renders every published page of the site, in every language, once. The web
// layer serves these from memory until the content changes.

export interface RenderedPage {
  path: string;
  locale: string;
  html: string;
  alternates: Record<string, string>;
}

export type ErrorKind = 'notFound' | 'badRequest' | 'tooLong' | 'internal';

export interface BuiltSite {
  pages: RenderedPage[];
  /** Error pages per locale (the default locale also serves unknown language prefixes). */
  errors: Map<string, Record<ErrorKind, string>>;
  locales: string[];
  defaultLocale: string;
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

export async function buildSite(content: Content, publicUrl: string, assets: Assets): Promise<BuiltSite> {
  const index = indexContent(content);
  const { locales, default_locale: def } = content.museum;
  const base = new Ctx(content, index, def, publicUrl, assets);
  const ctxs = new Map(locales.map((l) => [l, base.forLocale(l)]));
  const all = (f: (ctx: Ctx) => string) => Object.fromEntries(locales.map((l) => [l, f(ctxs.get(l)!)]));
  const pages: RenderedPage[] = [];

  const seen = new Set<string>();
  const add = async (ctx: Ctx, meta: Omit<PageMeta, 'alternates'>, alternates: Record<string, string>, body: (page: Ctx) => Child) => {
    // Import validation prevents this; the check keeps a page from ever hiding another silently.
    if (seen.has(meta.path)) throw new Error(`two pages share the address ${meta.path}`);
    seen.add(meta.path);
    pages.push({ path: meta.path, locale: ctx.locale, alternates, html: await renderHtml(ctx, { ...meta, alternates }, body) });
  };

  for (const ctx of ctxs.values()) {
    const m = content.museum;
    await add(ctx, {
      title: ctx.museumName().text, description: describe(ctx.plain(m.intro), ctx.plain(m.about_site)), path: ctx.home(),
      jsonLd: [museumLd(ctx), websiteLd(ctx)],
    }, all((c) => c.home()), (c) => <HomePage ctx={c} />);

    for (const visit of content.visits) {
      await add(ctx, {
        title: ctx.plain(visit.title), description: describe(ctx.plain(visit.summary)), path: ctx.visitPath(visit), jsonLd: [visitLd(ctx, visit)],
      }, all((c) => c.visitPath(visit)), (c) => <VisitPage ctx={c} visit={visit} />);
    }

    for (const doc of content.docs) await addDoc(ctx, doc);

    for (const m of content.media) {
      await add(ctx, {
        title: ctx.mediaTitle(m).text, description: describe(ctx.plain(m.caption), ctx.plain(m.alt)), path: ctx.mediaPath(m), jsonLd: [mediaLd(ctx, m)],
      }, all((c) => c.mediaPath(m)), (c) => <MediaPage ctx={c} media={m} />);
    }

    if (content.places.length) {
      await add(ctx, {
        title: ctx.t('map.title'), description: describe(ctx.t('map.intro')), path: ctx.mapPath(),
      }, all((c) => c.mapPath()), (c) => <MapPage ctx={c} />);
      for (const p of content.places) {
        await add(ctx, {
          title: ctx.plain(p.name), description: placeDescription(ctx, p), path: ctx.placePath(p), jsonLd: [placeLd(ctx, p)],
        }, all((c) => c.placePath(p)), (c) => <PlacePage ctx={c} place={p} />);
      }
    }

    await add(ctx, {
      title: ctx.t('chronology.title'), description: describe(ctx.t('chronology.intro')), path: ctx.chronologyPath(),
      jsonLd: content.events.length ? [chronologyLd(ctx, sortEvents(content.events, content.events))] : [],
    }, all((c) => c.chronologyPath()), (c) => <ChronologyPage ctx={c} />);
  }

  async function addDoc(ctx: Ctx, doc: Doc): Promise<void> {
    const { texts } = ctx.docTexts(doc);
    const path = ctx.docPath(doc);
    const alternates = all((c) => c.docPath(doc));
    const crumbs = [{ name: ctx.t('nav.home'), path: ctx.home() }];
    if (doc.kind === 'theme') {
      const visit = ctx.visitOf(doc);
      if (!visit) return;
      const themes = ctx.themesOf(visit.id);
      const i = themes.findIndex((t) => t.id === doc.id);
      const prev = themes[i - 1];
      const next = themes[i + 1];
      crumbs.push({ name: ctx.plain(visit.title), path: ctx.visitPath(visit) });
      crumbs.push({ name: texts.title, path });
      const meta: Omit<PageMeta, 'alternates'> = {
        title: `${ctx.t('theme.positionShort', { n: i + 1 })}. ${texts.title}`, description: describe(ctx.docField(doc, (t) => t.summary)?.text, ctx.docField(doc, (t) => t.lead)?.text),
        path, ogType: 'article', currentTheme: doc.id, jsonLd: [docLd(ctx, doc, crumbs)],
      };
      if (prev) meta.prev = ctx.docPath(prev);
      if (next) meta.next = ctx.docPath(next);
      await add(ctx, meta, alternates, (c) => <ThemePage ctx={c} theme={doc} visit={visit} />);
      return;
    }
    crumbs.push({ name: texts.title, path });
    await add(ctx, {
      title: texts.title, description: describe(ctx.docField(doc, (t) => t.summary)?.text, ctx.docField(doc, (t) => t.lead)?.text, firstParagraph(doc, texts), ctx.plain(content.museum.intro)), path,
      ogType: doc.kind === 'article' ? 'article' : 'website', jsonLd: [docLd(ctx, doc, crumbs)],
    }, alternates, (c) => <DocPage ctx={c} doc={doc} />);
  }

  const errors = new Map<string, Record<ErrorKind, string>>();
  for (const ctx of ctxs.values()) {
    const page = (kind: ErrorKind, title: string, text: string, showThemes: boolean) =>
      renderHtml(ctx, { title, description: text, path: '', alternates: all((c) => c.home()), noindex: true },
        (c) => <ErrorPage ctx={c} title={title} text={text} showThemes={showThemes} />).then((html) => [kind, html] as const);
    const t = ctx.t;
    const list = await Promise.all([
      page('notFound', t('notFound.title'), t('notFound.text'), true),
      page('badRequest', t('error.badRequest.title'), t('error.badRequest.text'), false),
      page('tooLong', t('error.tooLong.title'), t('error.tooLong.text'), false),
      page('internal', t('error.internal.title'), t('error.internal.text'), false),
    ]);
    errors.set(ctx.locale, Object.fromEntries(list) as Record<ErrorKind, string>);
  }
  return { pages, errors, locales, defaultLocale: def };
}

export type FilterableKind = 'map' | 'chronology';

/**
 * A filtered chronology or map page, rendered on request (the unfiltered ones
 * are prerendered). Its canonical address is the unfiltered page; it is not
 * indexed. With problems, the page shows everything and says why.
 */
export async function renderFilterable(content: Content, publicUrl: string, assets: Assets, locale: string, kind: FilterableKind, filter: EventFilter, problems: string[]): Promise<string> {
  const index = indexContent(content);
  const ctx = new Ctx(content, index, locale, publicUrl, assets);
  const all = Object.fromEntries(content.museum.locales.map((l) => [l, kind === 'map' ? ctx.forLocale(l).mapPath() : ctx.forLocale(l).chronologyPath()]));
  const meta = kind === 'map'
    ? { title: ctx.t('map.title'), description: describe(ctx.t('map.intro')), path: ctx.mapPath() }
    : { title: ctx.t('chronology.title'), description: describe(ctx.t('chronology.intro')), path: ctx.chronologyPath() };
  const body = (c: Ctx) => (kind === 'map' ? <MapPage ctx={c} filter={filter} problems={problems} /> : <ChronologyPage ctx={c} filter={filter} problems={problems} />);
  return renderHtml(ctx, { ...meta, alternates: all, noindex: true }, body);
}
