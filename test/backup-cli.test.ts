import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { contentVersion, importBundle } from '../src/modules/bundle/bundle.service.ts';
import { FIXTURE, testStore, runCli } from './harness.ts';
import { postgresTestDb, testTargetOf } from './postgres.ts';

// `parcours backup`, `restore` and `db copy` through the real CLI: what a
// person types, and the one line they read when it is refused.

const dir = mkdtempSync(join(tmpdir(), 'parcours-backup-cli-'));
const source = join(dir, 'source.db');
before(async () => {
  const db = openDatabase(source);
  await migrateToLatest(db);
  await importBundle(db, FIXTURE, testStore());
  await db.destroy();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], database = source) => runCli(args, { DATABASE_URL: database });

test('backup writes one archive; restore puts it into an empty database', async () => {
  const file = join(dir, 'site.tgz');
  const b = await cli(['backup', file]);
  assert.equal(b.code, 0, b.err);
  assert.match(b.out, /^Backed up .*source\.db to .*site\.tgz: \d+ rows in 30 tables, 0 media folders/);
  assert.ok(existsSync(file));
  const empty = join(dir, 'empty.db');
  const r = await cli(['restore', file], empty);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Restored .*site\.tgz into .*empty\.db: \d+ rows, 0 media folders added; content version 1\.\n$/);
});

test('restore of a file that is no backup: one line, exit 1, the database unchanged', async () => {
  const junk = join(dir, 'notes.txt');
  writeFileSync(junk, 'not a backup\n');
  const r = await cli(['restore', junk]);
  assert.equal(r.code, 1);
  assert.equal(r.err, `parcours: ${junk} is not a Parcours backup (not a gzip file); nothing was restored.\n`);
  const missing = await cli(['restore', join(dir, 'nowhere.tgz')]);
  assert.equal(missing.err, `parcours: ${join(dir, 'nowhere.tgz')} is not a file; nothing was restored.\n`);
  const db = openDatabase(source);
  assert.equal(await contentVersion(db), '1');
  await db.destroy();
});

test('backup and restore take one file; db copy wants --from and --to', async () => {
  for (const args of [['backup'], ['restore', 'a', 'b'], ['db', 'copy', '--from', source]]) {
    const r = await cli(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, /^parcours: ("parcours (backup|restore)" takes exactly one file|Write "parcours db copy --from <url> --to <url> \[--replace\]")\./, args.join(' '));
  }
});

test('db copy into a database holding content is refused unless --replace', async () => {
  const to = join(dir, 'copy.db');
  const first = await cli(['db', 'copy', '--from', source, '--to', to]);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^Copied .*source\.db to .*copy\.db: \d+ rows; content version 1\.\n$/);
  const again = await cli(['db', 'copy', '--from', source, '--to', to]);
  assert.equal(again.code, 1);
  assert.equal(again.err, `parcours: ${to} already holds content; add --replace to replace it (nothing was copied).\n`);
  const replaced = await cli(['db', 'copy', '--from', source, '--to', to, '--replace']);
  assert.equal(replaced.code, 0, replaced.err);
  assert.match(replaced.out, /content version 2\.\n$/);
  const same = await cli(['db', 'copy', '--from', source, '--to', source]);
  assert.equal(same.err, 'parcours: --from and --to name the same database; nothing was copied.\n');
});

const skip = process.env.TEST_DATABASE_URL ? false : 'SKIPPED LOUDLY: TEST_DATABASE_URL is not set, so db copy from SQLite to PostgreSQL cannot run here (CI sets it)';
if (skip) console.warn(skip);

test('db copy from a SQLite file to PostgreSQL and back', { skip }, async () => {
  const pg = await postgresTestDb();
  try {
    const target = testTargetOf(pg);
    assert.equal(target.engine, 'postgres');
    const url = target.engine === 'postgres' ? target.url : '';
    const there = await cli(['db', 'copy', '--from', source, '--to', url]);
    assert.equal(there.code, 0, there.err);
    assert.match(there.out, /^Copied .*source\.db to PostgreSQL .*: \d+ rows; content version 1\.\n$/);
    const back = join(dir, 'back.db');
    const r = await cli(['db', 'copy', '--from', url, '--to', back]);
    assert.equal(r.code, 0, r.err);
    const a = openDatabase(source);
    const b = openDatabase(back);
    try {
      for (const t of ['block_translation', 'place', 'media'] as const) {
        // Rows in any order: the files were filled in different orders.
        const rows = async (db: typeof a) => (await db.selectFrom(t).selectAll().execute()).map((r) => JSON.stringify(r)).sort();
        assert.deepEqual(await rows(b), await rows(a), t);
      }
    } finally {
      await a.destroy();
      await b.destroy();
    }
  } finally {
    await pg.destroy();
  }
});
