import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { translator, type MessageKey } from '../../i18n/messages.ts';
import { can } from '../../modules/auth/policy.ts';
import type { CurrentSession } from '../../modules/auth/sessions.service.ts';
import { createPreviewLink, linkOfToken, liveLinks, revokePreviewLink } from '../../modules/preview/links.service.ts';
import { respond } from '../http/prepared.ts';
import { previewHeaderValues } from '../http/security.ts';
import type { DraftSite } from '../site/draft.site.ts';
import type { PreviewBanner } from '../site/preview.page.tsx';
import { adminLocale, clientAddress, csrfTokenOf } from './admin.http.ts';
import { MessagePage, type AdminPage, type FieldErrors } from './admin.views.tsx';
import type { ContentTools } from './content.routes.tsx';
import { PreviewLinksPage, type NewShareLink } from './preview.views.tsx';

// The preview (docs/decisions/0023, docs/admin.md "Preview"): the public
// site's pages rendered from the drafts, at /admin/preview/<page> for staff
// who may preview (content.preview) and at /preview/<token>/<page> for a
// reviewer given a share link; /admin/preview lists the live links, makes
// one, revokes one. The pages themselves come from the draft site
// (draft.site.ts), rendered where the site's pages are.

type Env = { Variables: { page: AdminPage; session: CurrentSession | undefined; token: string | undefined } };

export interface PreviewTools extends ContentTools {
  drafts: DraftSite;
  /** The banner's stylesheet (assets.ts). */
  css: string;
  publicUrl: string | undefined;
  overTls: boolean;
  fieldErrors: (t: AdminPage['t'], error: z.ZodError) => FieldErrors;
}

const PREFIX = '/admin/preview';
/** A public page's path as a form or a query gives it: letters, digits, hyphens and slashes (slugs and language codes). */
const PagePath = z.string().trim().min(1, 'admin.field.required').max(500, 'admin.field.tooLong').regex(/^\/[A-Za-z0-9/-]*$/, 'admin.preview.share.badPath');
const LinkForm = z.object({
  path: PagePath,
  label: z.string().trim().max(120, 'admin.field.tooLong').optional().transform((s) => s || undefined),
});
const LinkId = z.uuid();
const DocKey = z.string().regex(/^(theme|article|page|visit)\/[a-z0-9]+(-[a-z0-9]+)*$/).max(220);
const Done = z.enum(['revoked']).optional().catch(undefined);

const queryOf = (c: Context) => (c.req.url.includes('?') ? new URL(c.req.url).searchParams : undefined);
const searchOf = (c: Context) => {
  const i = c.req.url.indexOf('?');
  return i < 0 ? '' : c.req.url.slice(i);
};

/**
 * One preview page's answer: the page with the public page's CSP and the preview's headers; a slash too many or too
 * few redirects under the same prefix; anything else is `missing` or `failed` (pages of the administration).
 */
async function previewAnswer(c: Context, drafts: DraftSite, prefix: string, path: string, banner: PreviewBanner, shared: boolean, overTls: boolean,
  missing: () => Promise<Response>, failed: () => Promise<Response>): Promise<Response> {
  const got = await drafts.page(path, queryOf(c), banner);
  c.set('previewHeaders', previewHeaderValues(got.status === 200 ? got.frameOrigins : undefined, shared, overTls));
  if (got.status === 200) return respond(c.req.raw, got.page);
  if (got.status === 301) return c.redirect(`${prefix}${got.path}${searchOf(c)}`, 301);
  return got.status === 404 ? missing() : failed();
}

export function previewRoutes(app: Hono<Env>, tools: PreviewTools): void {
  const { db, now, guard, formOf, render, refused, notFound, drafts, css, overTls, fieldErrors } = tools;
  const failed = (c: Context<Env>) => {
    const { page } = c.var;
    return render(c, <MessagePage page={page} title={page.t('admin.preview.failed.title')} text={page.t('admin.preview.failed.text')} signedIn={{ csrf: csrfTokenOf(c.var.token!) }} />, 500);
  };

  const linksPage = async (c: Context<Env>, extra: { path?: string; label?: string | undefined; issued?: NewShareLink; notice?: string | undefined; alert?: boolean; errors?: FieldErrors; status?: number } = {}) => {
    const { page, session, token } = c.var;
    const user = session!.user;
    const asked = PagePath.safeParse(c.req.query('path') ?? '');
    const path = extra.path ?? (asked.success ? await drafts.canonical(asked.data) : undefined) ?? (await drafts.canonical('/', page.locale)) ?? '/';
    const links = await liveLinks(db, now());
    return render(c, (
      <PreviewLinksPage page={page} csrf={csrfTokenOf(token!)} path={path} label={extra.label} links={links} me={user.id} canRevokeAll={can(user, 'content.publish')}
        issued={extra.issued} notice={extra.notice} alert={extra.alert ?? false} errors={extra.errors ?? {}} />
    ), extra.status ?? 200);
  };

  app.get('/preview', async (c) => {
    const no = await guard(c, 'content.preview');
    if (no) return no;
    return linksPage(c, { notice: Done.parse(c.req.query('done')) ? c.var.page.t('admin.preview.links.revoked') : undefined });
  });

  app.post('/preview/links', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.preview', form);
    if (no) return no;
    const t = c.var.page.t;
    const parsed = LinkForm.safeParse(form);
    if (!parsed.success) return linksPage(c, { path: form.path ?? '', label: form.label, errors: fieldErrors(t, parsed.error), status: 400 });
    const path = await drafts.canonical(parsed.data.path, c.var.page.locale);
    if (!path) return linksPage(c, { path: parsed.data.path, label: parsed.data.label, errors: { path: t('admin.preview.share.noPage') }, status: 400 });
    const link = await createPreviewLink(db, now(), c.var.session!.user, path, parsed.data.label, clientAddress(c));
    const base = (tools.publicUrl ?? new URL(c.req.url).origin).replace(/\/$/, '');
    // Shown once, on this answer: the database keeps only the token's digest.
    return linksPage(c, { path, issued: { url: `${base}/preview/${link.token}${path}`, expiresAt: link.expiresAt.toISOString() } });
  });

  app.post('/preview/links/:id/revoke', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.preview', form);
    if (no) return no;
    const id = LinkId.safeParse(c.req.param('id'));
    const r = id.success ? await revokePreviewLink(db, now(), c.var.session!.user, id.data, clientAddress(c)) : 'not_found';
    if (r === 'refused') return refused(c, 'admin.refused.role');
    if (r === 'not_found') return linksPage(c, { notice: c.var.page.t('admin.preview.links.gone'), alert: true, status: 404 });
    return c.redirect(`${PREFIX}?done=revoked`, 303);
  });

  // The editor's "Preview": the document's page in the admin's language (else the museum's), in the preview.
  app.get('/content/:kind/:id/preview', async (c) => {
    const no = await guard(c, 'content.preview');
    if (no) return no;
    const key = DocKey.safeParse(`${c.req.param('kind')}/${c.req.param('id')}`);
    const path = key.success ? await drafts.pathOf(key.data, c.var.page.locale) : undefined;
    return path ? c.redirect(`${PREFIX}${path}`, 303) : notFound(c);
  });

  app.get('/preview/*', async (c) => {
    const no = await guard(c, 'content.preview');
    if (no) return no;
    const banner: PreviewBanner = { locale: c.var.page.locale, admin: true, css };
    return previewAnswer(c, drafts, PREFIX, c.req.path.slice(PREFIX.length), banner, false, overTls, () => notFound(c), () => failed(c));
  });
}

export interface ShareDeps {
  db: ContentTools['db'];
  now: () => Date;
  drafts: DraftSite;
  /** The administration's stylesheet (the pages that say a link does not work) and the banner's. */
  adminCss: string;
  css: string;
  overTls: boolean;
}

/** /preview/<token>/<page>: the preview for whoever holds a live share link, without an account. */
export function shareRoutes({ db, now, drafts, adminCss, css, overTls }: ShareDeps): Hono {
  const app = new Hono();
  const message = async (c: Context, status: 404 | 410 | 500, title: MessageKey, text: MessageKey) => {
    const locale = adminLocale(c);
    const page: AdminPage = { t: translator(locale), locale, css: adminCss };
    c.set('previewHeaders', previewHeaderValues(undefined, true, overTls));
    return c.html(`<!DOCTYPE html>${await (<MessagePage page={page} title={page.t(title)} text={page.t(text)} back={false} />).toString()}`, status);
  };
  app.get('/:token{[^/]+}/*', async (c) => {
    const token = c.req.param('token');
    const link = await linkOfToken(db, now(), token);
    if (link === 'unknown') return message(c, 404, 'admin.preview.unknown.title', 'admin.preview.unknown.text');
    if (link === 'gone') return message(c, 410, 'admin.preview.gone.title', 'admin.preview.gone.text');
    const prefix = `/preview/${token}`;
    const path = c.req.path.slice(prefix.length);
    const banner: PreviewBanner = { locale: adminLocale(c), admin: false, css };
    return previewAnswer(c, drafts, prefix, path, banner, true, overTls,
      () => message(c, 404, 'admin.preview.missing.title', 'admin.preview.missing.text'),
      () => message(c, 500, 'admin.preview.failed.title', 'admin.preview.failed.shared'));
  });
  return app;
}
