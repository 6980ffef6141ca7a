import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../shared/errors.ts';
import { audit } from './audit.ts';
import { hashPassword, passwordProblem, type PasswordProblem } from './password.ts';
import { isRole, ROLES, type Actor, type Role } from './policy.ts';
import { publishedLocales } from '../content/content.repository.ts';
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

export type LocalesProblem = 'unknown_locale' | 'duplicate_locale' | 'not_translator';

/**
 * A user's languages as asked for (a form's boxes, the CLI's --locales): each one of the published museum's
 * languages, none twice. Issues carry the problem (their message) and the language; the valid list comes back in
 * the museum's order, so that two equal sets are stored alike.
 */
export const localesSchema = (museum: readonly string[]) => z.array(z.string()).superRefine((asked, ctx) => {
  const seen = new Set<string>();
  for (const locale of asked) {
    if (!museum.includes(locale)) ctx.addIssue({ code: 'custom', message: 'unknown_locale' satisfies LocalesProblem, params: { locale } });
    else if (seen.has(locale)) ctx.addIssue({ code: 'custom', message: 'duplicate_locale' satisfies LocalesProblem, params: { locale } });
    seen.add(locale);
  }
}).transform((asked) => museum.filter((l) => asked.includes(l)));

export type LocalesCheck = { ok: true; locales: string[] } | { ok: false; problem: LocalesProblem; locale?: string; museum: string[] };

/** Checks the languages asked for a user of `role` against the published museum's (read with `q`, in the caller's transaction). */
export async function checkLocales(q: Parameters<typeof publishedLocales>[0], role: Role, asked: readonly string[]): Promise<LocalesCheck> {
  const museum = await publishedLocales(q);
  // Only a translator's languages are looked at (policy.ts): giving them to another role would be a mistake.
  if (asked.length > 0 && role !== 'translator') return { ok: false, problem: 'not_translator', museum };
  const r = localesSchema(museum).safeParse(asked);
  if (r.success) return { ok: true, locales: r.data };
  const issue = r.error.issues[0]!;
  const locale = (issue as { params?: { locale?: string } }).params?.locale;
  return { ok: false, problem: issue.message as LocalesProblem, ...(locale !== undefined ? { locale } : {}), museum };
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

/** The CLI's sentence for a refused --locales. */
function localesError(c: Extract<LocalesCheck, { ok: false }>): AppError {
  const text = c.problem === 'not_translator' ? '--locales is for a translator only: the other roles are not limited to languages.'
    : c.problem === 'duplicate_locale' ? `--locales: "${c.locale}" is written twice.`
      : c.museum.length === 0 ? '--locales: no content is published yet, so the museum has no languages to give; import a bundle first, or add the user without --locales.'
        : `--locales: "${c.locale}" is not one of the museum's languages (${c.museum.join(', ')}).`;
  return new AppError('bad_request', `${text} Nothing was changed.`);
}

/**
 * `parcours user add --role <role> [--locales en,de] <email>`: creates the user (a translator with the languages
 * given), or, when the email is already a user's, issues a new set-password link (the reset of a forgotten password:
 * the old password keeps working until the link is used). Earlier unused links of that user stop working.
 */
export async function addUserOrLink(db: Db, now: Date, emailInput: string, roleInput: string, localesInput: readonly string[] = []): Promise<PasswordLink> {
  const email = EmailSchema.safeParse(emailInput);
  if (!email.success) throw new AppError('bad_request', `"${emailInput}" is not an email address.`);
  if (!isRole(roleInput)) throw new AppError('bad_request', `"${roleInput}" is not a role; write one of ${ROLES.join(', ')}.`);
  const at = now.toISOString();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_LINK_MS);
  return db.transaction().execute(async (trx) => {
    let row = await trx.selectFrom('staff_user').select(['id', 'email', 'role', 'disabled', 'password_hash', 'locales']).where('email', '=', email.data).executeTakeFirst();
    const created = !row;
    const checked = await checkLocales(trx, roleInput, localesInput);
    if (!checked.ok) throw localesError(checked);
    if (!row) {
      const locales = checked.locales.length ? JSON.stringify(checked.locales) : null;
      row = { id: randomUUID(), email: email.data, role: roleInput, disabled: 0, password_hash: null, locales };
      await trx.insertInto('staff_user').values({ ...row, created_at: at, updated_at: at }).execute();
      await audit(trx, now, { event: 'user_created', userId: row.id, email: row.email, detail: `role=${roleInput}; ${checked.locales.length ? `locales=${checked.locales.join(',')}; ` : ''}by=cli` });
    } else if (row.role !== roleInput) {
      throw new AppError('bad_request', `${email.data} is already a user, with the role ${row.role}; nothing was changed (roles are changed by an admin).`);
    } else if (localesInput.length && localesOf(row.locales).join(',') !== checked.locales.join(',')) {
      throw new AppError('bad_request', `${email.data} is already a user, with the languages ${localesOf(row.locales).join(', ') || 'none'}; nothing was changed (languages are changed by an admin, at /admin/users).`);
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
