import pg from 'pg';
import { connect } from '../src/db/database.ts';
import { databaseTargetFrom, type DatabaseTarget } from '../src/db/target.ts';
import type { Db } from '../src/db/connection.ts';

// Databases for the PostgreSQL leg of the tests: each test's database is a
// schema of its own in the server TEST_DATABASE_URL names (creating one takes
// a few ms; a database from a template, 100 ms or more), reached through a
// pool whose search_path is that schema, and dropped with it by destroy().

let serial = 0;

/**
 * Schema creations, migrations and drops of this process, one at a time.
 * Kysely's Migrator lists the tables of every schema (has_schema_privilege
 * on each): a schema dropped meanwhile by a test that ended (its close() not
 * awaited) failed it with "schema … does not exist".
 */
let queue: Promise<unknown> = Promise.resolve();
export function inTurn<T>(op: () => Promise<T>): Promise<T> {
  const run = queue.then(op, op);
  queue = run.catch(() => undefined);
  return run;
}
/** The URL each test database was opened with (its schema on the search path). */
const urls = new WeakMap<Db, string>();

/** TEST_DATABASE_URL, or a clear failure: the PostgreSQL leg was asked for without a server to run on. */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new Error('PARCOURS_TEST_ENGINE=postgres needs TEST_DATABASE_URL=postgres://user:password@host:5432/database (a database the user may create schemas in)');
  return url;
}

/** The URL of `url`'s database with `schema` first on the search path of every connection. */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A fresh schema, and a Db on it whose destroy() also drops it. */
export async function postgresTestDb(): Promise<Db> {
  const url = testDatabaseUrl();
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${serial++}`;
  await inTurn(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema ${schema}`);
    } finally {
      await admin.end();
    }
  });
  const db = await connect(databaseTargetFrom(withSchema(url, schema), 4), { applicationName: 'parcours test' });
  urls.set(db, withSchema(url, schema));
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await destroy();
    await inTurn(async () => {
      const drop = new pg.Client({ connectionString: url });
      await drop.connect();
      try {
        await drop.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await drop.end();
      }
    });
  };
  return db;
}

/**
 * The same schema through connections that may only read (every transaction
 * READ ONLY, as on a standby): a write fails as it would on a read-only
 * server. Its destroy() also destroys `db`, and drops the schema.
 */
export async function readOnlyTwin(db: Db): Promise<Db> {
  const url = urls.get(db);
  if (!url) throw new Error('readOnlyTwin: not a test database of postgresTestDb');
  const u = new URL(url);
  u.searchParams.set('options', `${u.searchParams.get('options') ?? ''} -c default_transaction_read_only=on`);
  const twin = await connect(databaseTargetFrom(u.toString(), 2), { applicationName: 'parcours test (read-only)' });
  const destroy = twin.destroy.bind(twin);
  twin.destroy = async () => {
    await destroy();
    await db.destroy();
  };
  return twin;
}

/** What DATABASE_URL would be for a test database: a render worker opens it so. */
export function testTargetOf(db: Db): DatabaseTarget {
  const url = urls.get(db);
  if (!url) throw new Error('testTargetOf: not a test database of postgresTestDb');
  return databaseTargetFrom(url, 2);
}
