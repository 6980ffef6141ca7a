import { pageOfShare } from './web/site/routes.ts';
import { Hono, type Context } from 'hono';
import type { SiteStore, SiteState } from './web/site/site.service.ts';
import type { BuiltAssets } from './web/assets.ts';
import { respond, type Prepared } from './web/http/prepared.ts';
import { isAdminPath, securityHeaders } from './web/http/security.ts';
import { adminRoutes, type AdminDeps } from './web/admin/admin.routes.tsx';
import { shareRoutes } from './web/admin/preview.routes.tsx';
import { negotiateLocale, rememberLocale } from './web/http/locale.ts';
import type { ErrorKind } from './web/site/render.tsx';
import type { MediaStore } from './modules/media/media.store.ts';
import { mediaRoutes } from './web/http/media.routes.ts';
import { FILTER_KEYS } from './modules/content/content.events.ts';

export interface AppDeps {
  site: SiteStore;
  assets: BuiltAssets;
  /** Where media originals, derivatives and tiles are read from. */
  store: MediaStore;
  logRequests?: boolean;
  /** Add `Secure` to cookies: true when the public URL is https. */
  secureCookies?: boolean;
  /** The administration (/admin): its database and public URL; without it /admin is not served. */
  admin?: Pick<AdminDeps, 'db' | 'publicUrl' | 'now'>;
}

export const MAX_URL_LENGTH = 2048;
const LOCALE_SEGMENT = /^\/([a-z]{2,3}(?:-[A-Z]{2})?)(?:\/|$)/;

/** The Hono app, without listening: tests drive it with app.request(). */
/** A path as logs write it: a set-password link's secret and a preview share link's token are in their paths, never in a log. */
const loggedPath = (path: string): string => path.replace(/^\/admin\/password\/[^/]+/, '/admin/password/…').replace(/^\/preview\/[^/]+/, '/preview/…');

export function createApp({ site, assets, store, logRequests = false, secureCookies = false, admin }: AppDeps): Hono {
  const app = new Hono();
  app.use('*', securityHeaders(() => site.current?.media.frameOrigins ?? [], secureCookies));
  if (logRequests) {
    app.use('*', async (c, next) => {
      const t = performance.now();
      await next();
      // JSON-quoted so that a decoded newline in a path cannot forge a log line.
      console.log(`${c.req.method} ${JSON.stringify(loggedPath(c.req.path))} ${c.res.status} ${(performance.now() - t).toFixed(1)}ms`);
    });
  }

  // A page that needs the database while it cannot be read: try again soon, and do not keep this answer.
  const UNAVAILABLE = { 'Retry-After': '30', 'Cache-Control': 'no-store' };

  // Error pages are rendered on first use, once per content version and language.
  const errorPage = async (c: Context, kind: ErrorKind, status: 400 | 404 | 414 | 500, locale?: string) => {
    const page = await site.errorPage(locale, kind);
    if (!page) return c.text(kind === 'notFound' ? 'Not found' : 'Error', status);
    return respond(c.req.raw, page, status);
  };

  // Guard every URL before routing: over-long, malformed or traversing paths
  // never reach a handler.
  app.use('*', async (c, next) => {
    // The request target exactly as the client sent it: the WHATWG URL that
    // Hono exposes has already resolved "/a/%2e%2e/b", which would hide it.
    const target = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url ?? c.req.url.slice(new URL(c.req.url).origin.length);
    const rawPath = target.split(/[?#]/)[0] ?? '/';
    const state = site.current;
    const pathLocale = LOCALE_SEGMENT.exec(rawPath)?.[1];
    const locale = state && pathLocale && state.locales.includes(pathLocale) ? pathLocale : undefined;
    if (target.length > MAX_URL_LENGTH) return errorPage(c, 'tooLong', 414, locale);
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return errorPage(c, 'badRequest', 400, locale);
    }
    if (/[\0\\]/.test(decoded) || decoded.split('/').some((s) => s === '..' || s === '.')) {
      return errorPage(c, 'badRequest', 400, locale);
    }
    // The administration's forms post; nothing else of the site takes anything but GET and HEAD.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !(admin && c.req.method === 'POST' && isAdminPath(decoded))) {
      return c.text('Method not allowed', 405, { Allow: 'GET, HEAD' });
    }
    await next();
  });

  app.onError((err, c) => {
    console.error(`Error on ${c.req.method} ${JSON.stringify(loggedPath(c.req.path))}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    return errorPage(c, 'internal', 500);
  });

  // Answers at once in every phase: nothing here waits for a render or a load.
  app.get('/healthz', (c) => {
    const state = site.current;
    const phase = site.phase;
    const status = state ? 'ok' : phase === 'starting' ? 'starting' : 'no-content';
    return c.json({ status, phase, contentVersion: state?.version ?? null }, state ? 200 : 503, { 'Cache-Control': 'no-store' });
  });

  app.get('/assets/:name', (c) => {
    // The site's assets, then the museum's stylesheet of the content being served (museum-style.ts).
    const file = assets.files.get(c.req.path) ?? site.current?.styles.get(c.req.path);
    return file ? respond(c.req.raw, file) : errorPage(c, 'notFound', 404);
  });

  app.get('/favicon.ico', (c) => respond(c.req.raw, assets.favicon));

  // A publish made here is served at once; other processes learn of it by their poll (or PostgreSQL's notification).
  const published = () => {
    site.refresh().catch((e: unknown) => console.error(`Could not refresh the site after a publish: ${e instanceof Error ? e.message : String(e)}`));
  };
  if (admin) {
    app.route('/admin', adminRoutes({ ...admin, secureCookies, css: assets.adminCss, js: assets.adminJs, drafts: site.drafts, previewCss: assets.previewCss, published }));
    // A reviewer's share link of the preview (docs/decisions/0023): no account, the token in the path.
    app.route('/preview', shareRoutes({ db: admin.db, now: admin.now ?? (() => new Date()), drafts: site.drafts, adminCss: assets.adminCss, css: assets.previewCss, overTls: secureCookies }));
  }

  const withState = (c: Context, f: (state: SiteState) => Response | Promise<Response>) => {
    const state = site.current;
    if (!state && site.phase === 'starting') return c.text('Parcours is starting; try again in a few seconds.', 503, { 'Retry-After': '5', 'Cache-Control': 'no-store' });
    if (!state) return c.text('No content has been imported yet. Run: npx parcours import <bundle-dir>', 503);
    return f(state);
  };

  mediaRoutes(app, site, store, (c) => errorPage(c, 'notFound', 404));

  app.get('/data/:name', (c) => withState(c, (s) => {
    const file = s.data.get(c.req.path);
    return file ? respond(c.req.raw, file, 200, s.dataHeaders) : errorPage(c, 'notFound', 404);
  }));

  // A page's sharing image: drawn on first request, then cached with the pages.
  app.get('/share/*', (c) => withState(c, async () => {
    const page = pageOfShare(c.req.path);
    const image = page === undefined ? undefined : await site.shareImage(page);
    return image ? respond(c.req.raw, image) : errorPage(c, 'notFound', 404);
  }));

  app.get('/robots.txt', (c) => withState(c, (s) => respond(c.req.raw, s.robots)));
  app.get('/sitemap.xml', (c) => withState(c, (s) => respond(c.req.raw, s.sitemap)));

  app.get('/', (c) => withState(c, (s) => {
    const locale = negotiateLocale({ cookie: c.req.header('cookie'), acceptLanguage: c.req.header('accept-language'), locales: s.locales, defaultLocale: s.defaultLocale });
    return new Response(null, { status: 302, headers: { Location: `/${locale}/`, Vary: 'Accept-Language, Cookie', 'Cache-Control': 'private, no-cache' } });
  }));

  // Filters of the chronology and the map, in the query string: rendered on request.
  app.get('*', async (c, next) => {
    const query = c.req.url.includes('?') ? new URL(c.req.url).searchParams : undefined;
    if (!query || !FILTER_KEYS.some((k) => query.has(k))) return next();
    const filtered = await site.filteredPage(c.req.path, query);
    if (!filtered) return next();
    if (filtered === 'busy') return c.text('The server is busy rendering filtered pages; please try again in a moment.', 503, { 'Retry-After': '1', 'Cache-Control': 'no-store' });
    const locale = LOCALE_SEGMENT.exec(c.req.path)?.[1] ?? site.current?.defaultLocale ?? '';
    if (filtered.status === 503) return filtered.page ? respond(c.req.raw, filtered.page, 503, UNAVAILABLE) : c.text('Unavailable', 503, UNAVAILABLE);
    if (!filtered.page) return c.text('Error', 500);
    return filtered.status === 200 ? pageResponse(c, filtered.page, locale, secureCookies) : respond(c.req.raw, filtered.page, filtered.status, { 'Cache-Control': 'no-store' });
  });

  // Every other path: a page of the route index, rendered on its first request and then cached.
  app.get('*', (c) => withState(c, async (s) => {
    const path = c.req.path;
    const got = await site.page(path);
    if (got?.status === 200) return pageResponse(c, got.page, got.locale, secureCookies);
    if (got?.status === 503) return got.page ? respond(c.req.raw, got.page, 503, UNAVAILABLE) : c.text('Unavailable', 503, UNAVAILABLE);
    if (got) return got.page ? respond(c.req.raw, got.page, 500) : c.text('Error', 500);
    // "/fr" → "/fr/", "/fr/visite/" → "/fr/visite": one canonical address per page.
    const alt = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
    if (s.pages.has(alt)) return c.redirect(alt, 301);
    const locale = LOCALE_SEGMENT.exec(path)?.[1];
    return errorPage(c, 'notFound', 404, locale && s.locales.includes(locale) ? locale : undefined);
  }));

  return app;
}

/** Serves a rendered page and remembers its language as the visitor's choice. */
function pageResponse(c: Context, page: Prepared, locale: string, secure: boolean): Response {
  return respond(c.req.raw, page, 200, rememberLocale(c.req.header('cookie'), locale, secure));
}
