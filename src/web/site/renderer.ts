import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/connection.ts';
import type { Assets } from './site.context.ts';
import { revive, type Prepared } from '../http/prepared.ts';
import { loadSite, renderJob, type Loaded, type RenderJob, type SiteState } from './generation.ts';
import type { FromWorker, ToWorker, WorkerInput } from './render.worker.ts';

// A Renderer is one content version, loaded and ready to render its pages.
// SiteStore opens a new one when the content changes, serves the old one
// until the new one is ready, then swaps and closes the old one.
//
// - inline (an in-memory database, which only this thread can see: tests,
//   previews): loaded and rendered on this thread; compression runs on
//   libuv's thread pool (zlib's async API), so that it does not hold the loop.
// - worker (a database file): a worker thread of its own opens the file
//   read-only, loads the content, renders and compresses, and posts back the
//   bytes (their memory transferred, not copied). Closing the renderer ends
//   the thread: the whole old content goes with its heap.

export interface Renderer {
  readonly state: SiteState;
  render(job: RenderJob): Promise<Prepared>;
  /** Waits for the renders in flight (at most `graceMs`), then lets the content go. */
  close(graceMs?: number): Promise<void>;
  /** Set when the renderer can no longer render (its worker died): the store opens a new one. */
  readonly broken: boolean;
}

export type OpenRenderer = () => Promise<Renderer | undefined>;

export function inlineRenderers(db: Db, publicUrl: string, assets: Assets): OpenRenderer {
  return async () => {
    const loaded = await loadSite(db, publicUrl, assets);
    return loaded && new InlineRenderer(loaded);
  };
}

class InlineRenderer implements Renderer {
  private loaded: Loaded | undefined;
  readonly state: SiteState;
  readonly broken = false;
  private inFlight = new Set<Promise<unknown>>();
  constructor(loaded: Loaded) {
    this.loaded = loaded;
    this.state = loaded.state;
  }
  render(job: RenderJob): Promise<Prepared> {
    const loaded = this.loaded;
    if (!loaded) return Promise.reject(new Error('this content version is closed'));
    const p = renderJob(loaded, job);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }
  async close(graceMs = 10_000): Promise<void> {
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, graceMs).unref())]);
    this.loaded = undefined;
  }
}

/** The worker's module: .ts, run by the same loader (tsx) as this thread, which workers inherit through execArgv. */
const WORKER_URL = new URL('./render.worker.ts', import.meta.url);

export function workerRenderers(databasePath: string, publicUrl: string, assets: Assets, log: (line: string) => void = console.error): OpenRenderer {
  return () => WorkerRenderer.open({ databasePath, publicUrl, assets }, log);
}

class WorkerRenderer implements Renderer {
  private next = 1;
  private pending = new Map<number, { resolve: (p: Prepared) => void; reject: (e: Error) => void }>();
  broken = false;
  private closing = false;

  private constructor(private readonly worker: Worker, readonly state: SiteState, log: (line: string) => void) {
    // The worker alone does not keep the process alive (the HTTP server does); a forgotten store never hangs an exit.
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if (m.type !== 'rendered') return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.page) p.resolve(revive(m.page));
      else p.reject(new Error(m.error ?? 'render failed'));
    });
    const fail = (why: string) => {
      if (!this.closing && !this.broken) log(`The render worker stopped: ${why}`);
      this.broken = true;
      for (const p of this.pending.values()) p.reject(new Error(`the render worker stopped: ${why}`));
      this.pending.clear();
    };
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
  }

  /** Starts a worker on the database as it is now; resolves once it has loaded the content (undefined: there is none). */
  static open(input: WorkerInput, log: (line: string) => void): Promise<WorkerRenderer | undefined> {
    const worker = new Worker(WORKER_URL, { workerData: input });
    return new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the render worker exited (code ${code}) before the content was loaded`));
      const onError = (e: Error) => reject(e);
      worker.once('exit', onExit);
      worker.once('error', onError);
      worker.once('message', (m: FromWorker) => {
        worker.off('exit', onExit);
        worker.off('error', onError);
        if (m.type === 'ready') {
          const s = m.state;
          const state: SiteState = {
            ...s, sitemap: revive(s.sitemap), robots: revive(s.robots),
            data: new Map([...s.data].map(([k, p]) => [k, revive(p)])),
            media: { ...s.media, tracks: new Map([...s.media.tracks].map(([k, p]) => [k, revive(p)])), manifests: new Map([...s.media.manifests].map(([k, p]) => [k, revive(p)])) },
          };
          resolve(new WorkerRenderer(worker, state, log));
          return;
        }
        void worker.terminate();
        if (m.type === 'empty') resolve(undefined);
        else reject(new Error(m.type === 'failed' ? m.error : 'unexpected message from the render worker'));
      });
    });
  }

  render(job: RenderJob): Promise<Prepared> {
    if (this.broken || this.closing) return Promise.reject(new Error('this content version is closed'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, job } satisfies ToWorker);
    });
  }

  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + graceMs;
    while (this.pending.size && Date.now() < deadline && !this.broken) await new Promise((r) => setTimeout(r, 20));
    await this.worker.terminate();
  }
}
