import { translator } from '../../i18n/messages.ts';
import type { Route } from './routes.ts';

// A page of the draft site as a preview (docs/decisions/0023): the public
// page's own HTML, rendered from the drafts by the same code, then marked as
// a preview — not indexed, a banner at the top, its stylesheet — and its links
// to the site's pages made relative, so that following them stays in the
// preview whether it is seen at /admin/preview/… or /preview/<token>/…: one
// rendering serves both, and the token is never written into the page.
// Static files (styles, scripts, fonts, media) keep their public addresses.
// Runs where pages are rendered (the render worker), not on the server thread.

/** A preview is one person's view of unpublished content: never stored by a cache. */
export const PREVIEW_CACHE = 'no-store, private';

/** Who the banner is for: staff (links to the editor and to sharing) or a reviewer with a share link; in which language. */
export interface PreviewBanner {
  locale: string;
  admin: boolean;
  /** The banner's stylesheet (assets.ts). */
  css: string;
}

/** Where staff edit what a page shows: the document's editor, the visit's order, or the list of documents. */
export function editorPath(route: Route | undefined): string {
  if (route?.kind === 'doc') return `/admin/content/${route.id}`;
  if (route?.kind === 'visit') return `/admin/content/visit/${route.id}`;
  return '/admin/content';
}

function Banner({ banner, path, route }: { banner: PreviewBanner; path: string; route: Route | undefined }) {
  const t = translator(banner.locale);
  return (
    <section class="preview-banner" aria-label={t('admin.preview.banner.label')} lang={banner.locale}>
      <p><strong>{t('admin.preview.banner.title')}</strong> {t(banner.admin ? 'admin.preview.banner.text' : 'admin.preview.banner.shared')}</p>
      {banner.admin && (
        <p class="preview-actions">
          <a href={editorPath(route)}>{t('admin.preview.banner.editor')}</a>
          <a href={`/admin/preview?path=${encodeURIComponent(path)}`}>{t('admin.preview.banner.share')}</a>
        </p>
      )}
    </section>
  );
}

/**
 * `to` (a path of this site) as a path relative to the page at `from`: "/fr/visite/a" → "/fr/carte" is "../carte".
 * Both are canonical page paths (a preview redirects any other form first), so the browser resolves it to the same
 * page under whatever prefix the preview is served at.
 */
export function relativePath(from: string, to: string): string {
  const dir = from.split('/').slice(1, -1);
  const target = to.split('/').slice(1);
  let k = 0;
  while (k < dir.length && k < target.length - 1 && dir[k] === target[k]) k++;
  const rel = [...Array<string>(dir.length - k).fill('..'), ...target.slice(k)].join('/');
  return rel === '' ? './' : rel;
}

const links = new Map<string, RegExp>();
/**
 * Links as hono/jsx writes them (a space, the name, a double-quoted value: a quote in a value is &quot;) whose value
 * is a path of this site, written as a path or as an absolute address on the site's public URL.
 */
function linkPattern(publicUrl: string): RegExp {
  let re = links.get(publicUrl);
  if (!re) {
    const origin = publicUrl.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(` (href|action)="(?:${origin})?(\\/(?!\\/)[^"?#]*)([^"]*)"`, 'g');
    links.set(publicUrl, re);
  }
  return re;
}

/** The public page `html` (at `path`) as its preview. */
export async function previewHtml(html: string, path: string, route: Route | undefined, site: { locales: readonly string[]; publicUrl: string }, banner: PreviewBanner): Promise<string> {
  const pageOfSite = (p: string) => site.locales.includes(p.split('/')[1] ?? '');
  const bannerHtml = (await (<Banner banner={banner} path={path} route={route} />).toString()).toString();
  const robots = /<meta name="robots" content="noindex"\/>/.test(html) ? '' : '<meta name="robots" content="noindex"/>';
  return html
    // Links to the site's pages (a language's prefix first: "/fr/…"), its canonical and alternates included; /assets,
    // /media, /iiif, /data… stay public, and so do og:url and the JSON-LD, which are not links.
    .replace(linkPattern(site.publicUrl), (all, attr: string, p: string, rest: string) => (pageOfSite(p) ? ` ${attr}="${relativePath(path, p)}${rest}"` : all))
    .replace('<meta charset="utf-8"/>', (m) => `${m}${robots}`)
    .replace('</head>', (m) => `<link rel="stylesheet" href="${banner.css}"/>${m}`)
    // After the skip link, which stays the first thing a keyboard reaches.
    .replace(/<body[^>]*>(?:<a class="skip-link"[^>]*>[^<]*<\/a>)?/, (m) => `${m}${bannerHtml}`);
}
