import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { CONTENT_VERSION_KEY, contentVersion, importBundle } from '../bundle/bundle.service.ts';
import { isAppError } from '../../shared/errors.ts';
import { loadContent } from './content.loader.ts';
import { BlockTextStore } from './content.texts.ts';
import { copyBundle, FIXTURE, testStore } from '../../../test/harness.ts';

// Block texts read on demand (the render worker's way): the same texts as a
// whole load, bounded in memory, and never texts of another content version.

let dir: string;
let db: Db;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parcours-texts-'));
  db = openDatabase(join(dir, 'p.db'));
  await migrateToLatest(db);
  await importBundle(db, FIXTURE, testStore());
});
after(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('read on demand, the block texts are those of a whole load, in every language', async () => {
  const whole = (await loadContent(db))!;
  const store = new BlockTextStore(db, await contentVersion(db), CONTENT_VERSION_KEY);
  const lazy = (await loadContent(db, { blockTexts: (k, i, l) => store.get(k, i, l) }))!;
  assert.equal(store.reads, 0, 'nothing is read before it is asked for');
  let compared = 0;
  for (const [i, d] of whole.docs.entries()) {
    for (const [locale, t] of Object.entries(d.texts)) {
      assert.deepEqual({ ...lazy.docs[i]!.texts[locale]!.blocks }, { ...t.blocks }, `${d.kind} ${d.id} ${locale}`);
      compared += Object.keys(t.blocks).length;
    }
  }
  assert.ok(compared > 10, `${compared} block texts compared`);
});

test('the texts read last are kept within the budget; the least recently used go first', async () => {
  const version = await contentVersion(db);
  const docs = (await loadContent(db))!.docs.filter((d) => d.texts.de && Object.keys(d.texts.de.blocks).length);
  const [a, b] = docs;
  assert.ok(a && b, 'two documents with German block texts');
  const generous = new BlockTextStore(db, version, CONTENT_VERSION_KEY);
  generous.get(a.kind, a.id, 'de');
  generous.get(a.kind, a.id, 'de');
  assert.equal(generous.reads, 1, 'a second get is served from memory');
  // A budget below one document's texts keeps only the last one read.
  const tight = new BlockTextStore(db, version, CONTENT_VERSION_KEY, 1);
  tight.get(a.kind, a.id, 'de');
  tight.get(b.kind, b.id, 'de');
  tight.get(b.kind, b.id, 'de');
  assert.equal(tight.reads, 2);
  tight.get(a.kind, a.id, 'de');
  assert.equal(tight.reads, 3, 'the first was evicted');
});

test('after an import the old version\'s texts are refused with content_changed, not mixed with the new ones', async () => {
  const version = await contentVersion(db);
  const store = new BlockTextStore(db, version, CONTENT_VERSION_KEY);
  const doc = (await loadContent(db))!.docs.find((d) => d.texts.de && Object.keys(d.texts.de.blocks).length)!;
  const bundle = copyBundle(FIXTURE);
  try {
    // The same bundle with one text changed: a new content version.
    const md = join(bundle, 'themes', '01-fossils.de.md');
    writeFileSync(md, `${readFileSync(md, 'utf8')}\nNeu.\n`);
    await importBundle(db, bundle, testStore());
    assert.notEqual(await contentVersion(db), version);
    assert.throws(() => store.get(doc.kind, doc.id, 'de'), (e: unknown) => isAppError(e, 'content_changed'));
    const current = new BlockTextStore(db, await contentVersion(db), CONTENT_VERSION_KEY);
    assert.ok(Object.keys(current.get(doc.kind, doc.id, 'de')).length > 0);
  } finally {
    await importBundle(db, FIXTURE, testStore());
    rmSync(join(bundle, '..'), { recursive: true, force: true });
  }
});
