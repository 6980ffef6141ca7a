import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Config } from './config/config.ts';
import type { Db } from './db/connection.ts';
import { connect } from './db/database.ts';
import { inMemory } from './db/target.ts';
import { migrateToLatest } from './db/migrate.ts';
import { hasContent } from './modules/bundle/bundle.service.ts';
import { cleanMedia, importOnFirstStart } from './first-start.ts';
import { SiteStore } from './web/site/site.service.ts';
import { startRenderWorker, stopSpareRenderWorker } from './web/site/renderer.ts';
import { buildAssets, releaseBuilder } from './web/assets.ts';
import { createApp, MAX_URL_LENGTH } from './app.ts';
import { leanListener } from './web/http/lean.ts';
import { createHttpServer } from './web/http/limits.ts';
import { securityHeaderValues, startingListener } from './web/http/security.ts';
import { AppError } from './shared/errors.ts';
import { MediaStore } from './modules/media/media.store.ts';
import { startAuditPruning } from './modules/auth/audit.ts';

export interface Running {
  url: string;
  port: number;
  db: Db;
  close(): Promise<void>;
}

/**
 * A serving process of a cluster (src/cluster.ts): the primary has migrated,
 * swept the media store and imported a first start's content; this process
 * says when it listens and waits for the content before it loads it.
 */
export interface WorkerHooks {
  listening(port: number): void;
  contentReady: Promise<void>;
}

/**
 * open db → migrate → listen → import the demo if empty → load the site (in a render worker) at its real address → serve.
 * With `worker` hooks (a cluster's serving process) the primary has done the steps before listening and the import.
 */
export async function startServer(config: Config, log: (line: string) => void = console.log, worker?: WorkerHooks): Promise<Running> {
  // Its modules load while this thread migrates and builds the assets: the site is served ~1 s sooner.
  if (!inMemory(config.database)) startRenderWorker();
  let db: Db;
  try {
    db = await connect(config.database, { log });
  } catch (e) {
    await stopSpareRenderWorker();
    throw e;
  }
  const store = new MediaStore(config.mediaDir);
  let listening: Server | undefined;
  try {
    if (!worker) await migrateToLatest(db);
    // Listen first: with PORT=0 the real port, hence the public URL used in
    // canonical links, sitemap and robots.txt, is only known once bound.
    // Until the site is rendered, requests get a short 503.
    // /healthz says "starting" from the first moment, in the same form the app gives it later.
    let handle: RequestListener = (req, res) => {
      if (req.url !== '/healthz') return startingListener(req, res);
      res.writeHead(503, { ...securityHeaderValues([]), 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ status: 'starting', phase: 'starting', contentVersion: null }));
    };
    const server = createHttpServer((req, res) => handle(req, res), config.http, log);
    listening = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') reject(new AppError('port_in_use', `Port ${config.port} is already in use on ${config.host}; stop the other program or set PORT to a free port.`));
        else if (e.code === 'EACCES') reject(new AppError('port_in_use', `Not allowed to listen on port ${config.port}; choose a port above 1024 with PORT.`));
        else reject(e);
      });
      server.listen(config.port, config.host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    if (worker) {
      worker.listening(port);
      await worker.contentReady;
    } else {
      await cleanMedia(config, db, store, log);
    }
    // Imported after listening: a port already in use is reported at once,
    // not after the demo's media have been processed.
    if (!worker && !(await hasContent(db))) {
      log(`Empty database: importing the content bundle from ${config.contentDir} …`);
      await importOnFirstStart(config, db, store, log);
    }
    const assets = await buildAssets();
    await releaseBuilder();
    const url = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${port}`) : config.publicUrl;
    // A database file is read by a render worker of its own: loading, rendering and compressing never hold this thread.
    const site = new SiteStore(db, url, assets, undefined, { database: config.database, pageCacheBytes: config.pageCacheBytes, log });
    const secureCookies = url.startsWith('https:');
    const app = createApp({ site, assets, store, logRequests: config.logRequests, secureCookies, admin: { db, publicUrl: url } });
    // The audit log keeps a year: pruned now and once a day (decision 0021, addendum).
    const stopPruning = startAuditPruning({ db, log });
    // The app answers from now on: /healthz says "starting" while the content loads; pages wait for it.
    // Cached pages take the lean path in front of it (src/web/http/lean.ts).
    handle = leanListener(site, { maxUrlLength: MAX_URL_LENGTH, logRequests: config.logRequests, secureCookies }, getRequestListener(app.fetch));
    await site.refresh();
    site.watch(config.contentPollMs);
    return {
      url, port, db,
      close: async () => {
        await site.stop();
        await stopPruning();
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        await db.destroy();
      },
    };
  } catch (e) {
    const srv = listening;
    if (srv?.listening) await new Promise<void>((r) => srv.close(() => r()));
    await db.destroy().catch(() => undefined);
    await stopSpareRenderWorker();
    throw e;
  }
}
