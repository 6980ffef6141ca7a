import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { databaseTargetFrom, type DatabaseTarget } from '../src/db/target.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';
import { SiteStore, type SiteOptions } from '../src/web/site/site.service.ts';
import { buildAssets, type BuiltAssets } from '../src/web/assets.ts';
import { createApp } from '../src/app.ts';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { MediaStore } from '../src/modules/media/media.store.ts';
import { inTurn, postgresTestDb, readOnlyTwin } from './postgres.ts';

/**
 * One media store for all tests of a run, and kept between runs: derivatives
 * are made once per content hash, as in production, so the demo's images are
 * processed once, not by every test that imports the demo.
 */
export const TEST_MEDIA_DIR = join(tmpdir(), 'parcours-test-media');
export const testStore = (): MediaStore => new MediaStore(TEST_MEDIA_DIR);

export const DEMO = 'content/drome';
export const FIXTURE = 'test/fixtures/bundles/naturkunde';
export const PUBLIC_URL = 'https://visite.example.org';

/**
 * The engine the database-backed tests run on: SQLite (in memory) by default;
 * PostgreSQL when the test runner (scripts/test.ts) runs them again with
 * PARCOURS_TEST_ENGINE=postgres and TEST_DATABASE_URL naming a server.
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.PARCOURS_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** A new, empty, migrated database for one test: in memory on SQLite, a schema of its own on PostgreSQL (dropped by `destroy()`). */
export async function memoryDb(): Promise<Db> {
  if (TEST_ENGINE === 'postgres') {
    const db = await postgresTestDb();
    await inTurn(() => migrateToLatest(db));
    return db;
  }
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  return db;
}

/** `db` made read-only, as a database whose file or server refuses writes: the Db to use from now on (destroy it, not `db`). */
export async function readOnly(db: Db): Promise<Db> {
  if (TEST_ENGINE === 'postgres') return readOnlyTwin(db);
  await sql`PRAGMA query_only = ON`.execute(db);
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
  await importBundle(db, bundle, testStore());
  return siteOn(db);
}

/**
 * A TestSite serving what `db` holds: on this thread, or with `database` (a
 * file or a server) through a render worker, as the server does. close()
 * stops the site, then runs `cleanup` (by default: destroys `db`).
 */
export async function siteOn(db: Db, database?: DatabaseTarget, cleanup: () => Promise<void> = () => db.destroy()): Promise<TestSite> {
  const assets = await buildAssets();
  const site = new SiteStore(db, PUBLIC_URL, assets, undefined, database ? { database, prewarm: false } : {});
  await site.refresh();
  const app = createApp({ site, assets, store: testStore(), secureCookies: PUBLIC_URL.startsWith('https:') });
  const get = (path: string, headers: Record<string, string> = {}) => Promise.resolve(app.request(path, { headers }));
  return {
    app, db, site, get,
    html: async (path, headers) => {
      const r = await get(path, headers);
      if (r.status !== 200) throw new Error(`GET ${path} → ${r.status}`);
      return r.text();
    },
    close: async () => {
      await site.stop();
      await cleanup();
    },
  };
}

export interface FileSite {
  /** The fixture's database file, and a connection to it that the test file shares. */
  readonly path: string;
  readonly dir: string;
  readonly db: Db;
  readonly assets: BuiltAssets;
  /** A store on the file, with render workers, no pre-warm unless asked, and its log lines kept. */
  serve(options?: SiteOptions, on?: Db): { site: SiteStore; app: Hono; logs: string[] };
}

/**
 * The fixture imported into a database file made before the calling test file's
 * tests and removed after them: the mode in which pages are rendered by a worker.
 */
export function fixtureFileSite(prefix: string): FileSite {
  let state: { path: string; dir: string; db: Db; assets: BuiltAssets } | undefined;
  const got = () => {
    if (!state) throw new Error('fixtureFileSite: used outside the tests (before its before hook)');
    return state;
  };
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const path = join(dir, 'p.db');
    const db = openDatabase(path);
    await migrateToLatest(db);
    await importBundle(db, FIXTURE, testStore());
    state = { dir, path, db, assets: await buildAssets() };
  });
  after(async () => {
    await state?.db.destroy();
    if (state) rmSync(state.dir, { recursive: true, force: true });
  });
  return {
    get path() { return got().path; },
    get dir() { return got().dir; },
    get db() { return got().db; },
    get assets() { return got().assets; },
    serve(options = {}, on) {
      const { db, path, assets } = got();
      const logs: string[] = [];
      const site = new SiteStore(on ?? db, PUBLIC_URL, assets, undefined, { database: databaseTargetFrom(path), prewarm: false, log: (l) => logs.push(l), ...options });
      return { site, logs, app: createApp({ site, assets, store: testStore(), secureCookies: true }) };
    },
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
  'theme 7 (map block, approximate place)': { fr: '/fr/visite/la-resistance-armee', en: '/en/visit/the-armed-resistance' },
  article: { fr: '/fr/en-savoir-plus/les-ffi-de-la-drome-en-1944', en: '/en/learn-more/the-ffi-of-the-drome-in-1944' },
  about: { fr: '/fr/a-propos', en: '/en/about' },
  chronology: { fr: '/fr/chronologie', en: '/en/chronology' },
  map: { fr: '/fr/carte', en: '/en/map' },
  glossary: { fr: '/fr/glossaire', en: '/en/glossary' },
  'theme 6 (glossary terms marked)': { fr: '/fr/visite/la-resistance-s-etend', en: '/en/visit/the-resistance-spreads' },
  'place page': { fr: '/fr/lieux/romans-sur-isere', en: '/en/places/romans-sur-isere' },
  'place page (approximate)': { fr: '/fr/lieux/pont-de-livron', en: '/en/places/pont-de-livron' },
  'place beyond the map': { fr: '/fr/lieux/auschwitz', en: '/en/places/auschwitz' },
  'media page (image)': { fr: '/fr/media/drome-map', en: '/en/media/drome-map' },
  'media page (video)': { fr: '/fr/media/t11-liberation-animated-map', en: '/en/media/t11-liberation-animated-map' },
  'not found (404)': { fr: '/fr/visite/nope', en: '/en/visit/nope' },
};

/**
 * A version-2 bundle with media files, built on the fixture museum (de, en):
 * a photograph with EXIF orientation and GPS tags, a video with captions,
 * chapters and transcripts, an audio guide, an external video. `edit` may
 * change media.yaml entries or files before the bundle is returned.
 */
export async function mediaBundle(): Promise<string> {
  const { default: sharp } = await import('sharp');
  const { readFileSync, writeFileSync, mkdirSync, copyFileSync } = await import('node:fs');
  const dir = copyBundle(FIXTURE);
  writeFileSync(join(dir, 'bundle.yaml'), readFileSync(join(dir, 'bundle.yaml'), 'utf8').replace('version: 1', 'version: 2'));
  const media = join(dir, 'media');
  mkdirSync(media);
  // 1200 × 800 pixels stored sideways: EXIF orientation 6 says "turn 90° clockwise to show".
  await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 180, g: 120, b: 60 } } })
    .composite([{ input: { create: { width: 300, height: 800, channels: 3, background: { r: 20, g: 40, b: 90 } } }, left: 0, top: 0 }])
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: 'TestCam', Copyright: 'secret-owner' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '45/1 2/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '5/1 3/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .toFile(join(media, 'ammonite.jpg'));
  for (const f of ['tiny.mp4', 'tiny.webm', 'tone.mp3']) copyFileSync(join('test/fixtures/media', f), join(media, f));
  const vtt = (lang: string) => `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${lang === 'de' ? 'Ein Testbild' : 'A test card'}\n\n00:00:01.000 --> 00:00:02.000\n${lang === 'de' ? 'Ende' : 'The end'}\n`;
  for (const l of ['de', 'en']) {
    writeFileSync(join(media, `tiny.${l}.vtt`), vtt(l));
    writeFileSync(join(media, `tiny.${l}.md`), l === 'de' ? 'Ein farbiges **Testbild**, zwei Sekunden lang, ohne Ton.\n' : 'A coloured **test card**, two seconds long, without sound.\n');
    writeFileSync(join(media, `tone.${l}.md`), l === 'de' ? 'Ein Ton von 440 Hertz.\n' : 'A 440 hertz tone.\n');
  }
  writeFileSync(join(media, 'chapters.en.vtt'), 'WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nThe whole film\n');
  const yaml = readFileSync(join(dir, 'media.yaml'), 'utf8').replace(/- id: ammonite\n  kind: image\n/, `- id: ammonite
  kind: image
  file: media/ammonite.jpg
  title: { de: Ammonit aus dem Plattenkalk, en: Ammonite from the limestone }
  creator: Naturkundemuseum Beispielstadt
  subject: { de: Fossilien; Jura, en: Fossils; Jurassic }
  identifier: F 1931/7
  license: https://creativecommons.org/licenses/by/4.0/
`);
  writeFileSync(join(dir, 'media.yaml'), `${yaml}
- id: test-film
  kind: video
  file: media/tiny.mp4
  sources: [media/tiny.webm]
  poster: media/ammonite.jpg
  captions: { de: media/tiny.de.vtt, en: media/tiny.en.vtt }
  chapters: { en: media/chapters.en.vtt }
  transcript: { de: media/tiny.de.md, en: media/tiny.en.md }
  title: { de: Testfilm, en: Test film }
  caption: { de: Ein Testbild in Bewegung., en: A moving test card. }
  credit: { de: Parcours, en: Parcours }
- id: audio-guide
  kind: audio
  file: media/tone.mp3
  transcript: { de: media/tone.de.md, en: media/tone.en.md }
  caption: { de: Der Audioguide., en: The audio guide. }
  credit: { de: Parcours, en: Parcours }
- id: peertube-film
  kind: video
  external: { provider: peertube, url: "https://video.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv" }
  caption: { de: Ein Film bei PeerTube., en: A film on PeerTube. }
  credit: { de: Parcours, en: Parcours }
`);
  const theme = join(dir, 'themes/01-fossils.yaml');
  writeFileSync(theme, `${readFileSync(theme, 'utf8').trimEnd()}
  - {id: test-film, kind: video, media: test-film}
  - {id: audio-guide, kind: audio, media: audio-guide}
  - {id: peertube-film, kind: video, media: peertube-film}
`);
  return dir;
}

/** `parcours <args>` in a child process, with the tests' media store and `env`: its exit code and output. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const e: NodeJS.ProcessEnv = { ...process.env, MEDIA_DIR: TEST_MEDIA_DIR, ...env };
  delete e.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  return new Promise((ok, fail) => {
    child.once('error', fail);
    child.once('close', (code) => ok({ code, out, err }));
  });
}
