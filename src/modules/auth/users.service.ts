import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../shared/errors.ts';
import { audit } from './audit.ts';
import { hashPassword, passwordProblem, type PasswordProblem } from './password.ts';
import { isRole, ROLES, type Actor, type Role } from './policy.ts';
import { digest, newToken, TOKEN_SHAPE } from './tokens.ts';
import { forgetAccount } from './throttle.ts';

// Staff users: created (or given a new set-password link) by the CLI, their
// password set through that link. The CLI and the web call these.

/** A link to set a password is good for a day, once. */
export const PASSWORD_LINK_MS = 24 * 60 * 60_000;

/** An email as stored and compared: trimmed, lower-case (the whole address: staff mail is not case-sensitive in practice). */
export const normaliseEmail = (s: string): string => s.trim().toLowerCase();
export const EmailSchema = z.string().trim().max(254).pipe(z.email()).transform(normaliseEmail);

export interface StaffUser extends Actor {
  email: string;
  hasPassword: boolean;
}

/** A translator's languages, as stored (a JSON array); anything else is none. */
export function localesOf(json: string | null | undefined): string[] {
  try {
    const v: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const toUser = (r: { id: string; email: string; role: string; disabled: number; password_hash: string | null; locales?: string | null }): StaffUser => ({
  id: r.id, email: r.email, role: isRole(r.role) ? r.role : ('reviewer' satisfies Role), disabled: r.disabled !== 0 || !isRole(r.role), hasPassword: r.password_hash !== null,
  locales: localesOf(r.locales),
});

export async function findUser(db: Db, id: string): Promise<StaffUser | undefined> {
  const r = await db.selectFrom('staff_user').select(['id', 'email', 'role', 'disabled', 'password_hash', 'locales']).where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export interface PasswordLink {
  user: StaffUser;
  created: boolean;
  /** The secret of the link: shown once, stored only as its digest. */
  token: string;
  expiresAt: Date;
}

/**
 * `parcours user add --role <role> <email>`: creates the user, or, when the email is already a user's, issues a new
 * set-password link (the reset of a forgotten password: the old password keeps working until the link is used).
 * Earlier unused links of that user stop working.
 */
export async function addUserOrLink(db: Db, now: Date, emailInput: string, roleInput: string): Promise<PasswordLink> {
  const email = EmailSchema.safeParse(emailInput);
  if (!email.success) throw new AppError('bad_request', `"${emailInput}" is not an email address.`);
  if (!isRole(roleInput)) throw new AppError('bad_request', `"${roleInput}" is not a role; write one of ${ROLES.join(', ')}.`);
  const at = now.toISOString();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_LINK_MS);
  return db.transaction().execute(async (trx) => {
    let row = await trx.selectFrom('staff_user').select(['id', 'email', 'role', 'disabled', 'password_hash']).where('email', '=', email.data).executeTakeFirst();
    const created = !row;
    if (!row) {
      row = { id: randomUUID(), email: email.data, role: roleInput, disabled: 0, password_hash: null };
      await trx.insertInto('staff_user').values({ ...row, created_at: at, updated_at: at }).execute();
      await audit(trx, now, { event: 'user_created', userId: row.id, email: row.email, detail: `role=${roleInput}; by=cli` });
    } else if (row.role !== roleInput) {
      throw new AppError('bad_request', `${email.data} is already a user, with the role ${row.role}; nothing was changed (roles are changed by an admin).`);
    }
    await trx.updateTable('staff_password_token').set({ used_at: at }).where('user_id', '=', row.id).where('used_at', 'is', null).execute();
    await trx.insertInto('staff_password_token').values({ token_hash: digest(token), user_id: row.id, created_at: at, expires_at: expiresAt.toISOString(), used_at: null }).execute();
    await audit(trx, now, { event: 'password_link', userId: row.id, email: row.email, detail: 'by=cli' });
    return { user: toUser(row), created, token, expiresAt };
  });
}

/** The user a set-password link is for, while it is valid (unused, unexpired, user not disabled). */
export async function userOfPasswordLink(db: Db, now: Date, token: string): Promise<StaffUser | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const r = await db.selectFrom('staff_password_token').innerJoin('staff_user', 'staff_user.id', 'staff_password_token.user_id')
    .select(['staff_user.id', 'email', 'role', 'disabled', 'password_hash'])
    .where('token_hash', '=', digest(token)).where('used_at', 'is', null).where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  const user = r ? toUser(r) : undefined;
  return user && !user.disabled ? user : undefined;
}

export type SetPasswordResult = { ok: true; user: StaffUser } | { ok: false; problem: PasswordProblem | 'link_invalid' };

/**
 * Sets the password through a link: the link is spent (whatever the outcome of a concurrent second use: only the
 * update that marks it used goes on), every session of the user is ended.
 */
export async function setPasswordWithLink(db: Db, now: Date, token: string, password: string, address?: string): Promise<SetPasswordResult> {
  const user = await userOfPasswordLink(db, now, token);
  if (!user) return { ok: false, problem: 'link_invalid' };
  const problem = passwordProblem(password, user.email);
  if (problem) return { ok: false, problem };
  const hash = await hashPassword(password);
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const spent = await trx.updateTable('staff_password_token').set({ used_at: at })
      .where('token_hash', '=', digest(token)).where('used_at', 'is', null).where('expires_at', '>', at).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return { ok: false, problem: 'link_invalid' } as const;
    await trx.updateTable('staff_user').set({ password_hash: hash, updated_at: at }).where('id', '=', user.id).execute();
    await trx.updateTable('staff_session').set({ revoked_at: at }).where('user_id', '=', user.id).where('revoked_at', 'is', null).execute();
    // A new password unlocks the account: whoever kept it throttled by guessing does not keep its owner out.
    await forgetAccount(trx, user.email);
    await audit(trx, now, { event: 'password_set', userId: user.id, email: user.email, address });
    return { ok: true, user: { ...user, hasPassword: true } } as const;
  });
}
