import { museumStyleSheet } from './museum-style.ts';
import { yielding, type Db } from '../../db/connection.ts';
import { readSnapshot } from '../../db/database.ts';
import { loadContent } from '../../modules/content/content.loader.ts';
import { CONTENT_VERSION_KEY, contentVersion } from '../../modules/bundle/bundle.service.ts';
import { BlockTextStore, TextsMissing } from '../../modules/content/content.texts.ts';
import { licenceGranted, type Content } from '../../modules/content/content.schema.ts';
import { MANIFEST_TYPE, mediaManifest, themeManifest } from '../../modules/media/media.iiif.ts';
import { mediaManifestUrl, themeManifestUrl } from '../../modules/media/media.urls.ts';
import { embedOf } from '../../modules/media/media.external.ts';
import { DATA_PATHS, eventsCsv, placesCsv, placesGeoJson } from '../../modules/geo/geo.data.ts';
import type { EventFilter } from '../../modules/content/content.events.ts';
import { CACHE, prepareAsync, type Effort, type Prepared } from '../http/prepared.ts';
import { indexContent, type Assets } from './site.context.ts';
import { buildRoutes, hotPaths, sitemapXml, type RouteIndex } from './routes.ts';
import { pageInfos, type MediaState, type SiteState } from './site.state.ts';
import { loadDraft } from '../../modules/editorial/editorial.service.ts';
import { PREVIEW_CACHE, previewHtml, type PreviewBanner } from './preview.page.tsx';
import { renderError, renderFilterable, renderPage, renderSite, shareText, type ErrorKind, type RenderSite } from './render.tsx';

// One content version made ready to serve: the content loaded, its read
// model (indexContent) and route index built once, and what the server keeps
// of it in memory (SiteState: the index, media and data files, sitemap). Pages
// are rendered from it on request (renderJob). The worker thread and the
// inline renderer run this same code.

export const HTML = 'text/html; charset=utf-8';

type PageJob = { kind: 'page'; path: string; effort: Effort };
type FilteredJob = { kind: 'filtered'; path: string; filter: EventFilter; problems: string[] };
export type RenderJob =
  | PageJob
  | { kind: 'error'; locale: string; error: ErrorKind }
  | FilteredJob
  | { kind: 'share'; path: string }
  /** A page of the draft site as a preview (preview.page.tsx): the page, its links kept in the preview, the banner. */
  | { kind: 'preview'; of: PageJob | FilteredJob; banner: PreviewBanner };

export interface Loaded {
  state: SiteState;
  /** The whole route index (kind, entity, alternates): what renders read; the server thread has only paths and languages. */
  routes: RouteIndex;
  site: RenderSite;
  /** Where the block texts are read from when they are read lazily (they then need `db` open). */
  texts?: BlockTextStore;
}

export interface LoadSiteOptions {
  /** Block texts read from the database when a page needs them (content.texts.ts), not loaded. */
  lazyTexts?: boolean;
  /** Give the event loop a turn between the load's queries and steps: the thread's other work (renders) goes on meanwhile. */
  yieldBetweenQueries?: boolean;
  /**
   * The drafts' content (editorial.service.ts, loadDraft) rather than the published one, for previews: its version is
   * the draft version. Its texts come with it (revisions hold whole documents): `lazyTexts` does not apply.
   */
  draft?: boolean;
}

/**
 * The content as the database holds it now. Version and content are read in
 * one transaction: an import committing meanwhile cannot give a site that is
 * half old, half new. Undefined when nothing was imported yet. With
 * `lazyTexts` the block texts stay in the database until a page needs them
 * (content.texts.ts): `db` must then stay open while the version is served.
 */
export async function loadSite(db: Db, publicUrl: string, assets: Assets, options: LoadSiteOptions = {}): Promise<Loaded | undefined> {
  let texts: BlockTextStore | undefined;
  const { content, version } = options.draft ? await loadDraft(db) : await readSnapshot(db, async (trx) => {
    const v = await contentVersion(trx);
    // Lazy: the block texts are read from `db` (not this transaction, which ends here) when a page needs them.
    texts = options.lazyTexts ? new BlockTextStore(db, v, CONTENT_VERSION_KEY) : undefined;
    const store = texts;
    // A worker yields between the queries of its load: renders of the version it serves meanwhile go on.
    const q = options.yieldBetweenQueries ? yielding(trx) : trx;
    return { version: v, content: await loadContent(q, store ? { blockTexts: (kind, id, locale) => store.get(kind, id, locale) } : {}) };
  });
  if (!content) return undefined;
  const turn = () => (options.yieldBetweenQueries ? new Promise((r) => setImmediate(r)) : undefined);
  const index = indexContent(content);
  await turn();
  const routes = buildRoutes(content, index);
  await turn();
  const site = renderSite(content, index, publicUrl, assets);
  const xml = sitemapXml(routes, publicUrl);
  await turn();
  const robots = `User-agent: *\nAllow: /\n\nSitemap: ${publicUrl}/sitemap.xml\n`;
  const [sitemap, robotsP, media, geojson, placesCsvP, eventsCsvP] = await Promise.all([
    prepareAsync(xml, 'application/xml; charset=utf-8', CACHE.short),
    prepareAsync(robots, 'text/plain; charset=utf-8', CACHE.short),
    mediaState(content, publicUrl),
    prepareAsync(placesGeoJson(content, publicUrl), 'application/geo+json', CACHE.page),
    prepareAsync(placesCsv(content), 'text/csv; charset=utf-8; header=present', CACHE.page),
    prepareAsync(eventsCsv(content), 'text/csv; charset=utf-8; header=present', CACHE.page),
  ]);
  const licence = content.museum.data_licence;
  const sheet = museumStyleSheet(content.museum);
  const styles = new Map(sheet ? [[sheet.path, await prepareAsync(sheet.css, 'text/css; charset=utf-8', CACHE.immutable)]] : []);
  const state: SiteState = {
    ...routes, pages: pageInfos(routes), version, sitemap, robots: robotsP, media, hot: hotPaths(routes, index), styles,
    ...(options.draft ? { documents: documentPages(routes) } : {}),
    data: new Map([[DATA_PATHS.geojson, geojson], [DATA_PATHS.placesCsv, placesCsvP], [DATA_PATHS.eventsCsv, eventsCsvP]]),
    dataHeaders: {
      'Access-Control-Allow-Origin': '*',
      ...(licence && licenceGranted(licence) ? { Link: `<${new URL(licence.url).href}>; rel="license"` } : {}),
    },
  };
  return { state, routes, site, texts };
}

/** Each document's and visit's page in every language, by its editorial key (documents.ts): route ids are those keys. */
function documentPages(routes: RouteIndex): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const r of routes.pages.values()) {
    if (r.kind === 'doc') out.set(r.id, r.alternates);
    else if (r.kind === 'visit') out.set(`visit/${r.id}`, r.alternates);
  }
  return out;
}

/** One page, error page or filtered page of a loaded site, rendered and compressed. */
export async function renderJob(loaded: Loaded, job: RenderJob): Promise<Prepared> {
  switch (job.kind) {
    case 'page':
      return prepareAsync(await withTexts(loaded, () => pageHtml(loaded, job)), HTML, CACHE.page, job.effort);
    case 'preview': {
      const html = await withTexts(loaded, () => pageHtml(loaded, job.of));
      return prepareAsync(await previewHtml(html, job.of.path, loaded.routes.pages.get(job.of.path), { locales: loaded.state.locales, publicUrl: loaded.site.publicUrl }, job.banner), HTML, PREVIEW_CACHE, 'fast');
    }
    case 'error':
      return prepareAsync(await withTexts(loaded, () => renderError(loaded.site, job.locale, job.error)), HTML, CACHE.none, 'fast');
    case 'share': {
      const route = loaded.routes.pages.get(job.path);
      if (!route) throw new Error(`${job.path} is not a page of content version ${loaded.state.version}`);
      const text = await withTexts(loaded, () => shareText(route, loaded.site));
      // Loaded on the first image only: a server process that draws none never loads sharp (libvips, some 30 MB).
      const { shareImage } = await import('./share-image.ts');
      return prepareAsync(await shareImage(text), 'image/png', CACHE.page);
    }
    case 'filtered':
      return prepareAsync(await withTexts(loaded, () => pageHtml(loaded, job)), HTML, CACHE.page, 'fast');
  }
}

/** A page's HTML, or a filtered chronology or map page's. */
function pageHtml(loaded: Loaded, job: PageJob | FilteredJob): Promise<string> {
  if (job.kind === 'page') {
    const route = loaded.routes.pages.get(job.path);
    if (!route) throw new Error(`${job.path} is not a page of content version ${loaded.state.version}`);
    return renderPage(route, loaded.site);
  }
  const target = loaded.state.filterable.get(job.path);
  if (!target) throw new Error(`${job.path} takes no filter`);
  return renderFilterable(loaded.site, target.locale, target.kind, job.filter, job.problems);
}

/** Block texts a render may fetch before it is given up on: a page reads one or two documents'. */
const MAX_TEXT_FETCHES = 50;

/**
 * Renders; where block texts were missing (a database read asynchronously:
 * content.texts.ts), fetches them and renders again. Rendering is pure.
 */
async function withTexts<T>(loaded: Loaded, render: () => Promise<T> | T): Promise<T> {
  for (let fetched = 0; ; fetched++) {
    try {
      return await render();
    } catch (e) {
      if (!(e instanceof TextsMissing) || !loaded.texts || fetched >= MAX_TEXT_FETCHES) throw e;
      await loaded.texts.fetch(e.kind, e.id, e.locale);
    }
  }
}

/**
 * Runs the jobs at most `limit` at a time. A compression holds its
 * compressor's memory from the moment it is asked for, not when the thread
 * pool reaches it (gzip's state alone is 256 KB): the 1,000 theme manifests of
 * a large visit, all asked for at once, held some 250 MB while they waited.
 */
async function inTurn(jobs: (() => Promise<unknown>)[], limit = COMPRESSING_AT_ONCE): Promise<void> {
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, run));
}
/** libuv's thread pool has four threads: more compressions at once only wait, holding their memory. */
const COMPRESSING_AT_ONCE = 4;

async function mediaState(c: Content, base: string): Promise<MediaState> {
  const files = new Map<string, { image: boolean; mime: string }>();
  const tracks = new Map<string, Prepared>();
  const pending: (() => Promise<unknown>)[] = [];
  for (const f of Object.values(c.files ?? {})) {
    if (f.text !== undefined) {
      const text = f.text;
      if (f.mime.startsWith('text/vtt')) pending.push(() => prepareAsync(text, f.mime, CACHE.immutable).then((p) => tracks.set(f.hash, p)));
    } else {
      files.set(f.hash, { image: f.widths !== undefined, mime: f.mime });
    }
  }
  const manifests = new Map<string, Prepared>();
  const json = (path: string, o: object) => pending.push(() => prepareAsync(JSON.stringify(o), MANIFEST_TYPE, CACHE.page).then((p) => manifests.set(path, p)));
  for (const m of c.media) {
    const man = mediaManifest(c, m, base);
    if (man) json(mediaManifestUrl(m.id), man);
  }
  for (const d of c.docs.filter((x) => x.kind === 'theme')) {
    const man = themeManifest(c, d, base);
    if (man) json(themeManifestUrl(d.id), man);
  }
  await inTurn(pending);
  const frameOrigins = [...new Set(c.media.flatMap((m) => {
    const e = m.external ? embedOf(m.external) : undefined;
    return e && typeof e !== 'string' ? [e.origin] : [];
  }))];
  return { files, tracks, manifests, frameOrigins };
}
