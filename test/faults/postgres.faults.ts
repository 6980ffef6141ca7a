import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect } from '../../src/db/database.ts';
import { databaseTargetFrom } from '../../src/db/target.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { contentVersion, importBundle } from '../../src/modules/bundle/bundle.service.ts';
import { loadContent } from '../../src/modules/content/content.loader.ts';
import { isAppError } from '../../src/shared/errors.ts';
import { DEMO, FIXTURE, copyBundle, testStore } from '../harness.ts';
import { NODE, parcours, watch } from './processes.ts';

// PostgreSQL faults on a server of this test's own (initdb in a temporary
// folder, run as the postgres user), so that it can be stopped and started
// again without touching the server the other tests use: a restart while a
// site serves, and an import whose connection is cut in the middle of its
// transaction. Needs root and Debian's postgresql; says loudly when either
// is missing (CI has both).

const BIN = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => existsSync(`${d}/initdb`)) : undefined;
const isRoot = process.getuid?.() === 0;
const skip = !BIN ? 'SKIPPED LOUDLY: PostgreSQL is not installed (apt-get install postgresql), so its faults cannot be tried here'
  : !isRoot ? 'SKIPPED LOUDLY: not root, so no PostgreSQL server of its own can be started as the postgres user here (CI runs as root)'
    : false;
if (skip) console.log(skip);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NO_STACK = /\n\s+at .*(\.ts|node:internal)/;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A PostgreSQL server in `dir`, on `port`, that the test stops and starts. */
class PrivateServer {
  readonly data: string;
  constructor(readonly dir: string, readonly port: number) { this.data = join(dir, 'data'); }
  private ctl(...args: string[]) {
    execFileSync('runuser', ['-u', 'postgres', '--', `${BIN}/pg_ctl`, '-D', this.data, ...args], { stdio: 'pipe', timeout: 60_000 });
  }
  init() {
    chownSync(this.dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
    execFileSync('runuser', ['-u', 'postgres', '--', `${BIN}/initdb`, '-D', this.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], { stdio: 'pipe', timeout: 60_000 });
  }
  start() { this.ctl('-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(this.dir, 'log'), '-w', 'start'); }
  stop() { this.ctl('-m', 'fast', '-w', 'stop'); }
  url(db = 'parcours') { return `postgres://postgres@127.0.0.1:${this.port}/${db}`; }
}

async function statusOf(url: string): Promise<{ status: number; body: string }> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: await r.text() };
  } catch (e) {
    return { status: 0, body: e instanceof Error ? e.message : String(e) };
  }
}

/** Until `f` is true, at most `ms`. */
async function until(what: string, f: () => Promise<boolean> | boolean, ms: number, detail: () => string = () => ''): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s. ${detail()}`);
    await sleep(200);
  }
}

describe('PostgreSQL faults (a server of the test\'s own)', { skip, concurrency: false }, () => {
  let pgs: PrivateServer;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'parcours-pg-'));
    pgs = new PrivateServer(root, await freePort());
    pgs.init();
    pgs.start();
    const admin = new pg.Client({ connectionString: pgs.url('postgres') });
    await admin.connect();
    await admin.query('create database parcours');
    await admin.query('create database cut');
    await admin.end();
  });

  after(() => {
    try { pgs.stop(); } catch { /* stopped already */ }
    rmSync(root, { recursive: true, force: true });
  });

  test('a restart of PostgreSQL while the site serves: the pages still answer, an import meanwhile fails in one line, and the next one is served', { timeout: 240_000 }, async () => {
    const media = join(root, 'media');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { ...process.env, WORKERS: '1', PORT: String(port), DATABASE_URL: pgs.url(), CONTENT_DIR: FIXTURE, MEDIA_DIR: media, PUBLIC_URL: 'https://visite.example.org' };
    const server = spawn(NODE, ['--import', 'tsx', 'src/main.ts'], { env });
    let out = '';
    const ended = watch(server, 230_000, (all) => { out = all; });
    const changed = copyBundle(FIXTURE);
    try {
      await until('serving', () => /Parcours is serving the visit at/.test(out), 120_000, () => out);
      await until('content', async () => (await statusOf(`${base}/healthz`)).status === 200, 60_000, () => out);
      // Every page the home pages link to, visited once: they are in the server's memory now.
      const paths = new Set<string>(['/de/', '/en/']);
      for (const home of ['/de/', '/en/']) {
        for (const m of (await statusOf(base + home)).body.matchAll(/href="(\/(?:de|en)\/[^"#?]*)"/g)) paths.add(m[1]!);
      }
      // An article is left unvisited (no server renders it before it is asked for): its texts are not in memory when the database goes.
      const cold = '/de/mehr-erfahren/feldforschung';
      paths.delete(cold);
      paths.delete('/en/learn-more/fieldwork');
      for (const p of paths) assert.equal((await statusOf(base + p)).status, 200, p);
      assert.ok(paths.size > 10, `pages to visit (${paths.size})`);

      pgs.stop();
      const down = Date.now();
      // Served from memory while the database is gone.
      for (let round = 0; round < 3; round++) {
        for (const p of paths) {
          const r = await statusOf(base + p);
          assert.equal(r.status, 200, `${p} while PostgreSQL is stopped`);
        }
        const h = await statusOf(`${base}/healthz`);
        assert.equal(h.status, 200, h.body);
        await sleep(500);
      }
      // A page not in memory needs the database: a clear 503, not an error page with a stack.
      const never = await fetch(base + cold, { signal: AbortSignal.timeout(10_000) });
      const neverBody = await never.text();
      assert.equal(never.status, 503, `a page never rendered, while PostgreSQL is stopped: ${never.status}`);
      assert.equal(never.headers.get('retry-after'), '30');
      assert.equal(never.headers.get('cache-control'), 'no-store');
      assert.match(neverBody, /<html lang="de"/);
      assert.match(neverBody, /Diese Seite ist kurz nicht verfügbar/);
      assert.doesNotMatch(neverBody, NO_STACK);

      const refused = await parcours(['import', changed], { ...process.env, DATABASE_URL: pgs.url(), MEDIA_DIR: media });
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      assert.match(refused.stderr, /PostgreSQL/);
      assert.doesNotMatch(refused.stderr, NO_STACK);
      assert.ok(refused.stderr.trim().split('\n').length <= 2, `one clear line:\n${refused.stderr}`);

      pgs.start();
      console.log(`PostgreSQL was stopped for ${((Date.now() - down) / 1000).toFixed(1)} s`);
      const file = join(changed, 'themes/01-fossils.de.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('title: Fossilien', 'title: Fossilien nach dem Neustart'));
      const imported = await parcours(['import', changed], { ...process.env, DATABASE_URL: pgs.url(), MEDIA_DIR: media });
      assert.equal(imported.code, 0, imported.stdout + imported.stderr);
      const t0 = Date.now();
      await until('the new content served', async () => /Fossilien nach dem Neustart/.test((await statusOf(`${base}/de/`)).body), 60_000, () => out);
      console.log(`the import after the restart was served ${Date.now() - t0} ms after it ended`);
      for (const p of [...paths, cold]) assert.equal((await statusOf(base + p)).status, 200, `${p} after the restart`);
      assert.match(out, /not listening for new content/);
      await until('listening again', () => /listening for new content again/.test(out), 40_000, () => out);
      assert.doesNotMatch(out, NO_STACK, 'no stack trace in the server\'s output');
    } finally {
      server.kill('SIGTERM');
      await ended.catch(() => undefined);
      rmSync(join(changed, '..'), { recursive: true, force: true });
    }
  });

  test('an import whose connection is cut in the middle of its transaction fails in one line and leaves the old content whole', { timeout: 180_000 }, async () => {
    const url = pgs.url('cut');
    const db = await connect(databaseTargetFrom(url, 2), { applicationName: 'parcours import under test' });
    const admin = new pg.Client({ connectionString: pgs.url('postgres') });
    await admin.connect();
    try {
      await migrateToLatest(db);
      await importBundle(db, FIXTURE, testStore());
      const before = JSON.stringify(await loadContent(db));
      // Cut the import's connection once it is writing rows inside its transaction.
      let cuts = 0;
      let watching = true;
      const cutter = (async () => {
        while (watching && cuts === 0) {
          const r = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity
            where datname = 'cut' and application_name = 'parcours import under test' and xact_start is not null and query ilike 'insert%'`);
          cuts += r.rowCount ?? 0;
          await sleep(2);
        }
      })();
      const failed = await importBundle(db, DEMO, testStore()).then(() => undefined, (e: unknown) => e);
      watching = false;
      await cutter;
      assert.ok(cuts > 0, 'the connection was cut during the import');
      assert.ok(isAppError(failed), `the import failed with a clear error: ${String(failed)}`);
      assert.doesNotMatch(failed.message, /\n/, 'one line');
      console.log(`the cut import said: ${failed.message}`);

      const fresh = await connect(databaseTargetFrom(url, 2));
      try {
        assert.equal(await contentVersion(fresh), '1', 'the version is the old one');
        assert.equal(JSON.stringify(await loadContent(fresh)), before, 'the old content, whole');
        // And the pool that lost a connection works on.
        await importBundle(db, FIXTURE, testStore());
        assert.equal(await contentVersion(fresh), '2');
      } finally {
        await fresh.destroy();
      }
    } finally {
      await admin.end();
      await db.destroy();
    }
  });
});

