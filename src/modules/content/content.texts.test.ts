import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/connection.ts';
import { CONTENT_VERSION_KEY, contentVersion, importBundle } from '../bundle/bundle.service.ts';
import { isAppError } from '../../shared/errors.ts';
import { loadContent } from './content.loader.ts';
import { BlockTextStore, TextsMissing } from './content.texts.ts';
import type { DocKind } from './content.schema.ts';
import { copyBundle, FIXTURE, memoryDb, TEST_ENGINE, testStore } from '../../../test/harness.ts';

// Block texts read on demand (the render worker's way): the same texts as a
// whole load, bounded in memory, and never texts of another content version.
// On SQLite get() reads at once; on PostgreSQL it throws TextsMissing and
// fetch() reads them (generation.ts renders again): `read` does what a render does.

let db: Db;
before(async () => {
  db = await memoryDb();
  await importBundle(db, FIXTURE, testStore());
});
after(async () => {
  await db.destroy();
});

async function read(store: BlockTextStore, kind: DocKind, id: string, locale: string) {
  try {
    return store.get(kind, id, locale);
  } catch (e) {
    if (!(e instanceof TextsMissing)) throw e;
    assert.equal(TEST_ENGINE, 'postgres', 'only a database read asynchronously misses');
    await store.fetch(kind, id, locale);
    return store.get(kind, id, locale);
  }
}

test('read on demand, the block texts are those of a whole load, in every language', async () => {
  const whole = (await loadContent(db))!;
  const store = new BlockTextStore(db, await contentVersion(db), CONTENT_VERSION_KEY);
  const lazy = (await loadContent(db, { blockTexts: (k, i, l) => store.get(k, i, l) }))!;
  assert.equal(store.reads, 0, 'nothing is read before it is asked for');
  let compared = 0;
  for (const [i, d] of whole.docs.entries()) {
    for (const [locale, t] of Object.entries(d.texts)) {
      await read(store, d.kind, d.id, locale);
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
  await read(generous, a.kind, a.id, 'de');
  await read(generous, a.kind, a.id, 'de');
  assert.equal(generous.reads, 1, 'a second get is served from memory');
  // A budget below one document's texts keeps only the last one read.
  const tight = new BlockTextStore(db, version, CONTENT_VERSION_KEY, 1);
  await read(tight, a.kind, a.id, 'de');
  await read(tight, b.kind, b.id, 'de');
  await read(tight, b.kind, b.id, 'de');
  assert.equal(tight.reads, 2);
  await read(tight, a.kind, a.id, 'de');
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
    await assert.rejects(read(store, doc.kind, doc.id, 'de'), (e: unknown) => isAppError(e, 'content_changed'));
    const current = new BlockTextStore(db, await contentVersion(db), CONTENT_VERSION_KEY);
    assert.ok(Object.keys(await read(current, doc.kind, doc.id, 'de')).length > 0);
  } finally {
    await importBundle(db, FIXTURE, testStore());
    rmSync(join(bundle, '..'), { recursive: true, force: true });
  }
});
