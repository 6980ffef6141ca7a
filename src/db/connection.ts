import { mkdirSync, accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database } from './schema.ts';
import { AppError } from '../shared/errors.ts';

export type Db = Kysely<Database>;

// Kysely's SqliteDialect expects a better-sqlite3-like object; node:sqlite is
// close enough once each statement says whether it returns rows and takes its
// parameters spread.
function adaptStatement(stmt: StatementSync): SqliteStatement {
  const params = (p: ReadonlyArray<unknown>) => p as never[];
  return {
    reader: stmt.columns().length > 0,
    all: (p) => stmt.all(...params(p)).map((row) => ({ ...row })),
    run: (p) => {
      const r = stmt.run(...params(p));
      return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
    },
    iterate: (p) => stmt.iterate(...params(p)) as IterableIterator<unknown>,
  };
}

function adaptDatabase(db: DatabaseSync): SqliteDatabase {
  return { close: () => db.close(), prepare: (sql) => adaptStatement(db.prepare(sql)) };
}

/** Opens (creating if needed) the SQLite database at `path`; fails with one clear message. */
export function openDatabase(path: string): Db {
  let raw: DatabaseSync;
  try {
    if (path !== ':memory:') {
      const dir = dirname(resolve(path));
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    }
    raw = new DatabaseSync(path);
    raw.exec('PRAGMA foreign_keys = ON');
    if (path !== ':memory:') raw.exec('PRAGMA journal_mode = WAL');
    raw.exec('PRAGMA busy_timeout = 5000');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new AppError('database_unavailable', `Cannot open the database at ${path}: ${reason}`);
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: adaptDatabase(raw) }) });
}
