import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/config.ts';
import { connect } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { hasContent } from './modules/bundle/bundle.service.ts';
import { MediaStore } from './modules/media/media.store.ts';
import { cleanMedia, importOnFirstStart } from './first-start.ts';
// Only the type: the primary serves nothing and does not load the app (some 30 MB less); workers load it.
import type { Running } from './server.ts';
import { AppError, isAppError, type ErrorCode } from './shared/errors.ts';

// Several serving processes on one port (node:cluster; docs/decisions/0011).
// The primary does what must happen once — migrate, sweep the media store,
// import a first start's content — and serves nothing itself: it forks the
// workers, each a whole server (its own page cache and render worker), and
// starts another when one dies, later each time if they keep dying.
// A worker listens at once (503 "starting" while the primary imports) and
// loads the content when the primary says it is there.

type ToPrimary = { type: 'listening'; port: number } | { type: 'serving'; url: string } | { type: 'failed'; code?: ErrorCode; message: string; details?: readonly string[] };
type ToWorker = { type: 'content-ready' };

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** A worker that lived less than this was a crash loop: the next one waits longer. */
const STABLE_MS = 10_000;
const BACKOFF_MAX_MS = 30_000;
/** How long a worker may take to close its connections on SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/** The delay before replacing a worker: none after a worker that lived, doubling (1 s, 2 s … 30 s) while they die young. */
export function restartDelay(youngDeathsInARow: number): number {
  return youngDeathsInARow === 0 ? 0 : Math.min(BACKOFF_MAX_MS, 1000 * 2 ** (youngDeathsInARow - 1));
}

/** The worker's loader is this process's: tsx, and the flags npm start gave (semi-space size). */
function workerExecArgv(): string[] {
  const args = [...process.execArgv];
  if (!args.some((a, i) => a.includes('tsx') && (args[i - 1] === '--import' || a.startsWith('--import')))) args.push('--import', import.meta.resolve('tsx'));
  return args;
}

export async function startCluster(config: Config, log: (line: string) => void = console.log): Promise<Running> {
  const db = await connect(config.database, { log, poolSize: 2, applicationName: 'parcours primary' });
  const store = new MediaStore(config.mediaDir);
  const workers = new Set<Worker>();
  let stopping = false;
  let contentReady = false;
  let youngDeaths = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const started = new Map<Worker, number>();

  let failStart: (e: Error) => void = () => undefined;
  let onListening: (port: number) => void = () => undefined;
  const firstListening = new Promise<number>((resolve, reject) => {
    onListening = resolve;
    failStart = reject;
  });
  let serving = 0;
  let onAllServing: (url: string) => void = () => undefined;
  const allServing = new Promise<string>((resolve, reject) => {
    onAllServing = resolve;
    const previous = failStart;
    failStart = (e) => {
      previous(e);
      reject(e);
    };
  });
  // Both promises may be rejected before anyone awaits the second one.
  allServing.catch(() => undefined);
  let ready = false;

  const fork = () => {
    const w = cluster.fork();
    workers.add(w);
    started.set(w, Date.now());
    w.on('message', (m: ToPrimary) => {
      if (m.type === 'listening') {
        onListening(m.port);
        if (contentReady) w.send({ type: 'content-ready' } satisfies ToWorker);
      } else if (m.type === 'serving') {
        log(`Worker ${w.process.pid} is serving.`);
        if (!ready && ++serving === config.workers) {
          ready = true;
          onAllServing(m.url);
        }
      } else if (m.type === 'failed' && !ready) {
        failStart(m.code ? new AppError(m.code, m.message, m.details) : new Error(m.message));
      } else if (m.type === 'failed') {
        log(`Worker ${w.process.pid} failed: ${m.message}`);
      }
    });
    w.on('exit', (code, signal) => {
      workers.delete(w);
      const lived = Date.now() - (started.get(w) ?? 0);
      started.delete(w);
      if (stopping) return;
      if (!ready) {
        failStart(new AppError('internal', `A serving process stopped while starting (${signal ?? `exit code ${code}`}).`));
        return;
      }
      youngDeaths = lived < STABLE_MS ? youngDeaths + 1 : 0;
      const delay = restartDelay(youngDeaths);
      log(`Worker ${w.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another${delay ? ` in ${delay / 1000} s` : ''}.`);
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (!stopping) fork();
      }, delay);
    });
  };

  const stopWorkers = async () => {
    stopping = true;
    if (restartTimer) clearTimeout(restartTimer);
    await Promise.all([...workers].map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_GRACE_MS);
      w.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      w.process.kill('SIGTERM');
    })));
  };

  try {
    await migrateToLatest(db);
    await cleanMedia(config, db, store, log);
    cluster.setupPrimary({ exec: WORKER_ENTRY, execArgv: workerExecArgv(), silent: false });
    for (let i = 0; i < config.workers; i++) fork();
    // Imported once the port is bound: a port already in use is said at once, and visitors get "starting" meanwhile.
    const port = await firstListening;
    if (!(await hasContent(db))) {
      log(`Empty database: importing the content bundle from ${config.contentDir} …`);
      await importOnFirstStart(config, db, store, log);
    }
    contentReady = true;
    for (const w of workers) w.send({ type: 'content-ready' } satisfies ToWorker);
    const url = await allServing;
    log(`${config.workers} serving processes on port ${port}.`);
    return {
      url, port, db,
      close: async () => {
        await stopWorkers();
        await db.destroy();
      },
    };
  } catch (e) {
    await stopWorkers();
    await db.destroy().catch(() => undefined);
    throw e;
  }
}

/** A serving process: listens, waits for the primary's word that content is there, serves; stops on SIGTERM or when the primary is gone. */
export async function runWorker(config: Config): Promise<void> {
  const send = (m: ToPrimary) => process.send?.(m);
  let running: Running | undefined;
  let closing = false;
  const stop = (code: number) => {
    if (closing) return;
    closing = true;
    const done = () => process.exit(code);
    if (running) running.close().then(done, done);
    else done();
  };
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => undefined);
  process.once('disconnect', () => stop(0));
  const contentReady = new Promise<void>((resolve) => {
    process.on('message', (m: ToWorker) => {
      if (m.type === 'content-ready') resolve();
    });
  });
  try {
    const { startServer } = await import('./server.ts');
    running = await startServer(config, (line) => console.log(line), { listening: (port) => send({ type: 'listening', port }), contentReady });
    send({ type: 'serving', url: running.url });
  } catch (e) {
    send(isAppError(e) ? { type: 'failed', code: e.code, message: e.message, details: e.details } : { type: 'failed', message: e instanceof Error ? e.message : String(e) });
    stop(1);
  }
}

/** npm start: one process, or a primary and its workers (WORKERS). */
export async function serve(config: Config, log: (line: string) => void = console.log): Promise<Running> {
  if (config.workers > 1) return startCluster(config, log);
  const { startServer } = await import('./server.ts');
  return startServer(config, log);
}

/** Serves until SIGINT or SIGTERM, then closes everything (connections, workers, the database) and exits. */
export async function serveUntilStopped(config: Config): Promise<void> {
  const running = await serve(config);
  console.log(`Parcours is serving the visit at ${running.url}/`);
  const stop = () => {
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
