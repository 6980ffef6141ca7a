import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/connection.ts';
import type { DatabaseTarget } from '../../db/target.ts';
import type { Assets } from './site.context.ts';
import { revive, type Prepared } from '../http/prepared.ts';
import type { Loaded, RenderJob } from './generation.ts';
import { unpackState, type SiteState } from './site.state.ts';
import type { FromWorker, LoadInput, ToWorker } from './render.worker.ts';
import { AppError } from '../../shared/errors.ts';

// A Renderer is one content version, loaded and ready to render its pages.
// SiteStore opens a new one when the content changes, serves the old one
// until the new one is ready, then swaps and closes the old one.
//
// - inline (an in-memory database, which only this thread can see: tests,
//   previews): loaded and rendered on this thread; compression runs on
//   libuv's thread pool (zlib's async API), so that it does not hold the loop.
// - worker (a database file): one worker thread, kept for the life of the
//   server, opens the file read-only for each version, loads the content,
//   renders and compresses, and posts back the bytes (their memory
//   transferred, not copied). A new thread per version was tried first: each
//   costs some 150 MB (its own isolate, tsx, every module compiled again)
//   which the process did not give back when the thread ended, and starts
//   with cold code (the first page after a swap took 200 ms instead of 10).

export interface Renderer {
  readonly state: SiteState;
  render(job: RenderJob): Promise<Prepared>;
  /** Waits for the renders in flight (at most `graceMs`), then lets the content go. */
  close(graceMs?: number): Promise<void>;
  /** Set when the renderer can no longer render (its worker died): the store opens a new one. */
  readonly broken: boolean;
  /**
   * True when the content lived on this thread (inline): once closed, a full
   * collection here gives its memory back. A worker collects its own; on this
   * thread a full collection would stop everything for ~100 ms to free only
   * a route index and cached pages, which V8 collects in its own time
   * (incrementally, prompted by the growth of the new pages' memory).
   */
  readonly onThisThread: boolean;
}

export interface Renderers {
  /** The database's content as it is now, ready to render; undefined when nothing was imported yet. */
  open(): Promise<Renderer | undefined>;
  /**
   * The drafts' content (every document's draft, or its published state), for previews (docs/decisions/0023):
   * its state's version is the draft version. By the same worker as the site's pages. Undefined without content.
   */
  openDraft?(): Promise<Renderer | undefined>;
  /** Ends what open() started (the worker thread). */
  shutdown(): Promise<void>;
}

export function inlineRenderers(db: Db, publicUrl: string, assets: Assets): Renderers {
  const open = async (draft: boolean) => {
    // Imported here, not above: with a worker, this thread never loads the views (~0.1 s of a start, 1.4 MB of heap).
    const { loadSite, renderJob } = await import('./generation.ts');
    const loaded = await loadSite(db, publicUrl, assets, { draft });
    return loaded && new InlineRenderer(loaded, renderJob);
  };
  return { open: () => open(false), openDraft: () => open(true), shutdown: async () => undefined };
}

class InlineRenderer implements Renderer {
  private loaded: Loaded | undefined;
  readonly state: SiteState;
  readonly broken = false;
  readonly onThisThread = true;
  private inFlight = new Set<Promise<unknown>>();
  constructor(loaded: Loaded, private readonly renderJob: (loaded: Loaded, job: RenderJob) => Promise<Prepared>) {
    this.loaded = loaded;
    this.state = loaded.state;
  }
  render(job: RenderJob): Promise<Prepared> {
    const loaded = this.loaded;
    if (!loaded) return Promise.reject(new Error('this content version is closed'));
    const p = this.renderJob(loaded, job);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }
  async close(graceMs = 10_000): Promise<void> {
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, graceMs).unref())]);
    this.loaded = undefined;
  }
}

/**
 * The worker's old generation, at most. Far above what it holds (some 60 MB
 * at 1,000 themes × 10 languages, code included), but a bound changes how V8
 * grows the heap: unbounded (about 4 GB here) it let garbage pile up to four
 * times the live heap before collecting; bounded at 1 GB, some 1.5 times
 * (300 theme pages rendered: heap peak 123 → 96 MB, RSS peak 300 → 232 MB).
 * A worker past it ends alone (ERR_WORKER_OUT_OF_MEMORY), not the server, and
 * the next request opens a new one.
 */
const WORKER_OLD_SPACE_MB = 1024;

/** The worker's module: .ts, run by the same loader (tsx) as this thread, which workers inherit through execArgv. */
const WORKER_URL = new URL('./render.worker.ts', import.meta.url);

/** A render worker started ahead of need (startRenderWorker), until a store's first open() takes it. */
let spare: RenderThread | undefined;

/**
 * Starts a render worker now, before the store that will use it exists: its
 * isolate and modules (some 2 s of a start on this machine) load while the
 * server thread migrates and builds its assets, instead of after. The first
 * workerRenderers() to open takes it; unused, it holds no exit.
 */
export function startRenderWorker(): void {
  if (!spare || spare.broken) spare = new RenderThread();
}

/** Ends a render worker started ahead that no store took (a start that failed): it must not outlive the start. */
export async function stopSpareRenderWorker(): Promise<void> {
  const t = spare;
  spare = undefined;
  await t?.terminate();
}

export function workerRenderers(database: DatabaseTarget, publicUrl: string, assets: Assets, log: (line: string) => void = console.error): Renderers {
  let thread: RenderThread | undefined;
  let generation = 0;
  // The published site and the drafts (previews) are versions of one thread: a second thread would cost its own ~150 MB.
  const open = async (draft: boolean) => {
    if (!thread || thread.broken) {
      thread = spare && !spare.broken ? spare : new RenderThread();
      spare = undefined;
      thread.log = log;
    }
    const t = thread;
    const gen = ++generation;
    const state = await t.load(gen, { database, publicUrl, assets, draft });
    return state && new WorkerRenderer(t, gen, state);
  };
  return {
    open: () => open(false),
    openDraft: () => open(true),
    shutdown: async () => {
      await thread?.terminate();
      thread = undefined;
    },
  };
}

type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void; gen: number };

/** The render worker thread, and the requests waiting for its answers. */
class RenderThread {
  private readonly worker: Worker;
  private next = 1;
  private renders = new Map<number, Waiter<Prepared>>();
  private loads = new Map<number, Waiter<SiteState | undefined>>();
  broken = false;
  private ending = false;

  /** Where "the render worker stopped" is said (the store's log, once a store uses this thread). */
  log: (line: string) => void = console.error;

  constructor() {
    this.worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB } });
    this.worker.on('message', (m: FromWorker) => this.answer(m));
    const fail = (why: string) => {
      if (!this.ending && !this.broken) this.log(`The render worker stopped: ${why}`);
      this.broken = true;
      const e = new AppError('render_worker_stopped', `the render worker stopped: ${why}`);
      for (const w of [...this.renders.values(), ...this.loads.values()]) w.reject(e);
      this.renders.clear();
      this.loads.clear();
    };
    this.worker.on('error', (e) => fail(e.message));
    this.worker.on('exit', (code) => fail(`exit code ${code}`));
    // The worker alone does not keep the process alive (the HTTP server does): a forgotten store, or a worker
    // started for a start that failed, never holds an exit. After the listeners: a 'message' listener refs it again.
    this.worker.unref();
  }

  private answer(m: FromWorker): void {
    if (m.type === 'rendered') {
      const w = this.renders.get(m.id);
      this.renders.delete(m.id);
      if (m.page) w?.resolve(revive(m.page));
      else w?.reject(m.code ? new AppError(m.code, m.error ?? 'render failed') : new Error(m.error ?? 'render failed'));
      return;
    }
    const w = this.loads.get(m.gen);
    this.loads.delete(m.gen);
    if (!w) return;
    if (m.type === 'empty') w.resolve(undefined);
    else if (m.type === 'failed') w.reject(new Error(m.error));
    else w.resolve(unpackState(m.state));
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  load(gen: number, input: LoadInput): Promise<SiteState | undefined> {
    if (this.broken) return Promise.reject(new AppError('render_worker_stopped', 'the render worker stopped'));
    return new Promise((resolve, reject) => {
      this.loads.set(gen, { resolve, reject, gen });
      this.post({ type: 'load', gen, ...input });
    });
  }

  render(gen: number, job: RenderJob): Promise<Prepared> {
    if (this.broken) return Promise.reject(new AppError('render_worker_stopped', 'the render worker stopped'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.renders.set(id, { resolve, reject, gen });
      this.post({ type: 'render', gen, id, job });
    });
  }

  /** Renders of one version still waited for. */
  inFlight(gen: number): number {
    let n = 0;
    for (const w of this.renders.values()) if (w.gen === gen) n++;
    return n;
  }

  drop(gen: number): void {
    if (!this.broken) this.post({ type: 'drop', gen });
  }

  async terminate(): Promise<void> {
    this.ending = true;
    await this.worker.terminate();
  }
}

class WorkerRenderer implements Renderer {
  private closing = false;
  readonly onThisThread = false;
  constructor(private readonly thread: RenderThread, private readonly gen: number, readonly state: SiteState) {}

  get broken(): boolean {
    return this.thread.broken;
  }

  render(job: RenderJob): Promise<Prepared> {
    if (this.closing) return Promise.reject(new Error('this content version is closed'));
    return this.thread.render(this.gen, job);
  }

  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + graceMs;
    while (this.thread.inFlight(this.gen) && Date.now() < deadline && !this.thread.broken) await new Promise((r) => setTimeout(r, 20));
    this.thread.drop(this.gen);
  }
}
