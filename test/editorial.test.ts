import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, FIXTURE, memoryDb } from './harness.ts';
import type { Db } from '../src/db/connection.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { contentVersion, replaceContent } from '../src/modules/bundle/bundle.service.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import type { Content } from '../src/modules/content/content.schema.ts';
import { join, split, type DocData, type VisitData } from '../src/modules/editorial/documents.ts';
import {
  discardDraft, documentState, draftVersion, ensureRevisions, heads, history, loadDraftContent, publish, restoreRevision, saveDraft,
} from '../src/modules/editorial/editorial.service.ts';
import { stopCheckThread } from '../src/modules/editorial/check.ts';
import { auditEntries } from '../src/modules/auth/audit.ts';
import { backupToFile } from '../src/modules/backup/backup.write.ts';
import { restoreFile } from '../src/modules/backup/backup.restore.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { testStore } from './harness.ts';

// The editorial model (docs/decisions/0022) on either engine: documents and
// the aggregate, revisions of imports and saves, conflicts, publishing with the
// bundle's rules, restore, discard.

after(() => stopCheckThread());

const at = (s: number) => new Date(Date.UTC(2026, 11, 4, 10, 0, s));
const editor = { id: '00000000-0000-4000-8000-000000000001', email: 'claire@musee.example.org' };
const bundle = (dir: string): Content => {
  const { content, problems } = readBundle(dir);
  assert.deepEqual(problems, []);
  return content!;
};
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function imported(dir = FIXTURE): Promise<Db> {
  const db = await memoryDb();
  await replaceContent(db, bundle(dir), { at: at(0) });
  return db;
}

describe('documents', () => {
  test('join(split(c)) is the content the database gives back, for the demo and for a museum with two visits', async () => {
    for (const dir of [DEMO, FIXTURE]) {
      const db = await memoryDb();
      await replaceContent(db, bundle(dir));
      const c = (await loadContent(db))!;
      assert.deepEqual(join(clone(split(c))), clone(c), dir);
      await db.destroy();
    }
  });

  test('a theme\'s position is its place in its visit\'s list', () => {
    const c = bundle(FIXTURE);
    const parts = clone(split(c));
    const visit = parts.filter((p) => p.kind === 'visit').map((p) => p.data as VisitData).sort((a, b) => b.themes.length - a.themes.length)[0]!;
    assert.ok(visit.themes.length >= 2);
    visit.themes.reverse();
    const j = join(parts)!;
    const themes = j.docs.filter((d) => d.kind === 'theme' && d.visit === (visit as { id: string }).id).sort((a, b) => a.position - b.position).map((d) => d.id);
    assert.deepEqual(themes, visit.themes);
  });
});

describe('revisions', () => {
  test('an import is a revision of each document it changes, and only of those', async () => {
    const db = await imported();
    const first = await heads(db);
    assert.ok(first.length > 10);
    assert.ok(first.every((h) => h.published === 1 && h.draft === null));
    await replaceContent(db, bundle(FIXTURE), { at: at(1) });
    assert.deepEqual(await heads(db), first, 'the same bundle again changes no document');
    const c = bundle(FIXTURE);
    const theme = c.docs.find((d) => d.kind === 'theme')!;
    const l = Object.keys(theme.texts)[0]!;
    theme.texts[l]!.title = 'A new title';
    await replaceContent(db, c, { at: at(2) });
    const changed = (await heads(db)).filter((h) => h.published === 2);
    assert.deepEqual(changed.map((h) => h.key), [`theme/${theme.id}`]);
    const [latest, earlier] = await history(db, `theme/${theme.id}`);
    assert.equal(latest!.source, 'import');
    assert.equal(latest!.base, 1);
    assert.equal((latest!.data as DocData).texts[l]!.title, 'A new title');
    assert.notEqual((earlier!.data as DocData).texts[l]!.title, 'A new title');
    await db.destroy();
  });

  test('a database filled before revisions gets its content as their first revision, once', async () => {
    const db = await imported();
    await db.deleteFrom('content_revision').execute();
    await db.deleteFrom('content_head').execute();
    await ensureRevisions(db, at(5));
    const seeded = await heads(db);
    assert.ok(seeded.length > 10 && seeded.every((h) => h.published === 1));
    await ensureRevisions(db, at(6));
    assert.deepEqual(await heads(db), seeded);
    await db.destroy();
  });

  test('a save is a draft: visitors see the published state until it is published', async () => {
    const db = await imported();
    const version = await contentVersion(db);
    const drafts = await draftVersion(db);
    const state = (await documentState(db, 'museum'))!;
    const data = clone(state.current.data) as Content['museum'];
    const l = data.default_locale;
    data.intro[l] = 'A draft introduction.';
    const r = await saveDraft(db, at(10), editor, 'museum', state.current.number, data, 'intro rewritten');
    assert.deepEqual(r, { ok: true, number: 2, unchanged: false });
    assert.equal((await loadContent(db))!.museum.intro[l] === 'A draft introduction.', false, 'the site is unchanged');
    assert.equal(await contentVersion(db), version);
    assert.notEqual(await draftVersion(db), drafts);
    assert.equal((await loadDraftContent(db))!.museum.intro[l], 'A draft introduction.');
    const after = (await documentState(db, 'museum'))!;
    assert.equal(after.head.draft, 2);
    assert.equal(after.head.published, 1);
    assert.equal(after.current.email, editor.email);
    assert.equal(after.current.message, 'intro rewritten');
    // The same state again is no new revision.
    assert.deepEqual(await saveDraft(db, at(11), editor, 'museum', 2, data), { ok: true, number: 2, unchanged: true });
    assert.equal((await auditEntries(db)).filter((e) => e.event === 'content_saved').length, 1);
    await db.destroy();
  });

  test('a save made from an older revision is refused with the current one, and nothing is written', async () => {
    const db = await imported();
    const state = (await documentState(db, 'museum'))!;
    const mine = clone(state.current.data) as Content['museum'];
    const theirs = clone(state.current.data) as Content['museum'];
    const l = mine.default_locale;
    theirs.intro[l] = 'Theirs.';
    mine.intro[l] = 'Mine.';
    assert.equal((await saveDraft(db, at(10), editor, 'museum', 1, theirs)).ok, true);
    const r = await saveDraft(db, at(11), { ...editor, email: 'other@musee.example.org' }, 'museum', 1, mine);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.reason === 'conflict' && r.current.number === 2 && (r.current.data as Content['museum']).intro[l] === 'Theirs.');
    assert.equal((await history(db, 'museum')).length, 2);
    // Made again from the revision shown, it goes through.
    assert.equal((await saveDraft(db, at(12), editor, 'museum', 2, mine)).ok, true);
    await db.destroy();
  });

  test('publishing rewrites the site from the drafts, moves the heads and gives a new content version', async () => {
    const db = await imported();
    const version = Number(await contentVersion(db));
    const key = (await heads(db)).find((h) => h.key.startsWith('theme/'))!.key;
    const state = (await documentState(db, key))!;
    const doc = clone(state.current.data) as DocData;
    const l = Object.keys(doc.texts)[0]!;
    doc.texts[l]!.title = 'Published title';
    await saveDraft(db, at(10), editor, key, 1, doc);
    const r = await publish(db, at(11), editor);
    assert.deepEqual(r, { ok: true, published: [key], version: String(version + 1) });
    const site = (await loadContent(db))!;
    assert.equal(site.docs.find((d) => `theme/${d.id}` === key)!.texts[l]!.title, 'Published title');
    const h = (await heads(db)).find((x) => x.key === key)!;
    assert.deepEqual([h.draft, h.published], [null, 2]);
    assert.deepEqual(await publish(db, at(12), editor), { ok: true, published: [], version: undefined }, 'nothing left to publish');
    await db.destroy();
  });

  test('publishing one document leaves the other drafts as drafts', async () => {
    const db = await imported();
    const museum = clone((await documentState(db, 'museum'))!.current.data) as Content['museum'];
    museum.intro[museum.default_locale] = 'Draft intro.';
    await saveDraft(db, at(10), editor, 'museum', 1, museum);
    const key = (await heads(db)).find((h) => h.key.startsWith('theme/'))!.key;
    const doc = clone((await documentState(db, key))!.current.data) as DocData;
    doc.texts[Object.keys(doc.texts)[0]!]!.title = 'One title';
    await saveDraft(db, at(11), editor, key, 1, doc);
    const r = await publish(db, at(12), editor, [key]);
    assert.ok(r.ok && r.published.length === 1);
    assert.notEqual((await loadContent(db))!.museum.intro[museum.default_locale], 'Draft intro.');
    assert.equal((await heads(db)).find((h) => h.key === 'museum')!.draft, 2);
    await db.destroy();
  });

  test('a draft the bundle rules refuse is not published, and the problems say where', async () => {
    const db = await imported();
    const version = await contentVersion(db);
    const key = (await heads(db)).find((h) => h.key.startsWith('theme/'))!.key;
    const doc = clone((await documentState(db, key))!.current.data) as DocData;
    doc.blocks.push({ id: 'lost-figure', kind: 'figure', media: 'no-such-media' });
    await saveDraft(db, at(10), editor, key, 1, doc);
    const r = await publish(db, at(11), editor);
    assert.equal(r.ok, false);
    const problems = r.ok ? [] : r.problems;
    assert.ok(problems.some((p) => p.entity === 'theme' && `theme/${p.id}` === key && /no-such-media/.test(p.message)), JSON.stringify(problems));
    assert.equal(await contentVersion(db), version);
    assert.equal((await heads(db)).find((h) => h.key === key)!.draft, 2, 'the draft stays a draft');
    await db.destroy();
  });

  test('an earlier revision restored becomes a new draft; a discarded draft leaves the published state', async () => {
    const db = await imported();
    const original = clone((await documentState(db, 'museum'))!.current.data) as Content['museum'];
    const changed = clone(original);
    changed.intro[changed.default_locale] = 'Changed.';
    await saveDraft(db, at(10), editor, 'museum', 1, changed);
    const r = await restoreRevision(db, at(11), editor, 'museum', 1, 2);
    assert.deepEqual(r, { ok: true, number: 3, unchanged: false });
    const restored = (await documentState(db, 'museum'))!;
    assert.deepEqual(restored.current.data, original);
    assert.equal(restored.current.source, 'restore');
    assert.equal(restored.current.base, 2);
    assert.equal((await restoreRevision(db, at(12), editor, 'museum', 1, 2)).ok, false, 'from a stale form: a conflict');
    assert.deepEqual(await discardDraft(db, at(13), editor, 'museum', 3), { ok: true, number: 1, unchanged: false });
    const discarded = (await documentState(db, 'museum'))!;
    assert.equal(discarded.head.draft, null);
    assert.equal(discarded.current.number, 1);
    assert.equal((await history(db, 'museum')).length, 3, 'the discarded draft stays in the history');
    await db.destroy();
  });
});

test('the history and the drafts survive a backup and its restore into another database', async () => {
  const db = await imported();
  const museum = clone((await documentState(db, 'museum'))!.current.data) as Content['museum'];
  museum.intro[museum.default_locale] = 'A draft kept through the backup.';
  await saveDraft(db, at(10), editor, 'museum', 1, museum, 'before the backup');
  const dir = mkdtempSync(joinPath(tmpdir(), 'parcours-editorial-backup-'));
  try {
    const file = joinPath(dir, 'site.tgz');
    await backupToFile(db, testStore(), file);
    const other = await memoryDb();
    await restoreFile(other, testStore(), file);
    assert.deepEqual(await heads(other), await heads(db));
    assert.deepEqual(await history(other, 'museum'), await history(db, 'museum'));
    assert.equal((await loadDraftContent(other))!.museum.intro[museum.default_locale], 'A draft kept through the backup.');
    await other.destroy();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.destroy();
  }
});
