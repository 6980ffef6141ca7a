import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { StoredFile } from '../content/content.schema.ts';
import { HOST, liveLeases, mayBeRunning, takeLease, type Lease } from './media.leases.ts';

// The media store: every original and its derivatives, in one folder per
// content hash (sha256 of the original's bytes). A folder is complete once its
// `parcours.json` exists: it is written into a temporary folder and renamed
// into place whole, so a crash never leaves half a folder under a hash.
//
//   <dir>/ab/ab12…ef/parcours.json      what was made, and by which recipe
//   <dir>/ab/ab12…ef/original.mp4       videos and audio are served as they are
//   <dir>/ab/ab12…ef/original.jpg       image originals are kept, never served
//   <dir>/ab/ab12…ef/w640.avif|webp|jpg derivatives; full.jpg at full size
//   <dir>/ab/ab12…ef/iiif/…             IIIF Image API 3 level-0 tiles

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** A folder's parcours.json: what import learns of a binary file, and the recipe that made its derivatives. */
export type StoreEntry = Omit<StoredFile, 'hash' | 'text'> & { recipe: number };

export class MediaStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  folder(hash: string): string {
    if (!HASH_PATTERN.test(hash)) throw new Error(`not a content hash: ${hash}`);
    return join(this.dir, hash.slice(0, 2), hash);
  }

  /** The finished entry for a hash, if it was made by this recipe. */
  entry(hash: string, recipe: number): StoreEntry | undefined {
    try {
      const e = JSON.parse(readFileSync(join(this.folder(hash), 'parcours.json'), 'utf8')) as StoreEntry;
      return e.recipe === recipe ? e : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * A file inside a hash's folder, or undefined if the name leaves the folder
   * or the file does not exist. Callers validate names first; this is the
   * last guard against traversal.
   */
  file(hash: string, name: string): { path: string; size: number } | undefined {
    if (!HASH_PATTERN.test(hash)) return undefined;
    const folder = this.folder(hash);
    const path = resolve(folder, name);
    if (!path.startsWith(folder + sep)) return undefined;
    try {
      const st = statSync(path);
      return st.isFile() ? { path, size: st.size } : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Makes a hash's folder: `fill` writes into a fresh temporary folder, which
   * then becomes the hash's folder in one rename. On failure nothing is left.
   * Returns true if the folder was created (false: it already existed).
   */
  async create(hash: string, fill: (tmp: string) => Promise<StoreEntry>): Promise<boolean> {
    const final = this.folder(hash);
    const tmp = join(this.dir, 'tmp', `${hash.slice(0, 16)}-${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(tmp, { recursive: true });
    try {
      const entry = await fill(tmp);
      writeFileSync(join(tmp, 'parcours.json'), `${JSON.stringify(entry, null, 1)}\n`);
      mkdirSync(join(this.dir, hash.slice(0, 2)), { recursive: true });
      // An older recipe's folder is replaced.
      if (existsSync(final)) rmSync(final, { recursive: true, force: true });
      renameSync(tmp, final);
      return true;
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      // Another process (a server and the CLI importing at once) made it first.
      if ((e as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (e as NodeJS.ErrnoException).code === 'EEXIST') {
        if (existsSync(join(final, 'parcours.json'))) return false;
      }
      throw e;
    }
  }

  /** Claims hashes for an import until it has committed (see media.leases.ts). */
  lease(hashes: Iterable<string> = []): Lease {
    return takeLease(this.dir, hashes);
  }

  /**
   * Removes folders created by an import that then failed, except those
   * another running import has claimed meanwhile.
   */
  remove(hashes: Iterable<string>, own?: Lease): void {
    const others = liveLeases(this.dir, own);
    for (const h of hashes) if (!others.has(h)) rmSync(this.folder(h), { recursive: true, force: true });
  }

  /**
   * Removes what no content refers to: temporary folders of processes that
   * are gone (an import killed with -9), and hash folders that neither the
   * current content (`referenced`, read after the leases) nor a running
   * import uses. Folders are listed first, leases read next, content last:
   * a folder committed by an import that ends meanwhile is then seen as
   * referenced, never as an orphan.
   */
  async sweep(referenced: () => Promise<ReadonlySet<string>>): Promise<{ folders: number; temporary: number }> {
    const folders = this.hashFolders();
    const temporary = this.sweepTemporary();
    const leased = liveLeases(this.dir);
    const used = await referenced();
    let removed = 0;
    for (const h of folders) {
      if (used.has(h) || leased.has(h)) continue;
      rmSync(this.folder(h), { recursive: true, force: true });
      removed += 1;
    }
    return { folders: removed, temporary };
  }

  private hashFolders(): string[] {
    const out: string[] = [];
    for (const prefix of safeList(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const h of safeList(join(this.dir, prefix))) if (HASH_PATTERN.test(h) && h.startsWith(prefix)) out.push(h);
    }
    return out;
  }

  /** Temporary folders whose process is gone: `<hash16>-<host>-<pid>-<random>` (or `<hash16>-<pid>-<random>`, before hosts were named). */
  private sweepTemporary(): number {
    const tmp = join(this.dir, 'tmp');
    let removed = 0;
    for (const name of safeList(tmp)) {
      const parts = name.split('-');
      const pid = Number(parts.length >= 4 ? parts[parts.length - 2] : parts[1]);
      const host = parts.length >= 4 ? parts.slice(1, -2).join('-') : HOST;
      let since: number;
      try {
        since = statSync(join(tmp, name)).mtimeMs;
      } catch {
        continue;
      }
      if (mayBeRunning(host, pid, since)) continue;
      rmSync(join(tmp, name), { recursive: true, force: true });
      removed += 1;
    }
    return removed;
  }
}

const safeList = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** sha256 of a file, streamed (videos can be large). */
export function hashFile(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash('sha256');
    createReadStream(path).on('error', fail).on('data', (d) => h.update(d)).on('end', () => ok(h.digest('hex')));
  });
}

export const hashBuffer = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
