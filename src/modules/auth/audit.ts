import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type AuditEvent =
  | 'sign_in' | 'sign_in_failed' | 'sign_in_throttled' | 'sign_out' | 'sign_out_everywhere' | 'session_revoked'
  | 'user_created' | 'password_link' | 'password_set';

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

/** The latest entries, newest first (tests; a later slice shows them to admins). */
export async function auditEntries(q: Q, limit = 100): Promise<{ at: string; event: string; email: string | null; address: string | null; detail: string | null }[]> {
  return q.selectFrom('audit_log').select(['at', 'event', 'email', 'address', 'detail']).orderBy('at', 'desc').orderBy('id').limit(limit).execute();
}
