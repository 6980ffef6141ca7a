import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath, relative } from 'node:path';
import type { Db } from '../src/db/connection.ts';
import { exportBundle, importBundle } from '../src/modules/bundle/bundle.service.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import type { Content } from '../src/modules/content/content.schema.ts';
import { addBlock, moveBlock, removeBlock } from '../src/modules/editorial/blocks.ts';
import { applyFields } from '../src/modules/editorial/fields.ts';
import { canonicalJson, type DocData, type VisitData } from '../src/modules/editorial/documents.ts';
import { documentState, heads, history, publish, saveDraft } from '../src/modules/editorial/editorial.service.ts';
import { stopCheckThread } from '../src/modules/editorial/check.ts';
import { backupToFile } from '../src/modules/backup/backup.write.ts';
import { restoreFile } from '../src/modules/backup/backup.restore.ts';
import { DEMO, memoryDb, siteOn, testStore, type TestSite } from './harness.ts';

// Issue 16's round trip: the demo edited through the editorial service (a
// theme's text, a block added, moved and removed, the visit's order of
// themes), published, exported as `parcours export` does, imported into a new
// database: the same content and the same public pages. And the edited
// database, backed up and restored, keeps its history and exports the same
// bundle. On either engine (the harness's memoryDb).

const at = (s: number) => new Date(Date.UTC(2026, 11, 4, 10, 0, s));
const editor = { id: '00000000-0000-4000-8000-000000000001', email: 'claire@musee.example.org' };
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const THEME = 'theme/liberation';
const NEW_TEXT = 'Texte réécrit dans l’éditeur : le couloir rhodanien, entre fleuve et montagnes.';

const dir = mkdtempSync(joinPath(tmpdir(), 'parcours-editorial-export-'));
let edited: Db;
let imported: Db;

/** Saves `change(current state)` as the draft of `key`, from its current revision. */
async function edit<T>(key: string, s: number, change: (data: T) => T): Promise<void> {
  const state = (await documentState(edited, key))!;
  const r = await saveDraft(edited, at(s), editor, key, state.current.number, change(clone(state.current.data) as T));
  assert.ok(r.ok && !r.unchanged, `${key}: ${JSON.stringify(r)}`);
}

/** The document with these form fields changed, as the editor applies them; the fields must be valid. */
function texts(d: DocData, fields: Record<string, string>): DocData {
  const r = applyFields(d, fields, 'fr');
  assert.ok(r.ok, JSON.stringify(r));
  return r.doc;
}

function filesOf(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(joinPath(d, e.name));
      else out.set(relative(root, joinPath(d, e.name)), readFileSync(joinPath(d, e.name)));
    }
  };
  walk(root);
  return out;
}

function assertSameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
  for (const [path, bytes] of a) assert.ok(bytes.equals(b.get(path)!), `${path} differs`);
}

before(async () => {
  edited = await memoryDb();
  await importBundle(edited, DEMO, testStore());
  // A block's text rewritten, as the editor's form does it (fields.ts: every value trimmed, CRLF made LF, checked
  // with the bundle's schemas). saveDraft takes data already so made: a body saved with a trailing newline
  // straight through it would be published as is, and its export read back without that newline.
  await edit<DocData>(THEME, 1, (d) => texts(d, { 'fr.block.geography.body': `## Un couloir\r\n\r\n${NEW_TEXT}\r\n` }));
  // A quote added after it, its texts written in both languages; a block moved up; a note removed.
  await edit<DocData>(THEME, 2, (d) => addBlock(d, { id: 'quote-1', kind: 'quote' }, 'geography'));
  await edit<DocData>(THEME, 3, (d) => texts(d, {
    'fr.block.quote-1.body': 'Texte d’essai d’une citation (test).', 'fr.block.quote-1.source': 'Source d’essai',
    'en.block.quote-1.body': 'Test text of a quotation (test).', 'en.block.quote-1.source': ' Test source ',
  }));
  await edit<DocData>(THEME, 4, (d) => moveBlock(d, 'towns', 'up')!);
  await edit<DocData>(THEME, 5, (d) => removeBlock(d, 'nyons-dates')!);
  // The visit's order: the liberation first.
  await edit<VisitData>('visit/main', 6, (v) => ({ ...v, themes: ['liberation', ...v.themes.filter((t) => t !== 'liberation')] }));
  const r = await publish(edited, at(7), editor);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.published, [THEME, 'visit/main']);
  await exportBundle(edited, joinPath(dir, 'export'), testStore());
  imported = await memoryDb();
  await importBundle(imported, joinPath(dir, 'export'), testStore());
});

after(async () => {
  await stopCheckThread();
  await edited?.destroy();
  await imported?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('edited, published, exported and imported again', () => {
  test('the edits are in the published content', async () => {
    const c = (await loadContent(edited))!;
    const theme = c.docs.find((d) => d.kind === 'theme' && d.id === 'liberation')!;
    assert.equal(theme.position, 1);
    assert.equal(theme.texts.fr!.blocks.geography!.body, `## Un couloir\n\n${NEW_TEXT}`);
    assert.deepEqual(theme.texts.en!.blocks['quote-1'], { body: 'Test text of a quotation (test).', source: 'Test source' });
    const ids = theme.blocks.map((b) => b.id);
    assert.deepEqual(ids.slice(0, 2), ['geography', 'quote-1']);
    assert.ok(ids.indexOf('towns') < ids.indexOf('montelimar'));
    assert.ok(!ids.includes('nyons-dates'));
    assert.equal(c.docs.find((d) => d.id === 'rise-of-nazism')!.position, 2);
  });

  test('the imported content is the published content, canonically, positions included', async () => {
    // Positions are compared as they are: a theme's is its rank in its visit (1, 2 …) on both sides, and an
    // article's or page's is the one the bundle reader gives, which the import of the demo gave too.
    const a = (await loadContent(edited))!;
    const b = (await loadContent(imported))!;
    // Part by part first, so that a difference is shown where it is; then the whole, as canonical JSON.
    const canonical = (c: Content) => JSON.parse(canonicalJson(c)) as Record<string, unknown>;
    const [ca, cb] = [canonical(a), canonical(b)];
    for (const k of Object.keys(ca)) assert.deepEqual(cb[k], ca[k], k);
    assert.equal(canonicalJson(b), canonicalJson(a));
  });

  describe('the public pages', () => {
    let one: TestSite;
    let two: TestSite;
    before(async () => {
      one = await siteOn(edited, undefined, async () => undefined);
      two = await siteOn(imported, undefined, async () => undefined);
    });
    after(async () => {
      await one.close();
      await two.close();
    });
    for (const path of ['/fr/', '/en/', '/fr/visite', '/fr/visite/la-liberation-de-la-drome', '/en/visit/the-liberation-of-the-drome', '/fr/visite/la-montee-du-nazisme', '/fr/chronologie', '/fr/carte', '/sitemap.xml']) {
      test(`${path} is the same on both sites`, async () => {
        const [a, b] = [await one.html(path), await two.html(path)];
        if (path.includes('liberation-de-la')) assert.match(a, /Texte réécrit/);
        assert.equal(b, a);
      });
    }
  });

  test('exported again, the imported site gives the same bundle, byte for byte', async () => {
    await exportBundle(imported, joinPath(dir, 'again'), testStore());
    assertSameFiles(filesOf(joinPath(dir, 'export')), filesOf(joinPath(dir, 'again')));
  });
});

test('the edited site backed up and restored keeps its history and exports the same bundle', async () => {
  const file = joinPath(dir, 'edited.tgz');
  await backupToFile(edited, testStore(), file);
  const restored = await memoryDb();
  try {
    await restoreFile(restored, testStore(), file);
    assert.deepEqual(await heads(restored), await heads(edited));
    for (const key of [THEME, 'visit/main']) {
      const h = await history(restored, key);
      assert.deepEqual(h, await history(edited, key), key);
      assert.ok(h.length >= 2, `${key}: ${h.length} revisions`);
    }
    assert.equal((await history(restored, THEME)).length, 6, 'the import and five saves');
    await exportBundle(restored, joinPath(dir, 'restored'), testStore());
    assertSameFiles(filesOf(joinPath(dir, 'export')), filesOf(joinPath(dir, 'restored')));
  } finally {
    await restored.destroy();
  }
});
