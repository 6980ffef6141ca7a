import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { MIGRATION_NAMES } from '../../db/migrate.ts';
import { AppError } from '../../shared/errors.ts';
import { HASH_PATTERN, type MediaStore } from '../media/media.store.ts';
import { HOST } from '../media/media.leases.ts';
import { FORMAT, FORMAT_VERSION, MANIFEST, type Manifest } from './backup.write.ts';
import { TABLES, tableMember, type TableName } from './backup.tables.ts';

// Reads a whole archive and checks it before anything is written: members
// against the manifest (sizes, sha256), rows against the tables (counts,
// columns). Media files go to a staging folder in the store's tmp/ (swept
// like an import's if this process is killed), never into a hash's folder.

export type Row = Record<string, string | number | null>;

export interface ArchiveContents {
  manifest: Manifest;
  rows: Map<TableName, Row[]>;
  /** The staging folder: <staging>/<ab>/<hash>/… per media folder of the archive. */
  staging: string;
}

const MEDIA_MEMBER = /^media\/([0-9a-f]{2})\/([0-9a-f]{64})\/((?:[A-Za-z0-9.,_-]+\/)*[A-Za-z0-9.,_-]+)$/;

const refuse = (name: string, why: string) => new AppError('backup_invalid', `${name} ${why}; nothing was restored.`);

function damaged(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'Z_DATA_ERROR' && /header/i.test((e as Error).message)) return 'is not a Parcours backup (not a gzip file)';
  if (code === 'Z_BUF_ERROR' || /unexpected end/i.test((e as Error).message)) return 'is truncated (the archive ends early)';
  return `is damaged (${(e as Error).message})`;
}

/** Reads and checks an archive from `input`; `name` is what messages call it. On refusal nothing is left behind. */
export async function readArchive(input: Readable, store: MediaStore, name: string): Promise<ArchiveContents> {
  const staging = join(store.dir, 'tmp', `restore-${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging, { recursive: true });
  try {
    const seen = new Map<string, { bytes: number; sha256: string }>();
    const texts = new Map<string, string>();
    let manifestText: string | undefined;
    const extract = tar.extract();
    const reading = (async () => {
      for await (const entry of extract) {
        const member = entry.header.name;
        if (entry.header.type !== 'file') throw refuse(name, `holds "${member}", which is not a file`);
        if (seen.has(member) || (member === MANIFEST && manifestText !== undefined)) throw refuse(name, `holds "${member}" twice`);
        const h = createHash('sha256');
        let bytes = 0;
        const m = MEDIA_MEMBER.exec(member);
        if (m && m[2]!.startsWith(m[1]!) && !m[3]!.split('/').some((s) => s === '..' || s === '.')) {
          const path = join(staging, m[1]!, m[2]!, ...m[3]!.split('/'));
          mkdirSync(dirname(path), { recursive: true });
          entry.on('data', (d: unknown) => {
            h.update(d as Buffer);
            bytes += (d as Buffer).length;
          });
          await pipeline(entry, createWriteStream(path));
        } else if (member === MANIFEST || /^tables\/[a-z_]+\.jsonl$/.test(member)) {
          const chunks: Buffer[] = [];
          for await (const d of entry) {
            chunks.push(d as Buffer);
            h.update(d as Buffer);
            bytes += (d as Buffer).length;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          if (member === MANIFEST) {
            manifestText = text;
            continue;
          }
          texts.set(member, text);
        } else {
          throw refuse(name, `holds "${member}", which no Parcours backup holds`);
        }
        seen.set(member, { bytes, sha256: h.digest('hex') });
      }
    })();
    await Promise.all([pipeline(input, createGunzip(), extract), reading]).catch((e: unknown) => {
      extract.destroy();
      if (e instanceof AppError) throw e;
      // Staging a media file failed: the store's disk, not the archive.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC') throw new AppError('storage_unavailable', `Cannot stage the media files of ${name}: the disk holding the media store (${store.dir}) is full; nothing was restored.`);
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') throw new AppError('storage_unavailable', `Cannot write into the media store at ${store.dir} (${code}); nothing was restored.`);
      throw refuse(name, damaged(e));
    });
    if (manifestText === undefined) throw refuse(name, `has no ${MANIFEST} (not a Parcours backup, or cut short)`);
    const manifest = parseManifest(manifestText, name);
    for (const [member, want] of Object.entries(manifest.members)) {
      const got = seen.get(member);
      if (!got) throw refuse(name, `lacks "${member}", which its manifest lists`);
      if (got.bytes !== want.bytes || got.sha256 !== want.sha256) throw refuse(name, `is damaged: "${member}" does not match its checksum`);
    }
    for (const member of seen.keys()) if (!(member in manifest.members)) throw refuse(name, `holds "${member}", which its manifest does not list`);
    return { manifest, rows: parseTables(manifest, texts, name), staging };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

function parseManifest(text: string, name: string): Manifest {
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw refuse(name, `has a ${MANIFEST} that is not JSON`);
  }
  if (m?.format !== FORMAT) throw refuse(name, 'is not a Parcours backup (its manifest names another format)');
  if (typeof m.version !== 'number' || m.version > FORMAT_VERSION) {
    throw refuse(name, `is a backup of format ${String(m.version)}, newer than this Parcours reads (${FORMAT_VERSION}): restore it with a newer Parcours`);
  }
  if (m.version !== FORMAT_VERSION) throw refuse(name, `is a backup of an unknown format (${String(m.version)})`);
  if (typeof m.migration !== 'string' || !MIGRATION_NAMES.includes(m.migration)) {
    throw refuse(name, `was made by a newer Parcours (its database schema is at migration "${String(m.migration)}", unknown here): restore it with that version or a newer one`);
  }
  const latest = MIGRATION_NAMES[MIGRATION_NAMES.length - 1];
  if (m.migration !== latest) {
    throw refuse(name, `was made by an older Parcours (schema at migration "${m.migration}", this one is at "${latest}"); restore it with that version, upgrade, and back up again`);
  }
  if (!m.members || typeof m.members !== 'object' || !m.tables || typeof m.tables !== 'object' || !Array.isArray(m.media) || m.media.some((h) => typeof h !== 'string' || !HASH_PATTERN.test(h))) {
    throw refuse(name, `has an incomplete ${MANIFEST}`);
  }
  return m as Manifest;
}

function parseTables(manifest: Manifest, texts: Map<string, string>, name: string): Map<TableName, Row[]> {
  const out = new Map<TableName, Row[]>();
  for (const t of TABLES) {
    const member = tableMember(t.name);
    const text = texts.get(member);
    if (text === undefined) throw refuse(name, `lacks the table ${t.name}`);
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    if (lines.length !== manifest.tables[t.name]?.rows) throw refuse(name, `has ${lines.length} rows of ${t.name}, not the ${String(manifest.tables[t.name]?.rows)} its manifest says`);
    const rows: Row[] = [];
    for (const [i, line] of lines.entries()) {
      let row: Row;
      try {
        row = JSON.parse(line) as Row;
      } catch {
        throw refuse(name, `has a row of ${t.name} (line ${i + 1}) that is not JSON`);
      }
      const keys = row && typeof row === 'object' && !Array.isArray(row) ? Object.keys(row) : [];
      if (keys.length !== t.columns.length || t.columns.some((c) => !(c in row))) {
        throw refuse(name, `has a row of ${t.name} (line ${i + 1}) whose columns are not those of the table (${keys.join(', ')})`);
      }
      if (Object.values(row).some((v) => v !== null && typeof v !== 'string' && typeof v !== 'number')) {
        throw refuse(name, `has a row of ${t.name} (line ${i + 1}) with a value that is neither text, number nor null`);
      }
      rows.push(row);
    }
    out.set(t.name, rows);
  }
  for (const member of texts.keys()) if (!TABLES.some((t) => tableMember(t.name) === member)) throw refuse(name, `holds a table this Parcours does not know (${member})`);
  return out;
}
