import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../shared/errors.ts';
import type { Content } from '../content/content.schema.ts';
import { CONTENT_VERSION_KEY, readMeta, storedHashes, writeProjection } from '../content/content.repository.ts';
import { recordImport, seedRevisions, type Editor } from '../editorial/editorial.service.ts';
import { exclusiveWrite, storageProblem } from '../../db/database.ts';
import { loadContent } from '../content/content.loader.ts';
import { readBundle } from './bundle.reader.ts';
import { formatProblem, type Problem } from './bundle.problems.ts';
import { writeBundle } from './bundle.writer.ts';
import { prepareMedia, type MediaProgress, type PrepareOptions, type PrepareResult } from '../media/media.import.ts';
import type { MediaStore } from '../media/media.store.ts';
import { canonicalExt } from '../media/media.types.ts';
import { HOST, mayBeRunning } from '../media/media.leases.ts';

export { CONTENT_VERSION_KEY };

export interface ImportSummary {
  themes: number;
  articles: number;
  pages: number;
  events: number;
  places: number;
  media: number;
  locales: string[];
}

const problemCount = (n: number) => `${n} problem${n > 1 ? 's' : ''}`;

/** A refused bundle: its problems as lines for people (`details`, what the CLI prints) and as data (`problems`). */
const invalid = (message: string, problems: Problem[]) => new AppError('bundle_invalid', message, problems.map(formatProblem), problems);

/**
 * Validates a bundle completely (its media files included), stores its media,
 * then replaces the site's content in one transaction. A bad bundle changes
 * nothing: not the database, not the media store.
 */
export async function importBundle(db: Db, dir: string, store: MediaStore, onProgress?: (p: MediaProgress) => void): Promise<ImportSummary> {
  const { content, created, lease } = await readAndPrepare(dir, store, { ...(onProgress ? { onProgress } : {}) }, 'nothing was imported');
  try {
    await replaceContent(db, content);
  } catch (e) {
    // The database is as it was (one transaction): so must the media store be.
    store.remove(created, lease);
    const reason = storageProblem(e);
    throw reason ? new AppError('database_unavailable', `Cannot write the content to the database: ${reason}; nothing was imported.`) : e;
  } finally {
    lease?.release();
  }
  return summarize(content);
}

/**
 * Removes from the media store what no content refers to: folders of earlier
 * content, and what an import killed mid-way left behind. Safe while a server
 * serves (the current content's folders are kept) and while another import
 * runs (its folders are leased). Run at start and before each import.
 */
export async function cleanMediaStore(db: Db, store: MediaStore): Promise<{ folders: number; temporary: number }> {
  return store.sweep(() => storedHashes(db));
}

/** Everything import checks, media decoding included, without writing anything. */
export async function checkBundle(dir: string, store: MediaStore, onProgress?: (p: MediaProgress) => void): Promise<Content> {
  return (await readAndPrepare(dir, store, { dryRun: true, ...(onProgress ? { onProgress } : {}) }, 'see above')).content;
}

async function readAndPrepare(dir: string, store: MediaStore, opts: PrepareOptions, outcome: string): Promise<{ content: Content } & Omit<PrepareResult, 'problems' | 'files'>> {
  const { content, problems } = readBundle(dir);
  if (!content) throw invalid(`The bundle in ${dir} has ${problemCount(problems.length)}; ${outcome}.`, problems);
  const media = await prepareMedia(content, dir, store, opts);
  if (media.problems.length) throw invalid(`The bundle in ${dir} has ${problemCount(media.problems.length)} with its media files; ${outcome}.`, media.problems);
  if (media.files) content.files = media.files;
  return { content, created: media.created, ...(media.lease ? { lease: media.lease } : {}) };
}

/**
 * Publishes a whole content at once (an import), in one transaction: the site's tables, and a revision of each
 * document it changes (docs/decisions/0022), so that an import is part of each document's history. Drafts are kept.
 */
export async function replaceContent(db: Db, content: Content, opts: { at?: Date; by?: Editor } = {}): Promise<void> {
  const at = opts.at ?? new Date();
  await exclusiveWrite(db, async (trx) => {
    // A database filled before revisions existed: its content becomes their first revision before it is replaced.
    await seedRevisions(trx, at);
    await writeProjection(trx, content);
    await recordImport(trx, content, at, opts.by);
  });
}

export async function hasContent(db: Db): Promise<boolean> {
  const row = await db.selectFrom('museum').select('id').executeTakeFirst();
  return row !== undefined;
}

export async function contentVersion(db: Db): Promise<string> {
  return (await readMeta(db, CONTENT_VERSION_KEY)) ?? '0';
}

export function summarize(c: Content): ImportSummary {
  const count = (k: string) => c.docs.filter((d) => d.kind === k).length;
  return { themes: count('theme'), articles: count('article'), pages: count('page'), events: c.events.length, places: c.places.length, media: c.media.length, locales: c.museum.locales };
}

/** "11 themes, 1 article, …" for the messages of import, check and start. */
export function describeSummary(s: ImportSummary): string {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  return `${n(s.themes, 'theme')}, ${n(s.articles, 'article')}, ${n(s.pages, 'page')}, ${n(s.media, 'media item')}, ${n(s.events, 'event')}, ${n(s.places, 'place')} (${s.locales.join(', ')})`;
}

/**
 * Writes the database's content as a bundle into `dir`, which must be empty or
 * absent. Files are written to a sibling temporary folder first and moved into
 * place at the end, so a failure never leaves half a bundle behind.
 */
export async function exportBundle(db: Db, dir: string, store: MediaStore): Promise<number> {
  const content = await loadContent(db);
  if (!content) throw new AppError('not_found', 'The database holds no content to export (import a bundle first).');
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new AppError('export_target_not_empty', `${dir} is a file; export into a new or empty folder.`);
  }
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new AppError('export_target_not_empty', `${dir} is not empty; export into a new or empty folder.`);
  }
  const files = writeBundle(content);
  // Media files: texts from the database, originals from the media store.
  const copies = new Map<string, string>();
  for (const [path, f] of Object.entries(content.files ?? {})) {
    if (f.text !== undefined) files.set(path, f.text);
    else {
      const original = store.file(f.hash, `original.${canonicalExt(f.mime)}`);
      if (!original) throw new AppError('not_found', `The media store at ${store.dir} has lost the original of ${path} (${f.hash}); import the bundle again.`);
      copies.set(path, original.path);
    }
  }
  // An export killed mid-way left its temporary sibling: removed now that its process is gone.
  const parent = dirname(target);
  const stem = `${basename(target)}.tmp-`;
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    const pid = Number(name.startsWith(stem) ? name.slice(stem.length).split('-')[0] : NaN);
    if (Number.isInteger(pid) && !mayBeRunning(HOST, pid, Date.now())) rmSync(join(parent, name), { recursive: true, force: true });
  }
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    const place = (rel: string) => {
      const path = join(tmp, rel);
      mkdirSync(dirname(path), { recursive: true });
      return path;
    };
    for (const [rel, text] of files) writeFileSync(place(rel), text, 'utf8');
    for (const [rel, from] of copies) copyFileSync(from, place(rel));
    if (existsSync(target)) rmSync(target, { recursive: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return files.size + copies.size;
}
