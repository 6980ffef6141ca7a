import type { Db } from '../../db/connection.ts';
import { audit, auditThrottled } from './audit.ts';
import { decoyHash, MAX_PASSWORD_LENGTH, verifyPassword } from './password.ts';
import { findUser, normaliseEmail, type StaffUser } from './users.service.ts';
import { beginAttempt, succeeded } from './throttle.ts';
import { digest, newToken, TOKEN_SHAPE } from './tokens.ts';
import { isRole } from './policy.ts';

// Sessions (docs/decisions/0021): a random 256-bit token in the cookie, its
// SHA-256 in the database. A session ends after 12 h without a request or
// 30 days after sign-in, whichever comes first, or when it is revoked.

export const SESSION_IDLE_MS = 12 * 60 * 60_000;
export const SESSION_MAX_MS = 30 * 24 * 60 * 60_000;
/** last_seen_at is written at most once a minute per session: not one write per page. */
const TOUCH_EVERY_MS = 60_000;

export interface SignInInput {
  email: string;
  password: string;
  address: string;
  userAgent?: string | undefined;
}

export type SignInResult =
  | { ok: true; token: string; user: StaffUser }
  /** The same answer for an unknown email, a wrong password, a user without a password or a disabled one. */
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; waitMs: number };

export async function signIn(db: Db, now: Date, input: SignInInput): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  // Counted before the password is checked: simultaneous tries cannot all get in before the first failure is written.
  const attempt = await beginAttempt(db, now, email, input.address);
  if (!attempt.ok) {
    // One row per address and minute, with a count: refusals cannot grow the log without bound.
    await auditThrottled(db, now, email, input.address);
    return { ok: false, reason: 'throttled', waitMs: attempt.waitMs };
  }
  const row = await db.selectFrom('staff_user').select(['id', 'password_hash', 'disabled', 'role']).where('email', '=', email).executeTakeFirst();
  // An unknown account costs one Argon2 too, so that timing does not tell which emails are users'.
  const hash = row?.password_hash ?? (await decoyHash());
  const password = input.password.length > MAX_PASSWORD_LENGTH * 4 ? '' : input.password;
  const matches = (await verifyPassword(password, hash)) && !!row?.password_hash && row.disabled === 0 && isRole(row.role);
  if (!matches || !row) {
    const ua = summariseUserAgent(input.userAgent);
    await audit(db, now, { event: 'sign_in_failed', userId: row?.id, email, address: input.address, detail: `${row ? 'password' : 'unknown'}${ua ? `; ua=${ua}` : ''}` });
    return { ok: false, reason: 'invalid' };
  }
  await succeeded(db, email, input.address);
  const token = await openSession(db, now, row.id, input.userAgent);
  const ua = summariseUserAgent(input.userAgent);
  await audit(db, now, { event: 'sign_in', userId: row.id, email, address: input.address, ...(ua ? { detail: `ua=${ua}` } : {}) });
  const user = await findUser(db, row.id);
  return { ok: true, token, user: user! };
}

/** A new session: always a new token (a session id is never carried over from before the sign-in). */
async function openSession(db: Db, now: Date, userId: string, userAgent: string | undefined): Promise<string> {
  const token = newToken();
  const at = now.toISOString();
  await db.insertInto('staff_session').values({
    id_hash: digest(token), user_id: userId, created_at: at, last_seen_at: at,
    expires_at: new Date(now.getTime() + SESSION_MAX_MS).toISOString(), user_agent: summariseUserAgent(userAgent), revoked_at: null,
  }).execute();
  return token;
}

export interface CurrentSession {
  user: StaffUser;
  /** The digest, which names the session in the list and in revoke forms (never the token). */
  id: string;
  expiresAt: Date;
}

/** The session a cookie's token opens, if it is open: not revoked, not expired, not idle too long, its user active. */
export async function sessionOf(db: Db, now: Date, token: string | undefined): Promise<CurrentSession | undefined> {
  if (!token || !TOKEN_SHAPE.test(token)) return undefined;
  const id = digest(token);
  const s = await db.selectFrom('staff_session').selectAll().where('id_hash', '=', id).executeTakeFirst();
  if (!s || s.revoked_at !== null) return undefined;
  const t = now.getTime();
  if (Date.parse(s.expires_at) <= t || Date.parse(s.last_seen_at) + SESSION_IDLE_MS <= t) return undefined;
  const user = await findUser(db, s.user_id);
  if (!user || user.disabled) return undefined;
  if (t - Date.parse(s.last_seen_at) >= TOUCH_EVERY_MS) {
    await db.updateTable('staff_session').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', id).execute();
  }
  const expiresAt = new Date(Math.min(Date.parse(s.expires_at), t + SESSION_IDLE_MS));
  return { user, id, expiresAt };
}

export interface SessionListItem {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  current: boolean;
}

/** A user's open sessions, the most recently used first. */
export async function openSessions(db: Db, now: Date, userId: string, currentId: string): Promise<SessionListItem[]> {
  const idleSince = new Date(now.getTime() - SESSION_IDLE_MS).toISOString();
  const rows = await db.selectFrom('staff_session').select(['id_hash', 'created_at', 'last_seen_at', 'user_agent'])
    .where('user_id', '=', userId).where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString()).where('last_seen_at', '>', idleSince)
    .orderBy('last_seen_at', 'desc').orderBy('id_hash').execute();
  return rows.map((r) => ({ id: r.id_hash, createdAt: r.created_at, lastSeenAt: r.last_seen_at, userAgent: r.user_agent, current: r.id_hash === currentId }));
}

/** Ends one of the user's sessions (only theirs: another user's id changes nothing). Whether one was ended. */
export async function revokeSession(db: Db, now: Date, user: StaffUser, sessionId: string, address?: string): Promise<boolean> {
  const r = await db.updateTable('staff_session').set({ revoked_at: now.toISOString() })
    .where('id_hash', '=', sessionId).where('user_id', '=', user.id).where('revoked_at', 'is', null).executeTakeFirst();
  const done = Number(r.numUpdatedRows) === 1;
  if (done) await audit(db, now, { event: 'session_revoked', userId: user.id, email: user.email, address });
  return done;
}

/** Signs out: this session, or every session of the user. */
export async function signOut(db: Db, now: Date, session: CurrentSession, everywhere: boolean, address?: string): Promise<void> {
  let q = db.updateTable('staff_session').set({ revoked_at: now.toISOString() }).where('revoked_at', 'is', null);
  q = everywhere ? q.where('user_id', '=', session.user.id) : q.where('id_hash', '=', session.id);
  await q.execute();
  await audit(db, now, { event: everywhere ? 'sign_out_everywhere' : 'sign_out', userId: session.user.id, email: session.user.email, address });
}

/** A short, printable summary of a User-Agent header: the browser and system when recognised, else the start of the header. */
export function summariseUserAgent(ua: string | undefined): string | null {
  if (!ua) return null;
  const clean = ua.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  if (!clean) return null;
  const browser = /Edg\//.test(clean) ? 'Edge' : /Firefox\//.test(clean) ? 'Firefox' : /Chrom(e|ium)\//.test(clean) ? 'Chrome' : /Safari\//.test(clean) && /Version\//.test(clean) ? 'Safari' : undefined;
  const system = /Android/.test(clean) ? 'Android' : /iPhone|iPad/.test(clean) ? 'iOS' : /Windows/.test(clean) ? 'Windows' : /Mac OS X/.test(clean) ? 'macOS' : /Linux/.test(clean) ? 'Linux' : undefined;
  if (browser && system) return `${browser}, ${system}`;
  return [...clean].slice(0, 120).join('');
}
