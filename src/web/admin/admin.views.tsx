import type { Child } from 'hono/jsx';
import type { Translate } from '../../i18n/messages.ts';
import type { StaffUser } from '../../modules/auth/users.service.ts';
import type { SessionListItem } from '../../modules/auth/sessions.service.ts';
import { CSRF_FIELD } from './admin.http.ts';

// The administration's pages: server-rendered, no script, every form a plain
// POST with its token. Field errors sit beside their field (aria-describedby).

export interface AdminPage {
  t: Translate;
  locale: string;
  css: string;
}

export type FieldErrors = Partial<Record<string, string>>;

function Layout({ page, title, signedIn, children }: { page: AdminPage; title: string; signedIn?: { csrf: string } | undefined; children: Child }) {
  const { t } = page;
  return (
    <html lang={page.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} · ${t('admin.name')}`}</title>
        <link rel="stylesheet" href={page.css} />
      </head>
      <body>
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

function Field({ name, label, type, autocomplete, value, error, hint }: { name: string; label: string; type: 'email' | 'password'; autocomplete: string; value?: string | undefined; error?: string | undefined; hint?: string | undefined }) {
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

const Notice = ({ text, alert }: { text?: string | undefined; alert?: boolean }) =>
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

export function HomePage({ page, user, sessions, csrf, notice }: { page: AdminPage; user: StaffUser; sessions: SessionListItem[]; csrf: string; notice?: string | undefined }) {
  const { t } = page;
  const date = (iso: string) => t('admin.dateUtc', { date: new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) });
  return (
    <Layout page={page} title={t('admin.home.title')} signedIn={{ csrf }}>
      <Notice text={notice} />
      <p>{t('admin.home.signedInAs', { email: user.email })} {t('admin.home.role', { role: t(`admin.role.${user.role}`) })}</p>
      <p class="hint">{t('admin.home.soon')}</p>
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
