import { after, before as beforeAll, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { databaseTargetFrom } from '../src/db/target.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';
import { DEMO, PUBLIC_URL, siteFor, siteOn, testStore, type TestSite } from './harness.ts';

// Issue 12: pages rendered on demand must be the pages rendered ahead of time.
// test/fixtures/routes-before.json lists every page the site served before
// (made by scripts/route-snapshot.ts at 1a3ff9d, when every page was rendered
// at start; made again at 80008eb, when issue 15 changed theme 10 and the
// rule that a block never repeats another refused the old one, and at
// f85cf7c, when every page gained the museum's address for print and the
// charts were drawn by the site, and at f96f38c, when issue 15 hid the media
// without a file, gave the themes their contents and section anchors, the
// visit its glossary and the maps their keys; and at 1921e8f, with the wide
// theme grid, one map drawing for two widths and the French typography of
// the data files), with the
// sha256 of its HTML as served. Each one must be in the
// new route index and served with the same bytes (asset URLs unhashed: the
// CSS and JS change for reasons of their own), and the index must hold no
// page the old list lacks. The sitemap, built from the index now, too.
//
// The demo's text changes on purpose (issue 13: corrections and the museum's
// voice), and a changed sentence changes a page's bytes. So the demo is taken
// as it was at CONTENT_COMMIT, the last commit whose content the snapshot
// describes, out of git history, and rendered by the code of today: any byte
// that differs is then the code's doing, never the content's. The naturkunde
// fixture has not changed and is read from the working tree.
//
// Both ways of rendering: inline (an in-memory database, all content loaded)
// and the render worker of a database file (block texts read on demand).

/** The bundle in a database file, served as the server serves it: a render worker. */
async function workerSiteFor(bundle: string): Promise<TestSite> {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-routes-'));
  const db = openDatabase(join(dir, 'p.db'));
  await migrateToLatest(db);
  await importBundle(db, bundle, testStore());
  return siteOn(db, databaseTargetFrom(join(dir, 'p.db')), async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
}

interface Snapshot {
  sitemap: string;
  routes: Record<string, { locale: string; sha256: string; assetsUnhashed: string; bytes: number }>;
}
const before = JSON.parse(readFileSync('test/fixtures/routes-before.json', 'utf8')) as { publicUrl: string; bundles: Record<string, Snapshot> };
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const CONTENT_COMMIT = '1921e8f';
/** The demo bundle as it was at CONTENT_COMMIT, extracted from git into a temporary folder. Fails loudly without that history. */
function demoAtSnapshot(dir: string): string {
  try {
    execFileSync('git', ['cat-file', '-e', `${CONTENT_COMMIT}^{commit}`], { stdio: 'pipe' });
    execFileSync('sh', ['-c', `git archive --format=tar ${CONTENT_COMMIT} ${DEMO} | tar -x -C "$1"`, 'sh', dir], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`this test renders ${DEMO} as it was at commit ${CONTENT_COMMIT} and needs that commit in git history (a shallow clone lacks it): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return join(dir, DEMO);
}
/** As scripts/route-snapshot.ts: "/assets/site.O2RX63X2.js" → "/assets/site.js". */
const unhashAssets = (html: string) => html.replace(/(\/assets\/[\w-]+)\.[\w-]{6,}(\.\w+)/g, '$1$2');

test('the snapshot was made at the address the tests use', () => {
  assert.equal(before.publicUrl, PUBLIC_URL);
  assert.deepEqual(Object.keys(before.bundles).sort(), ['content/drome', 'test/fixtures/bundles/naturkunde']);
});

for (const [bundle, old] of Object.entries(before.bundles)) for (const [how, open] of [['inline', siteFor], ['render worker', workerSiteFor]] as const) {
  describe(`${bundle} (${how}): the old route list against the new index`, () => {
    let s: TestSite;
    const tmp = mkdtempSync(join(tmpdir(), 'parcours-routes-'));
    beforeAll(async () => {
      s = await open(bundle === DEMO ? demoAtSnapshot(tmp) : bundle);
    });
    after(async () => {
      await s.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    test('the same paths, in the same languages', () => {
      const pages = s.site.current!.pages;
      const missing = Object.keys(old.routes).filter((p) => !pages.has(p));
      const added = [...pages.keys()].filter((p) => !(p in old.routes));
      assert.deepEqual(missing, [], 'pages the site served before and no longer has');
      assert.deepEqual(added, [], 'pages the old site did not have');
      for (const [path, r] of Object.entries(old.routes)) assert.equal(pages.get(path)?.locale, r.locale, path);
    });

    test('every page served 200 with the same HTML, and the same sitemap', async () => {
      const differ: string[] = [];
      for (const [path, r] of Object.entries(old.routes)) {
        const res = await s.get(path);
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get('content-encoding'), null, path);
        const html = Buffer.from(await res.arrayBuffer()).toString('utf8');
        if (sha256(unhashAssets(html)) !== r.assetsUnhashed) differ.push(`${path} (${Buffer.byteLength(html)} bytes, were ${r.bytes})`);
      }
      assert.deepEqual(differ, [], 'pages whose HTML changed');
      const sitemap = await s.get('/sitemap.xml');
      assert.equal(sha256(new Uint8Array(await sitemap.arrayBuffer())), old.sitemap, 'the sitemap changed');
    });
  });
}
