import type { Db } from '../../db/connection.ts';
import { loadContent } from '../../modules/content/content.loader.ts';
import { contentVersion } from '../../modules/bundle/bundle.service.ts';
import { buildSite, renderFilterable, type ErrorKind, type FilterableKind } from './site.builder.tsx';
import { filterQuery, parseFilter } from './site.filters.ts';
import { translator } from '../../i18n/messages.ts';
import { collectGarbage } from '../../shared/memory.ts';
import { CACHE, prepare, type Prepared } from '../http/prepared.ts';
import type { BuiltAssets } from '../assets.ts';
import type { Content } from '../../modules/content/content.schema.ts';
import { MANIFEST_TYPE, mediaManifest, themeManifest } from '../../modules/media/media.iiif.ts';
import { mediaManifestUrl, themeManifestUrl } from '../../modules/media/media.urls.ts';
import { embedOf } from '../../modules/media/media.external.ts';
import { DATA_PATHS, eventsCsv, placesCsv, placesGeoJson } from '../../modules/geo/geo.data.ts';

// Holds the rendered site in memory. Pages are rendered once per content
// version; `watch` notices an import made by another process (the CLI) and
// re-renders, so the server never serves stale content for long.

export interface SiteState {
  version: string;
  pages: Map<string, { page: Prepared; locale: string }>;
  errors: Map<string, Record<ErrorKind, Prepared>>;
  sitemap: Prepared;
  robots: Prepared;
  locales: string[];
  defaultLocale: string;
  media: MediaState;
  /** The chronology and map pages, which take filters in their query string. */
  filterable: Map<string, { locale: string; kind: FilterableKind }>;
  /** Open data: the places and events as GeoJSON and CSV, by path. */
  data: Map<string, Prepared>;
  /** Headers of the data downloads: CORS, and the licence as a Link when the museum states one. */
  dataHeaders: Record<string, string>;
}

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

const HTML = 'text/html; charset=utf-8';
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Limits of the cache of filtered pages. */
export const FILTERED_MAX_PAGES = 500;
export const FILTERED_MAX_BYTES = 32 * 1024 * 1024;
/**
 * Milliseconds per second that rendering uncached filtered pages may take.
 * Every distinct ?from=&to= is a new page: without a bound, a client asking
 * for many of them would hold the event loop and slow every other visitor.
 */
export const FILTERED_RENDER_MS_PER_S = 400;
/** Requests for uncached filtered pages that may wait for the budget; more are refused with 503. */
export const FILTERED_MAX_WAITING = 32;
const sizeOf = (p: Prepared) => p.body.length + (p.br?.length ?? 0) + (p.gzip?.length ?? 0);

export class SiteStore {
  private state: SiteState | undefined;
  private building: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;

  private content: Content | undefined;
  /** Filtered pages rendered on request, by address; forgotten when the content changes. */
  private filtered = new Map<string, { status: 200 | 400; page: Prepared }>();
  /** Bytes the filtered pages hold (raw, brotli and gzip). */
  private filteredBytes = 0;

  constructor(
    private readonly db: Db, readonly publicUrl: string, private readonly assets: BuiltAssets,
    private readonly limits: { pages: number; bytes: number; renderMsPerSecond?: number; maxWaiting?: number } = { pages: FILTERED_MAX_PAGES, bytes: FILTERED_MAX_BYTES },
  ) {}

  /** Time spent on uncached filtered renders in the current one-second window. */
  private renderWindow = { start: 0, spent: 0 };
  private waiting = 0;

  /**
   * Waits until the render budget of the current second allows one more
   * uncached filtered page; false when too many already wait (the caller
   * answers 503). A burst from a class is served a little later, not refused.
   */
  private async renderTurn(): Promise<boolean> {
    const budget = this.limits.renderMsPerSecond ?? FILTERED_RENDER_MS_PER_S;
    for (;;) {
      const now = performance.now();
      if (now - this.renderWindow.start >= 1000) this.renderWindow = { start: now, spent: 0 };
      if (this.renderWindow.spent < budget) return true;
      if (this.waiting >= (this.limits.maxWaiting ?? FILTERED_MAX_WAITING)) return false;
      this.waiting += 1;
      await new Promise((r) => setTimeout(r, this.renderWindow.start + 1000 - now));
      this.waiting -= 1;
    }
  }

  /** What the cache of filtered pages holds now. */
  get filteredCache(): { pages: number; bytes: number } {
    return { pages: this.filtered.size, bytes: this.filteredBytes };
  }

  /**
   * A chronology or map page with the query string's filter, or undefined if
   * `path` is not such a page. Bad filter values give a 400 page that says
   * what is wrong and shows everything.
   */
  async filteredPage(path: string, params: URLSearchParams): Promise<{ status: 200 | 400; page: Prepared } | 'busy' | undefined> {
    const state = this.state;
    const content = this.content;
    const target = state?.filterable.get(path);
    if (!state || !content || !target) return undefined;
    const t = translator(target.locale);
    const { filter, problems } = parseFilter(params, content, t);
    const key = `${path}?${filterQuery(filter)}#${problems.join('|')}`;
    const hit = this.filtered.get(key);
    if (hit) {
      // Least recently used goes first: a hit moves to the end.
      this.filtered.delete(key);
      this.filtered.set(key, hit);
      return hit;
    }
    if (!(await this.renderTurn())) return 'busy';
    const started = performance.now();
    const html = await renderFilterable(content, this.publicUrl, this.assets.urls, target.locale, target.kind, problems.length ? {} : filter, problems);
    // Compressed quickly: brotli 5 takes about 3 ms where 10 takes 50 ms, for 14 % more bytes on a page seldom asked twice.
    const out = { status: problems.length ? 400 as const : 200 as const, page: prepare(html, HTML, CACHE.page, 'fast') };
    this.renderWindow.spent += performance.now() - started;
    // A bounded cache: the number of filter combinations is finite but large, and a
    // map page with its compressed forms weighs about 200 KB. Re-rendering one takes a few ms.
    const bytes = sizeOf(out.page);
    for (const [k, v] of this.filtered) {
      if (this.filtered.size < this.limits.pages && this.filteredBytes + bytes <= this.limits.bytes) break;
      this.filtered.delete(k);
      this.filteredBytes -= sizeOf(v.page);
    }
    this.filtered.set(key, out);
    this.filteredBytes += bytes;
    return out;
  }

  get current(): SiteState | undefined {
    return this.state;
  }

  /** Re-renders if the content changed since the last build. Returns true if it rebuilt. */
  refresh(): Promise<boolean> {
    this.building ??= this.rebuildIfChanged().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  watch(intervalMs = 2000): void {
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) => console.error(`Could not refresh the site: ${e instanceof Error ? e.message : String(e)}`));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async rebuildIfChanged(): Promise<boolean> {
    const version = await contentVersion(this.db);
    if (this.state?.version === version) return false;
    // Filtered pages of the old content are no use to the new one: dropped now, not after the render.
    this.clearFiltered();
    // Version and content are read in one transaction: an import committing
    // meanwhile cannot give a render that is half old, half new.
    const { content, version: readVersion } = await this.db.transaction().execute(async (trx) => ({
      version: await contentVersion(trx),
      content: await loadContent(trx),
    }));
    if (!content) {
      this.state = undefined;
      return true;
    }
    const site = await buildSite(content, this.publicUrl, this.assets.urls);
    this.content = content;
    this.clearFiltered();
    const pages = new Map(site.pages.map((p) => [p.path, { page: prepare(p.html, HTML, CACHE.page), locale: p.locale }]));
    const errors = new Map([...site.errors].map(([l, e]) => [l, Object.fromEntries(Object.entries(e).map(([k, html]) => [k, prepare(html, HTML, CACHE.none)])) as Record<ErrorKind, Prepared>]));
    const urls = site.pages.map((p) => {
      const alts = Object.entries(p.alternates).map(([l, path]) => `<xhtml:link rel="alternate" hreflang="${xmlEscape(l)}" href="${xmlEscape(this.publicUrl + path)}"/>`).join('');
      return `<url><loc>${xmlEscape(this.publicUrl + p.path)}</loc>${alts}</url>`;
    });
    const sitemap = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`;
    const robots = `User-agent: *\nAllow: /\n\nSitemap: ${this.publicUrl}/sitemap.xml\n`;
    this.state = {
      version: readVersion, pages, errors, locales: site.locales, defaultLocale: site.defaultLocale, media: mediaState(content, this.publicUrl),
      filterable: new Map(site.locales.flatMap((l) => {
        const t = translator(l);
        const pages: [string, { locale: string; kind: FilterableKind }][] = [[`/${l}/${t('route.chronology')}`, { locale: l, kind: 'chronology' }]];
        if (content.places.length) pages.push([`/${l}/${t('route.map')}`, { locale: l, kind: 'map' }]);
        return pages;
      })),
      data: new Map([
        [DATA_PATHS.geojson, prepare(placesGeoJson(content, this.publicUrl), 'application/geo+json', CACHE.page)],
        [DATA_PATHS.placesCsv, prepare(placesCsv(content), 'text/csv; charset=utf-8; header=present', CACHE.page)],
        [DATA_PATHS.eventsCsv, prepare(eventsCsv(content), 'text/csv; charset=utf-8; header=present', CACHE.page)],
      ]),
      dataHeaders: {
        'Access-Control-Allow-Origin': '*',
        ...(content.museum.data_licence ? { Link: `<${new URL(content.museum.data_licence.url).href}>; rel="license"` } : {}),
      },
      sitemap: prepare(sitemap, 'application/xml; charset=utf-8', CACHE.short),
      robots: prepare(robots, 'text/plain; charset=utf-8', CACHE.short),
    };
    // The previous site is garbage now: collected at once rather than whenever an idle server next allocates.
    collectGarbage();
    return true;
  }

  private clearFiltered(): void {
    this.filtered.clear();
    this.filteredBytes = 0;
  }
}

function mediaState(c: Content, base: string): MediaState {
  const files = new Map<string, { image: boolean; mime: string }>();
  const tracks = new Map<string, Prepared>();
  for (const f of Object.values(c.files ?? {})) {
    if (f.text !== undefined) {
      if (f.mime.startsWith('text/vtt')) tracks.set(f.hash, prepare(f.text, f.mime, CACHE.immutable));
    } else {
      files.set(f.hash, { image: f.widths !== undefined, mime: f.mime });
    }
  }
  const manifests = new Map<string, Prepared>();
  const json = (o: object) => prepare(JSON.stringify(o), MANIFEST_TYPE, CACHE.page);
  for (const m of c.media) {
    const man = mediaManifest(c, m, base);
    if (man) manifests.set(mediaManifestUrl(m.id), json(man));
  }
  for (const d of c.docs.filter((x) => x.kind === 'theme')) {
    const man = themeManifest(c, d, base);
    if (man) manifests.set(themeManifestUrl(d.id), json(man));
  }
  const frameOrigins = [...new Set(c.media.flatMap((m) => {
    const e = m.external ? embedOf(m.external) : undefined;
    return e && typeof e !== 'string' ? [e.origin] : [];
  }))];
  return { files, tracks, manifests, frameOrigins };
}
