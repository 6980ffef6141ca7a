import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Db } from '../../db/connection.ts';
import { exclusiveWrite, storageProblem } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import { readMeta, writeMeta } from '../content/content.repository.ts';
import { CONTENT_VERSION_KEY, hasContent } from '../bundle/bundle.service.ts';
import type { MediaStore } from '../media/media.store.ts';
import { readArchive, type ArchiveContents } from './backup.read.ts';
import { TABLES, TRANSIENT_TABLES } from './backup.tables.ts';
import { writeBackup } from './backup.write.ts';

// `parcours restore` and `parcours db copy`: the archive is read and checked
// whole first (backup.read.ts); then its media folders go into the store and
// its rows replace the database's in one transaction.

export interface RestoreSummary {
  rows: number;
  mediaAdded: number;
  contentVersion: string;
}

const hasFolder = (store: MediaStore, hash: string) => existsSync(join(store.folder(hash), 'parcours.json'));

/** Writes checked archive contents: media folders first (removed again if the database refuses), then every table in one transaction. */
async function apply(db: Db, store: MediaStore, a: ArchiveContents, name: string): Promise<RestoreSummary> {
  const inArchive = new Set(a.manifest.media);
  const used = new Set((a.rows.get('media_file') ?? []).filter((r) => r.text === null).map((r) => String(r.hash)));
  for (const h of used) {
    if (!inArchive.has(h) && !hasFolder(store, h)) {
      throw new AppError('backup_invalid', `${name} lacks the media folder ${h}, which its content uses, and the media store at ${store.dir} has none; nothing was restored.`);
    }
  }
  // Claimed until the commit, as an import does: a sweep meanwhile must not take these folders for orphans.
  const lease = store.lease(used);
  const created: string[] = [];
  try {
    for (const h of inArchive) {
      if (hasFolder(store, h)) continue; // content-addressed: the same hash is the same files
      const from = join(a.staging, h.slice(0, 2), h);
      if (!existsSync(join(from, 'parcours.json'))) throw new AppError('backup_invalid', `${name} holds an incomplete media folder ${h}; nothing was restored.`);
      mkdirSync(join(store.dir, h.slice(0, 2)), { recursive: true });
      rmSync(store.folder(h), { recursive: true, force: true }); // an unfinished one, without parcours.json
      renameSync(from, store.folder(h));
      created.push(h);
    }
    const version = await exclusiveWrite(db, async (trx) => {
      const next = String(Number((await readMeta(trx, CONTENT_VERSION_KEY)) ?? '0') + 1);
      // Everyone is signed out: sessions and links are not in a backup (backup.tables.ts).
      for (const t of TRANSIENT_TABLES) await trx.deleteFrom(t).execute();
      for (const t of [...TABLES].reverse()) await trx.deleteFrom(t.name).execute();
      for (const t of TABLES) {
        const rows = a.rows.get(t.name) ?? [];
        // Chunked so that no statement exceeds SQLite's variable limit.
        for (let i = 0; i < rows.length; i += 50) await trx.insertInto(t.name).values(rows.slice(i, i + 50) as never).execute();
      }
      // A new version, whatever the archive's: running servers see it and reload.
      await writeMeta(trx, CONTENT_VERSION_KEY, next);
      return next;
    });
    return { rows: [...a.rows.values()].reduce((n, r) => n + r.length, 0), mediaAdded: created.length, contentVersion: version };
  } catch (e) {
    store.remove(created, lease);
    const reason = storageProblem(e);
    if (reason) throw new AppError('database_unavailable', `Cannot write the backup into the database: ${reason}; nothing was restored.`);
    if (e instanceof AppError) throw e;
    throw new AppError('backup_invalid', `${name} does not fit the database (${(e as Error).message}); nothing was restored.`);
  } finally {
    lease.release();
  }
}

/** `parcours restore <file>`: the database's content (and its media) replaced by the archive's, or, if anything is wrong, nothing changed. */
export async function restoreFile(db: Db, store: MediaStore, file: string): Promise<RestoreSummary> {
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    // Said below.
  }
  if (!isFile) throw new AppError('backup_invalid', `${file} is not a file; nothing was restored.`);
  const a = await readArchive(createReadStream(file), store, file);
  try {
    return await apply(db, store, a, file);
  } finally {
    rmSync(a.staging, { recursive: true, force: true });
  }
}

/**
 * `parcours db copy`: a backup of `from` streamed into a restore of `to`, no
 * file between. Both use one media store, so the archive carries no media:
 * the restore checks that the store holds every folder the content uses.
 */
export async function copyDatabase(from: Db, to: Db, store: MediaStore, options: { replace: boolean; toLabel: string }): Promise<RestoreSummary> {
  if (!options.replace && (await hasContent(to))) {
    throw new AppError('bad_request', `${options.toLabel} already holds content; add --replace to replace it (nothing was copied).`);
  }
  const stream = new PassThrough();
  const [, a] = await Promise.all([
    writeBackup(from, store, stream, { media: false }).catch((e: unknown) => {
      stream.destroy(e as Error);
      throw e;
    }),
    readArchive(stream, store, 'the copy'),
  ]);
  try {
    return await apply(to, store, a, 'the copy');
  } finally {
    rmSync(a.staging, { recursive: true, force: true });
  }
}
