import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { openDatabase } from '../src/db/connection.ts';
import { databaseTargetFrom } from '../src/db/target.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';
import { inlineRenderers, workerRenderers } from '../src/web/site/renderer.ts';
import { FIXTURE, PUBLIC_URL, fixtureFileSite, copyBundle, memoryDb, testStore } from './harness.ts';

// Issue 12: with a database file, the content is loaded, and pages rendered
// and compressed, in a worker thread; the server thread holds the route index
// and a bounded cache. These tests drive that mode through the app.

const THEME = '/de/rundgang/fossilien';
const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
type Health = { status: string; phase: string; contentVersion: string | null };

const file = fixtureFileSite('parcours-worker-');

const serve = file.serve;

describe('a database file: a render worker', () => {
  test('/healthz answers while the content loads (starting), then pages are served by the worker, compressed as they are', async () => {
    const { site, app } = serve();
    try {
      const refreshing = site.refresh();
      const early = await app.request('/healthz');
      assert.equal(early.status, 503);
      assert.deepEqual(await early.json(), { status: 'starting', phase: 'starting', contentVersion: null });
      assert.equal((await app.request(THEME)).status, 503, 'no content yet: a short 503');
      await refreshing;
      const health = (await (await app.request('/healthz')).json()) as Health;
      assert.deepEqual([health.status, health.phase], ['ok', 'serving']);
      const plain = await app.request(THEME);
      assert.equal(plain.status, 200);
      const html = await plain.text();
      assert.equal(title(html), 'Thema 1. Fossilien — Naturkunde Beispielstadt');
      for (const [enc, decode] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
        const r = await app.request(THEME, { headers: { 'Accept-Encoding': enc } });
        assert.equal(r.headers.get('content-encoding'), enc);
        assert.equal(decode(Buffer.from(await r.arrayBuffer())).toString('utf8'), html, `${enc} decodes to the page`);
      }
      assert.ok(site.cached(THEME), 'the page is in the cache once rendered');
      assert.equal(site.cached('/de/rundgang/minerale'), undefined, 'cached() never renders');
      const missing = await app.request('/de/rundgang/nope');
      assert.equal(missing.status, 404);
      assert.match(await missing.text(), /<html lang="de"/);
      assert.equal((await app.request('/de/rundgang/')).status, 301);
    } finally {
      await site.stop();
    }
  });

  test('an import while serving: the old version serves until the swap, /healthz says "refreshing" meanwhile, then the new one', async () => {
    const writer = openDatabase(file.path);
    const { site, app } = serve({}, writer);
    const bundle = copyBundle(FIXTURE);
    try {
      await site.refresh();
      const v1 = site.current!.version;
      assert.equal(title(await (await app.request(THEME)).text()), 'Thema 1. Fossilien — Naturkunde Beispielstadt');
      const md = join(bundle, 'themes/01-fossils.de.md');
      writeFileSync(md, readFileSync(md, 'utf8').replace('title: Fossilien', 'title: Versteinerungen'));
      await importBundle(writer, bundle, testStore());
      // Imported, not yet swapped: the old version still serves.
      assert.equal(title(await (await app.request(THEME)).text()), 'Thema 1. Fossilien — Naturkunde Beispielstadt');
      let done = false;
      const refreshing = site.refresh().then((swapped) => {
        done = true;
        return swapped;
      });
      const phases = new Set<string>();
      const during: (string | undefined)[] = [];
      while (!done) {
        const h = (await (await app.request('/healthz')).json()) as Health;
        phases.add(h.phase);
        if (h.phase === 'refreshing') {
          assert.equal(h.contentVersion, v1);
          during.push(title(await (await app.request('/de/rundgang/minerale')).text()));
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal(await refreshing, true);
      assert.ok(phases.has('refreshing'), `phases seen during the refresh: ${[...phases].join(', ')}`);
      assert.ok(during.length > 0 && during.every((t) => t === 'Thema 2. Minerale — Naturkunde Beispielstadt'), 'pages of the old version were served while the new one loaded');
      assert.notEqual(site.current!.version, v1);
      assert.equal(title(await (await app.request(THEME)).text()), 'Thema 1. Versteinerungen — Naturkunde Beispielstadt');
      assert.equal(((await (await app.request('/healthz')).json()) as Health).phase, 'serving');
    } finally {
      await site.stop();
      await importBundle(writer, FIXTURE, testStore());
      await writer.destroy();
      rmSync(bundle, { recursive: true, force: true });
    }
  });

  test('an uncached page asked for after an import committed, before the swap, is the new version\'s (its old texts are gone from the database)', async () => {
    const writer = openDatabase(file.path);
    const { site, app, logs } = serve({}, writer);
    const bundle = copyBundle(FIXTURE);
    try {
      await site.refresh();
      const v1 = site.current!.version;
      const md = join(bundle, 'themes/02-minerals.de.md');
      writeFileSync(md, readFileSync(md, 'utf8').replace('title: Minerale', 'title: Kristalle'));
      await importBundle(writer, bundle, testStore());
      assert.equal(site.current!.version, v1, 'not swapped yet (no watch)');
      const r = await app.request('/de/rundgang/minerale');
      assert.equal(r.status, 200);
      assert.equal(title(await r.text()), 'Thema 2. Kristalle — Naturkunde Beispielstadt');
      assert.notEqual(site.current!.version, v1, 'the request brought the new version in');
      assert.deepEqual(logs.filter((l) => /Could not render/.test(l)), [], 'not logged as a failure');
    } finally {
      await site.stop();
      await importBundle(writer, FIXTURE, testStore());
      await writer.destroy();
      rmSync(bundle, { recursive: true, force: true });
    }
  });

  test('a small PAGE_CACHE_MB evicts the least recently used pages; every page is still served', async () => {
    const budget = 150_000;
    const { site, app } = serve({ pageCacheBytes: budget });
    try {
      await site.refresh();
      const paths = [...site.current!.pages.keys()];
      for (const path of paths) {
        assert.equal((await app.request(path, { headers: { 'Accept-Encoding': 'br' } })).status, 200, path);
        assert.ok(site.pageCache.bytes <= budget, `${site.pageCache.bytes} bytes cached`);
      }
      assert.ok(site.pageCache.pages > 0 && site.pageCache.pages < paths.length, `${site.pageCache.pages} of ${paths.length} pages kept`);
      assert.equal(site.cached(paths[0]!), undefined, 'the first page asked for went first');
      assert.ok(site.cached(paths.at(-1)!), 'the last one is kept');
      assert.equal((await app.request(paths[0]!)).status, 200, 'an evicted page is rendered again');
    } finally {
      await site.stop();
    }
  });

  test('pre-warming renders the hot pages in the background after the swap', async () => {
    const { site } = serve({ prewarm: true });
    try {
      await site.refresh();
      const hot = site.current!.hot;
      assert.ok(hot.includes('/de/') && hot.includes('/en/karte'.replace('karte', 'map')) && hot.includes(THEME), hot.join(' '));
      for (let i = 0; i < 400 && !hot.every((p) => site.cached(p)); i++) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(hot.filter((p) => !site.cached(p)), [], 'hot pages not pre-warmed');
    } finally {
      await site.stop();
    }
  });

  test('the render worker and the background threads (V8\'s, libuv\'s pool) run at a lower priority than the server thread (Linux: nice 10)', { skip: existsSync('/proc/thread-self') ? false : 'no /proc/thread-self: threads keep the process priority' }, async () => {
    const niceOf = (task: string) => Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const before = new Set(readdirSync('/proc/self/task'));
    const serverNice = niceOf(String(process.pid));
    const renderers = workerRenderers(databaseTargetFrom(file.path), PUBLIC_URL, file.assets.urls);
    const renderer = (await renderers.open())!;
    try {
      const added = readdirSync('/proc/self/task').filter((t) => !before.has(t));
      assert.ok(serverNice < 10, `this test runs at nice ${serverNice}: the worker cannot be lower`);
      assert.ok(added.some((t) => niceOf(t) === 10), `threads started: ${added.map((t) => `${t} nice ${niceOf(t)}`).join(', ')}`);
      const comm = (t: string) => readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim();
      const background = readdirSync('/proc/self/task').filter((t) => ['V8Worker', 'libuv-worker'].includes(comm(t)));
      assert.ok(background.some((t) => comm(t) === 'V8Worker') && background.some((t) => comm(t) === 'libuv-worker'), background.map(comm).join(', '));
      assert.deepEqual(background.filter((t) => niceOf(t) !== 10).map((t) => `${comm(t)} ${t}`), [], 'background threads not lowered');
      assert.equal(niceOf(String(process.pid)), serverNice, 'the server thread keeps its priority');
    } finally {
      await renderer.close();
      await renderers.shutdown();
    }
  });

  test('a render that fails in the worker is reported to the caller, and the worker goes on rendering', async () => {
    const renderers = workerRenderers(databaseTargetFrom(file.path), PUBLIC_URL, file.assets.urls);
    const renderer = (await renderers.open())!;
    try {
      await assert.rejects(renderer.render({ kind: 'page', path: '/de/nope', effort: 'fast' }), /\/de\/nope is not a page/);
      const page = await renderer.render({ kind: 'page', path: THEME, effort: 'fast' });
      assert.match(page.body.toString('utf8'), /<title>Thema 1\. Fossilien/);
    } finally {
      await renderer.close();
      await renderers.shutdown();
    }
  });
});

test('a render that fails gives the localized 500 page, is logged once, and the server goes on', async () => {
  const mem = await memoryDb();
  await importBundle(mem, FIXTURE, testStore());
  const inline = inlineRenderers(mem, PUBLIC_URL, file.assets.urls);
  const { site, app, logs } = serve({
    database: undefined,
    renderers: {
      shutdown: () => inline.shutdown(),
      open: async () => {
        const r = (await inline.open())!;
        return {
          state: r.state, broken: false, onThisThread: true, close: (ms) => r.close(ms),
          render: (job) => (job.kind === 'page' && job.path === THEME ? Promise.reject(new Error('a view broke')) : r.render(job)),
        };
      },
    },
  }, mem);
  try {
    await site.refresh();
    for (let i = 0; i < 2; i++) {
      const r = await app.request(THEME);
      assert.equal(r.status, 500);
      const html = await r.text();
      assert.match(html, /<html lang="de"/);
      assert.match(html, /<meta name="robots" content="noindex"/);
    }
    assert.equal(logs.filter((l) => l.includes(THEME)).length, 1, logs.join('\n'));
    assert.match(logs[0] ?? '', /a view broke/);
    assert.equal((await app.request('/de/rundgang/minerale')).status, 200);
  } finally {
    await site.stop();
    await mem.destroy();
  }
});
