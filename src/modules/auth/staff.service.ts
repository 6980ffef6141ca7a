import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { exclusiveWrite } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Db } from '../../db/connection.ts';
import { audit } from './audit.ts';
import { isRole, type Role } from './policy.ts';
import { checkLocales, localesOf, PASSWORD_LINK_MS, type LocalesCheck, type LocalesProblem, type StaffUser } from './users.service.ts';
import { publishedLocales } from '../content/content.repository.ts';
import { digest, newToken } from './tokens.ts';

// An admin manages the staff in the browser (issue 16, decision 0021's
// addendum): list, add, change a role, disable / re-enable, issue a new
// set-password link, give a translator their languages. The routes have
// asked the policy (user.manage); these
// keep the rules that hold whoever calls them: the last active admin stays
// one, a disabled user's sessions and links end at once, every change is
// audited with who did it.

export interface StaffListItem {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  hasPassword: boolean;
  /** The languages given (a translator edits only these), in the museum's order. */
  locales: string[];
  /** The latest sign-in (the newest session's start), if any. */
  lastSignIn: string | null;
}

/** The languages a translator can be given: the published museum's, in its menu order. */
export const museumLocales = (db: Db): Promise<string[]> => publishedLocales(db);

export async function listStaff(db: Db): Promise<StaffListItem[]> {
  const rows = await db.selectFrom('staff_user').leftJoin('staff_session', 'staff_session.user_id', 'staff_user.id')
    .select(['staff_user.id', 'email', 'role', 'disabled', 'password_hash', 'locales', (eb) => eb.fn.max('staff_session.created_at').as('last')])
    .groupBy(['staff_user.id', 'email', 'role', 'disabled', 'password_hash', 'locales']).orderBy('email').execute();
  return rows.map((r) => ({
    id: r.id, email: r.email, role: isRole(r.role) ? r.role : 'reviewer', disabled: r.disabled !== 0 || !isRole(r.role),
    hasPassword: r.password_hash !== null, locales: localesOf(r.locales), lastSignIn: (r.last as string | null) ?? null,
  }));
}

export type StaffProblem = 'exists' | 'not_found' | 'last_admin' | 'disabled' | LocalesProblem;
/** `locale`: the language a locales problem is about. */
export type StaffResult<T = undefined> = { ok: true; value: T } | { ok: false; problem: StaffProblem; locale?: string };

export interface IssuedLink {
  email: string;
  token: string;
  expiresAt: Date;
}

/** A new one-time link for a user; the earlier unused ones stop working. */
async function issue(trx: Transaction<Database>, now: Date, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const at = now.toISOString();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_LINK_MS);
  await trx.updateTable('staff_password_token').set({ used_at: at }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  await trx.insertInto('staff_password_token').values({ token_hash: digest(token), user_id: userId, created_at: at, expires_at: expiresAt.toISOString(), used_at: null }).execute();
  return { token, expiresAt };
}

const refusedLocales = (c: Extract<LocalesCheck, { ok: false }>) => ({ ok: false, problem: c.problem, ...(c.locale !== undefined ? { locale: c.locale } : {}) }) as const;
const localesColumn = (locales: readonly string[]) => (locales.length ? JSON.stringify(locales) : null);

/**
 * Adds a user (email already normalised, role checked by the form; a translator with the languages given, checked
 * here) and gives their first set-password link.
 */
export async function addStaff(db: Db, now: Date, actor: StaffUser, user: { email: string; role: Role; locales?: readonly string[] }, address?: string): Promise<StaffResult<IssuedLink>> {
  const at = now.toISOString();
  const { email, role } = user;
  return db.transaction().execute(async (trx) => {
    const had = await trx.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirst();
    if (had) return { ok: false, problem: 'exists' } as const;
    const checked = await checkLocales(trx, role, user.locales ?? []);
    if (!checked.ok) return refusedLocales(checked);
    const id = randomUUID();
    await trx.insertInto('staff_user').values({ id, email, role, disabled: 0, password_hash: null, locales: localesColumn(checked.locales), created_at: at, updated_at: at }).execute();
    const locales = checked.locales.length ? `locales=${checked.locales.join(',')}; ` : '';
    await audit(trx, now, { event: 'user_created', userId: id, email, address, detail: `role=${role}; ${locales}by=${actor.email}` });
    const link = await issue(trx, now, id);
    await audit(trx, now, { event: 'password_link', userId: id, email, address, detail: `by=${actor.email}` });
    return { ok: true, value: { email, ...link } } as const;
  });
}

/** A new set-password link for a user (the reset); the old password works until the new one is set. */
export async function newPasswordLink(db: Db, now: Date, actor: StaffUser, userId: string, address?: string): Promise<StaffResult<IssuedLink>> {
  return db.transaction().execute(async (trx) => {
    const u = await trx.selectFrom('staff_user').select(['email', 'disabled']).where('id', '=', userId).executeTakeFirst();
    if (!u) return { ok: false, problem: 'not_found' } as const;
    // A disabled user's link would not open (users.service refuses it): re-enable first.
    if (u.disabled !== 0) return { ok: false, problem: 'disabled' } as const;
    const link = await issue(trx, now, userId);
    await audit(trx, now, { event: 'password_link', userId, email: u.email, address, detail: `by=${actor.email}` });
    return { ok: true, value: { email: u.email, ...link } } as const;
  });
}

/**
 * Whether taking `userId` out of the active admins would leave none. Asked inside the changing transaction, which
 * is an exclusive write (one at a time on PostgreSQL too), so that two admins demoting each other at the same
 * moment cannot both pass.
 */
async function isLastAdmin(trx: Transaction<Database>, userId: string): Promise<boolean> {
  const admins = await trx.selectFrom('staff_user').select('id').where('role', '=', 'admin').where('disabled', '=', 0).execute();
  return admins.length === 1 && admins[0]!.id === userId;
}

export async function changeRole(db: Db, now: Date, actor: StaffUser, userId: string, role: Role, address?: string): Promise<StaffResult> {
  return exclusiveWrite(db, async (trx) => {
    const u = await trx.selectFrom('staff_user').select(['email', 'role']).where('id', '=', userId).executeTakeFirst();
    if (!u) return { ok: false, problem: 'not_found' } as const;
    if (u.role === role) return { ok: true, value: undefined } as const;
    if (u.role === 'admin' && (await isLastAdmin(trx, userId))) return { ok: false, problem: 'last_admin' } as const;
    await trx.updateTable('staff_user').set({ role, updated_at: now.toISOString() }).where('id', '=', userId).execute();
    await audit(trx, now, { event: 'user_role_changed', userId, email: u.email, address, detail: `from=${u.role}; to=${role}; by=${actor.email}` });
    return { ok: true, value: undefined } as const;
  });
}

/** Disables a user (their sessions and unused links end at once) or enables them again. */
export async function setDisabled(db: Db, now: Date, actor: StaffUser, userId: string, disabled: boolean, address?: string): Promise<StaffResult> {
  const at = now.toISOString();
  return exclusiveWrite(db, async (trx) => {
    const u = await trx.selectFrom('staff_user').select(['email', 'role', 'disabled']).where('id', '=', userId).executeTakeFirst();
    if (!u) return { ok: false, problem: 'not_found' } as const;
    if ((u.disabled !== 0) === disabled) return { ok: true, value: undefined } as const;
    if (disabled && u.role === 'admin' && (await isLastAdmin(trx, userId))) return { ok: false, problem: 'last_admin' } as const;
    await trx.updateTable('staff_user').set({ disabled: disabled ? 1 : 0, updated_at: at }).where('id', '=', userId).execute();
    if (disabled) {
      await trx.updateTable('staff_session').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
      await trx.updateTable('staff_password_token').set({ used_at: at }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
    }
    await audit(trx, now, { event: disabled ? 'user_disabled' : 'user_enabled', userId, email: u.email, address, detail: `by=${actor.email}` });
    return { ok: true, value: undefined } as const;
  });
}

/**
 * Gives a translator their languages (the published museum's, each once; none: they can edit nothing). The change
 * takes effect on their next request, like a role's; audited with the languages before and after.
 */
export async function setLocales(db: Db, now: Date, actor: StaffUser, userId: string, asked: readonly string[], address?: string): Promise<StaffResult<string[]>> {
  return db.transaction().execute(async (trx) => {
    const u = await trx.selectFrom('staff_user').select(['email', 'role', 'locales']).where('id', '=', userId).executeTakeFirst();
    if (!u) return { ok: false, problem: 'not_found' } as const;
    // A translator's languages only: the box is not offered to the other roles, and an empty list is "none".
    if (u.role !== 'translator') return { ok: false, problem: 'not_translator' } as const;
    const checked = await checkLocales(trx, u.role, asked);
    if (!checked.ok) return refusedLocales(checked);
    const before = localesOf(u.locales);
    if (before.join(',') === checked.locales.join(',')) return { ok: true, value: checked.locales } as const;
    await trx.updateTable('staff_user').set({ locales: localesColumn(checked.locales), updated_at: now.toISOString() }).where('id', '=', userId).execute();
    await audit(trx, now, { event: 'user_locales_changed', userId, email: u.email, address, detail: `before=${before.join(',')}; after=${checked.locales.join(',')}; by=${actor.email}` });
    return { ok: true, value: checked.locales } as const;
  });
}
