import type { Db } from '../../db/connection.ts';
import { exclusiveWrite } from '../../db/database.ts';
import { audit } from '../auth/audit.ts';
import type { Editor } from './editorial.service.ts';

// The soft lock (issue 16, decision 0022): whoever opens a document to edit
// it holds a lease on it, renewed each time they open or save it; others see
// who has it open and until when, and may take it over. It is a warning, not
// a barrier: saving never depends on it (a stale save is a conflict, refused
// on its own), and a lease ends by itself, so a closed tab never leaves a
// document stuck.

/** How long a lease lasts after the holder last opened or saved the document (the admin has no script to renew it). */
export const LEASE_MS = 10 * 60_000;

export interface Lease {
  userId: string;
  email: string;
  until: string;
}

export type LockAnswer =
  /** This editor holds the lease (until then); `from`: whom they took it over from. */
  | { held: true; until: string; from?: Lease }
  /** Someone else holds it. */
  | { held: false; holder: Lease };

/**
 * Opens a document for editing: takes or renews the lease when it is free, expired or already this editor's; with
 * `takeOver`, takes it from whoever holds it (audited). Otherwise says who holds it. A document without a head
 * (not in the editorial model) is not locked: undefined.
 */
export async function openLease(db: Db, at: Date, by: Editor, key: string, opts: { takeOver?: boolean } = {}): Promise<LockAnswer | undefined> {
  return exclusiveWrite(db, async (trx) => {
    const h = await trx.selectFrom('content_head').select(['lock_user_id', 'lock_email', 'lock_until']).where('doc_key', '=', key).executeTakeFirst();
    if (!h) return undefined;
    const other = h.lock_user_id && h.lock_user_id !== by.id && h.lock_until && h.lock_until > at.toISOString()
      ? { userId: h.lock_user_id, email: h.lock_email ?? '', until: h.lock_until }
      : undefined;
    if (other && !opts.takeOver) return { held: false, holder: other };
    const until = new Date(at.getTime() + LEASE_MS).toISOString();
    await trx.updateTable('content_head').set({ lock_user_id: by.id, lock_email: by.email, lock_until: until }).where('doc_key', '=', key).execute();
    if (!other) return { held: true, until };
    await audit(trx, at, { event: 'content_lock_taken', userId: by.id, email: by.email, detail: `doc=${key}; from=${other.email}` });
    return { held: true, until, from: other };
  });
}

/** Ends this editor's lease on a document (they closed it); someone else's lease is left alone. */
export async function releaseLease(db: Db, by: Editor, key: string): Promise<void> {
  await exclusiveWrite(db, (trx) => trx.updateTable('content_head').set({ lock_user_id: null, lock_email: null, lock_until: null })
    .where('doc_key', '=', key).where('lock_user_id', '=', by.id).execute());
}
