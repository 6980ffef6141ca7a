import type { Db } from '../../db/connection.ts';
import { inMemory, type DatabaseTarget } from '../../db/target.ts';
import { watchContentChanges, type ChangeWatch } from '../../db/changes.ts';
import { contentVersion } from '../../modules/bundle/bundle.service.ts';
import { filterQuery, parseFilter } from './site.filters.ts';
import { translator } from '../../i18n/messages.ts';
import { collectGarbage } from '../../shared/memory.ts';
import { isAppError } from '../../shared/errors.ts';
import { recompress, type Prepared } from '../http/prepared.ts';
import type { BuiltAssets } from '../assets.ts';
import { RenderBudget } from './render-budget.ts';
import { DraftSite } from './draft.site.ts';
import type { ErrorKind } from './render.tsx';
import type { RenderJob } from './generation.ts';
import type { SiteState } from './site.state.ts';
import { inlineRenderers, workerRenderers, type Renderers, type Renderer } from './renderer.ts';
import {
  errorKey, FILTERED_MAX_BYTES, FILTERED_MAX_PAGES, FILTERED_MAX_WAITING, FILTERED_RENDER_MS_PER_S, HOT_HITS,
  message, openLive, PAGE_CACHE_BYTES, PREWARM_SHARE, renderOnce, renderPageInto, replaced, unavailable, type CachedPage, type Filtered,
  type FilteredLimits, type Live,
} from './site.live.ts';

export type { SiteState } from './site.state.ts';

/** While PostgreSQL's notifications arrive, the content version is polled every this many intervals only (a missed one is still caught). */
export const LISTENING_POLL_EVERY = 5;

// The site as served: the route index of the current content version and a
// bounded cache of its compressed pages. A page is rendered on its first
// request (by a Renderer: a worker thread for a database file, this thread
// for an in-memory one) and kept while it is used. `watch` notices an import
// made by another process (the CLI): the new version is loaded beside the
// old one, which serves meanwhile, then index and caches swap at once.

export interface SiteOptions {
  /** A database file or server: pages are rendered in a worker thread that opens it to read. Absent or in memory: on this thread. */
  database?: DatabaseTarget;
  /** Bytes the cache of pages may hold (raw and compressed bodies). */
  pageCacheBytes?: number;
  /** Render the hot pages (state.hot) in the background after each swap; by default with a worker only. */
  prewarm?: boolean;
  log?: (line: string) => void;
  /** How renderers are opened (tests give one that fails on purpose). */
  renderers?: Renderers;
}

export type Phase = 'starting' | 'serving' | 'refreshing';

export class SiteStore {
  private live: Live | undefined;
  private building: Promise<boolean> | undefined;
  /** The load under way, until its swap (`building` also waits for the old version to be let go). */
  private swapping: Promise<unknown> | undefined;
  private opening = false;
  /** True once a first load has ended (with content or without): "starting" until then. */
  private loadedOnce = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private changes: ChangeWatch | undefined;
  /** A refresh was asked for while a load ran: look again when it ends. */
  private again = false;
  private readonly renderers: Renderers;
  private readonly log: (line: string) => void;
  private readonly pageCacheBytes: number;
  private readonly prewarm: boolean;
  /** Uncached filtered renders: each distinct query is a new page, so their render time is bounded. */
  private readonly budget: RenderBudget;
  private draftSite: DraftSite | undefined;

  constructor(
    private readonly db: Db, readonly publicUrl: string, assets: BuiltAssets,
    private readonly limits: FilteredLimits = { pages: FILTERED_MAX_PAGES, bytes: FILTERED_MAX_BYTES },
    options: SiteOptions = {},
  ) {
    this.log = options.log ?? console.error;
    this.renderers = options.renderers ?? (options.database && !inMemory(options.database)
      ? workerRenderers(options.database, publicUrl, assets.urls, this.log)
      : inlineRenderers(db, publicUrl, assets.urls));
    this.pageCacheBytes = options.pageCacheBytes ?? PAGE_CACHE_BYTES;
    this.budget = new RenderBudget(limits.renderMsPerSecond ?? FILTERED_RENDER_MS_PER_S, limits.maxWaiting ?? FILTERED_MAX_WAITING);
    this.prewarm = options.prewarm ?? (options.database !== undefined && !inMemory(options.database));
  }

  get current(): SiteState | undefined {
    return this.live?.state;
  }

  /** Starting: no content served yet; refreshing: a new version is being loaded while the current one serves. */
  get phase(): Phase {
    if (!this.live && !this.loadedOnce) return 'starting';
    return this.opening ? 'refreshing' : 'serving';
  }

  /** What the cache of pages holds now. */
  get pageCache(): { pages: number; bytes: number; budget: number } {
    const c = this.live?.pages;
    return { pages: c?.size ?? 0, bytes: c?.bytes ?? 0, budget: this.pageCacheBytes };
  }

  /** What the cache of filtered pages holds now. */
  get filteredCache(): { pages: number; bytes: number } {
    const c = this.live?.filtered;
    return { pages: c?.size ?? 0, bytes: c?.bytes ?? 0 };
  }

  /** An already rendered page, or undefined: never renders, never waits (the fast path in front of the app). */
  cached(path: string): { page: Prepared; locale: string } | undefined {
    const live = this.live;
    if (!live || !path.startsWith('/')) return undefined;
    const hit = live.pages.get(path);
    if (!hit) return undefined;
    this.touched(live, path, hit);
    return { page: hit.page, locale: hit.locale };
  }

  /**
   * A public page: from the cache, or rendered now. Undefined when `path` is
   * no page of the site. A render that fails gives the page's language's
   * 500 page (status 500; no page if even that cannot be rendered).
   */
  async page(path: string, retry = true): Promise<{ status: 200; page: Prepared; locale: string } | { status: 500 | 503; page?: Prepared; locale: string } | undefined> {
    const live = this.live;
    const route = live?.state.pages.get(path);
    if (!live || !route) return undefined;
    const hit = this.cached(path);
    if (hit) return { status: 200, ...hit };
    try {
      return { status: 200, page: await renderPageInto(live, path, 'fast'), locale: route.locale };
    } catch (e) {
      // An import committed since this version was loaded, or the worker died: the page is the next version's, once it is served.
      if (retry && replaced(e) && (await this.nextVersion(live))) return this.page(path, false);
      if (unavailable(e)) return { status: 503, page: await this.errorPage(route.locale, 'unavailable'), locale: route.locale };
      this.failedOnce(live, path, e);
      return { status: 500, page: await this.errorPage(route.locale, 'internal'), locale: route.locale };
    }
  }

  /**
   * Waits for the version after `live` to be served (starting its load if the
   * watch has not yet): true once it is, false if none came (its load failed).
   */
  private async nextVersion(live: Live): Promise<boolean> {
    if (this.live === live) {
      if (!this.swapping) this.refresh().catch((e: unknown) => this.log(`Could not refresh the site: ${message(e)}`));
      await this.swapping?.catch(() => undefined);
    }
    return this.live !== undefined && this.live !== live;
  }

  /** An error page in `locale` (or the default language), rendered once per content version; undefined without content. */
  errorPage(locale: string | undefined, kind: ErrorKind): Promise<Prepared | undefined> {
    return this.keptRender((live) => {
      const l = locale && live.state.locales.includes(locale) ? locale : live.state.defaultLocale;
      return { key: errorKey(l, kind), locale: l, job: { kind: 'error', locale: l, error: kind } };
    });
  }

  /**
   * A page's sharing image (og:image, share-image.ts), drawn by the renderer
   * the first time it is asked for and kept with the pages; undefined when
   * `pagePath` is no page of the site or the drawing failed.
   */
  shareImage(pagePath: string): Promise<Prepared | undefined> {
    return this.keptRender((live) => {
      const route = live.state.pages.get(pagePath);
      return route && { key: `!share${pagePath}`, locale: route.locale, job: { kind: 'share', path: pagePath } };
    });
  }

  /**
   * What the current version renders once and keeps with its pages under a
   * key of its own (an error page, a sharing image): from the cache, or
   * rendered now; the next version's if this one is being replaced. Undefined
   * without content, when `what` names nothing, or when the render failed (logged once).
   */
  private async keptRender(what: (live: Live) => { key: string; locale: string; job: RenderJob } | undefined, retry = true): Promise<Prepared | undefined> {
    const live = this.live;
    const it = live && what(live);
    if (!live || !it) return undefined;
    const hit = live.pages.get(it.key);
    if (hit) return hit.page;
    try {
      return await renderOnce(live, it.key, it.job, (page) => {
        live.pages.set(it.key, { page, locale: it.locale, effort: 'fast', hits: 0 });
      });
    } catch (e) {
      if (retry && replaced(e) && (await this.nextVersion(live))) return this.keptRender(what, false);
      this.failedOnce(live, it.key, e);
      return undefined;
    }
  }

  /**
   * A chronology or map page with the query string's filter, or undefined if
   * `path` is not such a page. Bad filter values give a 400 page that says
   * what is wrong and shows everything; a render that fails, the 500 page.
   */
  async filteredPage(path: string, params: URLSearchParams, retry = true): Promise<{ status: 200 | 400 | 500 | 503; page?: Prepared } | 'busy' | undefined> {
    const live = this.live;
    const target = live?.state.filterable.get(path);
    if (!live || !target) return undefined;
    const { filter, problems } = parseFilter(params, live.state.vocabulary, translator(target.locale));
    const key = `${path}?${filterQuery(filter)}#${problems.join('|')}`;
    const hit = live.filtered.get(key);
    if (hit) return hit;
    if (!(await this.budget.turn())) return 'busy';
    const started = performance.now();
    try {
      // The valid part of a bad filter is passed too: the page shows everything, its language switch keeps that part.
      const page = await live.renderer.render({ kind: 'filtered', path, filter, problems });
      const out: Filtered = { status: problems.length ? 400 : 200, page };
      // A bounded cache: the number of filter combinations is finite but large, and a
      // map page with its compressed forms weighs about 200 KB. Re-rendering one takes a few ms.
      live.filtered.set(key, out);
      return out;
    } catch (e) {
      if (retry && replaced(e) && (await this.nextVersion(live))) return this.filteredPage(path, params, false);
      if (unavailable(e)) return { status: 503, page: await this.errorPage(target.locale, 'unavailable') };
      this.failedOnce(live, key, e);
      return { status: 500, page: await this.errorPage(target.locale, 'internal') };
    } finally {
      this.budget.spend(performance.now() - started);
    }
  }

  /**
   * Loads the content again if it changed since (or the renderer broke).
   * Returns true if it swapped. Asked again while a load runs (a second
   * import committed meanwhile, a notification), it answers with that load
   * and, once it ends, looks once more: that load read the version before.
   */
  refresh(): Promise<boolean> {
    if (this.building) {
      this.again = true;
      return this.building;
    }
    {
      const swapping = this.rebuildIfChanged();
      this.swapping = swapping;
      this.building = swapping.then(async (swapped) => {
        this.swapping = undefined;
        if (!swapped) return false;
        if (swapped.closing) {
          await swapped.closing;
          // Inline, the previous content lived on this thread and is garbage now: collected at once
          // rather than whenever an idle server next allocates. (A worker collects its own: see Renderer.)
          if (swapped.collect) collectGarbage();
        }
        return true;
      }).finally(() => {
        this.swapping = undefined;
        this.building = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.refresh().catch((e: unknown) => this.log(`Could not refresh the site: ${message(e)}`));
        }
      });
    }
    return this.building;
  }

  /** The draft site, for previews (draft.site.ts): rendered by this store's renderers (the same render worker). */
  get drafts(): DraftSite {
    this.draftSite ??= new DraftSite(this.db, () => this.renderers.openDraft?.() ?? Promise.resolve(undefined), this.log);
    return this.draftSite;
  }

  /** Looks for new content every `intervalMs` (CONTENT_POLL_MS), and at once when PostgreSQL tells of an import. */
  watch(intervalMs = 2000): void {
    if (this.timer) return;
    const refresh = () => {
      if (this.stopped) return;
      this.refresh().catch((e: unknown) => this.log(`Could not refresh the site: ${e instanceof Error ? e.message : String(e)}`));
    };
    // PostgreSQL tells of a new version at once (db/changes.ts); the poll stays, slower while that works.
    this.changes = watchContentChanges(this.db, refresh, { log: this.log });
    let ticks = 0;
    this.timer = setInterval(() => {
      ticks += 1;
      if (this.changes?.listening && ticks % LISTENING_POLL_EVERY !== 0) return;
      refresh();
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops watching and lets the content go (a render worker ends). */
  async stop(): Promise<void> {
    // First: a notification that comes while the listener closes starts no load.
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.changes?.stop();
    const live = this.live;
    this.live = undefined;
    await live?.renderer.close(1000);
    await this.draftSite?.close();
    await this.renderers.shutdown();
  }

  /** False when the content did not change; else the swap is made, and `closing` ends when the old version is let go. */
  private async rebuildIfChanged(): Promise<false | { closing?: Promise<void>; collect?: boolean }> {
    const version = await contentVersion(this.db);
    const current = this.live;
    if (current && current.state.version === version && !current.renderer.broken) return false;
    let renderer: Renderer | undefined;
    this.opening = true;
    try {
      // A worker that dies while it loads is replaced once: a crash must not cost the server its content.
      renderer = await this.renderers.open().catch((e: unknown) => {
        if (!isAppError(e, 'render_worker_stopped')) throw e;
        return this.renderers.open();
      });
    } finally {
      this.opening = false;
      this.loadedOnce = true;
    }
    // Stopped meanwhile: the new version is not served (its worker ends).
    if (this.stopped) {
      await renderer?.close(0);
      return false;
    }
    // The swap: index and caches together, in one assignment. Renders of the
    // old version still under way finish into the old caches, which go with it.
    this.live = renderer && openLive(renderer, current, this.pageCacheBytes, this.limits);
    if (this.live && this.prewarm) this.warm(this.live);
    return { closing: current?.renderer.close(), collect: current?.renderer.onThisThread };
  }

  /** Counts a hit; a page read often enough is compressed again at the best level, in the background. */
  private touched(live: Live, path: string, hit: CachedPage): void {
    hit.hits += 1;
    if (hit.effort !== 'fast' || hit.hits !== HOT_HITS) return;
    this.inBackground(live, async () => {
      const page = await recompress(hit.page, 'best');
      if (live.pages.peek(path) === hit) live.pages.replace(path, { ...hit, page, effort: 'best' });
    });
  }

  /**
   * The hot pages of a new version, rendered before anyone asks, one at a
   * time; then compressed again at the best level. First at the fast level:
   * a visitor asking for a hot page meanwhile waits for its render, not for brotli 10.
   * Two background jobs that walk the list, not two per page: at 1,000 themes
   * × 10 languages the list has 10,000 paths, and 20,000 jobs queued at the
   * swap took the server thread some 20 ms and a collection.
   */
  private warm(live: Live): void {
    const room = () => this.live === live && live.pages.bytes <= live.pages.budget * PREWARM_SHARE;
    this.inBackground(live, async () => {
      for (const path of live.state.hot) {
        if (!room()) return;
        if (!live.pages.has(path)) await renderPageInto(live, path, 'fast').catch((e: unknown) => this.failedOnce(live, path, e));
      }
    });
    this.inBackground(live, async () => {
      for (const path of live.state.hot) {
        if (this.live !== live) return;
        const hit = live.pages.peek(path);
        if (!hit || hit.effort !== 'fast') continue;
        const page = await recompress(hit.page, 'best').catch((e: unknown) => this.log(`Background work on the site failed: ${message(e)}`));
        if (page && live.pages.peek(path) === hit) live.pages.replace(path, { ...hit, page, effort: 'best' });
      }
    });
  }

  private inBackground(live: Live, job: () => Promise<void>): void {
    live.background = live.background.then(() => (this.live === live ? job() : undefined)).catch((e: unknown) => this.log(`Background work on the site failed: ${message(e)}`));
  }

  private failedOnce(live: Live, key: string, e: unknown): void {
    // Not a failure of the page: its version is being replaced (pre-warming of the old one, a request that came too late).
    if (replaced(e) && this.live !== live) return;
    if (live.failed.has(key)) return;
    live.failed.add(key);
    this.log(`Could not render ${key} (content version ${live.state.version}): ${message(e)}`);
  }
}
