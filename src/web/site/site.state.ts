import { revive, transferables, type Prepared } from '../http/prepared.ts';
import type { RouteIndex } from './routes.ts';

// What the server thread holds of one content version (SiteState), and the
// compact form in which the render worker posts it. The worker keeps the
// full route index (kind, entity, alternates of every page) to render from;
// the server thread needs only each page's path and language. Posted as
// objects, the index of 1,000 themes × 10 languages (11,000 routes, 110,000
// alternates) took some 200 ms to read on the server thread, during which
// nothing answered; as one string of paths and one byte per page it is read
// in a few ms.

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

/** What the server thread knows of a page: its language (one shared object per language). */
export interface PageInfo {
  readonly locale: string;
}

/** What the server holds of one content version: no page, no content aggregate, no route but its path and language. */
export interface SiteState extends Omit<RouteIndex, 'pages'> {
  version: string;
  /** Every public page by path, in the site's order (the sitemap's). */
  pages: ReadonlyMap<string, PageInfo>;
  sitemap: Prepared;
  robots: Prepared;
  media: MediaState;
  /** Open data: the places and events as GeoJSON and CSV, by path. */
  data: Map<string, Prepared>;
  /** Headers of the data downloads: CORS, and the licence as a Link when the museum grants one (not while it is only proposed). */
  dataHeaders: Record<string, string>;
  /** The pages worth rendering ahead of requests, most wanted first. */
  hot: string[];
  /** The museum's stylesheet (museum.style) by its content-hashed path, when it has one. */
  styles: Map<string, Prepared>;
  /**
   * A draft version's only (previews, docs/decisions/0023): the page of each document and visit in every language,
   * by the editor's key (theme/<id>, visit/<id>…), so that the editor's "Preview" finds it.
   */
  documents?: Map<string, Record<string, string>>;
}

/** The server's view of a route index: each path with its language's shared PageInfo. */
export function pageInfos(routes: RouteIndex): Map<string, PageInfo> {
  const infos = new Map(routes.locales.map((l) => [l, { locale: l }]));
  const out = new Map<string, PageInfo>();
  for (const [path, r] of routes.pages) out.set(path, infos.get(r.locale) ?? { locale: r.locale });
  return out;
}

/** A SiteState as the worker posts it: the pages and hot paths packed, the rest as it is. */
export interface PostedState extends Omit<SiteState, 'pages' | 'hot'> {
  /** Every path, in order, separated by "\n" (a path never holds one: slugs are letters, digits and hyphens). */
  paths: string;
  /** Each page's language, as an index into `locales`. */
  pageLocales: Uint8Array;
  /** The hot pages, as indexes into `paths`. */
  hot: Uint32Array;
}

/** The state packed for postMessage, with the memory blocks to transfer (not copy). */
export function packState(s: SiteState): { posted: PostedState; transfer: ArrayBuffer[] } {
  const localeIndex = new Map(s.locales.map((l, i) => [l, i]));
  const order = new Map<string, number>();
  const pageLocales = new Uint8Array(s.pages.size);
  for (const [path, info] of s.pages) {
    if (path.includes('\n')) throw new Error(`a page's address holds a line break: ${JSON.stringify(path)}`);
    pageLocales[order.size] = localeIndex.get(info.locale) ?? 0;
    order.set(path, order.size);
  }
  const hot = Uint32Array.from(s.hot, (p) => order.get(p) ?? -1);
  const { pages: _pages, hot: _hot, ...rest } = s;
  const set = new Set<ArrayBuffer>([pageLocales.buffer, hot.buffer]);
  for (const p of [s.sitemap, s.robots, ...s.data.values(), ...s.styles.values(), ...s.media.tracks.values(), ...s.media.manifests.values()]) transferables(p, set);
  return { posted: { ...rest, paths: [...order.keys()].join('\n'), pageLocales, hot }, transfer: [...set] };
}

/** The state again, on the server thread: its Map of pages, and Buffers where the bodies came as Uint8Arrays. */
export function unpackState(p: PostedState): SiteState {
  const { paths, pageLocales, hot, ...rest } = p;
  const list = paths ? paths.split('\n') : [];
  const infos = p.locales.map((l) => ({ locale: l }));
  const pages = new Map<string, PageInfo>();
  list.forEach((path, i) => pages.set(path, infos[pageLocales[i]!]!));
  return {
    ...rest, pages, hot: Array.from(hot, (i) => list[i]!),
    sitemap: revive(p.sitemap), robots: revive(p.robots),
    data: new Map([...p.data].map(([k, v]) => [k, revive(v)])),
    styles: new Map([...p.styles].map(([k, v]) => [k, revive(v)])),
    media: { ...p.media, tracks: new Map([...p.media.tracks].map(([k, v]) => [k, revive(v)])), manifests: new Map([...p.media.manifests].map(([k, v]) => [k, revive(v)])) },
  };
}
