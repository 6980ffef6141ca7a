import type { Db } from '../../db/connection.ts';
import { loadContent } from '../content/content.loader.ts';
import { contentVersion } from '../bundle/bundle.service.ts';
import { buildSite, type ErrorKind } from './site.builder.tsx';
import { CACHE, prepare, type Prepared } from '../../web/http/prepared.ts';
import type { BuiltAssets } from '../../web/assets.ts';

// Holds the rendered site in memory. Pages are rendered once per content
// version; `watch` notices an import made by another process (the CLI) and
// re-renders, so the server never serves stale content for long.

export interface SiteState {
  version: string;
  pages: Map<string, { page: Prepared; locale: string }>;
  errors: Map<string, Record<ErrorKind, Prepared>>;
  sitemap: Prepared;
  robots: Prepared;
  locales: string[];
  defaultLocale: string;
}

const HTML = 'text/html; charset=utf-8';
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export class SiteStore {
  private state: SiteState | undefined;
  private building: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db, private readonly publicUrl: string, private readonly assets: BuiltAssets) {}

  get current(): SiteState | undefined {
    return this.state;
  }

  /** Re-renders if the content changed since the last build. Returns true if it rebuilt. */
  refresh(): Promise<boolean> {
    this.building ??= this.rebuildIfChanged().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  watch(intervalMs = 2000): void {
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) => console.error(`Could not refresh the site: ${e instanceof Error ? e.message : String(e)}`));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async rebuildIfChanged(): Promise<boolean> {
    const version = await contentVersion(this.db);
    if (this.state?.version === version) return false;
    // Version and content are read in one transaction: an import committing
    // meanwhile cannot give a render that is half old, half new.
    const { content, version: readVersion } = await this.db.transaction().execute(async (trx) => ({
      version: await contentVersion(trx),
      content: await loadContent(trx),
    }));
    if (!content) {
      this.state = undefined;
      return true;
    }
    const site = await buildSite(content, this.publicUrl, this.assets.urls);
    const pages = new Map(site.pages.map((p) => [p.path, { page: prepare(p.html, HTML, CACHE.page), locale: p.locale }]));
    const errors = new Map([...site.errors].map(([l, e]) => [l, Object.fromEntries(Object.entries(e).map(([k, html]) => [k, prepare(html, HTML, CACHE.none)])) as Record<ErrorKind, Prepared>]));
    const urls = site.pages.map((p) => {
      const alts = Object.entries(p.alternates).map(([l, path]) => `<xhtml:link rel="alternate" hreflang="${xmlEscape(l)}" href="${xmlEscape(this.publicUrl + path)}"/>`).join('');
      return `<url><loc>${xmlEscape(this.publicUrl + p.path)}</loc>${alts}</url>`;
    });
    const sitemap = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`;
    const robots = `User-agent: *\nAllow: /\n\nSitemap: ${this.publicUrl}/sitemap.xml\n`;
    this.state = {
      version: readVersion, pages, errors, locales: site.locales, defaultLocale: site.defaultLocale,
      sitemap: prepare(sitemap, 'application/xml; charset=utf-8', CACHE.short),
      robots: prepare(robots, 'text/plain; charset=utf-8', CACHE.short),
    };
    return true;
  }
}
