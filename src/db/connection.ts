import { mkdirSync, accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely';
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

/**
 * SQLite ends a transaction by itself on some errors (a full disk, an I/O
 * error): Kysely's ROLLBACK then fails with "cannot rollback - no transaction
 * is active", and that error replaces the one that says what went wrong. The
 * rollback is skipped when there is nothing left to roll back.
 */
class NodeSqliteDialect extends SqliteDialect {
  readonly #raw: DatabaseSync;
  constructor(raw: DatabaseSync) {
    super({ database: adaptDatabase(raw) });
    this.#raw = raw;
  }
  override createDriver(): Driver {
    const raw = this.#raw;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (raw.isOpen && raw.isTransaction) await super.rollbackTransaction(connection);
      }
    })({ database: adaptDatabase(raw) });
  }
}

const SQLITE_REASONS: Record<number, string> = {
  8: 'the database is read-only (check the permissions of the file and its folder, and that the disk is not mounted read-only)',
  10: 'the disk could not be written or read (an I/O error)',
  11: 'the database file is damaged',
  13: 'the disk holding the database is full',
  14: 'the database file cannot be opened',
  5: 'the database is busy (another process holds a lock for too long)',
};

/**
 * A database failure as one line that says its cause ("the disk holding the
 * database is full"), or undefined for errors that are not the database's
 * (a bug, or an invalid query).
 */
export function databaseProblem(e: unknown): string | undefined {
  const errcode = (e as { errcode?: unknown } | undefined)?.errcode;
  if (typeof errcode === 'number') return SQLITE_REASONS[errcode & 0xff];
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') return SQLITE_REASONS[13];
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return SQLITE_REASONS[8];
  return undefined;
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
  return new Kysely<Database>({ dialect: new NodeSqliteDialect(raw) });
}
