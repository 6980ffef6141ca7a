import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { audit } from '../auth/audit.ts';
import { can } from '../auth/policy.ts';
import { digest, newToken, TOKEN_SHAPE } from '../auth/tokens.ts';
import type { StaffUser } from '../auth/users.service.ts';

// Share links of the preview (docs/decisions/0023): a staff member who may
// preview gives a reviewer outside the museum a link to the draft site,
// /preview/<token>/<page>, that works without an account for 72 hours. The
// token is 256 random bits; the database keeps only its SHA-256, so a leaked
// database or log opens nothing. A link stops working when it expires, when
// it is revoked, or when the staff member who made it is disabled. Creating
// and revoking are audited.

/** How long a share link works. */
export const PREVIEW_LINK_MS = 72 * 60 * 60_000;
/** Rows of links expired this long ago are deleted (when a link is made): the audit log keeps the record. */
const KEEP_EXPIRED_MS = 30 * 24 * 60 * 60_000;

export interface LiveLink {
  id: string;
  path: string;
  label: string | null;
  createdAt: string;
  expiresAt: string;
  createdBy: { id: string; email: string };
}

export interface IssuedPreviewLink {
  id: string;
  token: string;
  path: string;
  expiresAt: Date;
}

/** A new share link opening at `path` (a public page's path, checked by the caller), for 72 hours from `now`. */
export async function createPreviewLink(db: Db, now: Date, by: StaffUser, path: string, label: string | undefined, address?: string): Promise<IssuedPreviewLink> {
  const token = newToken();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + PREVIEW_LINK_MS);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('preview_link').where('expires_at', '<', new Date(now.getTime() - KEEP_EXPIRED_MS).toISOString()).execute();
    await trx.insertInto('preview_link').values({
      id, token_hash: digest(token), created_by: by.id, path, label: label ?? null,
      created_at: now.toISOString(), expires_at: expiresAt.toISOString(), revoked_at: null,
    }).execute();
    await audit(trx, now, { event: 'preview_link_created', userId: by.id, email: by.email, address, detail: `link=${id}; path=${path}; until=${expiresAt.toISOString()}` });
  });
  return { id, token, path, expiresAt };
}

/** The links that work now, newest first, with who made them. */
export async function liveLinks(db: Db, now: Date): Promise<LiveLink[]> {
  const rows = await db.selectFrom('preview_link as l').innerJoin('staff_user as u', 'u.id', 'l.created_by')
    .select(['l.id', 'l.path', 'l.label', 'l.created_at', 'l.expires_at', 'u.id as user_id', 'u.email'])
    .where('l.revoked_at', 'is', null).where('l.expires_at', '>', now.toISOString()).where('u.disabled', '=', 0)
    .orderBy('l.created_at', 'desc').orderBy('l.id').limit(200).execute();
  return rows.map((r) => ({ id: r.id, path: r.path, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at, createdBy: { id: r.user_id, email: r.email } }));
}

export type RevokeResult = 'revoked' | 'not_found' | 'refused';

/** Ends a live link: its maker may, and so may whoever may publish (the policy says so). */
export async function revokePreviewLink(db: Db, now: Date, by: StaffUser, id: string, address?: string): Promise<RevokeResult> {
  return db.transaction().execute(async (trx) => {
    const link = await trx.selectFrom('preview_link as l').innerJoin('staff_user as u', 'u.id', 'l.created_by')
      .select(['l.id', 'l.created_by', 'l.path', 'u.email']).where('l.id', '=', id)
      .where('l.revoked_at', 'is', null).where('l.expires_at', '>', now.toISOString()).executeTakeFirst();
    if (!link) return 'not_found';
    if (!can(by, 'content.preview', { userId: link.created_by })) return 'refused';
    await trx.updateTable('preview_link').set({ revoked_at: now.toISOString() }).where('id', '=', id).execute();
    const other = link.created_by !== by.id;
    await audit(trx, now, {
      event: 'preview_link_revoked', userId: link.created_by, email: link.email, address,
      detail: `${other ? `by=${by.email}; ` : ''}link=${id}; path=${link.path}`,
    });
    return 'revoked';
  });
}

/**
 * What a token opens: the link, if it works now; 'gone' if it did and no longer does (expired, revoked, its maker
 * disabled: a 410 says so); 'unknown' for anything else (a 404, the same whatever was typed).
 */
export async function linkOfToken(db: Db, now: Date, token: string): Promise<{ id: string; expiresAt: string } | 'gone' | 'unknown'> {
  if (!TOKEN_SHAPE.test(token)) return 'unknown';
  const r = await db.selectFrom('preview_link as l').innerJoin('staff_user as u', 'u.id', 'l.created_by')
    .select(['l.id', 'l.expires_at', 'l.revoked_at', 'u.disabled']).where('l.token_hash', '=', digest(token)).executeTakeFirst();
  if (!r) return 'unknown';
  if (r.revoked_at !== null || r.expires_at <= now.toISOString() || r.disabled !== 0) return 'gone';
  return { id: r.id, expiresAt: r.expires_at };
}
