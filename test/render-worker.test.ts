import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Hono } from 'hono';
import { startRenderWorker } from '../src/web/site/renderer.ts';
import { fixtureFileSite } from './harness.ts';

// The render worker: started ahead of the store, and dying (a crash, out of memory): requests get an answer,
// never hang, and the server opens a new worker on the same content by itself.
// The death is made by terminating the worker thread from outside, which the
// server did not ask for: to it, the thread ends unexpectedly.

const THEME = '/de/rundgang/fossilien';
const OTHER = '/de/rundgang/minerale';
const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

const file = fixtureFileSite('parcours-crash-');

/** The worker threads started from now on (the store's render workers). */
const started: Worker[] = [];
const on = Worker.prototype.on;
Worker.prototype.on = function (this: Worker, ...args: Parameters<Worker['on']>) {
  if (!started.includes(this)) started.push(this);
  return on.apply(this, args);
} as Worker['on'];
afterEach(() => {
  started.length = 0;
});

const serve = file.serve;

/** Resolves with the response, or fails the test if none comes within `ms` (a hang). */
async function answered(app: Hono, path: string, ms = 20_000): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`GET ${path}: no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([Promise.resolve(app.request(path)), hang]);
  } finally {
    clearTimeout(timer);
  }
}

test('a render worker started ahead (startRenderWorker) is the one the store uses: no second thread', async () => {
  startRenderWorker();
  assert.equal(started.length, 1);
  const { site, app } = serve();
  try {
    await site.refresh();
    assert.equal((await app.request(THEME)).status, 200);
    assert.equal(started.length, 1, 'the store started no worker of its own');
  } finally {
    await site.stop();
  }
});

test('a render worker nobody takes (a start that failed) does not hold the process\'s exit', () => {
  // It held it before, and a test file of failed starts never ended.
  // A file, not -e: the worker inherits the process's flags, and --input-type would stop it at once.
  const script = join(file.dir, 'spare.ts');
  writeFileSync(script, `import { startRenderWorker } from ${JSON.stringify(join(process.cwd(), 'src/web/site/renderer.ts'))};\nstartRenderWorker();\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { timeout: 60_000, encoding: 'utf8' });
  assert.equal(r.signal, null, `the process did not exit by itself within 60 s: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /render worker stopped/, 'the worker started');
});

describe('the render worker dies', () => {
  test('while idle: the next uncached page is rendered by a new worker, cached pages are kept, /healthz stays up', async () => {
    const { site, app, logs } = serve();
    try {
      await site.refresh();
      assert.equal((await app.request(THEME)).status, 200);
      const worker = started.at(-1) ?? assert.fail('no render worker was started');
      await worker.terminate();
      assert.equal((await app.request('/healthz')).status, 200);
      const cached = await answered(app, THEME);
      assert.equal(cached.status, 200, 'a cached page needs no worker');
      const r = await answered(app, OTHER);
      assert.equal(r.status, 200, 'an uncached page after the death');
      assert.equal(title(await r.text()), 'Thema 2. Minerale — Naturkunde Beispielstadt');
      assert.equal(started.length, 2, 'a new worker was started');
      assert.ok(site.cached(THEME), 'the pages of the same version were kept');
      assert.ok(logs.some((l) => /The render worker stopped/.test(l)), logs.join('\n'));
      assert.equal(((await (await app.request('/healthz')).json()) as { phase: string }).phase, 'serving');
    } finally {
      await site.stop();
    }
  });

  test('during a render: the request is answered from a new worker, not left waiting', async () => {
    const { site, app } = serve();
    try {
      await site.refresh();
      const worker = started.at(-1) ?? assert.fail('no render worker was started');
      const pending = answered(app, THEME);
      // The render message is posted; the thread ends before it answers.
      setImmediate(() => void worker.terminate());
      const r = await pending;
      assert.equal(r.status, 200);
      assert.equal(title(await r.text()), 'Thema 1. Fossilien — Naturkunde Beispielstadt');
    } finally {
      await site.stop();
    }
  });

  test('during the first load: a new worker loads the content, and the site serves', async () => {
    const { site, app } = serve();
    try {
      const refreshing = site.refresh();
      // The first worker is started synchronously by refresh's open(); it dies while it loads.
      await new Promise((r) => setImmediate(r));
      const first = started[0] ?? assert.fail('no render worker was started');
      await first.terminate();
      assert.equal(await refreshing, true);
      assert.ok(started.length >= 2, 'a second worker was started');
      assert.equal((await answered(app, THEME)).status, 200);
    } finally {
      await site.stop();
    }
  });
});
