import type { Db } from '../../db/connection.ts';
import { loadContent } from '../../modules/content/content.loader.ts';
import { contentVersion } from '../../modules/bundle/bundle.service.ts';
import { licenceGranted, type Content } from '../../modules/content/content.schema.ts';
import { MANIFEST_TYPE, mediaManifest, themeManifest } from '../../modules/media/media.iiif.ts';
import { mediaManifestUrl, themeManifestUrl } from '../../modules/media/media.urls.ts';
import { embedOf } from '../../modules/media/media.external.ts';
import { DATA_PATHS, eventsCsv, placesCsv, placesGeoJson } from '../../modules/geo/geo.data.ts';
import type { EventFilter } from '../../modules/content/content.events.ts';
import { CACHE, prepareAsync, transferables, type Effort, type Prepared } from '../http/prepared.ts';
import { indexContent, type Assets } from './site.context.ts';
import { buildRoutes, hotPaths, sitemapXml, type RouteIndex } from './routes.ts';
import { renderError, renderFilterable, renderPage, renderSite, type ErrorKind, type RenderSite } from './render.tsx';

// One content version made ready to serve: the content loaded, its read
// model (indexContent) and route index built once, and what the server keeps
// of it in memory (SiteState: the index, media and data files, sitemap). Pages
// are rendered from it on request (renderJob). The worker thread and the
// inline renderer run this same code.

/** What the media routes may serve for the current content. */
export interface MediaState {
  /** Stored binary files by hash: images serve derivatives and tiles, video and audio their original. */
  files: Map<string, { image: boolean; mime: string }>;
  /** Caption and chapter tracks by hash (kept in the database). */
  tracks: Map<string, Prepared>;
  /** IIIF manifests by path (/iiif/media/<id>/manifest.json, /iiif/themes/<id>/manifest.json). */
  manifests: Map<string, Prepared>;
  /** Origins of external video players, allowed as frames once a visitor asks for one. */
  frameOrigins: string[];
}

/** What the server holds of one content version: no page, no content aggregate. */
export interface SiteState extends RouteIndex {
  version: string;
  sitemap: Prepared;
  robots: Prepared;
  media: MediaState;
  /** Open data: the places and events as GeoJSON and CSV, by path. */
  data: Map<string, Prepared>;
  /** Headers of the data downloads: CORS, and the licence as a Link when the museum grants one (not while it is only proposed). */
  dataHeaders: Record<string, string>;
  /** The pages worth rendering ahead of requests, most wanted first. */
  hot: string[];
}

export const HTML = 'text/html; charset=utf-8';

export type RenderJob =
  | { kind: 'page'; path: string; effort: Effort }
  | { kind: 'error'; locale: string; error: ErrorKind }
  | { kind: 'filtered'; path: string; filter: EventFilter; problems: string[] };

export interface Loaded {
  state: SiteState;
  site: RenderSite;
}

/**
 * The content as the database holds it now. Version and content are read in
 * one transaction: an import committing meanwhile cannot give a site that is
 * half old, half new. Undefined when nothing was imported yet.
 */
export async function loadSite(db: Db, publicUrl: string, assets: Assets): Promise<Loaded | undefined> {
  const { content, version } = await db.transaction().execute(async (trx) => ({
    version: await contentVersion(trx),
    content: await loadContent(trx),
  }));
  if (!content) return undefined;
  const index = indexContent(content);
  const routes = buildRoutes(content, index);
  const site = renderSite(content, index, publicUrl, assets);
  const robots = `User-agent: *\nAllow: /\n\nSitemap: ${publicUrl}/sitemap.xml\n`;
  const [sitemap, robotsP, media, geojson, placesCsvP, eventsCsvP] = await Promise.all([
    prepareAsync(sitemapXml(routes, publicUrl), 'application/xml; charset=utf-8', CACHE.short),
    prepareAsync(robots, 'text/plain; charset=utf-8', CACHE.short),
    mediaState(content, publicUrl),
    prepareAsync(placesGeoJson(content, publicUrl), 'application/geo+json', CACHE.page),
    prepareAsync(placesCsv(content), 'text/csv; charset=utf-8; header=present', CACHE.page),
    prepareAsync(eventsCsv(content), 'text/csv; charset=utf-8; header=present', CACHE.page),
  ]);
  const licence = content.museum.data_licence;
  const state: SiteState = {
    ...routes, version, sitemap, robots: robotsP, media, hot: hotPaths(routes, index),
    data: new Map([[DATA_PATHS.geojson, geojson], [DATA_PATHS.placesCsv, placesCsvP], [DATA_PATHS.eventsCsv, eventsCsvP]]),
    dataHeaders: {
      'Access-Control-Allow-Origin': '*',
      ...(licence && licenceGranted(licence) ? { Link: `<${new URL(licence.url).href}>; rel="license"` } : {}),
    },
  };
  return { state, site };
}

/** One page, error page or filtered page of a loaded site, rendered and compressed. */
export async function renderJob(loaded: Loaded, job: RenderJob): Promise<Prepared> {
  switch (job.kind) {
    case 'page': {
      const route = loaded.state.pages.get(job.path);
      if (!route) throw new Error(`${job.path} is not a page of content version ${loaded.state.version}`);
      return prepareAsync(await renderPage(route, loaded.site), HTML, CACHE.page, job.effort);
    }
    case 'error':
      return prepareAsync(await renderError(loaded.site, job.locale, job.error), HTML, CACHE.none, 'fast');
    case 'filtered': {
      const target = loaded.state.filterable.get(job.path);
      if (!target) throw new Error(`${job.path} takes no filter`);
      return prepareAsync(await renderFilterable(loaded.site, target.locale, target.kind, job.filter, job.problems), HTML, CACHE.page, 'fast');
    }
  }
}

/** Every memory block the state holds, for postMessage's transfer list. */
export function stateTransferables(s: SiteState): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const p of [s.sitemap, s.robots, ...s.data.values(), ...s.media.tracks.values(), ...s.media.manifests.values()]) transferables(p, set);
  return [...set];
}

async function mediaState(c: Content, base: string): Promise<MediaState> {
  const files = new Map<string, { image: boolean; mime: string }>();
  const tracks = new Map<string, Prepared>();
  const pending: Promise<unknown>[] = [];
  for (const f of Object.values(c.files ?? {})) {
    if (f.text !== undefined) {
      const text = f.text;
      if (f.mime.startsWith('text/vtt')) pending.push(prepareAsync(text, f.mime, CACHE.immutable).then((p) => tracks.set(f.hash, p)));
    } else {
      files.set(f.hash, { image: f.widths !== undefined, mime: f.mime });
    }
  }
  const manifests = new Map<string, Prepared>();
  const json = (path: string, o: object) => pending.push(prepareAsync(JSON.stringify(o), MANIFEST_TYPE, CACHE.page).then((p) => manifests.set(path, p)));
  for (const m of c.media) {
    const man = mediaManifest(c, m, base);
    if (man) json(mediaManifestUrl(m.id), man);
  }
  for (const d of c.docs.filter((x) => x.kind === 'theme')) {
    const man = themeManifest(c, d, base);
    if (man) json(themeManifestUrl(d.id), man);
  }
  await Promise.all(pending);
  const frameOrigins = [...new Set(c.media.flatMap((m) => {
    const e = m.external ? embedOf(m.external) : undefined;
    return e && typeof e !== 'string' ? [e.origin] : [];
  }))];
  return { files, tracks, manifests, frameOrigins };
}
