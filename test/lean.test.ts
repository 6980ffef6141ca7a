import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { getRequestListener } from '@hono/node-server';
import { siteFor, DEMO, type TestSite } from './harness.ts';
import { leanListener } from '../src/web/http/lean.ts';
import { MAX_URL_LENGTH } from '../src/app.ts';

// The lean path must answer exactly as the app does, and only for cached pages.

interface Got { status: number; headers: IncomingHttpHeaders; body: Buffer }

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, signal: AbortSignal.timeout(10_000) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(handler: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Headers as a client compares them: the per-response Date and connection management left out, and the
 * length of a compressed body: a page read often is compressed again in the background (brotli 5, then 10),
 * so two requests a moment apart may get other bytes for the same page and ETag. The decoded bytes must match.
 */
const comparable = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h)
  .filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k) && !(k === 'content-length' && h['content-encoding']))
  .sort(([a], [b]) => a.localeCompare(b)));
const decoded = (g: Got) => (g.body.length === 0 ? g.body : g.headers['content-encoding'] === 'br' ? brotliDecompressSync(g.body) : g.headers['content-encoding'] === 'gzip' ? gunzipSync(g.body) : g.body);

describe('the lean path for cached pages', () => {
  let t: TestSite;
  let lean: { server: Server; port: number };
  let plain: { server: Server; port: number };
  let appCalls = 0;
  const PAGES = ['/fr/', '/en/visit/the-rise-of-nazism', '/fr/visite/videos', '/fr/chronologie', '/en/about', '/fr/carte'];

  before(async () => {
    t = await siteFor(DEMO);
    const app = getRequestListener(t.app.fetch);
    const counted: RequestListener = (req, res) => {
      appCalls++;
      return app(req, res);
    };
    lean = await listen(leanListener(t.site, { maxUrlLength: MAX_URL_LENGTH, secureCookies: true }, counted));
    plain = await listen(app);
    // Rendered once, through the app: from now on these pages are cached.
    for (const p of PAGES) assert.equal((await get(plain.port, p)).status, 200, p);
  });

  after(async () => {
    for (const s of [lean.server, plain.server]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    await t.close();
  });

  const VARIANTS: { name: string; headers: Record<string, string>; method?: string }[] = [
    { name: 'no Accept-Encoding', headers: {} },
    { name: 'brotli', headers: { 'accept-encoding': 'gzip, deflate, br' } },
    { name: 'gzip only', headers: { 'accept-encoding': 'gzip' } },
    { name: 'brotli refused by weight', headers: { 'accept-encoding': 'br;q=0, gzip;q=0.5' } },
    { name: 'cookie of the same language', headers: { cookie: 'parcours_lang=fr', 'accept-encoding': 'br' } },
    { name: 'cookie of another language', headers: { cookie: 'other=1; parcours_lang=de', 'accept-encoding': 'gzip' } },
    { name: 'HEAD', headers: { 'accept-encoding': 'br' }, method: 'HEAD' },
  ];

  for (const v of VARIANTS) {
    test(`cached pages, ${v.name}: the same status, headers and bytes as the app, without the app`, async () => {
      for (const p of PAGES) {
        const before = appCalls;
        const a = await get(lean.port, p, v.headers, v.method);
        assert.equal(appCalls, before, `${p} went to the app`);
        // The second answer comes from what the lean path kept of the first.
        const again = await get(lean.port, p, v.headers, v.method);
        assert.equal(appCalls, before, `${p} went to the app`);
        const b = await get(plain.port, p, v.headers, v.method);
        for (const x of [a, again]) {
          assert.equal(x.status, b.status, p);
          assert.deepEqual(comparable(x.headers), comparable(b.headers), p);
          assert.ok(decoded(x).equals(decoded(b)), `${p}: the bodies differ`);
          if (v.method !== 'HEAD') assert.equal(Number(x.headers['content-length']), x.body.length, p);
        }
        assert.ok(a.headers['content-security-policy'], 'security headers are there');
      }
    });
  }

  test('with one Accept-Encoding, the answers kept with and without the language cookie are not mixed up', async () => {
    // Kept per cookie case: a visitor whose cookie matches must not get the Set-Cookie (and private
    // Cache-Control) kept for one without it, nor the other way round, nor another language's cookie.
    const cookies = [undefined, 'parcours_lang=fr', undefined, 'parcours_lang=en', 'a=1; parcours_lang=fr', 'parcours_lang=fr2'];
    for (const cookie of cookies) {
      const headers: Record<string, string> = { 'accept-encoding': 'gzip, br' };
      if (cookie) headers.cookie = cookie;
      const before = appCalls;
      const a = await get(lean.port, '/fr/chronologie', headers);
      assert.equal(appCalls, before, 'lean');
      const b = await get(plain.port, '/fr/chronologie', headers);
      assert.deepEqual(comparable(a.headers), comparable(b.headers), `cookie ${cookie ?? 'none'}`);
      assert.equal(a.headers['set-cookie'] === undefined, cookie === 'parcours_lang=fr' || cookie === 'a=1; parcours_lang=fr', `cookie ${cookie ?? 'none'}`);
    }
  });

  test('a matching If-None-Match gets the same 304, for each encoding', async () => {
    for (const enc of ['br', 'gzip', 'identity']) {
      const first = await get(plain.port, '/fr/', { 'accept-encoding': enc });
      const etag = String(first.headers.etag);
      const before = appCalls;
      const a = await get(lean.port, '/fr/', { 'accept-encoding': enc, 'if-none-match': `W/"x", ${etag}` });
      const b = await get(plain.port, '/fr/', { 'accept-encoding': enc, 'if-none-match': `W/"x", ${etag}` });
      assert.equal(appCalls, before);
      assert.equal(a.status, 304);
      assert.deepEqual(comparable(a.headers), comparable(b.headers));
      assert.equal(a.body.length, 0);
    }
  });

  test('everything that is not a plain cached page goes to the app, which answers as before', async () => {
    const long = `/fr/${'a'.repeat(MAX_URL_LENGTH)}`;
    const cases: [string, string][] = [
      ['GET', '/fr/chronologie?theme=la-montee-du-nazisme'],
      ['GET', '/fr/?utm=1'],
      ['GET', '/fr/visite/%76ideos'],
      ['GET', '/fr/../en/'],
      ['GET', '/fr/./'],
      ['GET', long],
      ['POST', '/fr/'],
      ['GET', '/fr/visite'],
      ['GET', '/fr'],
      ['GET', '/healthz'],
      ['GET', '/nowhere'],
      ['GET', '/'],
    ];
    for (const [method, path] of cases) {
      const before = appCalls;
      const a = await get(lean.port, path, { 'accept-encoding': 'br' }, method);
      assert.equal(appCalls, before + 1, `${method} ${path.slice(0, 40)} should go to the app`);
      const b = await get(plain.port, path, { 'accept-encoding': 'br' }, method);
      assert.equal(a.status, b.status, path.slice(0, 40));
      assert.equal(a.headers['content-type'], b.headers['content-type']);
    }
  });

  test('a page not yet rendered goes to the app; once rendered it is lean', async () => {
    const path = '/en/visit/the-liberation-of-the-drome';
    assert.equal(t.site.cached(path), undefined);
    let before = appCalls;
    assert.equal((await get(lean.port, path)).status, 200);
    assert.equal(appCalls, before + 1);
    before = appCalls;
    assert.equal((await get(lean.port, path)).status, 200);
    assert.equal(appCalls, before);
  });
});
