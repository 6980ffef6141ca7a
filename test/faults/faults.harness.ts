import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../src/db/connection.ts';
import { SiteStore } from '../../src/web/site/site.service.ts';
import { createApp } from '../../src/app.ts';
import type { BuiltAssets } from '../../src/web/assets.ts';
import type { MediaStore } from '../../src/modules/media/media.store.ts';
import { DATA_PATHS } from '../../src/modules/geo/geo.data.ts';
import { copyBundle, FIXTURE, PUBLIC_URL } from '../harness.ts';

// What the fault tests share: "nothing changed" as data (a database digest, a
// listing of the media store), "every page serves" as a list of what did not,
// and the small version-2 bundle they start from.

/** content_version and a sha256 of every row of every table: equal digests mean an unchanged database. */
export async function dbDigest(db: Db): Promise<{ version: string; tables: Record<string, string> }> {
  const names = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db)).rows.map((r) => r.name);
  const tables: Record<string, string> = {};
  for (const name of names) {
    const rows = (await sql`SELECT * FROM ${sql.table(name)}`.execute(db)).rows;
    tables[name] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
  }
  const meta = (await sql<{ value: string }>`SELECT value FROM meta WHERE key = 'content_version'`.execute(db)).rows[0];
  return { version: meta?.value ?? '0', tables };
}

/** Every file under `dir` with its size (links named as such): "nothing changed" means this is equal. */
export function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of existsSync(d) ? readdirSync(d) : []) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p, `${rel}${name}/`);
      else out.push(`${rel}${name} ${st.isSymbolicLink() ? 'link' : st.size}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Words that mean a value was rendered without being understood. */
export const GARBAGE = /\[object Object\]|\bundefined\b|\bNaN\b/;

/**
 * Renders the database's content as the server would and requests every page
 * of it, the sitemap, the open data, the IIIF manifests and a missing page per
 * language. Returns what is wrong: statuses other than expected, and pages
 * whose text has GARBAGE or `forbidden` in it. Empty means the site is whole.
 */
export async function walkSite(db: Db, assets: BuiltAssets, store: MediaStore, forbidden?: string): Promise<string[]> {
  const site = new SiteStore(db, PUBLIC_URL, assets);
  try {
    await site.refresh();
  } catch (e) {
    return [`the site cannot be rendered: ${e instanceof Error ? `${e.name}: ${e.message} ${e.stack?.split('\n')[1]?.trim()}` : String(e)}`];
  }
  const state = site.current;
  if (!state) return ['the site has no state after refresh'];
  const app = createApp({ site, assets, store });
  const wrong: string[] = [];
  const visit = async (path: string, status = 200) => {
    const r = await app.request(path);
    const text = await r.text();
    if (r.status !== status) wrong.push(`GET ${path} → ${r.status} (expected ${status})`);
    const m = GARBAGE.exec(text);
    if (m) wrong.push(`GET ${path}: "${m[0]}" in: …${text.slice(Math.max(0, m.index - 80), m.index + 40).replace(/\s+/g, ' ')}…`);
    // Images from other hosts are blocked by the CSP (visitors see them broken); scripts in links never run.
    const foreign = /<img[^>]*\ssrc="(?!\/|https:\/\/visite\.example\.org\/|data:)[^"]*"|\s(?:href|src)="\s*(?:javascript:|vbscript:|data:(?!image\/))/i.exec(text);
    if (foreign) wrong.push(`GET ${path}: ${foreign[0]}`);
    // Control characters are HTML parse errors (NUL, escape sequences): content must not bring them in.
    const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(text);
    if (control) wrong.push(`GET ${path}: control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')} in: …${JSON.stringify(text.slice(Math.max(0, control.index - 60), control.index + 20))}…`);
    if (forbidden && text.includes(forbidden)) wrong.push(`GET ${path}: shows text from outside the bundle (${forbidden})`);
  };
  for (const path of state.pages.keys()) await visit(path);
  for (const path of [...Object.values(DATA_PATHS), ...state.media.manifests.keys(), '/sitemap.xml', '/robots.txt']) await visit(path);
  for (const l of state.locales) await visit(`/${l}/no-such-page-zz`, 404);
  site.stop();
  return wrong;
}

const realDate = (s: string) => {
  const [y, m = 1, d = 1] = s.split('-').map(Number);
  const t = new Date(Date.UTC(y!, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

/**
 * What accepted content must be, whatever the bundle said: dates that exist
 * on the calendar, and text without control characters or lone surrogates
 * (which no page can show). Returns what is wrong, by field.
 */
export function contentProblems(content: unknown): string[] {
  const wrong: string[] = [];
  const walk = (v: unknown, at: string, key: string) => {
    if (typeof v === 'string') {
      if (['date', 'start', 'end', 'from', 'to'].includes(key) && /^\d{4}(-\d{2}){0,2}$/.test(v) && !realDate(v)) wrong.push(`${at}: ${v} is not a real date`);
      if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v)) wrong.push(`${at}: control character in ${JSON.stringify(v.slice(0, 60))}`);
      if (!v.isWellFormed()) wrong.push(`${at}: lone surrogate in ${JSON.stringify(v.slice(0, 60))}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'files') walk(x, `${at}.${k}`, k);
  };
  walk(content, 'content', '');
  return wrong;
}

/** A details line "names a file": `<path with an extension, or a folder/>: <reason>`, on one line. */
export const DETAIL = /^[^\s:][^:\n\r]*(\.[A-Za-z0-9]{1,8}|\/): \S[^\n\r]*$/;

export const PNG_FIELD = 'media/ammonite.png';

/**
 * The fixture museum as a version-2 bundle with one small image file (and
 * nothing slow to process): the base the fuzzer breaks.
 */
export async function smallMediaBundle(): Promise<string> {
  const { default: sharp } = await import('sharp');
  const dir = copyBundle(FIXTURE);
  writeFileSync(join(dir, 'bundle.yaml'), readFileSync(join(dir, 'bundle.yaml'), 'utf8').replace('version: 1', 'version: 2'));
  mkdirSync(join(dir, 'media'));
  await sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 160, g: 120, b: 80 } } }).png().toFile(join(dir, PNG_FIELD));
  const yaml = readFileSync(join(dir, 'media.yaml'), 'utf8');
  writeFileSync(join(dir, 'media.yaml'), yaml.replace('- id: ammonite\n  kind: image\n', `- id: ammonite\n  kind: image\n  file: ${PNG_FIELD}\n`));
  // A map layer (the area around the places, and a labelled river) and tag labels: more that reaches the pages.
  mkdirSync(join(dir, 'geo'));
  const area = [[[10.8, 48.8], [10.8, 49.5], [12.4, 49.5], [12.4, 48.8], [10.8, 48.8]]];
  const feature = (geometry: object, properties: object | null = null) => ({ type: 'Feature', properties, geometry });
  writeFileSync(join(dir, 'geo/area.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [feature({ type: 'Polygon', coordinates: area })] }));
  writeFileSync(join(dir, 'geo/river.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [feature({ type: 'LineString', coordinates: [[10.9, 48.9], [11.5, 49.0], [12.3, 49.2]] }, { name_de: 'Altmühl', name_en: 'Altmühl' })] }));
  writeFileSync(join(dir, 'layers.yaml'), `- id: area
  file: geo/area.geojson
  role: subject
  name: {de: das Altmühltal, en: the Altmühl valley}
  credit: {de: Erfunden für die Tests, en: Made up for the tests}
- id: river
  file: geo/river.geojson
  role: line
  label_property: "name_{locale}"
  credit: {de: Erfunden für die Tests, en: Made up for the tests}
`);
  writeFileSync(join(dir, 'tags.yaml'), '- {id: fossils, label: {de: Fossilien, en: Fossils}}\n- {id: museum, label: {de: Museum, en: Museum}}\n');
  return dir;
}
