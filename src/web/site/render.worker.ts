import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { Db } from '../../db/connection.ts';
import { connect } from '../../db/database.ts';
import type { DatabaseTarget } from '../../db/target.ts';
import { isAppError, type ErrorCode } from '../../shared/errors.ts';
import { collectGarbage } from '../../shared/memory.ts';
import { transferables, type Prepared } from '../http/prepared.ts';
import { loadSite, renderJob, type Loaded, type RenderJob } from './generation.ts';
import { packState, type PostedState } from './site.state.ts';
import type { Assets } from './site.context.ts';

// The render worker (renderer.ts starts it, once). For each content version
// it opens the database read-only, loads the content but its block texts,
// builds its index and routes and posts the SiteState back; then it renders
// and compresses that version's pages as asked, reading the block texts a page
// needs from the database (content.texts.ts), until told to drop it. Its
// event loop is its own: none of this holds the server's.

/** What a version is loaded from and rendered with (given per load: the thread may start before they are known). */
export interface LoadInput {
  database: DatabaseTarget;
  publicUrl: string;
  assets: Assets;
  /** The drafts' content, for previews (docs/decisions/0023), rather than the published one. */
  draft?: boolean;
}

export type ToWorker =
  | ({ type: 'load'; gen: number } & LoadInput)
  | { type: 'render'; gen: number; id: number; job: RenderJob }
  | { type: 'drop'; gen: number };
export type FromWorker =
  | { type: 'ready'; gen: number; state: PostedState }
  | { type: 'empty'; gen: number }
  | { type: 'failed'; gen: number; error: string }
  | { type: 'rendered'; id: number; page?: Prepared; error?: string; code?: ErrorCode };

const port = parentPort;
if (!port) throw new Error('render.worker.ts runs as a worker thread only');

/**
 * Serving comes first: this thread, and the process's background threads
 * (V8's, which mark and sweep for both threads' collections, and libuv's
 * pool, which compresses), run at a lower priority (nice 10) than the server
 * thread. On a machine of two cores a re-render kept them busy (a brotli 10 of
 * 100 ms, a collection's helpers), and a /healthz asked meanwhile waited
 * 80–180 ms of which the server thread ran 1–5. Linux sets a thread's own
 * priority by its thread id (/proc); elsewhere nothing changes. Lowered once
 * the first version is loaded (until then the server has nothing to serve,
 * and a start should not queue behind the machine's other programs), and
 * looked for again after each load (libuv starts its pool on first use).
 */
const BACKGROUND_NICE = 10;
const BACKGROUND_THREADS = new Set(['V8Worker', 'libuv-worker']);
const lowered = new Set<number>();
function yieldToServer(): void {
  try {
    const self = Number(readlinkSync('/proc/thread-self').split('/').pop());
    for (const t of readdirSync('/proc/self/task')) {
      const tid = Number(t);
      if (lowered.has(tid)) continue;
      if (tid === self || BACKGROUND_THREADS.has(readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim())) {
        setPriority(tid, BACKGROUND_NICE);
        lowered.add(tid);
      }
    }
  } catch {
    // No /proc, or not allowed: the same priority as the server's thread.
  }
}

const message = (e: unknown) => (e instanceof Error ? e.stack ?? e.message : String(e));
const versions = new Map<number, { loaded: Loaded; db: Db }>();

/**
 * Once idle this long after work (loads, renders), the worker collects its
 * garbage if its heap grew by more than IDLE_GC_GROWTH since the last
 * collection. Renders leave garbage (a page of 10 MB of HTML some 70 MB) that
 * V8 lets pile up to several times the live heap before collecting it, and an
 * idle worker does not collect at all: its heap stayed at 200+ MB for a live
 * 70. Collecting stops this thread only, when nothing waits for it.
 */
const IDLE_GC_MS = 300;
const IDLE_GC_GROWTH = 32 * 1024 * 1024;
let busy = 0;
let idleTimer: NodeJS.Timeout | undefined;
let usedAfterGc = getHeapStatistics().used_heap_size;
const collect = () => {
  collectGarbage();
  usedAfterGc = getHeapStatistics().used_heap_size;
};
function working<T>(p: Promise<T>): Promise<T> {
  busy += 1;
  clearTimeout(idleTimer);
  return p.finally(() => {
    busy -= 1;
    if (busy > 0) return;
    idleTimer = setTimeout(() => {
      if (busy === 0 && getHeapStatistics().used_heap_size - usedAfterGc > IDLE_GC_GROWTH) collect();
    }, IDLE_GC_MS);
    idleTimer.unref();
  });
}
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function load(gen: number, { database, publicUrl, assets, draft = false }: LoadInput): Promise<void> {
  let db: Db | undefined;
  try {
    db = await connect(database, { readOnly: 'the render worker only reads', poolSize: 2, applicationName: 'parcours render worker' });
    // The block texts stay in the database until a page needs them: the connection lives as long as the version.
    // A draft's come with its revisions.
    const loaded = await loadSite(db, publicUrl, assets, { lazyTexts: !draft, yieldBetweenQueries: true, draft });
    if (!loaded) {
      await db.destroy();
      return post({ type: 'empty', gen });
    }
    versions.set(gen, { loaded, db });
    yieldToServer();
    // Packed (see site.state.ts), its buffers moved to the server thread; renders here need only the routes and the content.
    const { posted, transfer } = packState(loaded.state);
    post({ type: 'ready', gen, state: posted }, transfer);
  } catch (e) {
    await db?.destroy().catch(() => undefined);
    post({ type: 'failed', gen, error: message(e) });
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'load') {
    void working(load(m.gen, m));
  } else if (m.type === 'render') {
    const version = versions.get(m.gen);
    if (!version) return post({ type: 'rendered', id: m.id, error: `content version ${m.gen} was dropped` });
    working(renderJob(version.loaded, m.job)).then(
      (page) => post({ type: 'rendered', id: m.id, page }, [...transferables(page)]),
      (e: unknown) => post({ type: 'rendered', id: m.id, error: message(e), ...(isAppError(e) ? { code: e.code } : {}) }),
    );
  } else {
    const version = versions.get(m.gen);
    versions.delete(m.gen);
    void version?.db.destroy();
    // The dropped version is garbage: collected now, on this thread, while the server is idle, not at the next render.
    collect();
  }
});
