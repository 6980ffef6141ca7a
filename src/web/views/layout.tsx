import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Ctx } from '../site/site.context.ts';
import { languageName } from '../../i18n/messages.ts';
import { L, LInline, PAGE_NOTE_SLOT } from './components.tsx';
import { ThemeMenu } from './theme-menu.tsx';
import { museumStyleSheet } from '../site/museum-style.ts';
import { SHARE_HEIGHT, SHARE_WIDTH, sharePath } from '../site/routes.ts';

export interface PageMeta {
  /** The page's own title; the museum name is appended. */
  title: string;
  description: string;
  /** The canonical path; empty for error pages, which have no canonical address. */
  path: string;
  /** locale → path of the same page in that language */
  alternates: Record<string, string>;
  ogType?: 'website' | 'article';
  jsonLd?: object[];
  prev?: string;
  next?: string;
  currentTheme?: string;
  noindex?: boolean;
  /** A validated query string (a chronology or map filter) that the language switch keeps; never the raw request's. */
  switchQuery?: string;
}

function jsonLdScript(data: object[]) {
  // "<" is escaped so that content can never close the script element.
  const text = JSON.stringify(data.length === 1 ? data[0] : data).replace(/</g, '\\u003c');
  return raw(`<script type="application/ld+json">${text}</script>`);
}

export function Layout({ ctx, meta, children }: { ctx: Ctx; meta: PageMeta; children: Child }) {
  const museum = ctx.museumName().text;
  const fullTitle = meta.title === museum ? museum : `${meta.title} — ${museum}`;
  // The menu lists the themes of the visit being read (a children's visit has its own).
  const currentVisit = meta.currentTheme ? ctx.theme(meta.currentTheme)?.visit : undefined;
  const visit = (currentVisit === undefined ? undefined : ctx.index.visits.get(currentVisit)) ?? ctx.index.primary;
  const about = ctx.aboutPage();
  const museumCss = museumStyleSheet(ctx.c.museum);
  const others = ctx.c.museum.locales.filter((l) => l !== ctx.locale);
  const ogLocale = (l: string) => (l.includes('-') ? l.replace('-', '_') : l);
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={meta.description} />
        {meta.noindex ? <meta name="robots" content="noindex" /> : null}
        {meta.path ? <link rel="canonical" href={ctx.absolute(meta.path)} /> : null}
        {meta.path ? Object.entries(meta.alternates).map(([l, p]) => <link rel="alternate" hreflang={l} href={ctx.absolute(p)} />) : null}
        {meta.path && meta.alternates[ctx.def] ? <link rel="alternate" hreflang="x-default" href={ctx.absolute(meta.alternates[ctx.def] ?? '')} /> : null}
        {meta.prev ? <link rel="prev" href={meta.prev} /> : null}
        {meta.next ? <link rel="next" href={meta.next} /> : null}
        <meta name="color-scheme" content="light dark" />
        <meta property="og:type" content={meta.ogType ?? 'website'} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        {meta.path ? <meta property="og:url" content={ctx.absolute(meta.path)} /> : null}
        {meta.path ? (
          <>
            <meta property="og:image" content={ctx.absolute(sharePath(meta.path))} />
            <meta property="og:image:width" content={String(SHARE_WIDTH)} />
            <meta property="og:image:height" content={String(SHARE_HEIGHT)} />
            <meta property="og:image:alt" content={`${museum} — ${meta.title}`} />
            <meta name="twitter:card" content="summary_large_image" />
          </>
        ) : null}
        <meta property="og:site_name" content={ctx.plain(ctx.c.museum.name)} />
        <meta property="og:locale" content={ogLocale(ctx.locale)} />
        {others.map((l) => <meta property="og:locale:alternate" content={ogLocale(l)} />)}
        <link rel="icon" href={ctx.assets.icons.ico} sizes="32x32" />
        <link rel="icon" href={ctx.assets.icons.svg} type="image/svg+xml" />
        <link rel="apple-touch-icon" href={ctx.assets.icons.touch} />
        <link rel="stylesheet" href={ctx.assets.css} />
        {museumCss ? <link rel="stylesheet" href={museumCss.path} /> : null}
        <script type="module" src={ctx.assets.js}></script>
        {meta.jsonLd?.length ? jsonLdScript(meta.jsonLd) : null}
      </head>
      <body>
        <a class="skip-link" href="#main">{ctx.t('skip')}</a>
        <header class="site-header">
          <div class="header-row">
            <a class="brand" href={ctx.home()}><L ctx={ctx} v={ctx.tx(ctx.c.museum.name)} /></a>
            {others.length ? (
              <nav class="lang-switch" aria-label={ctx.t('nav.language')}>
                <ul>
                  {others.map((l) => (
                    <li>
                      <a href={`${meta.alternates[l] ?? `/${l}/`}${meta.switchQuery ? `?${meta.switchQuery}` : ''}`} hreflang={l} lang={l} rel="alternate" title={ctx.forLocale(l).t('nav.otherLanguage', { language: languageName(l) })}>
                        {languageName(l)}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
          </div>
          <nav class="main-nav" aria-label={ctx.t('nav.label')}>
            <ul>
              <li><a href={ctx.home()} aria-current={meta.path === ctx.home() ? 'page' : undefined}>{ctx.t('nav.home')}</a></li>
              <li><a href={ctx.visitPath(ctx.index.primary)} aria-current={meta.path === ctx.visitPath(ctx.index.primary) ? 'page' : undefined}>{ctx.t('nav.visit')}</a></li>
              <li><a href={ctx.chronologyPath()} aria-current={meta.path === ctx.chronologyPath() ? 'page' : undefined}>{ctx.t('nav.chronology')}</a></li>
              {ctx.c.places.length ? <li><a href={ctx.mapPath()} aria-current={meta.path === ctx.mapPath() ? 'page' : undefined}>{ctx.t('nav.map')}</a></li> : null}
              {ctx.c.glossary.length ? <li><a href={ctx.glossaryPath()} aria-current={meta.path === ctx.glossaryPath() ? 'page' : undefined}>{ctx.t('nav.glossary')}</a></li> : null}
              {about ? <li><a href={ctx.docPath(about)} aria-current={meta.path === ctx.docPath(about) ? 'page' : undefined}><L ctx={ctx} v={ctx.docTitle(about)} /></a></li> : null}
            </ul>
          </nav>
          <ThemeMenu ctx={ctx} visit={visit} currentTheme={meta.currentTheme} path={meta.path} />
        </header>
        <main id="main" tabindex={-1} data-link-copied={ctx.t('section.copied')}>{raw(PAGE_NOTE_SLOT)}{children}</main>
        <footer class="site-footer">
          {/* On paper only (the header is not printed): whose page this is, where the museum is, and where to find the page again. */}
          <p class="print-only print-source">
            <L ctx={ctx} v={ctx.tx(ctx.c.museum.name)} />
            {ctx.c.museum.address ? <>{' — '}{[ctx.c.museum.address.street, [ctx.c.museum.address.postal_code, ctx.c.museum.address.locality].filter(Boolean).join(' ')].filter(Boolean).join(', ')}</> : null}
            {meta.path ? <>{' — '}{ctx.absolute(meta.path)}</> : null}
          </p>
          {ctx.c.museum.credits ? <p><span class="footer-label">{ctx.t('footer.credits')}{ctx.t('punct.colon')}</span><LInline ctx={ctx} v={ctx.tx(ctx.c.museum.credits)} /></p> : null}
          <p>{ctx.t('footer.poweredBy')}</p>
        </footer>
      </body>
    </html>
  );
}
