import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { assertWritable, databaseMode, openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';
import { MediaStore } from '../src/modules/media/media.store.ts';
import { isAppError } from '../src/shared/errors.ts';
import { FIXTURE } from './harness.ts';

// A database on a read-only disk, or in a file or folder that cannot be
// written, is still served and exported; an import says at once that it
// cannot write. Tests run as root, where chmod does not stop writes: the
// decision is tested with the reasons the file system would give, the
// read-only open directly, and the whole thing on a read-only bind mount
// where the machine allows one (skipped loudly where not).

const NODE = process.execPath;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A database holding the fixture, in data/ of a new folder, closed. */
async function fixtureDatabase(): Promise<{ root: string; dbPath: string }> {
  const root = mkdtempSync(join(tmpdir(), 'parcours-rodb-'));
  const dbPath = join(root, 'data', 'parcours.db');
  const db = openDatabase(dbPath);
  await migrateToLatest(db);
  await importBundle(db, FIXTURE, new MediaStore(join(root, 'data', 'media')));
  await db.destroy();
  return { root, dbPath };
}

describe('when the database can only be read', () => {
  test('the decision: an existing file or folder that cannot be written means read-only, with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-mode-'));
    const file = join(dir, 'p.db');
    writeFileSync(file, '');
    const refuse = (which: string, code: string) => (p: string) => (p === which ? code : undefined);
    assert.deepEqual(databaseMode(file, () => undefined), { readOnly: false });
    assert.deepEqual(databaseMode(file, refuse(file, 'EROFS')), { readOnly: true, why: 'it is on a disk mounted read-only' });
    assert.deepEqual(databaseMode(file, refuse(dir, 'EROFS')), { readOnly: true, why: 'it is on a disk mounted read-only' });
    assert.deepEqual(databaseMode(file, refuse(file, 'EACCES')), { readOnly: true, why: 'the file cannot be written' });
    assert.deepEqual(databaseMode(file, refuse(dir, 'EACCES')), { readOnly: true, why: `its folder ${dir} cannot be written` });
    assert.deepEqual(databaseMode(':memory:', () => 'EROFS'), { readOnly: false });
    // A database still to be created needs its folder, whatever the probe says.
    assert.deepEqual(databaseMode(join(dir, 'new', 'p.db'), () => 'EROFS'), { readOnly: false });
  });

  test('opened read-only: content reads, the file is not changed, an import is refused at once naming the file', async () => {
    const { dbPath } = await fixtureDatabase();
    const before = sha256(dbPath);
    const db = openDatabase(dbPath, { readOnly: true, why: 'the file cannot be written' });
    try {
      await migrateToLatest(db);
      const row = await sql<{ n: number }>`SELECT count(*) AS n FROM document`.execute(db);
      assert.ok(Number(row.rows[0]!.n) > 0);
      await assert.rejects(sql`DELETE FROM document`.execute(db), /readonly/);
      assert.throws(() => assertWritable(db), (e) => isAppError(e, 'database_unavailable') && e.message.includes(`the database at ${dbPath} is read-only (the file cannot be written)`));
    } finally {
      await db.destroy();
    }
    assert.equal(sha256(dbPath), before);
    const rw = openDatabase(dbPath);
    assert.doesNotThrow(() => assertWritable(rw));
    await rw.destroy();
  });

  test('on a read-only bind mount: served and exported; import says the database is read-only and changes nothing', async (t) => {
    const { root, dbPath } = await fixtureDatabase();
    const data = join(root, 'data');
    const out = join(root, 'export');
    mkdirSync(out);
    // A private mount namespace: the read-only mount disappears with the child.
    const inReadOnly = (cmd: string) => ['-m', 'sh', '-c', `mount --bind "${data}" "${data}" && mount -o remount,bind,ro "${data}" && ${cmd}`];
    const probe = spawnSync('unshare', inReadOnly(`touch "${data}/probe" 2>/dev/null; test ! -e "${data}/probe"`), { encoding: 'utf8' });
    if (probe.status !== 0) {
      const why = `SKIPPED LOUDLY: cannot make a read-only bind mount here (${String(probe.stderr || probe.error || 'the mount stayed writable').trim()}); the read-only disk is only tested through databaseMode and the read-only open`;
      console.warn(why);
      t.skip(why);
      return;
    }
    const env = { ...process.env, DATABASE_URL: dbPath, MEDIA_DIR: join(data, 'media'), PORT: '0' };
    const cli = (args: string) => spawnSync('unshare', inReadOnly(`exec "${NODE}" --import tsx src/cli/index.ts ${args}`), { env, encoding: 'utf8', timeout: 60_000 });

    const exported = cli(`export "${out}"`);
    assert.equal(exported.status, 0, exported.stderr);
    assert.ok(readdirSync(out).includes('bundle.yaml'));

    const imported = cli(`import "${FIXTURE}"`);
    assert.equal(imported.status, 1);
    assert.match(imported.stderr, /^parcours: Cannot import: the database at .*parcours\.db is read-only \(it is on a disk mounted read-only\); nothing was changed\.\n$/);

    const server = spawn('unshare', inReadOnly(`exec "${NODE}" --import tsx src/main.ts`), { env: { ...env, PORT: String(await freePort()) } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let said = '';
        const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${said}`)), 30_000);
        const hear = (d: Buffer) => {
          said += d.toString();
          const m = /serving the visit at (\S+)\//.exec(said);
          if (m) { clearTimeout(timer); resolve(m[1]!); }
        };
        server.stdout.on('data', hear);
        server.stderr.on('data', hear);
        server.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${said}`)); });
      });
      const home = await fetch(`${url}/`, { redirect: 'manual' });
      const page = await fetch(new URL(home.headers.get('location') ?? '/', url));
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html lang=/);
    } finally {
      await new Promise<void>((r) => { server.once('exit', () => r()); server.kill('SIGTERM'); });
    }
    assert.deepEqual(readdirSync(data).sort(), ['media', 'parcours.db'], 'nothing written beside the database');
  });
});

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
