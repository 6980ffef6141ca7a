import type { Child } from 'hono/jsx';
import { languageName, type MessageKey, type Translate } from '../../i18n/messages.ts';
import type { StaffUser } from '../../modules/auth/users.service.ts';
import type { SessionListItem } from '../../modules/auth/sessions.service.ts';
import { CSRF_FIELD } from './admin.http.ts';

// The administration's pages: server-rendered, no script, every form a plain
// POST with its token. Field errors sit beside their field (aria-describedby).

export interface AdminPage {
  t: Translate;
  locale: string;
  css: string;
  js?: string | undefined;
}

export type FieldErrors = Partial<Record<string, string>>;

export function Layout({ page, title, signedIn, wide, children }: { page: AdminPage; title: string; signedIn?: { csrf: string } | undefined; wide?: boolean; children: Child }) {
  const { t } = page;
  return (
    <html lang={page.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} · ${t('admin.name')}`}</title>
        <link rel="stylesheet" href={page.css} />
        {page.js && <script type="module" src={page.js} />}
      </head>
      <body {...(wide ? { class: 'wide' } : {})}>
        <a class="skip" href="#main">{t('skip')}</a>
        <header>
          <div>
            <p>{t('admin.name')}</p>
            {signedIn && (
              <form method="post" action="/admin/sign-out">
                <input type="hidden" name={CSRF_FIELD} value={signedIn.csrf} />
                <button type="submit" class="quiet">{t('admin.signOut')}</button>
              </form>
            )}
          </div>
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

export function Field({ name, label, type, autocomplete, value, error, hint }: { name: string; label: string; type: 'email' | 'password'; autocomplete: string; value?: string | undefined; error?: string | undefined; hint?: string | undefined }) {
  const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={name}>{label}</label>
      {hint && <p class="hint" id={`${name}-hint`}>{hint}</p>}
      <input
        id={name} name={name} type={type} autocomplete={autocomplete} required
        {...(value !== undefined ? { value } : {})}
        {...(described ? { 'aria-describedby': described } : {})}
        {...(error ? { 'aria-invalid': 'true' } : {})}
      />
      {error && <p class="error" id={`${name}-error`}>{error}</p>}
    </div>
  );
}

export const Notice = ({ text, alert }: { text?: string | undefined; alert?: boolean }) =>
  text ? <p class={alert ? 'notice alert' : 'notice'} role={alert ? 'alert' : 'status'}>{text}</p> : null;

export function SignInPage({ page, formToken, email, errors = {}, notice, alert }: { page: AdminPage; formToken: string; email?: string | undefined; errors?: FieldErrors; notice?: string | undefined; alert?: boolean }) {
  const { t } = page;
  return (
    <Layout page={page} title={t('admin.signIn.title')}>
      <Notice text={notice} alert={alert ?? false} />
      <form method="post" action="/admin/sign-in" class="stack" novalidate>
        <input type="hidden" name={CSRF_FIELD} value={formToken} />
        <Field name="email" label={t('admin.signIn.email')} type="email" autocomplete="username" value={email} error={errors.email} />
        <Field name="password" label={t('admin.signIn.password')} type="password" autocomplete="current-password" error={errors.password} />
        <div><button type="submit">{t('admin.signIn.submit')}</button></div>
      </form>
      <p class="hint">{t('admin.signIn.lost')}</p>
    </Layout>
  );
}

export function PasswordPage({ page, formToken, linkToken, email, min, errors = {} }: { page: AdminPage; formToken: string; linkToken: string; email: string; min: number; errors?: FieldErrors }) {
  const { t } = page;
  return (
    <Layout page={page} title={t('admin.password.title')}>
      <form method="post" action={`/admin/password/${linkToken}`} class="stack" novalidate>
        <input type="hidden" name={CSRF_FIELD} value={formToken} />
        {/* For password managers: the account the new password belongs to. */}
        <input type="hidden" name="username" autocomplete="username" value={email} />
        <Field name="password" label={t('admin.password.new')} type="password" autocomplete="new-password" error={errors.password} hint={t('admin.password.intro', { email, min })} />
        <Field name="confirm" label={t('admin.password.confirm')} type="password" autocomplete="new-password" error={errors.confirm} />
        <div><button type="submit">{t('admin.password.submit')}</button></div>
      </form>
    </Layout>
  );
}

export function MessagePage({ page, title, text, signedIn, back = true }: { page: AdminPage; title: string; text: string; signedIn?: { csrf: string } | undefined; back?: boolean }) {
  return (
    <Layout page={page} title={title} signedIn={signedIn}>
      <p>{text}</p>
      {back && <p><a href="/admin">{page.t('admin.back')}</a></p>}
    </Layout>
  );
}

/** The signed-in home: who you are, the dashboard (`children`, dashboard.views.tsx) and your sessions. */
export function HomePage({ page, user, sessions, csrf, notice, nav = { users: false, audit: false, content: false }, children }: { page: AdminPage; user: StaffUser; sessions: SessionListItem[]; csrf: string; notice?: string | undefined; nav?: { users: boolean; audit: boolean; content: boolean }; children?: Child }) {
  const { t } = page;
  const date = (iso: string) => t('admin.dateUtc', { date: new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) });
  return (
    <Layout page={page} title={t('admin.home.title')} signedIn={{ csrf }} wide>
      <AdminNav page={page} users={nav.users} audit={nav.audit} content={nav.content} />
      <Notice text={notice} />
      <p>{t('admin.home.signedInAs', { email: user.email })} {t('admin.home.role', { role: t(`admin.role.${user.role}`) })}</p>
      {children}
      <h2 id="sessions">{t('admin.sessions.title')}</h2>
      <div class="table">
        <table aria-labelledby="sessions">
          <thead>
            <tr><th scope="col">{t('admin.sessions.browser')}</th><th scope="col">{t('admin.sessions.started')}</th><th scope="col">{t('admin.sessions.lastSeen')}</th><th scope="col">{t('admin.sessions.action')}</th></tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr>
                <td data-label={t('admin.sessions.browser')}>{s.userAgent ?? t('admin.sessions.unknown')}</td>
                <td data-label={t('admin.sessions.started')}>{date(s.createdAt)}</td>
                <td data-label={t('admin.sessions.lastSeen')}>{date(s.lastSeenAt)}</td>
                <td data-label={t('admin.sessions.action')}>
                  {s.current ? <strong>{t('admin.sessions.current')}</strong> : (
                    <form method="post" action="/admin/sessions/revoke">
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <input type="hidden" name="session" value={s.id} />
                      <button type="submit" class="quiet">{t('admin.sessions.revoke')}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="actions">
        <form method="post" action="/admin/sign-out">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="everywhere" value="1" />
          <button type="submit" aria-describedby="everywhere-hint">{t('admin.signOutEverywhere')}</button>
        </form>
        <p class="hint" id="everywhere-hint">{t('admin.signOutEverywhere.hint')}</p>
      </div>
    </Layout>
  );
}

export const dateOf = (page: AdminPage) => (iso: string) =>
  page.t('admin.dateUtc', { date: new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso)) });

/** A time of day, for a lease's end: "14:32 UTC". */
export const timeOf = (page: AdminPage) => (iso: string) =>
  page.t('admin.dateUtc', { date: new Intl.DateTimeFormat(page.locale, { timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) });

/** The links of the pages an admin has besides the home: shown only to whom the policy allows them. */
export function AdminNav({ page, users, audit, content = false, current }: { page: AdminPage; users: boolean; audit: boolean; content?: boolean; current?: 'users' | 'audit' }) {
  const { t } = page;
  if (!users && !audit && !content) return null;
  const link = (href: string, label: string, here: boolean) => <li><a href={href} {...(here ? { 'aria-current': 'page' } : {})}>{label}</a></li>;
  return (
    <nav aria-label={t('admin.nav.label')} class="admin-nav">
      <ul>
        {link('/admin', t('admin.home.title'), false)}
        {content && link('/admin/content', t('admin.nav.content'), false)}
        {users && link('/admin/users', t('admin.nav.users'), current === 'users')}
        {audit && link('/admin/audit', t('admin.nav.audit'), current === 'audit')}
      </ul>
    </nav>
  );
}

export interface AuditView {
  id: string;
  at: string;
  event: string;
  email: string | null;
  address: string | null;
  detail: Record<string, string>;
}

export function AuditPage({ page, csrf, rows, filter, pageNumber, more, retentionDays, events }: {
  page: AdminPage; csrf: string; rows: AuditView[]; filter: { action?: string | undefined; user?: string | undefined };
  pageNumber: number; more: boolean; retentionDays: number; events: readonly string[];
}) {
  const { t } = page;
  const date = dateOf(page);
  const href = (n: number) => {
    const q = new URLSearchParams();
    if (filter.action) q.set('action', filter.action);
    if (filter.user) q.set('user', filter.user);
    if (n > 1) q.set('page', String(n));
    const s = q.toString();
    return s ? `/admin/audit?${s}` : '/admin/audit';
  };
  const eventName = (e: string) => (events.includes(e) ? t(`admin.audit.event.${e}` as MessageKey) : e);
  const actorOf = (r: AuditView) => {
    const by = r.detail.by;
    if (by === 'cli') return t('admin.audit.cli');
    if (by) return by;
    return r.email ?? '';
  };
  const subjectOf = (r: AuditView) => (r.detail.by ? (r.email ?? '') : r.event === 'sign_in_failed' && r.detail.unknown !== undefined ? t('admin.audit.unknownEmail') : '');
  const languages = (codes: string) => (codes ? codes.split(',').map((l) => languageName(l, page.locale)).join(', ') : t('admin.audit.noLocales'));
  const details = (r: AuditView) => {
    const d = r.detail;
    const parts: string[] = [];
    if (d.from && d.to) parts.push(t('admin.audit.roleChange', { from: t(`admin.role.${d.from}` as MessageKey), to: t(`admin.role.${d.to}` as MessageKey) }));
    if (d.role) parts.push(t('admin.audit.withRole', { role: t(`admin.role.${d.role}` as MessageKey) }));
    if (d.locales) parts.push(t('admin.audit.withLocales', { locales: languages(d.locales) }));
    if (d.before !== undefined && d.after !== undefined) parts.push(t('admin.audit.localesChange', { before: languages(d.before), after: languages(d.after) }));
    if (d.count && d.count !== '1') parts.push(t('admin.audit.count', { count: Number(d.count) }));
    if (d.ua) parts.push(t('admin.audit.browser', { ua: d.ua }));
    return parts.join(' · ');
  };
  return (
    <Layout page={page} title={t('admin.audit.title')} signedIn={{ csrf }} wide>
      <AdminNav page={page} users audit content current="audit" />
      <p class="hint">{t('admin.audit.intro', { days: retentionDays })}</p>
      <form method="get" action="/admin/audit" class="filters" aria-label={t('admin.audit.filter')}>
        <div class="field">
          <label for="action">{t('admin.audit.action')}</label>
          <select id="action" name="action">
            <option value="">{t('admin.audit.anyAction')}</option>
            {events.map((e) => <option value={e} {...(e === filter.action ? { selected: true } : {})}>{eventName(e)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="user">{t('admin.audit.user')}</label>
          <input id="user" name="user" type="email" autocomplete="off" {...(filter.user ? { value: filter.user } : {})} />
        </div>
        <div><button type="submit">{t('admin.audit.show')}</button></div>
      </form>
      <h2 id="entries" class="visually-hidden">{t('admin.audit.pageN', { page: pageNumber })}</h2>
      {rows.length === 0 ? <p>{t('admin.audit.none')}</p> : (
        <div class="table" role="region" aria-labelledby="entries" tabindex={0}>
          <table aria-labelledby="entries" class="audit">
            <thead>
              <tr><th scope="col">{t('admin.audit.time')}</th><th scope="col">{t('admin.audit.actor')}</th><th scope="col">{t('admin.audit.action')}</th><th scope="col">{t('admin.audit.subject')}</th><th scope="col">{t('admin.audit.address')}</th><th scope="col">{t('admin.audit.details')}</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td data-label={t('admin.audit.time')}><time datetime={r.at}>{date(r.at)}</time></td>
                  <td data-label={t('admin.audit.actor')}>{actorOf(r)}</td>
                  <td data-label={t('admin.audit.action')}>{eventName(r.event)}</td>
                  <td data-label={t('admin.audit.subject')}>{subjectOf(r)}</td>
                  <td data-label={t('admin.audit.address')}>{r.address ?? ''}</td>
                  <td data-label={t('admin.audit.details')}>{details(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(pageNumber > 1 || more) && (
        <nav aria-label={t('admin.audit.pages')} class="pager">
          {pageNumber > 1 && <a href={href(pageNumber - 1)} rel="prev">{t('admin.audit.newer')}</a>}
          {more && <a href={href(pageNumber + 1)} rel="next">{t('admin.audit.older')}</a>}
        </nav>
      )}
    </Layout>
  );
}
