import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

// The audit log (decision 0021 and its addendum): who did what, to whom, from
// which address. `user_id`/`email` name the user the entry is about (the one
// signing in, the one an admin changed); `detail` holds "key=value" pairs
// separated by "; " — `by=<email>` the admin who acted (`by=cli`: the command
// line), `role=`, `from=`/`to=` (a role), `locales=` (a new translator's
// languages), `before=`/`after=` (languages, comma-separated; empty: none),
// `count=` (folded rows) and, always last,
// `ua=` the browser (it may itself hold "; ").

export const AUDIT_EVENTS = [
  'sign_in', 'sign_in_failed', 'sign_in_throttled', 'sign_out', 'sign_out_everywhere', 'session_revoked',
  'user_created', 'password_link', 'password_set', 'user_role_changed', 'user_disabled', 'user_enabled',
  'user_locales_changed',
  'content_saved', 'content_restored', 'content_discarded', 'content_published', 'content_unpublished', 'content_lock_taken', 'content_submitted',
  'preview_link_created', 'preview_link_revoked',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** Entries older than this are deleted (decision 0021, addendum): a year covers an annual review and most incident inquiries. */
export const AUDIT_RETENTION_DAYS = 365;

export interface AuditEntry {
  event: AuditEvent;
  userId?: string | undefined;
  email?: string | undefined;
  address?: string | undefined;
  detail?: string | undefined;
}

/** Appends one entry to the audit log. */
export async function audit(q: Q, now: Date, e: AuditEntry): Promise<void> {
  await q.insertInto('audit_log').values({
    id: randomUUID(), at: now.toISOString(), event: e.event,
    user_id: e.userId ?? null, email: e.email ?? null, address: e.address ?? null, detail: e.detail ?? null,
  }).execute();
}

/**
 * A throttled sign-in: folded into one row per address and per minute, whose `count=` grows (an attacker refused
 * again and again adds at most one row a minute per address). The row's id is derived from the address and the
 * minute, so that simultaneous refusals meet on one row (an upsert) on either engine.
 */
export async function auditThrottled(q: Q, now: Date, email: string, address: string): Promise<void> {
  const minute = now.toISOString().slice(0, 16);
  const id = `throttled:${minute}:${address}`.slice(0, 200);
  await q.insertInto('audit_log').values({ id, at: now.toISOString(), event: 'sign_in_throttled', user_id: null, email, address, detail: 'count=1' })
    .onConflict((oc) => oc.column('id').doUpdateSet({
      detail: sql<string>`'count=' || cast(cast(substr(${sql.ref('audit_log.detail')}, 7) as integer) + 1 as text)`,
    }))
    .execute();
}

/** The latest entries, newest first (tests). */
export async function auditEntries(q: Q, limit = 100): Promise<{ at: string; event: string; email: string | null; address: string | null; detail: string | null }[]> {
  return q.selectFrom('audit_log').select(['at', 'event', 'email', 'address', 'detail']).orderBy('at', 'desc').orderBy('id').limit(limit).execute();
}

export interface AuditRow {
  id: string;
  at: string;
  event: string;
  email: string | null;
  address: string | null;
  detail: string | null;
}

export interface AuditQuery {
  event?: AuditEvent | undefined;
  /** An email: entries about that user or done by them. */
  user?: string | undefined;
  /** 1-based. */
  page: number;
  perPage: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of the log, newest first, and whether an older page follows. */
export async function auditPage(q: Q, query: AuditQuery): Promise<{ rows: AuditRow[]; more: boolean }> {
  let s = q.selectFrom('audit_log').select(['id', 'at', 'event', 'email', 'address', 'detail']);
  if (query.event) s = s.where('event', '=', query.event);
  if (query.user) {
    const user = query.user;
    const by = `%by=${escapeLike(user)}%`;
    s = s.where((eb) => eb.or([eb('email', '=', user), sql<boolean>`${sql.ref('detail')} like ${by} escape '\\'`]));
  }
  const rows = await s.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.perPage + 1).offset((query.page - 1) * query.perPage).execute();
  return { rows: rows.slice(0, query.perPage), more: rows.length > query.perPage };
}

/** The detail's pairs: `ua` takes the rest of the text. */
export function parseDetail(detail: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!detail) return out;
  const ua = detail.startsWith('ua=') ? 0 : detail.indexOf('; ua=');
  const head = ua < 0 ? detail : detail.slice(0, ua);
  if (ua >= 0) out.ua = detail.slice(ua === 0 ? 3 : ua + 5);
  for (const part of head.split('; ')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
    else if (part) out[part] = '';
  }
  return out;
}

const BATCH = 500;

/**
 * Deletes the entries older than the retention period, a few hundred rows per statement with a turn of the event
 * loop between (a first prune of a large log never holds requests up). The number deleted.
 */
export async function pruneAudit(q: Kysely<Database>, now: Date, retentionDays = AUDIT_RETENTION_DAYS): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60_000).toISOString();
  let total = 0;
  for (;;) {
    const ids = (await q.selectFrom('audit_log').select('id').where('at', '<', cutoff).limit(BATCH).execute()).map((r) => r.id);
    if (ids.length === 0) return total;
    const r = await q.deleteFrom('audit_log').where('id', 'in', ids).executeTakeFirst();
    total += Number(r.numDeletedRows);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const PRUNE_EVERY_MS = 24 * 60 * 60_000;

/** Prunes now, then once a day (or every `everyMs`); the timer does not keep the process alive. Returns stop (which waits for a prune under way). */
export function startAuditPruning(opts: { db: Kysely<Database>; now?: () => Date; everyMs?: number; retentionDays?: number; log?: (line: string) => void }): () => Promise<void> {
  const now = opts.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = running.then(() => (stopped ? 0 : pruneAudit(opts.db, now(), opts.retentionDays)))
      .then((n) => { if (n && opts.log) opts.log(`Audit log: ${n} entries older than ${opts.retentionDays ?? AUDIT_RETENTION_DAYS} days deleted.`); })
      .catch((e: unknown) => opts.log?.(`Audit log: pruning failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  run();
  const timer = setInterval(run, opts.everyMs ?? PRUNE_EVERY_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
