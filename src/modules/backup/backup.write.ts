import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import type { Db } from '../../db/connection.ts';
import { bytewise, readSnapshot } from '../../db/database.ts';
import { MIGRATION_NAMES } from '../../db/migrate.ts';
import { AppError } from '../../shared/errors.ts';
import { readMeta, storedHashes } from '../content/content.repository.ts';
import { CONTENT_VERSION_KEY } from '../bundle/bundle.service.ts';
import type { MediaStore } from '../media/media.store.ts';
import { HOST, mayBeRunning } from '../media/media.leases.ts';
import { TABLES, tableMember } from './backup.tables.ts';

// `parcours backup`: the database's tables, read in one snapshot, and the
// media store's folders the content uses, as one .tar.gz whose last member,
// manifest.json, lists every other with its size and sha256 (see
// docs/backup.md and docs/decisions/0014-backup-format.md).

export const FORMAT = 'parcours-backup';
export const FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';

export interface Manifest {
  format: typeof FORMAT;
  version: number;
  migration: string;
  createdAt: string;
  contentVersion: string;
  tables: Record<string, { rows: number }>;
  /** Content hashes of the media folders the archive holds. */
  media: string[];
  /** Every member but the manifest: bytes and sha256. */
  members: Record<string, { bytes: number; sha256: string }>;
}

export interface BackupSummary {
  tables: number;
  rows: number;
  mediaFolders: number;
  files: number;
}

interface Snapshot {
  tables: { name: string; text: string; rows: number }[];
  hashes: string[];
  version: string;
}

/** One JSON object per line, its columns in the table's order (the same bytes from either engine). */
function jsonLines(columns: string[], rows: Record<string, unknown>[]): string {
  let out = '';
  for (const r of rows) {
    const o: Record<string, unknown> = {};
    for (const c of columns) o[c] = r[c] ?? null;
    out += `${JSON.stringify(o)}\n`;
  }
  return out;
}

async function snapshot(db: Db): Promise<Snapshot> {
  return readSnapshot(db, async (trx) => {
    const tables: Snapshot['tables'] = [];
    for (const t of TABLES) {
      let q = trx.selectFrom(t.name).selectAll();
      for (const k of t.key) q = q.orderBy(t.numericKey.has(k) ? (k as never) : (bytewise(trx, k) as never));
      const rows = (await q.execute()) as Record<string, unknown>[];
      tables.push({ name: t.name, text: jsonLines(t.columns, rows), rows: rows.length });
    }
    const hashes = [...(await storedHashes(trx))].sort();
    return { tables, hashes, version: (await readMeta(trx, CONTENT_VERSION_KEY)) ?? '0' };
  });
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(path));
    else if (e.isFile()) out.push(path);
  }
  return out.sort();
}

const addBuffer = (pack: tar.Pack, name: string, body: Buffer): Promise<void> =>
  new Promise((ok, fail) => pack.entry({ name, size: body.length, mtime: new Date(0) }, body, (e) => (e ? fail(e) : ok())));

function addFile(pack: tar.Pack, name: string, path: string): Promise<{ bytes: number; sha256: string }> {
  const size = statSync(path).size;
  return new Promise((ok, fail) => {
    const h = createHash('sha256');
    const entry = pack.entry({ name, size, mtime: new Date(0) }, (e) => (e ? fail(e) : ok({ bytes: size, sha256: h.digest('hex') })));
    // An entry fails when the archive does (a full disk): said through `fail`, never as an uncaught error.
    entry.on('error', fail);
    createReadStream(path).on('error', fail).on('data', (d) => h.update(d)).pipe(entry);
  });
}

/**
 * Writes a backup of `db` (and of the media folders its content uses, unless
 * `media` is false: a copy between two databases sharing one store) to `out`.
 */
export async function writeBackup(db: Db, store: MediaStore, out: Writable, options: { media?: boolean } = {}): Promise<BackupSummary> {
  const snap = await snapshot(db);
  // Restoring an archive of nothing would empty a site: there is nothing to back up.
  if (!snap.tables.find((t) => t.name === 'museum')?.rows) {
    throw new AppError('not_found', 'The database holds no content to back up (import a bundle first).');
  }
  const withMedia = options.media !== false;
  // Claimed until the archive is written: an import meanwhile must not sweep these folders away.
  const lease = withMedia ? store.lease(snap.hashes) : undefined;
  const pack = tar.pack();
  const written = pipeline(pack, createGzip(), out);
  // A failed pipeline is awaited below; never an unhandled rejection meanwhile.
  written.catch(() => undefined);
  try {
    const members: Manifest['members'] = {};
    for (const t of snap.tables) {
      const body = Buffer.from(t.text, 'utf8');
      await addBuffer(pack, tableMember(t.name), body);
      members[tableMember(t.name)] = { bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    }
    let files = 0;
    for (const hash of withMedia ? snap.hashes : []) {
      const folder = store.folder(hash);
      let list: string[];
      try {
        list = filesUnder(folder);
      } catch {
        throw new AppError('not_found', `The media store at ${store.dir} has lost the folder ${hash}, which the content uses; import the bundle again, then back up.`);
      }
      for (const path of list) {
        const name = `media/${relative(store.dir, path).split(sep).join('/')}`;
        members[name] = await addFile(pack, name, path);
        files += 1;
      }
    }
    const manifest: Manifest = {
      format: FORMAT, version: FORMAT_VERSION, migration: MIGRATION_NAMES[MIGRATION_NAMES.length - 1]!,
      createdAt: new Date().toISOString(), contentVersion: snap.version,
      tables: Object.fromEntries(snap.tables.map((t) => [t.name, { rows: t.rows }])),
      media: withMedia ? snap.hashes : [], members,
    };
    await addBuffer(pack, MANIFEST, Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`, 'utf8'));
    pack.finalize();
    await written;
    return { tables: snap.tables.length, rows: snap.tables.reduce((n, t) => n + t.rows, 0), mediaFolders: manifest.media.length, files };
  } catch (e) {
    pack.destroy(e as Error);
    await written.catch(() => undefined);
    throw e;
  } finally {
    lease?.release();
  }
}

/**
 * `parcours backup <file>`: written beside the target as `<file>.tmp-<pid>`,
 * flushed to disk, then renamed: a failure (a full disk, a kill) never leaves
 * a partial file under the target's name.
 */
export async function backupToFile(db: Db, store: MediaStore, file: string): Promise<BackupSummary & { bytes: number }> {
  const target = resolve(file);
  const tmp = `${target}.tmp-${process.pid}`;
  removeAbandoned(target);
  let out: WriteStream | undefined;
  try {
    // Opened here, not by the stream: a folder that does not exist fails now, as an error of this call.
    // The stream owns the descriptor from then on; `flush` fsyncs it before closing.
    // Readable by its owner only: it holds the staff's password hashes and the audit log (emails, addresses).
    out = createWriteStream('', { fd: openSync(tmp, 'w', 0o600), flush: true });
    const summary = await writeBackup(db, store, out);
    await closed(out);
    renameSync(tmp, target);
    syncDir(dirname(target));
    return { ...summary, bytes: statSync(target).size };
  } catch (e) {
    if (out) {
      out.destroy();
      await closed(out);
    }
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new AppError('storage_unavailable', `Cannot write ${file}: the disk is full; no backup was written.`);
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EROFS' || code === 'EISDIR') {
      throw new AppError('storage_unavailable', `Cannot write ${file} (${code}); no backup was written.`);
    }
    throw e;
  }
}

/** What a backup killed mid-way (-9, a power cut) left beside the target: its process is gone. */
function removeAbandoned(target: string): void {
  const stem = `${basename(target)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return; // No folder: said when the file is opened.
  }
  for (const name of names) {
    const pid = Number(name.startsWith(stem) ? name.slice(stem.length) : NaN);
    if (Number.isInteger(pid) && !mayBeRunning(HOST, pid, Date.now())) rmSync(join(dirname(target), name), { force: true });
  }
}

const closed = (s: WriteStream): Promise<void> => (s.closed ? Promise.resolve() : new Promise((ok) => s.once('close', () => ok())));

/** The rename is durable once the folder's entry is flushed (not every file system allows it). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort.
  }
}
