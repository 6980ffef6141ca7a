import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, unlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEMO, FIXTURE, copyBundle, memoryDb, testStore } from '../../../test/harness.ts';
import { exportBundle, importBundle, replaceContent, contentVersion } from './bundle.service.ts';
import { readBundle } from './bundle.reader.ts';
import { loadContent } from '../content/content.loader.ts';
import { isAppError } from '../../shared/errors.ts';
import { formatProblem, type Problem } from './bundle.problems.ts';
import { has } from '../../../test/bundle-problems.ts';

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'parcours-export-'));
const editIn = (dir: string) => (rel: string, f: (s: string) => string) => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));

/** The problems import refuses `dir` with, as data; each printed line (`details`) is its problem formatted. */
async function problemsOf(dir: string): Promise<Problem[]> {
  const db = await memoryDb();
  try {
    await importBundle(db, dir, testStore());
    return [];
  } catch (e) {
    assert.ok(isAppError(e, 'bundle_invalid'), `expected bundle_invalid, got ${String(e)}`);
    const problems = e.problems as Problem[];
    assert.deepEqual(e.details, problems.map(formatProblem));
    return problems;
  } finally {
    await db.destroy();
  }
}

describe('valid bundles', () => {
  for (const dir of [DEMO, FIXTURE]) {
    test(`${dir} is valid`, () => {
      assert.deepEqual(readBundle(dir).problems, []);
    });
    test(`${dir}: export → import into an empty database → export gives identical files`, async () => {
      const db1 = await memoryDb();
      await importBundle(db1, dir, testStore());
      const a = join(tmp(), 'a');
      await exportBundle(db1, a, testStore());
      const db2 = await memoryDb();
      await importBundle(db2, a, testStore());
      const b = join(tmp(), 'b');
      await exportBundle(db2, b, testStore());
      const ta = readTree(a);
      const tb = readTree(b);
      assert.ok(ta.size > 5);
      assert.deepEqual([...tb.keys()].sort(), [...ta.keys()].sort());
      for (const [k, v] of ta) assert.equal(tb.get(k), v, `${k} differs`);
      // The content itself survives the trip, not only the files.
      assert.deepEqual(JSON.parse(JSON.stringify(await loadContent(db2))), JSON.parse(JSON.stringify(await loadContent(db1))));
      await db1.destroy();
      await db2.destroy();
    });
  }
  test('export refuses a folder that is not empty and writes nothing', async () => {
    const db = await memoryDb();
    await importBundle(db, FIXTURE, testStore());
    const dir = tmp();
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    await assert.rejects(exportBundle(db, dir, testStore()), (e) => isAppError(e, 'export_target_not_empty'));
    assert.deepEqual(readdirSync(dir), ['keep.txt']);
    await assert.rejects(exportBundle(db, join(dir, 'keep.txt'), testStore()), (e) => isAppError(e, 'export_target_not_empty') && /is a file/.test(e.message));
    await db.destroy();
  });
});

describe('validation reports every problem at once, with file, field and reason', () => {
  test('a bundle broken in many ways lists each problem', async () => {
    const dir = copyBundle(FIXTURE);
    const edit = editIn(dir);
    // 1. missing alt text in one language while the caption is translated
    edit('media.yaml', (s) => s.replace(/(- id: ammonite\n\s+kind: image\n\s+alt:\n\s+de: [^\n]+\n)\s+en: [^\n]+\n/, '$1'));
    // 2. an unknown block id in a locale file
    edit('themes/01-fossils.en.md', (s) => s.replace(/\nblocks:\n/, '\nblocks:\n  nonexistent: {caption: Hello}\n'));
    // 3. an impossible date
    edit('events.yaml', (s) => s.replace(/start: 1952-03-08/, 'start: 1952-02-30'));
    // 4. an event pointing at a place that does not exist
    edit('events.yaml', (s) => s.replace('places: [beispielstadt]', 'places: [atlantis]'));
    // 5. an unknown block kind
    edit('themes/02-minerals.yaml', (s) => s.replace(/kind: video/, 'kind: hologram'));
    // 6. YAML syntax error (in a file nothing else refers to, so that the other problems stay visible)
    writeFileSync(join(dir, 'tags.yaml'), 'this: is: not: yaml: [');
    // 7. the default-language file of a theme is missing
    unlinkSync(join(dir, 'themes/03-evolution.de.md'));
    // 8. text before the first block marker
    edit('articles/fieldwork.en.md', (s) => s.replace(/\n---\n/, '\n---\nStray text.\n'));
    // 9. a page slug that takes the address of a visit in the same language
    edit('pages/about.en.md', (s) => s.replace(/slug: about/, 'slug: tour'));
    const problems = await problemsOf(dir);
    has(problems, { code: 'missing_alt', file: 'media.yaml', entity: 'media', id: 'ammonite', field: 'alt.en', locale: 'en' });
    has(problems, { code: 'unknown_block', file: 'themes/01-fossils.en.md', entity: 'theme', id: 'fossils', locale: 'en', field: 'blocks.nonexistent' });
    has(problems, { code: 'schema', file: 'events.yaml', entity: 'event', field: 'date.start' });
    has(problems, { code: 'unknown_reference', file: 'events.yaml', entity: 'event', field: 'places[0]' });
    has(problems, { code: 'schema', file: 'themes/02-minerals.yaml', entity: 'theme', id: 'minerals', field: 'blocks[2].kind' });
    has(problems, { code: 'yaml_syntax', file: 'tags.yaml', line: 1 });
    has(problems, { code: 'file_missing', file: 'themes/03-evolution.de.md', entity: 'theme', id: 'evolution', locale: 'de' });
    has(problems, { code: 'text_outside_section', file: 'articles/fieldwork.en.md', entity: 'article', id: 'fieldwork', locale: 'en' });
    has(problems, { code: 'duplicate_slug', file: 'pages/about.en.md', entity: 'page', id: 'about', field: 'slug', locale: 'en' });
    assert.ok(problems.length >= 9);
  });
  test('wrong format version is refused with the versions supported', async () => {
    const dir = copyBundle(FIXTURE);
    editIn(dir)('bundle.yaml', (s) => s.replace(/version: 1/, 'version: 7'));
    assert.deepEqual(await problemsOf(dir), [{
      code: 'unsupported_version', file: 'bundle.yaml', field: 'version', line: 2, column: 10,
      message: 'version: 7 is not supported (this Parcours reads versions 1 and 2)',
    }]);
  });
  test('a quote without its source, a figure on a video, a missing section', async () => {
    const dir = copyBundle(FIXTURE);
    const edit = editIn(dir);
    edit('themes/03-evolution.en.md', (s) => s.replace(/\n {2}darwin-quote:\n {4}source: [^\n]+/, ''));
    edit('themes/02-minerals.yaml', (s) => s.replace('kind: video, media: crystal-growth', 'kind: figure, media: crystal-growth'));
    appendFileSync(join(dir, 'themes/01-fossils.yaml'), '  - {id: orphan-text, kind: text}\n');
    const problems = await problemsOf(dir);
    has(problems, { code: 'missing_source', file: 'themes/03-evolution.en.md', entity: 'theme', id: 'evolution', locale: 'en', field: 'blocks.darwin-quote.source' });
    has(problems, { code: 'wrong_media_kind', file: 'themes/02-minerals.yaml', entity: 'theme', id: 'minerals' });
    has(problems, { code: 'missing_section', file: 'themes/01-fossils.de.md', entity: 'theme', id: 'fossils', locale: 'de', field: 'blocks.orphan-text.body' });
  });
  test('a folder that is not a bundle says so', async () => {
    assert.equal((await problemsOf(join(tmpdir(), 'does-not-exist-parcours')))[0]?.code, 'not_a_folder');
    const empty = tmp();
    assert.deepEqual((await problemsOf(empty))[0], { code: 'file_missing', file: 'bundle.yaml', message: 'file is missing' });
  });
});

describe('import is all or nothing', () => {
  test('an invalid bundle leaves the database exactly as it was', async () => {
    const db = await memoryDb();
    await importBundle(db, DEMO, testStore());
    const before = JSON.stringify(await loadContent(db));
    const version = await contentVersion(db);
    const broken = copyBundle(FIXTURE);
    rmSync(join(broken, 'visits'), { recursive: true });
    await assert.rejects(importBundle(db, broken, testStore()), (e) => isAppError(e, 'bundle_invalid'));
    assert.equal(JSON.stringify(await loadContent(db)), before);
    assert.equal(await contentVersion(db), version);
    await db.destroy();
  });
  test('a failure during the write rolls the whole transaction back', async () => {
    const db = await memoryDb();
    await importBundle(db, DEMO, testStore());
    const before = JSON.stringify(await loadContent(db));
    const { content } = readBundle(FIXTURE);
    assert.ok(content);
    // Two documents with the same key make the database refuse the insert half-way.
    const bad = { ...content, docs: [...content.docs, content.docs[0]!] };
    await assert.rejects(replaceContent(db, bad));
    assert.equal(JSON.stringify(await loadContent(db)), before);
    await db.destroy();
  });
  test('a valid import replaces the previous museum entirely', async () => {
    const db = await memoryDb();
    await importBundle(db, DEMO, testStore());
    await importBundle(db, FIXTURE, testStore());
    const c = await loadContent(db);
    assert.equal(c?.museum.id, 'naturkunde-beispielstadt');
    assert.ok(!c?.docs.some((d) => d.id === 'liberation'));
    assert.equal(await contentVersion(db), '2');
    await db.destroy();
  });
});

test('the demo bundle exists where npm start expects it', () => {
  assert.ok(existsSync(join(DEMO, 'bundle.yaml')));
});

test('a fallback slug that collides with another page in that language is refused', async () => {
  const dir = copyBundle(FIXTURE);
  unlinkSync(join(dir, 'themes/03-evolution.en.md'));
  editIn(dir)('themes/03-evolution.de.md', (s) => s.replace(/^slug: .*$/m, 'slug: minerals'));
  const problems = await problemsOf(dir);
  // The slug is the default language's file's: that is the field to change.
  const p = has(problems, { code: 'duplicate_slug', entity: 'theme', id: 'evolution', field: 'slug', locale: 'de' });
  assert.match(formatProblem(p), /^themes\/03-evolution\.de\.md \(its slug also serves "en", which has no translation yet\): slug "minerals" is already used in "en" by themes\/02-minerals\.en\.md/);
});

test('a YAML alias bomb is reported as a problem of its file, not a crash', async () => {
  const dir = copyBundle(FIXTURE);
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  writeFileSync(join(dir, 'places.yaml'), `${lines.join('\n')}\n`);
  const problems = await problemsOf(dir);
  has(problems, { code: 'yaml_unreadable', file: 'places.yaml' });
});

test('a language the interface cannot speak is refused with the languages it can', async () => {
  const dir = copyBundle(FIXTURE);
  editIn(dir)('bundle.yaml', (s) => s.replace('locales: [de, en]', 'locales: [de, en, it]'));
  const problems = await problemsOf(dir);
  has(problems, { code: 'ui_not_translated', file: 'bundle.yaml', entity: 'museum', field: 'locales', locale: 'it' });
});
