import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { mediaBundle, memoryDb, readOnly } from './harness.ts';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { checkBundle, cleanMediaStore, contentVersion, exportBundle, importBundle } from '../src/modules/bundle/bundle.service.ts';
import { MediaStore } from '../src/modules/media/media.store.ts';
import { FORMAT_MAX } from '../src/modules/media/media.image.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { isAppError } from '../src/shared/errors.ts';
import { HOST } from '../src/modules/media/media.leases.ts';

// The media store under failure: images of any shape that check accepts are
// imported; a failure after the media step leaves the store as it was and
// says what went wrong; what a killed import leaves is cleaned safely.

const freshStore = () => new MediaStore(mkdtempSync(join(tmpdir(), 'parcours-faults-media-')));
/** Every file under the store, with its size: "nothing changed" means this is equal. */
const listing = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of existsSync(d) ? readdirSync(d) : []) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out.push(`${rel}${name} ${statSync(p).size}`);
    }
  };
  walk(dir, '');
  return out.sort();
};

/** The media bundle with its photograph replaced by a grey PNG of the given size. */
async function bundleWithImage(width: number, height: number): Promise<string> {
  const dir = await mediaBundle();
  await sharp({ create: { width, height, channels: 3, background: { r: 120, g: 110, b: 100 } } }).png().toFile(join(dir, 'media/scan.png'));
  const file = join(dir, 'media.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('file: media/ammonite.jpg', 'file: media/scan.png'));
  return dir;
}

describe('images of extreme shape: what check accepts, import accepts, within every format\'s limits', () => {
  for (const [w, h, what] of [[1200, 18000, 'a tall archival scan'], [70000, 200, 'a panorama'], [1, 65535, 'a one-pixel strip']] as const) {
    test(`${what} (${w} × ${h})`, { timeout: 60_000 }, async () => {
      const dir = await bundleWithImage(w, h);
      const store = freshStore();
      await checkBundle(dir, store);
      assert.deepEqual(listing(store.dir), [], 'check writes nothing to the store');
      const db = await memoryDb();
      await importBundle(db, dir, store);
      const file = (await loadContent(db))?.files?.['media/scan.png'];
      assert.ok(file?.widths?.length, 'responsive derivatives');
      assert.equal(file.width, w);
      assert.equal(file.height, h);
      const folder = store.folder(file.hash);
      for (const x of file.widths) {
        for (const ext of ['avif', 'webp', 'jpg']) {
          const m = await sharp(join(folder, `w${x}.${ext}`)).metadata();
          assert.ok(m.width <= FORMAT_MAX.webp && m.height <= FORMAT_MAX.webp, `w${x}.${ext} is ${m.width} × ${m.height}`);
        }
      }
      const full = await sharp(join(folder, 'full.jpg')).metadata();
      assert.ok(full.width <= FORMAT_MAX.jpeg && full.height <= FORMAT_MAX.jpeg);
      // The zoom viewer's IIIF service describes the whole image and has its tiles.
      const info = JSON.parse(readFileSync(join(folder, 'iiif/info.json'), 'utf8')) as { width: number; height: number };
      assert.deepEqual([info.width, info.height], [w, h]);
      assert.ok(existsSync(join(folder, 'iiif/0,0,512,512/512,/0/default.jpg')) || readdirSync(join(folder, 'iiif')).length > 2);
      assert.deepEqual(readdirSync(join(store.dir, 'tmp')), [], 'no temporary folder left');
      await db.destroy();
    });
  }
});

describe('a failure after the media step leaves the media store as it was, and says why', () => {
  async function failsWith(breakDb: (db: Db) => Promise<Db>, expected: RegExp, given?: Db): Promise<void> {
    const store = freshStore();
    const db = await breakDb(given ?? (await memoryDb()));
    const before = listing(store.dir);
    await assert.rejects(importBundle(db, await mediaBundle(), store), (e) => {
      assert.ok(isAppError(e, 'database_unavailable'), String(e));
      assert.match(e.message, expected);
      assert.doesNotMatch(e.message, /cannot rollback|\n/);
      return true;
    });
    assert.deepEqual(listing(store.dir).filter((f) => !f.startsWith('tmp/')), before.filter((f) => !f.startsWith('tmp/')), 'the media written by the import were removed');
    assert.deepEqual(listing(join(store.dir, 'tmp')), []);
    assert.deepEqual(listing(join(store.dir, 'leases')), [], 'the import\'s lease is released');
    await db.destroy();
  }

  test('a read-only database', () =>
    failsWith(readOnly, /^Cannot write the content to the database: the database is read-only .*; nothing was imported\.$/));

  test('a full disk under the database (SQLite ends the transaction itself: the cause is not hidden by a failed rollback)', async (t) => {
    // A real full disk: a small tmpfs, which needs root. Where it cannot be mounted, the test says so loudly.
    const mnt = mkdtempSync(join(tmpdir(), 'parcours-full-disk-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1200k', 'tmpfs', mnt]);
    if (mounted.status !== 0) {
      const why = `SKIPPED LOUDLY: cannot mount a tmpfs here (${String(mounted.stderr || mounted.error).trim()}); the full-disk case is not tested on this machine`;
      console.warn(why);
      t.skip(why);
      return;
    }
    try {
      const db = openDatabase(join(mnt, 'parcours.db'));
      await migrateToLatest(db);
      try {
        writeFileSync(join(mnt, 'filler'), Buffer.alloc(1200 * 1024));
      } catch {
        /* the disk is now full */
      }
      await failsWith(async (d) => d, /^Cannot write the content to the database: the disk holding the database is full; nothing was imported\.$/, db);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  test('the database stays as it was', async () => {
    const written = await memoryDb();
    const store = freshStore();
    await importBundle(written, await mediaBundle(), store);
    const version = await contentVersion(written);
    const db = await readOnly(written);
    await assert.rejects(importBundle(db, await bundleWithImage(40, 30), store));
    assert.equal(await contentVersion(db), version);
    await db.destroy();
  });
});

describe('cleaning the media store', () => {
  const hash = (c: string) => c.repeat(64);
  const makeFolder = (store: MediaStore, h: string) => {
    mkdirSync(store.folder(h), { recursive: true });
    writeFileSync(join(store.folder(h), 'parcours.json'), '{}');
  };
  /** A pid that is certainly not running: a child that has exited. */
  const deadPid = () => new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['-e', '0']);
    child.once('exit', () => resolve(child.pid!));
  });

  test('removes temporary folders of dead imports and folders no content uses; keeps the current content\'s and a running import\'s', async () => {
    const store = freshStore();
    const [used, orphan, leasedByLive, leasedByDead] = [hash('a'), hash('b'), hash('c'), hash('d')];
    for (const h of [used, orphan, leasedByLive, leasedByDead]) makeFolder(store, h);
    const dead = await deadPid();
    mkdirSync(join(store.dir, 'tmp', `${hash('e').slice(0, 16)}-${HOST}-${dead}-0a1b2c3d`), { recursive: true });
    mkdirSync(join(store.dir, 'tmp', `${hash('f').slice(0, 16)}-${HOST}-${process.pid}-0a1b2c3d`), { recursive: true });
    const live = store.lease([leasedByLive]);
    mkdirSync(join(store.dir, 'leases'), { recursive: true });
    writeFileSync(join(store.dir, 'leases', `${HOST}-${dead}-00000000.json`), JSON.stringify({ host: HOST, pid: dead, hashes: [leasedByDead] }));

    const swept = await store.sweep(async () => new Set([used]));
    assert.deepEqual(swept, { folders: 2, temporary: 1 });
    assert.ok(existsSync(store.folder(used)), 'the current content\'s folder is kept');
    assert.ok(existsSync(store.folder(leasedByLive)), 'a running import\'s folder is kept');
    assert.ok(!existsSync(store.folder(orphan)), 'an orphan is removed');
    assert.ok(!existsSync(store.folder(leasedByDead)), 'a killed import\'s folder is removed');
    assert.deepEqual(readdirSync(join(store.dir, 'tmp')), [`${hash('f').slice(0, 16)}-${HOST}-${process.pid}-0a1b2c3d`], 'only a live process\'s temporary folder stays');
    assert.deepEqual(readdirSync(join(store.dir, 'leases')), [live.file.slice(live.file.lastIndexOf('/') + 1)], 'the dead lease is removed');
    live.release();
    assert.deepEqual(readdirSync(join(store.dir, 'leases')), []);
  });

  test('an import cleans what the content does not use, and keeps what it does', async () => {
    const store = freshStore();
    const db = await memoryDb();
    await importBundle(db, await mediaBundle(), store);
    const kept = listing(store.dir);
    makeFolder(store, hash('b'));
    assert.deepEqual(await cleanMediaStore(db, store), { folders: 1, temporary: 0 });
    assert.deepEqual(listing(store.dir), kept);
    await db.destroy();
  });

  test('an export removes the temporary folder an export killed mid-way left beside its target', async () => {
    const db = await memoryDb();
    const store = freshStore();
    await importBundle(db, await mediaBundle(), store);
    const parent = mkdtempSync(join(tmpdir(), 'parcours-export-'));
    const dead = await deadPid();
    mkdirSync(join(parent, `out.tmp-${dead}-1700000000000`, 'themes'), { recursive: true });
    mkdirSync(join(parent, `out.tmp-${process.pid}-1700000000000`), { recursive: true });
    await exportBundle(db, join(parent, 'out'), store);
    assert.deepEqual(readdirSync(parent).sort(), ['out', `out.tmp-${process.pid}-1700000000000`], 'the dead export\'s folder is gone, a running one\'s is kept');
    await db.destroy();
  });
});
