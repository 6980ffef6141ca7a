import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Place } from '../src/modules/content/content.schema.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { exportBundle, importBundle } from '../src/modules/bundle/bundle.service.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { copyBundle, FIXTURE, memoryDb, testStore } from './harness.ts';

// Issue 13: a place's coordinates may be an estimate (`precision: approximate`).
// The field is generic (any museum's bundle), optional (absent = exact), kept
// through the database and written back by an export exactly as the bundle said.

const base = { id: 'bridge', kind: 'bridge', lat: 44.766, lon: 4.839, name: { fr: 'Pont', en: 'Bridge' } };

describe('the precision of a place in the schema', () => {
  test('exact and approximate are accepted; without the field a place is exact', () => {
    assert.equal(Place.parse({ ...base, precision: 'approximate' }).precision, 'approximate');
    assert.equal(Place.parse({ ...base, precision: 'exact' }).precision, 'exact');
    assert.equal(Place.parse(base).precision, undefined);
  });

  test('any other value is refused, with a message that names the two', () => {
    for (const bad of ['estimated', 'APPROXIMATE', 1, true, null]) {
      const r = Place.safeParse({ ...base, precision: bad });
      assert.equal(r.success, false, String(bad));
      assert.match(r.error!.issues[0]!.message, /exact or approximate/);
    }
  });
});

/** The fixture museum with three places rewritten: one approximate, one explicitly exact, one saying nothing. */
function bundleWithPrecisions(): { dir: string; ids: [string, string, string] } {
  const dir = copyBundle(FIXTURE);
  const file = join(dir, 'places.yaml');
  const text = readFileSync(file, 'utf8');
  const ids = [...text.matchAll(/^- id: (\S+)$/gm)].map((m) => m[1]!);
  assert.ok(ids.length >= 3, 'the fixture has three places');
  const [a, e] = ids as [string, string, string];
  // After each place's `lon:` line, add the field.
  const out = text.replace(new RegExp(`(- id: ${a}\\n(?:  .*\\n)*?  lon: .*\\n)`), '$1  precision: approximate\n')
    .replace(new RegExp(`(- id: ${e}\\n(?:  .*\\n)*?  lon: .*\\n)`), '$1  precision: exact\n');
  assert.notEqual(out, text);
  writeFileSync(file, out);
  return { dir, ids: ids.slice(0, 3) as [string, string, string] };
}

describe('the precision of a place through import, the database and export', () => {
  test('the reader keeps what the bundle says', () => {
    const { dir, ids: [a, e, none] } = bundleWithPrecisions();
    const { content, problems } = readBundle(dir);
    assert.deepEqual(problems, []);
    const byId = new Map(content!.places.map((p) => [p.id, p]));
    assert.equal(byId.get(a)!.precision, 'approximate');
    assert.equal(byId.get(e)!.precision, 'exact');
    assert.equal(byId.get(none)!.precision, undefined);
  });

  test('a bad value is a located problem of places.yaml', () => {
    const { dir, ids: [a] } = bundleWithPrecisions();
    const file = join(dir, 'places.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('precision: approximate', 'precision: estimated'));
    const { problems } = readBundle(dir);
    const p = problems.find((x) => x.file === 'places.yaml' && x.field === 'precision');
    assert.ok(p, JSON.stringify(problems));
    assert.equal(p.id, a);
    assert.match(p.message, /exact or approximate/);
  });

  test('import → load gives the same places; export writes the field back as it was (and only where it was)', async () => {
    const { dir, ids: [a, e, none] } = bundleWithPrecisions();
    const db = await memoryDb();
    try {
      await importBundle(db, dir, testStore());
      const loaded = await loadContent(db);
      assert.deepEqual(loaded?.places, readBundle(dir).content!.places);
      const stored = await db.selectFrom('place').select(['id', 'precision']).execute();
      assert.deepEqual(Object.fromEntries(stored.filter((r) => [a, e, none].includes(r.id)).map((r) => [r.id, r.precision])), { [a]: 'approximate', [e]: 'exact', [none]: null });
      const out = join(mkdtempSync(join(tmpdir(), 'parcours-precision-')), 'export');
      await exportBundle(db, out, testStore());
      const places = readFileSync(join(out, 'places.yaml'), 'utf8');
      assert.equal((places.match(/^ {2}precision: approximate$/gm) ?? []).length, 1);
      assert.equal((places.match(/^ {2}precision: exact$/gm) ?? []).length, 1);
      assert.deepEqual(readBundle(out).content!.places, readBundle(dir).content!.places);
    } finally {
      await db.destroy();
    }
  });
});

describe('migration 0006_place_precision', () => {
  test('adds a nullable text column to place, keeps the rows there, and comes down again', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parcours-migrate-')), 'p.db');
    const db = openDatabase(path);
    try {
      const applied = await migrateToLatest(db);
      assert.ok(applied.includes('0006_place_precision'), applied.join(', '));
      const cols = await sql<{ name: string; type: string; notnull: number }>`select name, type, "notnull" from pragma_table_info('place')`.execute(db);
      const col = cols.rows.find((c) => c.name === 'precision');
      assert.ok(col, 'place.precision exists');
      assert.equal(col.type.toLowerCase(), 'text');
      assert.equal(col.notnull, 0);
      // A row written before the column existed reads back as "not stated" (exact).
      await sql`insert into place (id, kind, position, lat, lon) values ('old', 'town', 0, 45, 5)`.execute(db);
      assert.equal((await db.selectFrom('place').select('precision').where('id', '=', 'old').executeTakeFirstOrThrow()).precision, null);
      // A second run has nothing left to do.
      assert.deepEqual(await migrateToLatest(db), []);
      const m = await import('../src/db/migrations/0006_place_precision.ts');
      await m.down(db);
      const after = await sql<{ name: string }>`select name from pragma_table_info('place')`.execute(db);
      assert.equal(after.rows.some((c) => c.name === 'precision'), false);
      assert.ok(after.rows.some((c) => c.name === 'lat'));
    } finally {
      await db.destroy();
    }
  });
});
