import { isAppError } from '../../shared/errors.ts';
import { sizeOf, type Effort, type Prepared } from '../http/prepared.ts';
import { ByteLru } from './lru.ts';
import type { ErrorKind } from './render.tsx';
import type { RenderJob } from './generation.ts';
import type { SiteState } from './site.state.ts';
import type { Renderer } from './renderer.ts';

// One content version as it is served (Live): its renderer, its route index
// and the bounded caches of its compressed pages, with the rules of its
// renders (one at a time per page, kept in the caches of the version they
// belong to) and the limits of those caches. SiteStore (site.service.ts)
// keeps one current and swaps it as a whole when the content changes.

/** Limits of the cache of filtered pages. */
export const FILTERED_MAX_PAGES = 500;
export const FILTERED_MAX_BYTES = 32 * 1024 * 1024;
/** The cache of pages, unless PAGE_CACHE_MB says otherwise. */
export const PAGE_CACHE_BYTES = 64 * 1024 * 1024;
/**
 * Milliseconds per second that rendering uncached filtered pages may take.
 * Every distinct ?from=&to= is a new page: without a bound, a client asking
 * for many of them would hold the renderer and slow every other visitor.
 */
export const FILTERED_RENDER_MS_PER_S = 400;
/** Requests for uncached filtered pages that may wait for the budget; more are refused with 503. */
export const FILTERED_MAX_WAITING = 32;
/** A page first compressed fast is compressed again at the best level on this request: it has shown it is read. */
export const HOT_HITS = 3;
/** Pre-warming stops when the cache is this full: the rest is left to the visitors' own requests. */
export const PREWARM_SHARE = 0.5;

export interface FilteredLimits { pages: number; bytes: number; renderMsPerSecond?: number; maxWaiting?: number }

export interface CachedPage { page: Prepared; locale: string; effort: Effort; hits: number }
export type Filtered = { status: 200 | 400; page: Prepared };

/** One content version being served: its renderer, its index, its caches. Swapped as a whole. */
export interface Live {
  renderer: Renderer;
  state: SiteState;
  pages: ByteLru<string, CachedPage>;
  filtered: ByteLru<string, Filtered>;
  /** Renders under way, by cache key: a second request for the same page waits for the first render. */
  rendering: Map<string, Promise<Prepared>>;
  /** Pages whose render failed (logged once each). */
  failed: Set<string>;
  /** Background work (recompression, pre-warming): one job at a time, so that it never crowds out requests. */
  background: Promise<unknown>;
}

export const errorKey = (locale: string, kind: ErrorKind) => `!${locale}/${kind}`;
/** A render that needed the database while it cannot be read (a PostgreSQL restart): the page can be rendered in a moment; not logged as the page's failure. */
export const unavailable = (e: unknown) => isAppError(e, 'database_unavailable');

/** A render that failed because its version cannot render any more (an import replaced it, its worker died): the next version can. */
export const replaced = (e: unknown) => isAppError(e, 'content_changed') || isAppError(e, 'render_worker_stopped');
export const message = (e: unknown) => (e instanceof Error ? e.stack ?? e.message : String(e));

/** A new version's Live. The same version again (its worker had died): its pages are still right, and kept from `previous`. */
export function openLive(renderer: Renderer, previous: Live | undefined, pageCacheBytes: number, limits: FilteredLimits): Live {
  const same = previous && previous.state.version === renderer.state.version;
  return {
    renderer, state: renderer.state,
    pages: same ? previous.pages : new ByteLru(pageCacheBytes, (p: CachedPage) => sizeOf(p.page)),
    filtered: same ? previous.filtered : new ByteLru(limits.bytes, (f: Filtered) => sizeOf(f.page), limits.pages),
    rendering: new Map(), failed: new Set(), background: Promise.resolve(),
  };
}

/** One render per cache key at a time; `keep` stores the result in the caches of the version it belongs to. */
export function renderOnce(live: Live, key: string, job: RenderJob, keep: (p: Prepared) => void): Promise<Prepared> {
  let p = live.rendering.get(key);
  if (!p) {
    p = live.renderer.render(job).then((page) => {
      keep(page);
      return page;
    }).finally(() => live.rendering.delete(key));
    live.rendering.set(key, p);
  }
  return p;
}

/** A public page rendered into the version's cache of pages. */
export function renderPageInto(live: Live, path: string, effort: Effort): Promise<Prepared> {
  const locale = live.state.pages.get(path)?.locale ?? live.state.defaultLocale;
  return renderOnce(live, path, { kind: 'page', path, effort }, (page) => {
    live.pages.set(path, { page, locale, effort, hits: 1 });
  });
}
