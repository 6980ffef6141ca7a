import { languageName } from '../../i18n/messages.ts';
import { ROLES } from '../../modules/auth/policy.ts';
import type { StaffUser } from '../../modules/auth/users.service.ts';
import type { StaffListItem } from '../../modules/auth/staff.service.ts';
import { CSRF_FIELD } from './admin.http.ts';
import { AdminNav, dateOf, Field, Layout, Notice, type AdminPage, type FieldErrors } from './admin.views.tsx';

// /admin/users (decision 0021's addendum): the staff, one row per user with a
// small form per change (role, a translator's languages, disable, new link),
// and the form that adds a user. No script: every form is a plain POST.

/** A row of the staff page: the service's list item. */
export type StaffRow = StaffListItem;

export interface ShownLink {
  email: string;
  url: string;
  expiresAt: Date;
}

/** What the add form had when it comes back with an error. */
export interface AddValues {
  email?: string | undefined;
  role?: string | undefined;
  locales?: readonly string[];
}

/** A language's name in the admin's language, as a label (capitalised: French names are lower-case). */
const labelOf = (page: AdminPage, locale: string) => {
  const name = languageName(locale, page.locale);
  return name.charAt(0).toLocaleUpperCase(page.locale) + name.slice(1);
};

/** One checkbox per museum language; `idPrefix` keeps the ids of each form apart. */
function LanguageBoxes({ page, museum, checked, idPrefix }: { page: AdminPage; museum: readonly string[]; checked: readonly string[]; idPrefix: string }) {
  return (
    <div class="checks">
      {museum.map((l) => (
        <label class="check" for={`${idPrefix}-${l}`}>
          <input type="checkbox" id={`${idPrefix}-${l}`} name="locales" value={l} {...(checked.includes(l) ? { checked: true } : {})} />
          {' '}{labelOf(page, l)}
        </label>
      ))}
    </div>
  );
}

/** A user's languages: a translator's form (with the warning when they have none), what the other roles edit. */
function LanguagesCell({ page, user: u, museum, csrf, error }: { page: AdminPage; user: StaffRow; museum: readonly string[]; csrf: string; error?: string | undefined }) {
  const { t } = page;
  const id = `locales-${u.id}`;
  // Only a translator is limited to languages (policy.ts); a forged form for another role is answered here.
  if (u.role !== 'translator') {
    const text = u.role === 'reviewer' ? t('admin.users.languagesNone') : t('admin.users.languagesAll');
    return error ? <>{text}<p class="error" id={`${id}-error`}>{error}</p></> : <>{text}</>;
  }
  const warning = u.locales.length === 0;
  const described = [warning ? `${id}-warning` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <>
      {warning && <p class="warning" id={`${id}-warning`}>{t('admin.users.noLanguage')}</p>}
      {museum.length === 0 ? <p class="hint">{t('admin.users.noMuseumLanguages')}</p> : (
        <form method="post" action={`/admin/users/${u.id}/locales`} class="languages">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <fieldset id={id} {...(described ? { 'aria-describedby': described } : {})}>
            <legend class="visually-hidden">{t('admin.users.languagesOf', { email: u.email })}</legend>
            <LanguageBoxes page={page} museum={museum} checked={u.locales} idPrefix={id} />
          </fieldset>
          <button type="submit" class="quiet">{t('admin.users.saveLanguages')}<span class="visually-hidden"> {u.email}</span></button>
          {error && <p class="error" id={`${id}-error`}>{error}</p>}
        </form>
      )}
    </>
  );
}

export function UsersPage({ page, me, users, museum, csrf, notice, alert, link, add = {}, errors = {} }: {
  page: AdminPage; me: StaffUser; users: StaffRow[]; museum: readonly string[]; csrf: string; notice?: string | undefined; alert?: boolean;
  link?: ShownLink | undefined; add?: AddValues; errors?: FieldErrors;
}) {
  const { t } = page;
  const date = dateOf(page);
  const roleOptions = (selected: string | undefined) => ROLES.map((r) => <option value={r} {...(r === selected ? { selected: true } : {})}>{t(`admin.role.${r}`)}</option>);
  return (
    <Layout page={page} title={t('admin.users.title')} signedIn={{ csrf }} wide>
      <AdminNav page={page} users audit content current="users" />
      <Notice text={notice} alert={alert ?? false} />
      {link && (
        <section class="notice link" aria-labelledby="link-title">
          <h2 id="link-title">{t('admin.users.linkTitle', { email: link.email })}</h2>
          <p>{t('admin.users.linkText', { date: date(link.expiresAt.toISOString()) })}</p>
          <p><code class="secret">{link.url}</code></p>
        </section>
      )}
      <h2 id="users">{t('admin.users.list')}</h2>
      <div class="table" role="region" aria-labelledby="users" tabindex={0}>
        <table aria-labelledby="users" class="users">
          <thead>
            <tr>
              <th scope="col">{t('admin.users.email')}</th><th scope="col">{t('admin.users.role')}</th><th scope="col">{t('admin.users.languages')}</th>
              <th scope="col">{t('admin.users.status')}</th><th scope="col">{t('admin.users.lastSignIn')}</th><th scope="col">{t('admin.users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const roleError = errors[`role-${u.id}`];
              const rowError = errors[`user-${u.id}`];
              return (
                <tr id={`user-${u.id}`}>
                  <td data-label={t('admin.users.email')}>{u.email} {u.id === me.id && <span class="hint">{t('admin.users.you')}</span>}</td>
                  <td data-label={t('admin.users.role')}>
                    <form method="post" action={`/admin/users/${u.id}/role`} class="inline">
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <label for={`role-${u.id}`} class="visually-hidden">{t('admin.users.roleOf', { email: u.email })}</label>
                      <select id={`role-${u.id}`} name="role" {...(roleError ? { 'aria-invalid': 'true', 'aria-describedby': `role-${u.id}-error` } : {})}>{roleOptions(u.role)}</select>
                      <button type="submit" class="quiet">{t('admin.users.changeRole')}</button>
                      {roleError && <p class="error" id={`role-${u.id}-error`}>{roleError}</p>}
                    </form>
                  </td>
                  <td data-label={t('admin.users.languages')}><LanguagesCell page={page} user={u} museum={museum} csrf={csrf} error={errors[`locales-${u.id}`]} /></td>
                  <td data-label={t('admin.users.status')}>{u.disabled ? t('admin.users.disabledStatus') : u.hasPassword ? t('admin.users.active') : t('admin.users.noPassword')}</td>
                  <td data-label={t('admin.users.lastSignIn')}>{u.lastSignIn ? date(u.lastSignIn) : t('admin.users.never')}</td>
                  <td data-label={t('admin.users.actions')}>
                    <div class="row-actions">
                      <form method="post" action={`/admin/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`}>
                        <input type="hidden" name={CSRF_FIELD} value={csrf} />
                        <button type="submit" class="quiet" {...(rowError ? { 'aria-describedby': `user-${u.id}-error` } : {})}>{u.disabled ? t('admin.users.enable') : t('admin.users.disable')}<span class="visually-hidden"> {u.email}</span></button>
                      </form>
                      {!u.disabled && (
                        <form method="post" action={`/admin/users/${u.id}/link`}>
                          <input type="hidden" name={CSRF_FIELD} value={csrf} />
                          <button type="submit" class="quiet">{t('admin.users.newLink')}<span class="visually-hidden"> {u.email}</span></button>
                        </form>
                      )}
                    </div>
                    {rowError && <p class="error" id={`user-${u.id}-error`}>{rowError}</p>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2 id="add">{t('admin.users.add')}</h2>
      <form method="post" action="/admin/users" class="stack" novalidate aria-labelledby="add">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <Field name="email" label={t('admin.users.email')} type="email" autocomplete="off" value={add.email} error={errors.email} />
        <div class="field">
          <label for="role">{t('admin.users.role')}</label>
          <select id="role" name="role" {...(errors.role ? { 'aria-invalid': 'true', 'aria-describedby': 'role-error' } : {})}>{roleOptions(add.role ?? 'editor')}</select>
          {errors.role && <p class="error" id="role-error">{errors.role}</p>}
        </div>
        {museum.length > 0 && (
          <fieldset id="locales" class="field" aria-describedby={errors.locales ? 'locales-hint locales-error' : 'locales-hint'}>
            <legend>{t('admin.users.addLanguages')}</legend>
            <p class="hint" id="locales-hint">{t('admin.users.addLanguagesHint')}</p>
            <LanguageBoxes page={page} museum={museum} checked={add.locales ?? []} idPrefix="locales" />
            {errors.locales && <p class="error" id="locales-error">{errors.locales}</p>}
          </fieldset>
        )}
        <p class="hint">{t('admin.users.addHint')}</p>
        <div><button type="submit">{t('admin.users.addSubmit')}</button></div>
      </form>
    </Layout>
  );
}
