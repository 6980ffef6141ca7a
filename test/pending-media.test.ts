import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { exportBundle, importBundle } from '../src/modules/bundle/bundle.service.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { isPending, type Content } from '../src/modules/content/content.schema.ts';
import { formatPendingMedia } from '../src/cli/report.ts';
import { DEMO, FIXTURE, copyBundle, memoryDb, siteFor, siteOn, testStore, type TestSite } from './harness.ts';

// Issue 15, decision 0017: a media item with no file yet is an editorial
// to-do. Hidden by default (the figure is left out, the text stands alone);
// shown as a "to come" notice when the museum says pending_media: show (the
// natural-history fixture); never a media page, a manifest, a citation or a
// sitemap entry.

const demo = readBundle(DEMO).content as Content;
const DEMO_PENDING = demo.media.filter(isPending).map((m) => m.id);

describe('which media items are pending', () => {
  test('an item is pending without a file and without a video hosted elsewhere', () => {
    const base = { id: 'x', kind: 'image' as const, caption: { fr: 'c' }, credit: { fr: 'c' } };
    assert.equal(isPending(base), true);
    assert.equal(isPending({ ...base, file: 'media/x.jpg' }), false);
    assert.equal(isPending({ ...base, kind: 'video', external: { provider: 'peertube', url: 'https://v.example.org/w/abc' } }), false);
  });
  test('the demo: the eight photographs and films the museum has still to supply or clear', () => {
    assert.deepEqual(DEMO_PENDING.sort(), [
      'romans-film-1944-08-30', 't02-loriol-stele-2017', 't04-deval-sto-photographs', 't08-la-chapelle-cour-des-fusilles',
      't09-wagon-door', 't11-france3-livron-bridge-2024', 't11-ina-vassieux-croix-liberation-1945', 't11-romans-8mm-film-1944-08-30',
    ]);
  });
  test('`parcours check` lists them with the documents that use them, and says whether visitors see them', () => {
    const out = formatPendingMedia(demo);
    assert.match(out, /^Media without a file yet: 8 of 10, not shown to visitors; set museum\.pending_media: show/);
    assert.match(out, /\n {2}t09-wagon-door \(image\): in theme deportation\n/);
    assert.match(out, /\n {2}t11-romans-8mm-film-1944-08-30 \(video\): in theme videos/);
    const shown = formatPendingMedia({ ...demo, museum: { ...demo.museum, pending_media: 'show' } });
    assert.match(shown, /shown to visitors as a "to come" notice/);
    const none = formatPendingMedia({ ...demo, media: demo.media.filter((m) => !isPending(m)) });
    assert.equal(none, 'Media: every item has its file.');
  });
});

describe('the demo hides its pending media (the default)', () => {
  let s: TestSite;
  before(async () => { s = await siteFor(DEMO); });
  after(() => s.close());

  test('no page, no manifest, no sitemap entry for a pending item; the others keep theirs', async () => {
    const sitemap = await s.html('/sitemap.xml');
    for (const id of DEMO_PENDING) {
      for (const l of ['fr', 'en']) assert.equal((await s.get(`/${l}/media/${id}`)).status, 404, `${l} ${id}`);
      assert.notEqual((await s.get(`/iiif/media/${id}/manifest.json`)).status, 200, `${id}: no manifest`);
      assert.ok(!sitemap.includes(`/media/${id}<`), `${id}: not in the sitemap`);
    }
    for (const l of ['fr', 'en']) {
      assert.equal((await s.get(`/${l}/media/drome-map`)).status, 200);
      assert.equal((await s.get(`/${l}/media/t11-liberation-animated-map`)).status, 200);
    }
  });

  test('no theme shows a "to come" box or links to a pending item; theme 11 keeps its animated map and its texts', async () => {
    const sitemap = await s.html('/sitemap.xml');
    const themes = [...sitemap.matchAll(/<loc>https:\/\/[^/]+(\/(fr\/visite|en\/visit)\/[^<]+)<\/loc>/g)].map((m) => m[1]!);
    assert.equal(themes.length, 22, 'eleven themes in two languages');
    for (const path of themes) {
      const html = await s.html(path);
      assert.doesNotMatch(html, /class="placeholder"|à venir|to come/, `${path}: no notice`);
      for (const id of DEMO_PENDING) assert.ok(!html.includes(id), `${path}: nothing of ${id}`);
    }
    const fr = await s.html('/fr/visite/videos');
    assert.equal((fr.match(/<video /g) ?? []).length, 1, 'the animated map, the one film with a file');
    assert.ok(fr.includes('Une carte animée de la libération</h2>'), 'opens on the animated map');
    assert.ok(!fr.includes('Des documents en attente'));
    assert.ok(fr.includes('Romans, 30\u00a0août 1944'), 'the films are still described');
  });
});

describe('a museum that shows its pending media, and a gallery with one file', () => {
  let shown: TestSite;
  let hidden: TestSite;
  let dir: string;
  before(async () => {
    shown = await siteFor(FIXTURE);
    // The fixture with a file for quartz, and pending media hidden.
    dir = copyBundle(FIXTURE);
    const { default: sharp } = await import('sharp');
    mkdirSync(join(dir, 'media'));
    await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 200, g: 200, b: 220 } } }).jpeg().toFile(join(dir, 'media/quartz.jpg'));
    const yamlPath = join(dir, 'bundle.yaml');
    writeFileSync(yamlPath, readFileSync(yamlPath, 'utf8').replace('version: 1', 'version: 2').replace('pending_media: show', 'pending_media: hide'));
    const media = join(dir, 'media.yaml');
    writeFileSync(media, readFileSync(media, 'utf8').replace('- id: quartz\n  kind: image\n', '- id: quartz\n  kind: image\n  file: media/quartz.jpg\n'));
    hidden = await siteFor(dir);
  });
  after(async () => {
    await shown.close();
    await hidden.close();
    rmSync(dirname(dir), { recursive: true, force: true });
  });

  test('shown: a notice with the description, in the page\'s language, and no link to a page that does not exist', async () => {
    const de = await shown.html('/de/rundgang/minerale');
    assert.equal((de.match(/<div class="placeholder"><p class="placeholder-label">Bild folgt<\/p>/g) ?? []).length, 2, 'both gallery items');
    assert.ok(de.includes('sechseckiger Quarzkristalle'), 'the description');
    assert.doesNotMatch(de, /class="media-details"/);
    const en = await shown.html('/en/tour/minerals');
    assert.match(en, /<p class="placeholder-label">Image to come<\/p>/);
    for (const l of ['de', 'en']) assert.equal((await shown.get(`/${l}/media/quartz`)).status, 404);
    assert.ok(!(await shown.html('/sitemap.xml')).includes('/media/'), 'no media page at all: none has a file');
  });

  test('hidden: the gallery shows its one item with a file, with its page; the other is left out', async () => {
    const de = await hidden.html('/de/rundgang/minerale');
    assert.doesNotMatch(de, /class="placeholder"/);
    assert.equal((de.match(/<figure class="figure figure-image">/g) ?? []).length, 1);
    assert.ok(de.includes('class="media-details" href="/de/media/quartz"'));
    assert.ok(!de.includes('würfelförmige Flussspatkristalle'), 'nothing of the fluorite');
    assert.equal((await hidden.get('/de/media/quartz')).status, 200);
    assert.equal((await hidden.get('/de/media/fluorite')).status, 404);
  });
});

describe('the setting is stored and exported', () => {
  test('import → database → export keeps pending_media, on this engine', async () => {
    const db = await memoryDb();
    const out = mkdtempSync(join(tmpdir(), 'parcours-pending-'));
    try {
      await importBundle(db, FIXTURE, testStore());
      assert.equal((await loadContent(db))?.museum.pending_media, 'show');
      await exportBundle(db, join(out, 'b'), testStore());
      assert.equal((parse(readFileSync(join(out, 'b/bundle.yaml'), 'utf8')) as { museum: { pending_media?: string } }).museum.pending_media, 'show');
      // Without the field: nothing stored, nothing exported, hidden.
      const bare = copyBundle(FIXTURE);
      writeFileSync(join(bare, 'bundle.yaml'), readFileSync(join(bare, 'bundle.yaml'), 'utf8').replace(/ *#.*\n *pending_media: show\n/, ''));
      await importBundle(db, bare, testStore());
      const c = await loadContent(db);
      assert.equal(c?.museum.pending_media, undefined);
      const site = await siteOn(db, undefined, async () => {});
      assert.equal((await site.get('/de/rundgang/minerale')).status, 200);
      assert.doesNotMatch(await site.html('/de/rundgang/minerale'), /class="placeholder"/);
      await site.close();
      rmSync(dirname(bare), { recursive: true, force: true });
    } finally {
      rmSync(out, { recursive: true, force: true });
      await db.destroy();
    }
  });

  test('a wrong value is refused with the field named', () => {
    const bad = copyBundle(FIXTURE);
    try {
      writeFileSync(join(bad, 'bundle.yaml'), readFileSync(join(bad, 'bundle.yaml'), 'utf8').replace('pending_media: show', 'pending_media: maybe'));
      const { problems } = readBundle(bad);
      assert.ok(problems.some((p) => p.file === 'bundle.yaml' && p.field?.includes('pending_media')), JSON.stringify(problems));
    } finally {
      rmSync(dirname(bad), { recursive: true, force: true });
    }
  });
});
