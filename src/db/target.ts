import { AppError } from '../shared/errors.ts';

// Which database DATABASE_URL names: a SQLite file (or `:memory:`), or a
// PostgreSQL server. Parsed once, at start, so that a typo fails with one line.

export type DatabaseTarget =
  | { engine: 'sqlite'; path: string }
  | {
    engine: 'postgres';
    /** The URL as given, password included: only ever passed to the driver or to a child process. */
    url: string;
    /** host:port/database, without user or password: what messages and logs show. */
    label: string;
    /** Connections each process may open at most (DATABASE_POOL_SIZE). */
    poolSize: number;
  };

/** Connections a serving process opens at most by default: a page load is a few queries, an import one transaction. */
export const DEFAULT_POOL_SIZE = 10;

const POSTGRES = /^postgres(ql)?:\/\//i;

/** host:port/database of a PostgreSQL URL, for messages: never the user or the password. */
export function postgresLabel(url: string): string {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(the user\'s default database)';
  return `${u.hostname || 'localhost'}:${u.port || '5432'}/${database}`;
}

/**
 * DATABASE_URL as a target: `postgres://user:pass@host:5432/db` (or
 * `postgresql://`) for PostgreSQL; otherwise a SQLite file path, with an
 * optional `file:` prefix, or `:memory:`.
 */
export function databaseTargetFrom(url: string, poolSize = DEFAULT_POOL_SIZE): DatabaseTarget {
  if (url === ':memory:') return { engine: 'sqlite', path: url };
  if (POSTGRES.test(url)) {
    let label: string;
    try {
      label = postgresLabel(url);
    } catch {
      throw new AppError('config_invalid', 'DATABASE_URL: not a valid PostgreSQL URL; write it as postgres://user:password@host:5432/database (percent-encode special characters in the password)');
    }
    return { engine: 'postgres', url, label, poolSize };
  }
  if (url.startsWith('file:')) return { engine: 'sqlite', path: url.slice('file:'.length).replace(/^\/\/(?=\/)/, '') };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new AppError('config_invalid', `DATABASE_URL: unsupported scheme in "${url.replace(/\/\/[^@/]*@/, '//…@')}"; use a SQLite file path such as ./data/parcours.db or a postgres:// URL`);
  }
  return { engine: 'sqlite', path: url };
}

/** An in-memory SQLite database: one process alone can see it (no render worker, no child import, no second server). */
export const inMemory = (t: DatabaseTarget): boolean => t.engine === 'sqlite' && t.path === ':memory:';

/** The target as DATABASE_URL again, for a child process. */
export const targetUrl = (t: DatabaseTarget): string => (t.engine === 'sqlite' ? t.path : t.url);

/** What messages name the database by: its file, or host:port/database. */
export const targetLabel = (t: DatabaseTarget): string => (t.engine === 'sqlite' ? t.path : `PostgreSQL ${t.label}`);
