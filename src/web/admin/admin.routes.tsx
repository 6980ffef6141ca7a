import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { Db } from '../../db/connection.ts';
import { translator, type MessageKey } from '../../i18n/messages.ts';
import { can, type Action } from '../../modules/auth/policy.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../modules/auth/password.ts';
import { openSessions, revokeSession, sessionOf, SESSION_MAX_MS, signIn, signOut, type CurrentSession } from '../../modules/auth/sessions.service.ts';
import { EmailSchema, setPasswordWithLink, userOfPasswordLink } from '../../modules/auth/users.service.ts';
import { AUDIT_EVENTS, AUDIT_RETENTION_DAYS, auditPage, parseDetail } from '../../modules/auth/audit.ts';
import {
  adminLocale, clearSessionCookie, clientAddress, CSRF_FIELD, csrfTokenOf, FORM_COOKIE, formCookie, formTokenFor,
  sameOrigin, sameSecret, sessionCookie, sessionTokenOf,
} from './admin.http.ts';
import { readCookie } from '../http/locale.ts';
import { contentRoutes } from './content.routes.tsx';
import { usersRoutes } from './users.routes.tsx';
import { emailField, fieldErrors, formOf } from './admin.forms.ts';
import { AuditPage, HomePage, MessagePage, PasswordPage, SignInPage, type AdminPage, type FieldErrors } from './admin.views.tsx';
import { dashboardFor, workflowRoutes } from './workflow.routes.tsx';
import { Dashboard } from './dashboard.views.tsx';
import { previewRoutes } from './preview.routes.tsx';
import type { DraftSite } from '../site/draft.site.ts';

// /admin (issue 16's first slice, docs/decisions/0021): sign in, set a
// password through a link, see who you are and your sessions, sign out. Thin
// handlers: check the origin and the token, validate with zod, call one
// service, render. Every route asks the policy.

export interface AdminDeps {
  db: Db;
  /** PUBLIC_URL: the origin forms are posted from. */
  publicUrl?: string | undefined;
  /** The clock (tests move it). */
  now?: () => Date;
  secureCookies: boolean;
  css: string;
  /** The admin's script (an enhancement: every page works without it). */
  js?: string | undefined;
  /** The draft site, for the preview (/admin/preview, docs/decisions/0023); without it there is none. */
  drafts?: DraftSite;
  /** The preview banner's stylesheet. */
  previewCss?: string;
  /** Called when a publish or unpublish here gave the site new content: the site loads it now, not at its next poll. */
  published?: () => void;
}

export type AdminEnv = { Variables: { page: AdminPage; session: CurrentSession | undefined; token: string | undefined } };
type Env = AdminEnv;

const SignInForm = z.object({
  email: emailField,
  password: z.string({ error: 'admin.field.required' }).min(1, 'admin.field.required').max(MAX_PASSWORD_LENGTH * 4, 'admin.field.tooLong'),
});
const PasswordForm = z.object({
  password: z.string({ error: 'admin.field.required' }).min(1, 'admin.field.required'),
  confirm: z.string({ error: 'admin.field.required' }).min(1, 'admin.field.required'),
});
const RevokeForm = z.object({ session: z.string().regex(/^[0-9a-f]{64}$/) });
const SignOutForm = z.object({ everywhere: z.literal('1').optional() });
const Done = z.enum(['password', 'signed-out', 'revoked']).optional().catch(undefined);
const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const AUDIT_PER_PAGE = 50;
const AuditQuery = z.object({
  action: z.enum(AUDIT_EVENTS).optional().catch(undefined),
  user: EmailSchema.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

async function render(c: Context, node: JSX.Element, status = 200, headers: Record<string, string> = {}): Promise<Response> {
  const html = `<!DOCTYPE html>${await node.toString()}`;
  return c.html(html, status as 200, headers);
}

export function adminRoutes(deps: AdminDeps): Hono<Env> {
  const { db, secureCookies: secure } = deps;
  const now = deps.now ?? (() => new Date());
  const app = new Hono<Env>();

  const refused = (c: Context<Env>, key: MessageKey) => {
    const { page } = c.var;
    return render(c, <MessagePage page={page} title={page.t('admin.refused.title')} text={page.t(key)} />, 403);
  };

  app.use('*', async (c, next) => {
    const locale = adminLocale(c);
    c.set('page', { t: translator(locale), locale, css: deps.css, js: deps.js });
    const token = sessionTokenOf(c);
    c.set('token', token);
    c.set('session', await sessionOf(db, now(), token));
    await next();
  });

  // Every POST: from one of our pages (Origin / Sec-Fetch-Site), small, then its token (below, per form).
  // A document's texts in every language can be long (a theme of the demo: some 30 KB as a form); the rest is small.
  const smallBody = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Payload too large', 413) });
  const contentBody = bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.text('Payload too large', 413) });
  app.post('*', async (c, next) => {
    if (!sameOrigin(c, deps.publicUrl)) return refused(c, 'admin.refused.csrf');
    await next();
  }, (c, next) => (c.req.path.startsWith('/admin/content/') ? contentBody : smallBody)(c, next));

  /** The per-form token of a form shown before sign-in, as posted back: the cookie's and the field's must match. */
  const formTokenOk = (c: Context<Env>, form: Record<string, string>) => {
    const had = readCookie(c.req.header('cookie'), FORM_COOKIE);
    const sent = form[CSRF_FIELD];
    return !!had && !!sent && sameSecret(had, sent);
  };
  /** The per-session token of a signed-in form. */
  const sessionTokenOk = (c: Context<Env>, form: Record<string, string>) => {
    const token = c.var.token;
    const sent = form[CSRF_FIELD];
    return !!c.var.session && !!token && !!sent && sameSecret(csrfTokenOf(token), sent);
  };
  const withFormToken = (c: Context<Env>) => {
    const f = formTokenFor(c);
    const headers: Record<string, string> = f.isNew ? { 'Set-Cookie': formCookie(f.token, secure) } : {};
    return { token: f.token, headers };
  };
  const noticeOf = (c: Context<Env>) => {
    const done = Done.parse(c.req.query('done'));
    const t = c.var.page.t;
    return done === 'password' ? t('admin.signIn.passwordSet') : done === 'signed-out' ? t('admin.signIn.signedOut') : done === 'revoked' ? t('admin.sessions.revoked') : undefined;
  };

  app.get('/', async (c) => {
    const { session, page, token } = c.var;
    if (!session || !token) return c.redirect('/admin/sign-in', 303);
    if (!can(session.user, 'admin.home')) return refused(c, 'admin.refused.role');
    const sessions = await openSessions(db, now(), session.user.id, session.id);
    const nav = { users: can(session.user, 'user.manage'), audit: can(session.user, 'audit.read'), content: can(session.user, 'content.read') };
    const dashboard = nav.content ? await dashboardFor(db, session.user, page) : undefined;
    return render(c, (
      <HomePage page={page} user={session.user} sessions={sessions} csrf={csrfTokenOf(token)} notice={noticeOf(c)} nav={nav}>
        {dashboard && <Dashboard page={page} data={dashboard} />}
      </HomePage>
    ));
  });

  app.get('/sign-in', async (c) => {
    if (c.var.session) return c.redirect('/admin', 303);
    const f = withFormToken(c);
    return render(c, <SignInPage page={c.var.page} formToken={f.token} notice={noticeOf(c)} />, 200, f.headers);
  });

  app.post('/sign-in', async (c) => {
    const form = await formOf(c);
    if (!formTokenOk(c, form)) return refused(c, 'admin.refused.csrf');
    const { page } = c.var;
    const formToken = form[CSRF_FIELD]!;
    const parsed = SignInForm.safeParse(form);
    if (!parsed.success) {
      return render(c, <SignInPage page={page} formToken={formToken} email={form.email} errors={fieldErrors(page.t, parsed.error)} />, 400);
    }
    const at = now();
    const r = await signIn(db, at, { ...parsed.data, address: clientAddress(c), userAgent: c.req.header('user-agent') });
    if (!r.ok) {
      const throttled = r.reason === 'throttled';
      const seconds = throttled ? Math.ceil(r.waitMs / 1000) : 0;
      const text = throttled ? page.t('admin.signIn.throttled', { seconds }) : page.t('admin.signIn.invalid');
      return render(c, <SignInPage page={page} formToken={formToken} email={parsed.data.email} notice={text} alert />, throttled ? 429 : 401, throttled ? { 'Retry-After': String(seconds) } : {});
    }
    // A new session, a new token: whatever cookie the browser had before is not carried over (no fixation).
    c.header('Set-Cookie', sessionCookie(r.token, new Date(at.getTime() + SESSION_MAX_MS), at, secure));
    return c.redirect('/admin', 303);
  });

  app.get('/password/:token', async (c) => {
    const link = c.req.param('token');
    const { page } = c.var;
    const user = LINK_TOKEN.test(link) ? await userOfPasswordLink(db, now(), link) : undefined;
    if (!user) return render(c, <MessagePage page={page} title={page.t('admin.link.title')} text={page.t('admin.link.text')} back={false} />, 404);
    const f = withFormToken(c);
    return render(c, <PasswordPage page={page} formToken={f.token} linkToken={link} email={user.email} min={MIN_PASSWORD_LENGTH} />, 200, f.headers);
  });

  app.post('/password/:token', async (c) => {
    const form = await formOf(c);
    if (!formTokenOk(c, form)) return refused(c, 'admin.refused.csrf');
    const link = c.req.param('token');
    const { page } = c.var;
    const t = page.t;
    const user = LINK_TOKEN.test(link) ? await userOfPasswordLink(db, now(), link) : undefined;
    if (!user) return render(c, <MessagePage page={page} title={t('admin.link.title')} text={t('admin.link.text')} back={false} />, 404);
    const again = (errors: FieldErrors) => render(c, <PasswordPage page={page} formToken={form[CSRF_FIELD]!} linkToken={link} email={user.email} min={MIN_PASSWORD_LENGTH} errors={errors} />, 400);
    const parsed = PasswordForm.safeParse(form);
    if (!parsed.success) return again(fieldErrors(t, parsed.error));
    if (parsed.data.password !== parsed.data.confirm) return again({ confirm: t('admin.password.mismatch') });
    const r = await setPasswordWithLink(db, now(), link, parsed.data.password, clientAddress(c));
    if (!r.ok) {
      if (r.problem === 'link_invalid') return render(c, <MessagePage page={page} title={t('admin.link.title')} text={t('admin.link.text')} back={false} />, 404);
      return again({ password: t(`admin.password.${r.problem}`, { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH }) });
    }
    // Setting a password ends every session of the user (the service revoked them): this browser's cookie goes too.
    c.header('Set-Cookie', clearSessionCookie(secure));
    return c.redirect('/admin/sign-in?done=password', 303);
  });

  /**
   * Every signed-in action asks here: with a posted form, its session's CSRF token (and so a session), else a session
   * (or sign in); then the policy. Undefined when allowed, else the answer to give (sign in, or 403).
   */
  const guard = async (c: Context<Env>, action: Action, form?: Record<string, string>): Promise<Response | undefined> => {
    const { session } = c.var;
    if (form) {
      if (!sessionTokenOk(c, form)) return refused(c, 'admin.refused.csrf');
    } else if (!session) return c.redirect('/admin/sign-in', 303);
    if (!can(session!.user, action)) return refused(c, 'admin.refused.role');
    return undefined;
  };

  app.post('/sign-out', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'session.manage', form);
    if (no) return no;
    const session = c.var.session!;
    const parsed = SignOutForm.safeParse(form);
    await signOut(db, now(), session, parsed.success && parsed.data.everywhere === '1', clientAddress(c));
    c.header('Set-Cookie', clearSessionCookie(secure));
    return c.redirect('/admin/sign-in?done=signed-out', 303);
  });

  app.post('/sessions/revoke', async (c) => {
    const form = await formOf(c);
    // One's own sessions only: revokeSession looks for the session among this user's.
    const no = await guard(c, 'session.manage', form);
    if (no) return no;
    const session = c.var.session!;
    const parsed = RevokeForm.safeParse(form);
    if (parsed.success) await revokeSession(db, now(), session.user, parsed.data.session, clientAddress(c));
    return c.redirect('/admin?done=revoked', 303);
  });

  // /admin/users and /admin/audit: admins only (user.manage, audit.read), asked on every request, GET and POST (guard).
  usersRoutes(app, { db, now, guard, formOf, render, publicUrl: deps.publicUrl });

  app.get('/audit', async (c) => {
    const no = await guard(c, 'audit.read');
    if (no) return no;
    const { page, token } = c.var;
    const q = AuditQuery.parse({ action: c.req.query('action') || undefined, user: c.req.query('user') || undefined, page: c.req.query('page') ?? 1 });
    const { rows, more } = await auditPage(db, { event: q.action, user: q.user, page: q.page, perPage: AUDIT_PER_PAGE });
    const view = rows.map((r) => ({ id: r.id, at: r.at, event: r.event, email: r.email, address: r.address, detail: parseDetail(r.detail) }));
    return render(c, <AuditPage page={page} csrf={csrfTokenOf(token!)} rows={view} filter={{ action: q.action, user: q.user }} pageNumber={q.page} more={more} retentionDays={AUDIT_RETENTION_DAYS} events={AUDIT_EVENTS} />);
  });

  const notFound = async (c: Context<Env>) => {
    const { page, session, token } = c.var;
    return render(c, <MessagePage page={page} title={page.t('admin.notFound.title')} text={page.t('admin.notFound.text')} signedIn={session && token ? { csrf: csrfTokenOf(token) } : undefined} />, 404);
  };
  const tools = { db, now, guard, formOf, render, refused, notFound, published: deps.published ?? (() => undefined) };
  contentRoutes(app, tools);
  workflowRoutes(app, tools);
  if (deps.drafts) {
    previewRoutes(app, {
      ...tools, fieldErrors, drafts: deps.drafts, css: deps.previewCss ?? '', publicUrl: deps.publicUrl, overTls: secure,
    });
  }

  app.all('*', async (c) => {
    // "/admin/" is "/admin": one address per page.
    if (c.req.path === '/admin/' && c.req.method === 'GET') return c.redirect('/admin', 301);
    const { page, session, token } = c.var;
    return render(c, <MessagePage page={page} title={page.t('admin.notFound.title')} text={page.t('admin.notFound.text')} signedIn={session && token ? { csrf: csrfTokenOf(token) } : undefined} />, 404);
  });

  return app;
}
