import { Worker } from 'node:worker_threads';
import type { Content } from '../content/content.schema.ts';
import type { Problem } from '../bundle/bundle.problems.ts';
import { AppError } from '../../shared/errors.ts';
import type { CheckAnswer, CheckRequest } from './check.worker.ts';

// Publishing checks the content with the bundle's own rules, on a thread of
// its own (check.worker.ts). One thread, started on the first publish and
// ended after a minute without one: a museum publishes a few times a day.

const WORKER_URL = new URL('./check.worker.ts', import.meta.url);
const IDLE_MS = 60_000;

let worker: Worker | undefined;
let idle: NodeJS.Timeout | undefined;
let next = 1;
const waiting = new Map<number, { resolve: (p: Problem[]) => void; reject: (e: Error) => void }>();

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_URL);
  const fail = (why: string) => {
    if (worker === w) worker = undefined;
    for (const x of waiting.values()) x.reject(new AppError('internal', `The publish check stopped (${why}); nothing was published.`));
    waiting.clear();
  };
  w.on('message', (m: CheckAnswer) => {
    const x = waiting.get(m.id);
    waiting.delete(m.id);
    if ('error' in m) x?.reject(new AppError('internal', `The publish check failed (${m.error}); nothing was published.`));
    else x?.resolve(m.problems);
    if (!waiting.size) {
      w.unref();
      idle = setTimeout(() => { void stopCheckThread(); }, IDLE_MS);
      idle.unref();
    }
  });
  w.on('error', (e) => fail(e.message));
  w.on('exit', (code) => fail(`exit code ${code}`));
  w.unref();
  worker = w;
  return w;
}

/** Every problem an import of this content would report (none: it may be published). */
export function checkPublishable(content: Content): Promise<Problem[]> {
  clearTimeout(idle);
  const id = next++;
  const w = thread();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, content } satisfies CheckRequest);
  });
}

/** Ends the check thread (the idle timer, a server's stop). */
export async function stopCheckThread(): Promise<void> {
  const w = worker;
  worker = undefined;
  await w?.terminate();
}
