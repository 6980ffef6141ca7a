// The route list of the site as rendered ahead of time, for issue 12 (pages
// rendered on demand): every page the server serves, in every language, with
// the sha256 of its exact HTML, and the sitemap's sha256. A test walks this
// list against the new route index and compares bytes.
//
// test/fixtures/routes-before.json was produced by this script at commit
// 1a3ff9d (before issue 12), where SiteStore rendered every page at start,
// and again at 80008eb (issue 15: a deliberate change of theme 10 and of what
// the bundle allows), at f85cf7c (issue 15: the print footer on every page,
// the charts drawn by the site) and at f96f38c (issue 15: media without a
// file hidden, theme contents and section anchors, the glossary, map keys) and
// at 1921e8f (issue 15: the wide theme grid, one map drawing for two widths,
// the French typography of the data files). A deliberate change of markup is snapshotted again so,
// with CONTENT_COMMIT in test/routes.test.ts set to the commit of the content.
// Run: npx tsx scripts/route-snapshot.ts [out.json]   (default: test/fixtures/routes-before.json)
//
// Each bundle is imported into a new in-memory SQLite database by the same
// service the tests use (test/harness.ts: importBundle, SiteStore, createApp,
// PUBLIC_URL https://visite.example.org), and each path of the site's page
// list is requested from the app without Accept-Encoding: the hash is that of
// the body as served (identity). Error pages, data downloads, manifests and
// media are not listed. `sha256` is of the exact bytes; `assetsUnhashed` is
// of the same bytes with every hashed asset URL (/assets/site.ed1967e94f95.css)
// written without its hash (/assets/site.css), for a comparison that survives
// a change of the stylesheet or the scripts. Two runs give identical files.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DEMO, FIXTURE, PUBLIC_URL, siteFor } from '../test/harness.ts';

const out = process.argv[2] ?? 'test/fixtures/routes-before.json';
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
/** The HTML with hashed asset names unhashed: "/assets/site.O2RX63X2.js" → "/assets/site.js". */
export const unhashAssets = (html: string) => html.replace(/(\/assets\/[\w-]+)\.[\w-]{6,}(\.\w+)/g, '$1$2');

interface Snapshot {
  sitemap: string;
  routes: Record<string, { locale: string; sha256: string; assetsUnhashed: string; bytes: number }>;
}

async function snapshot(bundle: string): Promise<Snapshot> {
  const site = await siteFor(bundle);
  try {
    const state = site.site.current;
    if (!state) throw new Error(`${bundle}: the site has no content`);
    const routes: Snapshot['routes'] = {};
    for (const [path, { locale }] of [...state.pages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const r = await site.get(path);
      if (r.status !== 200) throw new Error(`${bundle}: GET ${path} → ${r.status}`);
      if (r.headers.get('content-encoding')) throw new Error(`${bundle}: GET ${path} came encoded (${r.headers.get('content-encoding')})`);
      const body = new Uint8Array(await r.arrayBuffer());
      routes[path] = { locale, sha256: sha256(body), assetsUnhashed: sha256(unhashAssets(Buffer.from(body).toString('utf8'))), bytes: body.length };
    }
    const sm = await site.get('/sitemap.xml');
    if (sm.status !== 200) throw new Error(`${bundle}: GET /sitemap.xml → ${sm.status}`);
    return { sitemap: sha256(new Uint8Array(await sm.arrayBuffer())), routes };
  } finally {
    await site.close();
  }
}

const bundles: Record<string, Snapshot> = {};
for (const b of [DEMO, FIXTURE]) bundles[b] = await snapshot(b);
writeFileSync(out, `${JSON.stringify({ commit: '1a3ff9d', publicUrl: PUBLIC_URL, bundles }, null, 2)}\n`);
for (const [b, s] of Object.entries(bundles)) console.log(`${b}: ${Object.keys(s.routes).length} pages, sitemap ${s.sitemap.slice(0, 12)}…`);
console.log(`written ${out}`);
