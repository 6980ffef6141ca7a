import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadConfig } from '../src/config/config.ts';
import { connect, exclusiveWrite, readSnapshot } from '../src/db/database.ts';
import { databaseTargetFrom } from '../src/db/target.ts';
import { contentVersion, importBundle } from '../src/modules/bundle/bundle.service.ts';
import { readMeta, writeMeta } from '../src/modules/content/content.repository.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { isAppError } from '../src/shared/errors.ts';
import { FIXTURE, TEST_ENGINE, memoryDb, testStore } from './harness.ts';

// The data layer on both engines (issue 14). This file runs on SQLite, and
// again on PostgreSQL when TEST_DATABASE_URL names a server (scripts/test.ts).

describe('DATABASE_URL', () => {
  test('a postgres:// URL selects PostgreSQL; messages name host, port and database, never the password', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://museum:s3cr%40t@db.example.org:6543/parcours', DATABASE_POOL_SIZE: '7' });
    assert.deepEqual(c.database, { engine: 'postgres', url: 'postgres://museum:s3cr%40t@db.example.org:6543/parcours', label: 'db.example.org:6543/parcours', poolSize: 7 });
    assert.equal(databaseTargetFrom('postgresql://u@localhost/x').engine, 'postgres');
    assert.equal(c.mediaDir, './data/media');
    assert.equal(c.workers > 0, true);
  });

  test('a file path, file: URL or :memory: selects SQLite', () => {
    assert.deepEqual(databaseTargetFrom('./data/p.db'), { engine: 'sqlite', path: './data/p.db' });
    assert.deepEqual(databaseTargetFrom('file:///srv/p.db'), { engine: 'sqlite', path: '/srv/p.db' });
    assert.deepEqual(loadConfig({ DATABASE_URL: ':memory:' }).database, { engine: 'sqlite', path: ':memory:' });
    assert.equal(loadConfig({ DATABASE_URL: ':memory:' }).workers, 1);
  });

  test('a wrong pool size or scheme is refused at start with one line', () => {
    for (const bad of ['0', '-1', 'ten', '2.5', '5000']) {
      assert.throws(() => loadConfig({ DATABASE_POOL_SIZE: bad }), (e) => isAppError(e, 'config_invalid') && /DATABASE_POOL_SIZE/.test(e.message), bad);
    }
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@h/db' }), (e) => isAppError(e, 'config_invalid') && /unsupported scheme/.test(e.message) && !e.message.includes('hunter2'));
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://u:p@[bad/db' }), (e) => isAppError(e, 'config_invalid') && /not a valid PostgreSQL URL/.test(e.message));
  });

  test('an unreachable PostgreSQL server stops the start with one line: which host, what went wrong', async () => {
    // A port nobody listens on: taken, then freed.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    await assert.rejects(connect(databaseTargetFrom(`postgres://u:topsecret@127.0.0.1:${port}/museum`)), (e) => {
      assert.ok(isAppError(e, 'database_unavailable'), String(e));
      assert.equal(e.message, `Cannot reach the PostgreSQL database at 127.0.0.1:${port}/museum: nothing answers there (is PostgreSQL running, on that host and port?).`);
      return true;
    });
  });
  test('a wrong password or a missing database: `parcours start` says which in one line and exits 1', { skip: !process.env.TEST_DATABASE_URL && 'SKIPPED LOUDLY: TEST_DATABASE_URL is not set, so a real PostgreSQL server cannot refuse a login here (CI sets it)' }, async () => {
    const good = new URL(process.env.TEST_DATABASE_URL!);
    const wrongPassword = new URL(good);
    wrongPassword.password = 'not-the-password';
    const missing = new URL(good);
    missing.pathname = '/parcours_no_such_database';
    for (const [url, why] of [[wrongPassword, 'the password was refused'], [missing, 'the database does not exist (create it first: createdb)']] as const) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'start'], { env: { ...process.env, DATABASE_URL: url.toString(), PORT: '0', WORKERS: '1' }, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      const label = `${good.hostname}:${good.port || 5432}${url.pathname}`;
      assert.equal(r.stderr.trim(), `parcours: Cannot reach the PostgreSQL database at ${label}: ${why}.`);
      assert.ok(!(r.stdout + r.stderr).includes('not-the-password'), 'the password is never printed');
    }
  });
});

describe(`the data layer (${TEST_ENGINE})`, () => {
  test('coordinates, media sizes, counts and sums come back as the numbers written (no float4, no int4, no bigint strings)', async () => {
    const db = await memoryDb();
    try {
      await db.insertInto('place').values({ id: 'p', kind: 'town', position: 0, lat: 45.042_612_345_678, lon: -5.066_001_234_567, precision: null }).execute();
      const big = 2 ** 31 + 12_345;
      await db.insertInto('media_file').values({ path: 'media/x.mp4', hash: 'a'.repeat(64), mime: 'video/mp4', bytes: big, width: null, height: null, info: null, text: null }).execute();
      const p = await db.selectFrom('place').select(['lat', 'lon']).executeTakeFirstOrThrow();
      assert.deepEqual(p, { lat: 45.042_612_345_678, lon: -5.066_001_234_567 });
      const f = await db.selectFrom('media_file').select('bytes').executeTakeFirstOrThrow();
      assert.equal(f.bytes, big);
      assert.equal(typeof f.bytes, 'number');
      // count() and sum() are bigint on PostgreSQL (pg gives strings): numbers on both engines.
      const n = await db.selectFrom('media_file').select((e) => [e.fn.countAll<number>().as('n'), e.fn.sum<number>('bytes').as('total')]).executeTakeFirstOrThrow();
      assert.deepEqual(n, { n: 1, total: big });
    } finally {
      await db.destroy();
    }
  });

  test('a snapshot read does not see a commit made meanwhile', async () => {
    // Two connections: PostgreSQL's pool has several; SQLite's in-memory database has one, so a file with two.
    const dir = mkdtempSync(join(tmpdir(), 'parcours-snapshot-'));
    const db = TEST_ENGINE === 'postgres' ? await memoryDb() : openDatabase(join(dir, 'p.db'));
    if (TEST_ENGINE === 'sqlite') await migrateToLatest(db);
    const other = TEST_ENGINE === 'postgres' ? db : openDatabase(join(dir, 'p.db'));
    try {
      await writeMeta(db, 'k', 'before');
      const seen = await readSnapshot(db, async (trx) => {
        const first = await readMeta(trx, 'k');
        await writeMeta(other, 'k', 'after');
        return [first, await readMeta(trx, 'k')];
      });
      assert.deepEqual(seen, ['before', 'before']);
      assert.equal(await readMeta(db, 'k'), 'after');
    } finally {
      if (other !== db) await other.destroy();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('two imports at once take turns: versions 1 and 2, the content whole', async () => {
    const db = await memoryDb();
    try {
      await Promise.all([importBundle(db, FIXTURE, testStore()), importBundle(db, FIXTURE, testStore())]);
      assert.equal(await contentVersion(db), '2');
      const c = await loadContent(db);
      assert.ok(c);
      assert.equal(c.docs.filter((d) => d.kind === 'theme').length > 0, true);
      const ids = c.docs.map((d) => `${d.kind}/${d.id}`);
      assert.equal(new Set(ids).size, ids.length, 'no document twice');
    } finally {
      await db.destroy();
    }
  });

  test('writes that take turns: a counter incremented by 20 writers at once reaches 20', async () => {
    const db = await memoryDb();
    try {
      await writeMeta(db, 'n', '0');
      await Promise.all(Array.from({ length: 20 }, () => exclusiveWrite(db, async (trx) => {
        const n = Number(await readMeta(trx, 'n'));
        await new Promise((r) => setTimeout(r, 2));
        await writeMeta(trx, 'n', String(n + 1));
      })));
      assert.equal(await readMeta(db, 'n'), '20');
    } finally {
      await db.destroy();
    }
  });

  test('text is ordered byte by byte, whatever the server\'s collation (a database in fr-FR)', { skip: TEST_ENGINE !== 'postgres' && 'the collation of a PostgreSQL database (SQLite orders bytes already): runs in the PostgreSQL leg' }, async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const name = `parcours_icu_${process.pid}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`create database ${name} template template0 locale_provider icu icu_locale 'fr-FR' encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
    url.pathname = `/${name}`;
    const db = await connect(databaseTargetFrom(url.toString(), 2));
    try {
      await migrateToLatest(db);
      await db.insertInto('museum').values({ id: 'm', default_locale: 'fr', locales: '["fr"]', address: null, data_licence: null }).execute();
      const paths = ['media/b.png', 'media/B.png', 'media/a-b.png', 'media/a_b.png', 'media/é.png', 'media/e.png'];
      for (const path of paths) await db.insertInto('media_file').values({ path, hash: 'a'.repeat(64), mime: 'image/png', bytes: 1, width: null, height: null, info: null, text: null }).execute();
      const linguistic = (await db.selectFrom('media_file').select('path').orderBy('path').execute()).map((r) => r.path);
      assert.notDeepEqual(linguistic, [...paths].sort(), 'the database orders text by its collation (else this test proves nothing)');
      const c = await loadContent(db);
      assert.deepEqual(Object.keys(c?.files ?? {}), [...paths].sort());
    } finally {
      await db.destroy();
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    }
  });
});
