import type { LiveLink } from '../../modules/preview/links.service.ts';
import { CSRF_FIELD } from './admin.http.ts';
import { dateOf, Layout, Notice, type AdminPage, type FieldErrors } from './admin.views.tsx';

// /admin/preview (docs/admin.md, "Preview"; docs/decisions/0023): open the
// preview of a page, give a reviewer a share link to it, see the links that
// work now and revoke one. Server-rendered forms, no script.

export interface NewShareLink {
  url: string;
  expiresAt: string;
}

export function PreviewLinksPage({ page, csrf, path, label, links, me, canRevokeAll, issued, notice, alert, errors = {} }: {
  page: AdminPage; csrf: string; path: string; label?: string | undefined; links: LiveLink[]; me: string; canRevokeAll: boolean;
  issued?: NewShareLink | undefined; notice?: string | undefined; alert?: boolean; errors?: FieldErrors;
}) {
  const { t } = page;
  const date = dateOf(page);
  const described = (name: string, hint: boolean) => [hint ? `${name}-hint` : '', errors[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
  return (
    <Layout page={page} title={t('admin.preview.title')} signedIn={{ csrf }} wide>
      <nav aria-label={t('admin.nav.label')} class="admin-nav">
        <ul>
          <li><a href="/admin">{t('admin.home.title')}</a></li>
          <li><a href="/admin/content">{t('admin.nav.content')}</a></li>
        </ul>
      </nav>
      <Notice text={notice} alert={alert ?? false} />
      {issued && (
        <section class="notice link" aria-labelledby="issued-title">
          <h2 id="issued-title">{t('admin.preview.issued.title')}</h2>
          <p>{t('admin.preview.issued.text', { date: date(issued.expiresAt) })}</p>
          <p><code class="secret">{issued.url}</code></p>
        </section>
      )}
      <p><a href={`/admin/preview${path}`}>{t('admin.preview.open', { path })}</a></p>
      <h2 id="share">{t('admin.preview.share.title')}</h2>
      <p>{t('admin.preview.share.intro')}</p>
      <form method="post" action="/admin/preview/links" class="stack" novalidate aria-labelledby="share">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <div class="field">
          <label for="path">{t('admin.preview.share.path')}</label>
          <p class="hint" id="path-hint">{t('admin.preview.share.pathHint')}</p>
          <input type="text" id="path" name="path" value={path} maxlength={500} autocomplete="off"
            aria-describedby={described('path', true)} {...(errors.path ? { 'aria-invalid': 'true' } : {})} />
          {errors.path && <p class="error" id="path-error">{errors.path}</p>}
        </div>
        <div class="field">
          <label for="label">{t('admin.preview.share.label')}</label>
          <p class="hint" id="label-hint">{t('admin.preview.share.labelHint')}</p>
          <input type="text" id="label" name="label" value={label ?? ''} maxlength={120} autocomplete="off"
            aria-describedby={described('label', true)} {...(errors.label ? { 'aria-invalid': 'true' } : {})} />
          {errors.label && <p class="error" id="label-error">{errors.label}</p>}
        </div>
        <div><button type="submit">{t('admin.preview.share.submit')}</button></div>
      </form>
      <h2 id="links">{t('admin.preview.links.title')}</h2>
      {links.length === 0 ? <p>{t('admin.preview.links.none')}</p> : (
        <div class="table" role="region" aria-labelledby="links" tabindex={0}>
          <table aria-labelledby="links">
            <thead>
              <tr><th scope="col">{t('admin.preview.links.for')}</th><th scope="col">{t('admin.preview.links.page')}</th><th scope="col">{t('admin.preview.links.by')}</th><th scope="col">{t('admin.preview.links.until')}</th><th scope="col">{t('admin.preview.links.action')}</th></tr>
            </thead>
            <tbody>
              {links.map((l) => (
                <tr>
                  <td data-label={t('admin.preview.links.for')}>{l.label ?? t('admin.preview.links.noLabel')}</td>
                  <td data-label={t('admin.preview.links.page')}><a href={`/admin/preview${l.path}`}>{l.path}</a></td>
                  <td data-label={t('admin.preview.links.by')}>{l.createdBy.email}</td>
                  <td data-label={t('admin.preview.links.until')}><time datetime={l.expiresAt}>{date(l.expiresAt)}</time></td>
                  <td data-label={t('admin.preview.links.action')}>
                    {(canRevokeAll || l.createdBy.id === me) && (
                      <form method="post" action={`/admin/preview/links/${l.id}/revoke`}>
                        <input type="hidden" name={CSRF_FIELD} value={csrf} />
                        <button type="submit" class="quiet">{t('admin.preview.links.revoke')}<span class="visually-hidden"> {l.label ?? l.path}</span></button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
