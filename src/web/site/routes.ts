import { isPending, type Content } from '../../modules/content/content.schema.ts';
import { Ctx, type SiteIndex } from './site.context.ts';

// The route index: every public address of the site → what it shows (a kind
// and an entity id), its language and the same page's address in every other
// language. It is built from slugs only, no page is rendered: for 1,000
// themes in 10 languages it is some 11,000 small objects. The sitemap, the
// hreflang alternates, the slash redirects and the 404 decision all read it;
// renderPage (render.tsx) turns one route into its HTML when it is asked for.

export type RouteKind = 'home' | 'visit' | 'doc' | 'media' | 'map' | 'place' | 'chronology' | 'glossary';

export interface Route {
  path: string;
  kind: RouteKind;
  /** The entity shown: a visit id, `${kind}/${id}` of a document (index.docByKey), a media or place id; '' for home, map, chronology, glossary. */
  id: string;
  locale: string;
  /** locale → the path of the same page in that language (itself included). */
  alternates: Record<string, string>;
}

export type FilterableKind = 'map' | 'chronology';

/** The theme ids and event tags a filter may name: what parseFilter checks (site.filters.ts). */
export interface FilterVocabulary {
  themes: ReadonlySet<string>;
  tags: ReadonlySet<string>;
}

export interface RouteIndex {
  /** Every public page by path, in the site's order (the sitemap's). */
  pages: Map<string, Route>;
  /** The chronology and map pages, which take filters in their query string. */
  filterable: Map<string, { locale: string; kind: FilterableKind }>;
  vocabulary: FilterVocabulary;
  locales: string[];
  defaultLocale: string;
}

/** Dummy assets: URL builders never read them. */
const NO_ASSETS = { css: '', js: '', icons: { svg: '', ico: '', touch: '' } };

export function buildRoutes(content: Content, index: SiteIndex): RouteIndex {
  const { locales, default_locale: def } = content.museum;
  const ctxs = locales.map((l) => new Ctx(content, index, l, '', NO_ASSETS));
  const pages = new Map<string, Route>();
  // Each kind of page, in the order buildSite rendered them (the sitemap keeps it).
  const kinds: { kind: RouteKind; id: string; path: (c: Ctx) => string }[] = [{ kind: 'home', id: '', path: (c) => c.home() }];
  for (const v of content.visits) kinds.push({ kind: 'visit', id: v.id, path: (c) => c.visitPath(v) });
  for (const d of content.docs) {
    // A theme outside every visit has no address (import validation refuses it; the check keeps a broken one from throwing).
    if (d.kind === 'theme' && !content.visits.some((v) => v.id === d.visit)) continue;
    kinds.push({ kind: 'doc', id: `${d.kind}/${d.id}`, path: (c) => c.docPath(d) });
  }
  for (const m of content.media) if (!isPending(m)) kinds.push({ kind: 'media', id: m.id, path: (c) => c.mediaPath(m) });
  if (content.places.length) {
    kinds.push({ kind: 'map', id: '', path: (c) => c.mapPath() });
    for (const p of content.places) kinds.push({ kind: 'place', id: p.id, path: (c) => c.placePath(p) });
  }
  kinds.push({ kind: 'chronology', id: '', path: (c) => c.chronologyPath() });
  if (content.glossary.length) kinds.push({ kind: 'glossary', id: '', path: (c) => c.glossaryPath() });

  // Per entity, its path in every language once; then one route per language.
  const alternates = kinds.map((k) => Object.fromEntries(ctxs.map((c) => [c.locale, k.path(c)])) as Record<string, string>);
  for (const ctx of ctxs) {
    kinds.forEach((k, i) => {
      const alts = alternates[i]!;
      const path = alts[ctx.locale]!;
      // Import validation prevents this; the check keeps a page from ever hiding another silently.
      if (pages.has(path)) throw new Error(`two pages share the address ${path}`);
      pages.set(path, { path, kind: k.kind, id: k.id, locale: ctx.locale, alternates: alts });
    });
  }

  const filterable = new Map<string, { locale: string; kind: FilterableKind }>();
  for (const ctx of ctxs) {
    filterable.set(ctx.chronologyPath(), { locale: ctx.locale, kind: 'chronology' });
    if (content.places.length) filterable.set(ctx.mapPath(), { locale: ctx.locale, kind: 'map' });
  }
  const vocabulary = {
    themes: new Set(content.docs.filter((d) => d.kind === 'theme').map((d) => d.id)),
    tags: new Set(content.events.flatMap((e) => e.tags)),
  };
  return { pages, filterable, vocabulary, locales, defaultLocale: def };
}

const XML_SPECIAL = /[&<>"]/;
const xmlEscape = (s: string) => (XML_SPECIAL.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;') : s);

/**
 * The sitemap: every page of the index with its hreflang alternates. The
 * pages of one entity share their alternates object (buildRoutes): its links
 * are written once, not once per language (1,000 themes × 10 languages: 11,000
 * link lists instead of 110,000, the sitemap in a fifth of the time).
 */
export function sitemapXml(routes: RouteIndex, publicUrl: string): string {
  const links = new Map<Record<string, string>, string>();
  const urls = [...routes.pages.values()].map((p) => {
    let alts = links.get(p.alternates);
    if (alts === undefined) {
      alts = Object.entries(p.alternates).map(([l, path]) => `<xhtml:link rel="alternate" hreflang="${xmlEscape(l)}" href="${xmlEscape(publicUrl + path)}"/>`).join('');
      links.set(p.alternates, alts);
    }
    return `<url><loc>${xmlEscape(publicUrl + p.path)}</loc>${alts}</url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`;
}

/**
 * The pages worth rendering before anyone asks, most wanted first: in each
 * language the home, the visit overviews, the chronology and the map, then
 * the themes of the primary visit (default language first).
 */
export function hotPaths(routes: RouteIndex, index: SiteIndex): string[] {
  const first: string[] = [];
  const themes: string[] = [];
  const primaryThemes = new Set((index.themesByVisit.get(index.primary.id) ?? []).map((d) => `theme/${d.id}`));
  const order = [routes.defaultLocale, ...routes.locales.filter((l) => l !== routes.defaultLocale)];
  const byLocale = new Map(order.map((l) => [l, [] as Route[]]));
  for (const r of routes.pages.values()) byLocale.get(r.locale)?.push(r);
  for (const l of order) {
    for (const r of byLocale.get(l) ?? []) {
      if (r.kind === 'home' || r.kind === 'visit' || r.kind === 'chronology' || r.kind === 'map') first.push(r.path);
      else if (r.kind === 'doc' && primaryThemes.has(r.id)) themes.push(r.path);
    }
  }
  return [...first, ...themes];
}

/** A sharing image's size (og:image): the 1.91:1 that the social networks show whole. */
export const SHARE_WIDTH = 1200;
export const SHARE_HEIGHT = 630;

/** The address of a page's sharing image (og:image): /share/fr/visite/x.png; a page ending in "/" is /share/fr/index.png. */
export function sharePath(pagePath: string): string {
  return `/share${pagePath.endsWith('/') ? `${pagePath}index` : pagePath}.png`;
}

/** The page a sharing image's address is for (the inverse of sharePath), or undefined if it is not such an address. */
export function pageOfShare(path: string): string | undefined {
  if (!path.startsWith('/share/') || !path.endsWith('.png')) return undefined;
  const page = path.slice('/share'.length, -'.png'.length);
  return page.endsWith('/index') ? page.slice(0, -'index'.length) : page;
}
