import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';
import { SiteStore } from '../src/modules/site/site.service.ts';
import { buildAssets } from '../src/web/assets.ts';
import { createApp } from '../src/app.ts';
import type { Hono } from 'hono';

export const DEMO = 'content/drome';
export const FIXTURE = 'test/fixtures/bundles/naturkunde';
export const PUBLIC_URL = 'https://visite.example.org';

export async function memoryDb(): Promise<Db> {
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  return db;
}

export interface TestSite {
  app: Hono;
  db: Db;
  site: SiteStore;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  html(path: string, headers?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

export async function siteFor(bundle: string): Promise<TestSite> {
  const db = await memoryDb();
  await importBundle(db, bundle);
  const assets = await buildAssets();
  const site = new SiteStore(db, PUBLIC_URL, assets);
  await site.refresh();
  const app = createApp({ site, assets, secureCookies: PUBLIC_URL.startsWith('https:') });
  const get = (path: string, headers: Record<string, string> = {}) => Promise.resolve(app.request(path, { headers }));
  return {
    app, db, site, get,
    html: async (path, headers) => {
      const r = await get(path, headers);
      if (r.status !== 200) throw new Error(`GET ${path} → ${r.status}`);
      return r.text();
    },
    close: () => db.destroy(),
  };
}

/** A writable copy of a bundle in a temporary folder, to break on purpose. */
export function copyBundle(src: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'parcours-bundle-')), 'bundle');
  cpSync(src, dir, { recursive: true });
  return dir;
}

export function count(haystack: string, needle: RegExp): number {
  return haystack.match(new RegExp(needle.source, needle.flags.includes('g') ? needle.flags : `${needle.flags}g`))?.length ?? 0;
}

/** One page of each type, in both languages of the demo: what axe and the Nu checker look at. */
export const PAGE_TYPES: Record<string, { fr: string; en: string }> = {
  home: { fr: '/fr/', en: '/en/' },
  'visit overview': { fr: '/fr/visite', en: '/en/visit' },
  'theme 1 (first)': { fr: '/fr/visite/la-montee-du-nazisme', en: '/en/visit/the-rise-of-nazism' },
  'theme 10 (chronology block)': { fr: '/fr/visite/la-liberation-de-la-drome', en: '/en/visit/the-liberation-of-the-drome' },
  'theme 9 (figures and notes)': { fr: '/fr/visite/la-deportation-et-l-internement', en: '/en/visit/deportation-and-internment' },
  'theme 11 (last)': { fr: '/fr/visite/videos', en: '/en/visit/videos' },
  article: { fr: '/fr/en-savoir-plus/les-ffi-de-la-drome-en-1944', en: '/en/learn-more/the-ffi-of-the-drome-in-1944' },
  about: { fr: '/fr/a-propos', en: '/en/about' },
  chronology: { fr: '/fr/chronologie', en: '/en/chronology' },
  'not found (404)': { fr: '/fr/visite/nope', en: '/en/visit/nope' },
};
