import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';
import { AppError } from '../shared/errors.ts';

// PostgreSQL through Kysely's PostgresDialect and node-postgres' pool. What
// differs from SQLite is settled here, for every query of the app:
// - int8 (bigint: counts, media sizes) and numeric (what sum() of a bigint
//   gives) come back from pg as strings; parsed as numbers, as SQLite gives
//   them (every value the app stores or adds up is far below 2^53);
// - a connection that breaks (the server restarts), idle or in use, is never
//   an uncaught exception that ends the process: an idle one is logged, a
//   query in flight fails with it; the pool opens a new connection for the
//   next query.

const AS_NUMBER = new Set([20 /* int8 */, 1700 /* numeric */]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    AS_NUMBER.has(oid) && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  poolSize: number;
  /** What the server's pg_stat_activity shows for these connections. */
  applicationName?: string;
  log?: (line: string) => void;
}

/** Why a PostgreSQL operation failed, by SQLSTATE or socket error: one line for people, or undefined for a bug or an invalid query. */
const PG_REASONS: Record<string, string> = {
  ECONNREFUSED: 'nothing answers there (is PostgreSQL running, on that host and port?)',
  ENOTFOUND: 'the host name is not known',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'the server did not answer in time',
  ECONNRESET: 'the connection to the server was cut',
  EHOSTUNREACH: 'the host cannot be reached',
  '28P01': 'the password was refused',
  '28000': 'the server refused this user',
  '3D000': 'the database does not exist (create it first: createdb)',
  '42501': 'the user may not do this (check its privileges on the database)',
  '53100': 'the disk holding the database is full',
  '53200': 'the database server is out of memory',
  '53300': 'the server has too many connections',
  '57P01': 'the database server is shutting down or restarting',
  '57P02': 'the database server is restarting',
  '57P03': 'the database server is starting up',
  '08000': 'the connection to the server failed',
  '08001': 'the connection to the server could not be made',
  '08003': 'the connection to the server is closed',
  '08006': 'the connection to the server failed',
  '40001': 'another write got there first (a serialization failure)',
  '25006': 'the database is read-only (its transactions are read-only: default_transaction_read_only, or a standby server)',
};

export function postgresProblem(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && PG_REASONS[code]) return PG_REASONS[code];
  const message = e instanceof Error ? e.message : '';
  if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) return 'the connection to the server was cut';
  return undefined;
}

/** A pool of connections as a Db; nothing is connected before the first query (see probePostgres). */
export function openPostgres(url: string, options: PostgresOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    application_name: options.applicationName ?? 'parcours',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  const log = options.log ?? console.error;
  pool.on('error', (e) => log(`PostgreSQL: a connection of the pool failed (${postgresProblem(e) ?? e.message}); the next query opens a new one.`));
  // A connection that breaks while checked out (in a query or a transaction:
  // the server restarts, an administrator cuts it) also emits 'error', and the
  // pool listens only to idle ones: without this, an uncaught exception that
  // ends the process. The query in flight fails with the same error, which its
  // caller reports; the pool drops the broken connection when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/** One query that proves the server answers and lets this user in, or one clear line saying which host and what went wrong. */
export async function probePostgres(pool: pg.Pool, label: string): Promise<void> {
  try {
    await pool.query('select 1');
  } catch (e) {
    const why = postgresProblem(e) ?? (e instanceof Error ? e.message : String(e));
    throw new AppError('database_unavailable', `Cannot reach the PostgreSQL database at ${label}: ${why}.`);
  }
}
