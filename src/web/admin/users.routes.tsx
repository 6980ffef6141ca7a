import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { languageName } from '../../i18n/messages.ts';
import { ROLES } from '../../modules/auth/policy.ts';
import { EmailSchema } from '../../modules/auth/users.service.ts';
import {
  addStaff, changeRole, listStaff, museumLocales, newPasswordLink, setDisabled, setLocales, type IssuedLink, type StaffProblem, type StaffResult,
} from '../../modules/auth/staff.service.ts';
import { clientAddress, csrfTokenOf } from './admin.http.ts';
import { emailField, fieldErrors, formListOf } from './admin.forms.ts';
import type { AdminEnv } from './admin.routes.tsx';
import type { ContentTools } from './content.routes.tsx';
import type { AdminPage, FieldErrors } from './admin.views.tsx';
import { UsersPage, type AddValues } from './users.views.tsx';

// /admin/users (decision 0021's addendum, docs/admin.md): admins only
// (user.manage), asked on every request, GET and POST (guard). Thin handlers:
// the token and the policy (guard), zod on the form, one service, the page.

type Env = AdminEnv;

const role = z.enum(ROLES, { error: 'admin.users.badRole' });
const AddUserForm = z.object({ email: emailField, role });
const RoleForm = z.object({ role });
const UserId = z.uuid();
const UsersDone = z.enum(['role', 'disabled', 'enabled', 'locales']).optional().catch(undefined);

type Refusal = Extract<StaffResult, { ok: false }>;

/** The same tools as the content's routes get from admin.routes.tsx, and the public URL the links are made with. */
export type UsersTools = Pick<ContentTools, 'db' | 'now' | 'guard' | 'formOf' | 'render'> & { publicUrl?: string | undefined };

export function usersRoutes(app: Hono<Env>, tools: UsersTools): void {
  const { db, now, guard, formOf, render } = tools;

  const usersPage = async (c: Context<Env>, extra: { status?: number; notice?: string | undefined; alert?: boolean; link?: IssuedLink | undefined; add?: AddValues; errors?: FieldErrors } = {}) => {
    const { page, session, token } = c.var;
    const [users, museum] = await Promise.all([listStaff(db), museumLocales(db)]);
    const base = tools.publicUrl ?? new URL(c.req.url).origin;
    const link = extra.link && { email: extra.link.email, url: `${base.replace(/\/$/, '')}/admin/password/${extra.link.token}`, expiresAt: extra.link.expiresAt };
    return render(c, <UsersPage page={page} me={session!.user} users={users} museum={museum} csrf={csrfTokenOf(token!)} notice={extra.notice} alert={extra.alert ?? false} link={link} add={extra.add ?? {}} errors={extra.errors ?? {}} />, extra.status ?? 200);
  };
  const problemText = async (page: AdminPage, r: Refusal, email: string) => {
    const { t } = page;
    // A code is echoed as sent (escaped), cut short: only a forged form sends a long one.
    const locale = (r.locale ?? '').slice(0, 40);
    switch (r.problem) {
      case 'last_admin': return t('admin.users.lastAdmin', { email });
      case 'disabled': return t('admin.users.linkDisabled', { email });
      case 'exists': return t('admin.users.exists');
      case 'not_found': return t('admin.users.notFound');
      case 'not_translator': return t('admin.users.notTranslator');
      case 'duplicate_locale': return t('admin.users.duplicateLocale', { locale });
      case 'unknown_locale': {
        const museum = await museumLocales(db);
        return t('admin.users.unknownLocale', { locale, languages: museum.map((l) => `${languageName(l, page.locale)} (${l})`).join(', ') });
      }
    }
  };
  const statusOf = (problem: StaffProblem) => (problem === 'not_found' ? 404 : problem.endsWith('_locale') || problem === 'not_translator' ? 400 : 409);
  const notFound = (c: Context<Env>) => usersPage(c, { status: 404, notice: c.var.page.t('admin.users.notFound'), alert: true });

  app.get('/users', async (c) => {
    const no = await guard(c, 'user.manage');
    if (no) return no;
    const done = UsersDone.parse(c.req.query('done'));
    const who = EmailSchema.safeParse(c.req.query('email') ?? '');
    const email = who.success ? who.data : '';
    return usersPage(c, { notice: done ? c.var.page.t(`admin.users.done.${done}`, { email }) : undefined });
  });

  app.post('/users', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'user.manage', form);
    if (no) return no;
    // The boxes checked: which languages may be given (the museum's, once each, a translator's) addStaff checks with zod.
    const locales = await formListOf(c, 'locales');
    const add = { email: form.email, role: form.role, locales };
    const parsed = AddUserForm.safeParse(form);
    if (!parsed.success) return usersPage(c, { status: 400, add, errors: fieldErrors(c.var.page.t, parsed.error) });
    const r = await addStaff(db, now(), c.var.session!.user, { email: EmailSchema.parse(parsed.data.email), role: parsed.data.role, locales }, clientAddress(c));
    if (!r.ok) return usersPage(c, { status: statusOf(r.problem), add, errors: { [r.problem === 'exists' ? 'email' : 'locales']: await problemText(c.var.page, r, parsed.data.email) } });
    // Shown once, on this answer: the link's secret is not kept anywhere but in its digest.
    return usersPage(c, { link: r.value });
  });

  /** The user a /users/:id/… form is about, or undefined (404). */
  const subjectOf = async (c: Context<Env>) => {
    const id = UserId.safeParse(c.req.param('id'));
    if (!id.success) return undefined;
    return (await listStaff(db)).find((u) => u.id === id.data);
  };

  app.post('/users/:id/role', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'user.manage', form);
    if (no) return no;
    const t = c.var.page.t;
    const user = await subjectOf(c);
    if (!user) return notFound(c);
    const parsed = RoleForm.safeParse(form);
    if (!parsed.success) return usersPage(c, { status: 400, errors: { [`role-${user.id}`]: t('admin.users.badRole') } });
    const r = await changeRole(db, now(), c.var.session!.user, user.id, parsed.data.role, clientAddress(c));
    if (!r.ok) return usersPage(c, { status: statusOf(r.problem), errors: { [`role-${user.id}`]: await problemText(c.var.page, r, user.email) } });
    return c.redirect(`/admin/users?done=role&email=${encodeURIComponent(user.email)}`, 303);
  });

  app.post('/users/:id/locales', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'user.manage', form);
    if (no) return no;
    const user = await subjectOf(c);
    if (!user) return notFound(c);
    // As for a new user: setLocales checks the boxes with zod.
    const r = await setLocales(db, now(), c.var.session!.user, user.id, await formListOf(c, 'locales'), clientAddress(c));
    if (!r.ok) return usersPage(c, { status: statusOf(r.problem), errors: { [`locales-${user.id}`]: await problemText(c.var.page, r, user.email) } });
    return c.redirect(`/admin/users?done=locales&email=${encodeURIComponent(user.email)}`, 303);
  });

  for (const which of ['disable', 'enable'] as const) {
    app.post(`/users/:id/${which}`, async (c) => {
      const form = await formOf(c);
      const no = await guard(c, 'user.manage', form);
      if (no) return no;
      const user = await subjectOf(c);
      if (!user) return notFound(c);
      const r = await setDisabled(db, now(), c.var.session!.user, user.id, which === 'disable', clientAddress(c));
      if (!r.ok) return usersPage(c, { status: statusOf(r.problem), errors: { [`user-${user.id}`]: await problemText(c.var.page, r, user.email) } });
      // An admin who disabled themself has no session any more: the next page asks them to sign in.
      return c.redirect(`/admin/users?done=${which}d&email=${encodeURIComponent(user.email)}`, 303);
    });
  }

  app.post('/users/:id/link', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'user.manage', form);
    if (no) return no;
    const user = await subjectOf(c);
    if (!user) return notFound(c);
    const r = await newPasswordLink(db, now(), c.var.session!.user, user.id, clientAddress(c));
    if (!r.ok) return usersPage(c, { status: statusOf(r.problem), errors: { [`user-${user.id}`]: await problemText(c.var.page, r, user.email) } });
    return usersPage(c, { link: r.value });
  });
}
