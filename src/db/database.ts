import { PostgresAdapter, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { databaseProblem, openDatabase, type Db } from './connection.ts';
import { openPostgres, postgresProblem, probePostgres } from './postgres.ts';
import type { DatabaseTarget } from './target.ts';

// One way in to either engine, and the few operations whose SQL differs
// between them. Nothing outside src/db/ asks which engine it runs on.

export type Engine = 'sqlite' | 'postgres';

/** Which engine a database or a transaction of it runs on. */
export function engineOf(db: Kysely<Database> | Transaction<Database>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** The PostgreSQL server each Db was opened on: what a LISTEN connection of its own needs (changes.ts). */
const servers = new WeakMap<Db, Extract<DatabaseTarget, { engine: 'postgres' }>>();
export const serverOf = (db: Db): Extract<DatabaseTarget, { engine: 'postgres' }> | undefined => servers.get(db);

export interface ConnectOptions {
  /** SQLite: open the file for reading only (a render worker); the reason is what a refused write says. */
  readOnly?: string;
  /** PostgreSQL: connections this process may open (default: the target's pool size). */
  poolSize?: number;
  /** PostgreSQL: what pg_stat_activity shows for these connections. */
  applicationName?: string;
  log?: (line: string) => void;
}

/**
 * Opens the database DATABASE_URL names. PostgreSQL is asked one query at
 * once, so that a wrong host, user, password or database stops a start with
 * one clear line instead of failing the first page.
 */
export async function connect(target: DatabaseTarget, options: ConnectOptions = {}): Promise<Db> {
  if (target.engine === 'sqlite') {
    return openDatabase(target.path, options.readOnly ? { readOnly: true, why: options.readOnly } : undefined);
  }
  const { db, pool } = openPostgres(target.url, {
    poolSize: options.poolSize ?? target.poolSize,
    ...(options.applicationName ? { applicationName: options.applicationName } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    await probePostgres(pool, target.label);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  servers.set(db, target);
  return db;
}

/**
 * A text column ordered byte by byte, as SQLite orders it. PostgreSQL orders
 * text by the database's collation (fr-FR puts "a_b" before "a-b" and "B"
 * beside "b"), which would make the same content load, hence render and
 * export, in another order on another server.
 */
export function bytewise(db: Kysely<Database> | Transaction<Database>, column: string): RawBuilder<unknown> {
  return engineOf(db) === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql`${sql.ref(column)}`;
}

/** A failure of either engine's as one line that says its cause, or undefined for a bug or an invalid query. */
export function storageProblem(e: unknown): string | undefined {
  return databaseProblem(e) ?? postgresProblem(e);
}

/**
 * Reads in one consistent snapshot: every query sees the database as it was at
 * the first one, whatever commits meanwhile. SQLite's transactions give that
 * by themselves; PostgreSQL's default (READ COMMITTED) sees each commit as it
 * lands, so the transaction is REPEATABLE READ there, and read-only.
 */
export function readSnapshot<T>(db: Db, read: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const t = db.transaction();
  return (engineOf(db) === 'postgres' ? t.setIsolationLevel('repeatable read').setAccessMode('read only') : t).execute(read);
}

/** Any number: the key of the advisory lock that makes content writes take turns on PostgreSQL ("parcours" in ASCII). */
const CONTENT_WRITE_LOCK = 0x7061_7263_6f75;

/**
 * Writes in one transaction, one writer at a time. SQLite allows one writer
 * by itself; on PostgreSQL two imports from two servers would otherwise both
 * read content version N and both write N + 1, or interleave their deletes
 * and inserts: a transaction-scoped advisory lock makes the second wait for
 * the first to commit, then see what it wrote.
 */
export function exclusiveWrite<T>(db: Db, write: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (engineOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${CONTENT_WRITE_LOCK})`.execute(trx);
    return write(trx);
  });
}
