import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/connection.ts';
import { collectGarbage } from '../../shared/memory.ts';
import { transferables, type Prepared } from '../http/prepared.ts';
import { loadSite, renderJob, stateTransferables, type Loaded, type RenderJob, type SiteState } from './generation.ts';
import type { Assets } from './site.context.ts';

// The render worker (renderer.ts starts it, once). For each content version
// it opens the database read-only, loads the content, builds its index and
// routes and posts the SiteState back; then it renders and compresses that
// version's pages as asked, until told to drop it. Its event loop is its
// own: none of this holds the server's.

export interface WorkerInput {
  publicUrl: string;
  assets: Assets;
}

export type ToWorker =
  | { type: 'load'; gen: number; databasePath: string }
  | { type: 'render'; gen: number; id: number; job: RenderJob }
  | { type: 'drop'; gen: number };
export type FromWorker =
  | { type: 'ready'; gen: number; state: SiteState }
  | { type: 'empty'; gen: number }
  | { type: 'failed'; gen: number; error: string }
  | { type: 'rendered'; id: number; page?: Prepared; error?: string };

const port = parentPort;
if (!port) throw new Error('render.worker.ts runs as a worker thread only');
const input = workerData as WorkerInput;
const message = (e: unknown) => (e instanceof Error ? e.stack ?? e.message : String(e));
const versions = new Map<number, Loaded>();
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function load(gen: number, databasePath: string): Promise<void> {
  try {
    const db = openDatabase(databasePath, { readOnly: true, why: 'the render worker only reads' });
    const loaded = await loadSite(db, input.publicUrl, input.assets).finally(() => db.destroy());
    if (!loaded) return post({ type: 'empty', gen });
    versions.set(gen, loaded);
    // Its buffers move to the server thread; renders here need only the routes and the content.
    post({ type: 'ready', gen, state: loaded.state }, stateTransferables(loaded.state));
  } catch (e) {
    post({ type: 'failed', gen, error: message(e) });
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'load') {
    void load(m.gen, m.databasePath);
  } else if (m.type === 'render') {
    const loaded = versions.get(m.gen);
    if (!loaded) return post({ type: 'rendered', id: m.id, error: `content version ${m.gen} was dropped` });
    renderJob(loaded, m.job).then(
      (page) => post({ type: 'rendered', id: m.id, page }, [...transferables(page)]),
      (e: unknown) => post({ type: 'rendered', id: m.id, error: message(e) }),
    );
  } else {
    versions.delete(m.gen);
    // The dropped version is garbage: collected now, while the server is idle, not at the next render.
    collectGarbage();
  }
});
