import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/connection.ts';
import { transferables, type Prepared } from '../http/prepared.ts';
import { loadSite, renderJob, stateTransferables, type RenderJob, type SiteState } from './generation.ts';
import type { Assets } from './site.context.ts';

// The render worker (renderer.ts starts it): one content version. It opens
// the database read-only, loads the content and builds its index and routes,
// posts the SiteState back, then renders and compresses pages as asked.
// Its event loop is its own: none of this holds the server's.

export interface WorkerInput {
  databasePath: string;
  publicUrl: string;
  assets: Assets;
}

export type ToWorker = { id: number; job: RenderJob };
export type FromWorker =
  | { type: 'ready'; state: SiteState }
  | { type: 'empty' }
  | { type: 'failed'; error: string }
  | { type: 'rendered'; id: number; page?: Prepared; error?: string };

const port = parentPort;
if (!port) throw new Error('render.worker.ts runs as a worker thread only');
const input = workerData as WorkerInput;
const message = (e: unknown) => (e instanceof Error ? e.stack ?? e.message : String(e));

try {
  const db = openDatabase(input.databasePath, { readOnly: true, why: 'the render worker only reads' });
  const loaded = await loadSite(db, input.publicUrl, input.assets).finally(() => db.destroy());
  if (!loaded) {
    port.postMessage({ type: 'empty' } satisfies FromWorker);
  } else {
    port.on('message', ({ id, job }: ToWorker) => {
      renderJob(loaded, job).then(
        (page) => port.postMessage({ type: 'rendered', id, page } satisfies FromWorker, [...transferables(page)]),
        (e: unknown) => port.postMessage({ type: 'rendered', id, error: message(e) } satisfies FromWorker),
      );
    });
    port.postMessage({ type: 'ready', state: loaded.state } satisfies FromWorker, stateTransferables(loaded.state));
  }
} catch (e) {
  port.postMessage({ type: 'failed', error: message(e) } satisfies FromWorker);
}
