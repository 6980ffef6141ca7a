import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { startServer } from '../src/server.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';
import { isAppError } from '../src/shared/errors.ts';
import { DEMO, FIXTURE, copyBundle, siteFor, testStore } from './harness.ts';

// Defect 9 of issue 11: what the server keeps. Figures (RSS) are measured by
// `npm run bench`; these tests check the causes, which do not depend on the machine.

const maps = '/proc/self/maps';
const noProc = existsSync(maps) ? false : 'no /proc/self/maps (not Linux): cannot see which libraries are loaded';
if (noProc) console.warn(`\n!!! MEMORY TEST SKIPPED: ${noProc} !!!\n`);

test('a first start imports in a child process: the server never loads libvips', { skip: noProc }, async () => {
  // In this process nothing has loaded sharp yet (this file imports no image code).
  assert.doesNotMatch(readFileSync(maps, 'utf8'), /libvips/);
  const dir = mkdtempSync(join(tmpdir(), 'parcours-first-start-'));
  const lines: string[] = [];
  // A media folder of its own: a new database's first start sweeps its store of what no content uses.
  const running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'p.db'), CONTENT_DIR: DEMO, MEDIA_DIR: join(dir, 'media') }), (l) => lines.push(l));
  try {
    const health = (await (await fetch(`${running.url}/healthz`)).json()) as { status: string };
    assert.equal(health.status, 'ok');
    assert.ok(lines.some((l) => /^Imported (content\/drome: )?11 themes/.test(l)), lines.join("\n"));
    assert.equal((await fetch(`${running.url}/fr/visite/la-liberation-de-la-drome`)).status, 200);
    assert.doesNotMatch(readFileSync(maps, 'utf8'), /libvips/, 'sharp (libvips) was loaded by the server process');
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a first start's import that fails gives the import's own error, with its details", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-first-start-'));
  const bundle = copyBundle(FIXTURE);
  rmSync(join(bundle, 'bundle.yaml'));
  try {
    await assert.rejects(
      startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'p.db'), CONTENT_DIR: bundle, MEDIA_DIR: join(dir, 'media') }), () => undefined),
      (e: unknown) => isAppError(e, 'bundle_invalid') && /^The bundle in .* nothing was imported\.$/.test(e.message) && e.details.some((d) => d.includes('bundle.yaml')) && !/\n/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(bundle, { recursive: true, force: true });
  }
});

test('after a re-render the previous site, its cached pages and its content are released at once', async () => {
  const s = await siteFor(FIXTURE);
  try {
    // Pages are rendered on request: ask for some, so that the cache holds them.
    const paths = [...s.site.current!.pages.keys()].slice(0, 5);
    for (const path of paths) assert.equal((await s.get(path)).status, 200);
    const old = new WeakRef(s.site.current!);
    const oldPage = new WeakRef(s.site.cached(paths[0]!)!.page);
    // A WeakRef keeps its target alive until the current job ends: end it.
    await new Promise((r) => setImmediate(r));
    await importBundle(s.db, FIXTURE, testStore());
    assert.equal(await s.site.refresh(), true);
    assert.ok(s.site.current !== undefined);
    assert.equal(s.site.cached(paths[0]!), undefined, 'the new version starts with an empty cache');
    // (not assert.equal: its message would print the whole site)
    assert.ok(old.deref() === undefined, 'the previous SiteState is still reachable or not yet collected');
    assert.ok(oldPage.deref() === undefined, 'a cached page of the previous version is still reachable or not yet collected');
  } finally {
    await s.close();
  }
});

test('each prepared page owns exactly its bytes (no view keeping a larger pool block alive)', async () => {
  const s = await siteFor(FIXTURE);
  try {
    for (const path of s.site.current!.pages.keys()) {
      // Requested three times: the third is compressed again at the best level, which must own its bytes too.
      for (let i = 0; i < 3; i++) assert.equal((await s.get(path)).status, 200);
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const path of s.site.current!.pages.keys()) {
      const { page } = s.site.cached(path) ?? assert.fail(`${path} is not cached`);
      for (const b of [page.body, page.br, page.gzip]) {
        if (b) assert.equal(b.buffer.byteLength, b.length, `${path}: a ${b.length}-byte body holds a ${b.buffer.byteLength}-byte block`);
      }
    }
  } finally {
    await s.close();
  }
});
