import pg from 'pg';
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './connection.ts';
import { engineOf, serverOf } from './database.ts';
import { postgresProblem } from './postgres.ts';

// How the serving processes learn that an import committed new content.
// Every process polls the content version (site.service.ts); on PostgreSQL
// the import also sends a notification with its transaction (delivered at
// commit, not before, and not at all if it rolls back), and each process
// listens on a connection of its own, so that all of them, on every machine,
// load the new content at once instead of at their next poll. When that
// connection breaks (the server restarts), it is opened again with a growing
// delay, and a change missed meanwhile is caught by the poll. A channel is
// the database's, not a schema's: the message names the schema the content
// is in (`<schema>:<version>`), and a process hears only its own schema's.

export const CONTENT_CHANNEL = 'parcours_content';

/** Inside the import's transaction: tells every listening process, at commit, that content version `version` is there. */
export async function notifyContentChanged(trx: Transaction<Database>, version: string): Promise<void> {
  if (engineOf(trx) === 'postgres') await sql`select pg_notify(${CONTENT_CHANNEL}, current_schema() || ':' || ${version})`.execute(trx);
}

export interface ChangeWatch {
  /** Whether the listening connection is open now (the poll may then be slow). */
  readonly listening: boolean;
  stop(): Promise<void>;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

export interface WatchOptions {
  log?: (line: string) => void;
  /** The first wait before opening a broken connection again (then twice as long each time, up to 30 s). */
  retryMinMs?: number;
}

/**
 * Calls `onChange` when another process commits new content: on each
 * notification, and once each time the listening connection is opened
 * (a change may have been made before it listened, or while it was down).
 * Undefined where the database sends none (SQLite: the poll alone tells).
 */
export function watchContentChanges(db: Db, onChange: () => void, options: WatchOptions = {}): ChangeWatch | undefined {
  const server = serverOf(db);
  if (!server) return undefined;
  const log = options.log ?? console.error;
  const retryMin = options.retryMinMs ?? RETRY_MIN_MS;
  /** The one connection that counts: events of a connection given up on are ignored. */
  let client: pg.Client | undefined;
  let listening = false;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const close = (c: pg.Client) => {
    c.removeAllListeners('end');
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
  };

  /** `c` broke (or could not open): let it go, and open another later. */
  const retry = (c: pg.Client, why: string) => {
    if (stopped || client !== c) return;
    client = undefined;
    listening = false;
    close(c);
    if (failures === 0) log(`PostgreSQL: not listening for new content (${why}); polling until the connection is back.`);
    const delay = Math.min(RETRY_MAX_MS, retryMin * 2 ** failures);
    failures += 1;
    timer = setTimeout(() => {
      timer = undefined;
      void open();
    }, delay);
    timer.unref();
  };

  const open = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: server.url, application_name: 'parcours listener', connectionTimeoutMillis: 10_000 });
    client = c;
    // A dropped connection is an 'error' (and an 'end'): never an uncaught exception.
    c.on('error', (e) => retry(c, postgresProblem(e) ?? e.message));
    c.on('end', () => retry(c, 'the connection closed'));
    let schema: string | undefined;
    c.on('notification', (n) => {
      if (client === c && n.channel === CONTENT_CHANNEL && schema !== undefined && n.payload?.slice(0, n.payload.lastIndexOf(':')) === schema) onChange();
    });
    try {
      await c.connect();
      // The same URL as the pool's, so the same search_path: the schema this process's content is in.
      const { rows } = await c.query<{ schema: string | null }>('select current_schema() as schema');
      schema = rows[0]?.schema ?? '';
      // Named so, it can be found in pg_stat_activity (and a test can cut it).
      await c.query(`select set_config('application_name', $1, false)`, [`parcours listener ${schema}`.slice(0, 63)]);
      await c.query(`LISTEN ${CONTENT_CHANNEL}`);
      if (stopped || client !== c) return void close(c);
      // The connection's socket must not keep a process alive that is otherwise done.
      (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      if (failures > 0) log('PostgreSQL: listening for new content again.');
      failures = 0;
      listening = true;
      // What was committed before this connection listened is looked for now.
      onChange();
    } catch (e) {
      retry(c, postgresProblem(e) ?? (e instanceof Error ? e.message : String(e)));
    }
  };
  void open();

  return {
    get listening() { return listening; },
    stop: async () => {
      stopped = true;
      listening = false;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners('end');
        c.removeAllListeners('notification');
        await c.end().catch(() => undefined);
      }
    },
  };
}
