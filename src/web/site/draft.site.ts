import type { Db } from '../../db/connection.ts';
import { draftVersion, ensureRevisions } from '../../modules/editorial/editorial.service.ts';
import { FILTER_KEYS } from '../../modules/content/content.events.ts';
import { translator } from '../../i18n/messages.ts';
import type { Prepared } from '../http/prepared.ts';
import type { RenderJob } from './generation.ts';
import type { PreviewBanner } from './preview.page.tsx';
import type { Renderer } from './renderer.ts';
import { filterQuery, parseFilter } from './site.filters.ts';
import { message, openLive, renderOnce, replaced, type Live } from './site.live.ts';

// The draft site, for previews (docs/decisions/0023): what publishing
// everything now would serve, rendered on request by the site's own renderer
// (the render worker for a database file) and cached by draft version. A
// save, discard, restore, publish or import changes that version: the next
// preview loads the drafts again (beside nothing: the previous draft version
// is let go at once) and starts an empty cache. Unused for a while, the draft
// site is let go, so that a server nobody previews on holds only the site.

/** Bytes the cache of preview pages may hold (each page in each banner's language and kind). */
export const PREVIEW_CACHE_BYTES = 16 * 1024 * 1024;
/** The draft site is let go after this long without a preview. */
export const PREVIEW_IDLE_MS = 10 * 60_000;

export type PreviewAnswer =
  | { status: 200; page: Prepared; frameOrigins: readonly string[] }
  /** The canonical path of the page asked for with a slash too many or too few. */
  | { status: 301; path: string }
  | { status: 404 | 500 | 503 };

export class DraftSite {
  private live: Live | undefined;
  private opening: Promise<Live | undefined> | undefined;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly open: () => Promise<Renderer | undefined>,
    private readonly log: (line: string) => void = console.error,
    private readonly options: { cacheBytes?: number; idleMs?: number } = {},
  ) {}

  /** The preview of the public page `path` (with a chronology or map filter in `query`), with `banner`. */
  async page(path: string, query: URLSearchParams | undefined, banner: PreviewBanner, retry = true): Promise<PreviewAnswer> {
    const live = await this.current();
    const canonical = live && canonicalIn(live, path, banner.locale);
    if (!live || !canonical) return { status: 404 };
    if (canonical !== path) return { status: 301, path: canonical };
    const route = live.state.pages.get(path)!;
    const target = query && FILTER_KEYS.some((k) => query.has(k)) ? live.state.filterable.get(path) : undefined;
    const of: Extract<RenderJob, { kind: 'preview' }>['of'] = target
      ? { kind: 'filtered', path, ...parseFilter(query!, live.state.vocabulary, translator(target.locale)) }
      : { kind: 'page', path, effort: 'fast' };
    const key = `${banner.admin ? 'staff' : 'shared'}:${banner.locale}:${path}${of.kind === 'filtered' ? `?${filterQuery(of.filter)}#${of.problems.join('|')}` : ''}`;
    const frameOrigins = live.state.media.frameOrigins;
    const hit = live.pages.get(key);
    if (hit) return { status: 200, page: hit.page, frameOrigins };
    try {
      const page = await renderOnce(live, key, { kind: 'preview', of, banner }, (p) => {
        live.pages.set(key, { page: p, locale: route.locale, effort: 'fast', hits: 0 });
      });
      return { status: 200, page, frameOrigins };
    } catch (e) {
      // The worker died (or the draft version moved on while this rendered): once more, from a draft site opened again.
      if (retry && replaced(e)) {
        if (this.live === live) this.drop();
        return this.page(path, query, banner, false);
      }
      if (!live.failed.has(key)) {
        live.failed.add(key);
        this.log(`Could not render the preview of ${path} (draft version ${live.state.version}): ${message(e)}`);
      }
      return { status: 500 };
    }
  }

  /** The draft site's address of the page `path` names (itself, or with a slash more or less; "/": the home in `locale` if the site has it), if any. */
  async canonical(path: string, locale?: string): Promise<string | undefined> {
    const live = await this.current();
    return live && canonicalIn(live, path, locale);
  }

  /** The page of the document `key` (theme/<id>, visit/<id>…) in `locale`, else in the museum's default language. */
  async pathOf(key: string, locale: string): Promise<string | undefined> {
    const live = await this.current();
    const paths = live?.state.documents?.get(key);
    return paths && (paths[locale] ?? paths[live!.state.defaultLocale] ?? Object.values(paths)[0]);
  }

  /** What the cache holds now (tests, the bench). */
  get cache(): { pages: number; bytes: number; version: string | undefined; inWorker: boolean } {
    const live = this.live;
    return { pages: live?.pages.size ?? 0, bytes: live?.pages.bytes ?? 0, version: live?.state.version, inWorker: live ? !live.renderer.onThisThread : false };
  }

  /** Lets the draft site go (a server's stop). */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    const live = this.live;
    this.live = undefined;
    await live?.renderer.close(1000);
  }

  /** The draft site of the current draft version: the one held, or opened now (one opening at a time). */
  private async current(): Promise<Live | undefined> {
    this.touch();
    for (let tries = 0; tries < 2; tries++) {
      const version = await draftVersion(this.db);
      const live = this.live;
      if (live && live.state.version === version && !live.renderer.broken) return live;
      this.opening ??= this.reopen().finally(() => { this.opening = undefined; });
      const opened = await this.opening;
      // An opening begun before the latest save gives the version before it: open once more.
      if (!opened || opened.state.version === version || Number(opened.state.version) > Number(version)) return opened;
    }
    return this.live;
  }

  private async reopen(): Promise<Live | undefined> {
    // A database filled before revisions existed gets them here, on the server's writable connection: the render worker's is read-only.
    await ensureRevisions(this.db);
    const renderer = await this.open();
    this.drop();
    this.live = renderer && openLive(renderer, undefined, this.options.cacheBytes ?? PREVIEW_CACHE_BYTES, { pages: 0, bytes: 0 });
    return this.live;
  }

  private drop(): void {
    const old = this.live;
    this.live = undefined;
    void old?.renderer.close().catch((e: unknown) => this.log(`Could not close the draft site: ${message(e)}`));
  }

  private touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.drop(), this.options.idleMs ?? PREVIEW_IDLE_MS);
    this.idle.unref();
  }
}

function canonicalIn(live: Live, path: string, locale?: string): string | undefined {
  const { pages, locales, defaultLocale } = live.state;
  if (pages.has(path)) return path;
  if (path === '/' || path === '') return `/${locale && locales.includes(locale) ? locale : defaultLocale}/`;
  const alt = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
  return pages.has(alt) ? alt : undefined;
}
