import { mkdirSync, accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { Kysely, SqliteDialect, SqliteDriver, type CompiledQuery, type DatabaseConnection, type Driver, type KyselyPlugin, type SqliteDatabase, type SqliteStatement, type Transaction } from 'kysely';
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

/** How a database can be opened: written, or only read (and why). */
export type DatabaseMode = { readOnly: false } | { readOnly: true; why: string };

const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/** Why `path` cannot be written (EROFS, EACCES…), or undefined when it can. */
function notWritable(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (NOT_WRITABLE.has(code)) return code;
    throw e;
  }
}

/**
 * An existing database whose file, or whose folder (where SQLite writes its
 * journal), cannot be written is opened read-only: it can still be served and
 * exported. A database that does not exist yet needs a writable folder.
 */
export function databaseMode(path: string, whyNot: (p: string) => string | undefined = notWritable): DatabaseMode {
  if (path === ':memory:') return { readOnly: false };
  const file = resolve(path);
  const dir = dirname(file);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return { readOnly: false };
  }
  const fileWhy = whyNot(file);
  const dirWhy = fileWhy ? undefined : whyNot(dir);
  if (fileWhy === 'EROFS' || dirWhy === 'EROFS') return { readOnly: true, why: 'it is on a disk mounted read-only' };
  if (fileWhy) return { readOnly: true, why: 'the file cannot be written' };
  if (dirWhy) return { readOnly: true, why: `its folder ${dir} cannot be written` };
  return { readOnly: false };
}

/**
 * Read-only: as SQLite does normally, which also reads a write-ahead log left
 * beside the file. Where that cannot work (on a read-only disk SQLite cannot
 * create the -shm file it needs), the file is opened as immutable, which is
 * only right when no -wal file holds changes the file does not have yet.
 */
function openReadOnly(path: string): DatabaseSync {
  try {
    const raw = new DatabaseSync(path, { readOnly: true });
    raw.prepare('PRAGMA schema_version').get();
    return raw;
  } catch (e) {
    const wal = `${path}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) {
      throw new Error(`it is read-only and ${wal} holds changes not yet written into it; open it once where it can be written, or copy it with that file to a writable disk (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
  }
  const raw = new DatabaseSync(new URL(`${pathToFileURL(resolve(path)).href}?immutable=1`), { readOnly: true });
  raw.prepare('PRAGMA schema_version').get();
  return raw;
}

/** The node:sqlite connection under each Db, for allSync. */
const raws = new WeakMap<Db, { raw: DatabaseSync; statements: Map<string, StatementSync> }>();

/**
 * The rows of a compiled query, read now on this thread. node:sqlite is
 * synchronous underneath Kysely's promises; a getter (a document's texts read
 * when a page first needs them) cannot wait for one. One statement is one
 * read transaction: what it reads is consistent.
 */
export function allSync<R>(db: Db, query: CompiledQuery<R>): R[] {
  const c = raws.get(db);
  if (!c?.raw.isOpen) throw new Error('allSync: the database is closed');
  let stmt = c.statements.get(query.sql);
  if (!stmt) {
    stmt = c.raw.prepare(query.sql);
    c.statements.set(query.sql, stmt);
  }
  return stmt.all(...(query.parameters as SQLInputValue[])) as R[];
}

/** Whether allSync can read `db`: a SQLite database opened here (PostgreSQL answers only asynchronously). */
export const readsSynchronously = (db: Db): boolean => raws.has(db);

/** Lets the event loop run once after each query, before its rows are used (see yielding). */
const yieldPlugin: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    await new Promise((r) => setImmediate(r));
    return args.result;
  },
};

/**
 * The same database (or transaction), whose queries each give the event loop
 * a turn before their rows are used. node:sqlite runs a query at once and
 * Kysely's promises resolve as microtasks: a series of reads (a content load,
 * 20 queries and 2 s at 1,000 themes × 10 languages) otherwise runs as one
 * task, and everything else the thread has to do (render a page asked for
 * meanwhile) waits for its end.
 */
export function yielding<T extends Kysely<Database> | Transaction<Database>>(db: T): T {
  return db.withPlugin(yieldPlugin) as T;
}

/** Why each read-only database was opened so: what assertWritable says. */
const readOnlyDatabases = new WeakMap<Db, string>();

/** Opens (creating if needed) the SQLite database at `path`; read-only when it cannot be written; fails with one clear message. */
export function openDatabase(path: string, mode?: DatabaseMode): Db {
  let raw: DatabaseSync;
  let chosen: DatabaseMode;
  try {
    chosen = mode ?? databaseMode(path);
    raw = chosen.readOnly ? openReadOnly(path) : new DatabaseSync(path);
    raw.exec('PRAGMA foreign_keys = ON');
    if (path !== ':memory:' && !chosen.readOnly) raw.exec('PRAGMA journal_mode = WAL');
    raw.exec('PRAGMA busy_timeout = 5000');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new AppError('database_unavailable', `Cannot open the database at ${path}: ${reason}`);
  }
  const db = new Kysely<Database>({ dialect: new NodeSqliteDialect(raw) });
  raws.set(db, { raw, statements: new Map() });
  if (chosen.readOnly) readOnlyDatabases.set(db, `the database at ${path} is read-only (${chosen.why})`);
  return db;
}

/** Fails at once, before any work, when `db` was opened read-only. */
export function assertWritable(db: Db): void {
  const why = readOnlyDatabases.get(db);
  if (why) throw new AppError('database_unavailable', `Cannot import: ${why}; nothing was changed.`);
}
