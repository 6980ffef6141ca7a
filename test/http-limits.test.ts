import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { RequestListener, Server } from 'node:http';
import { FIXTURE, TEST_MEDIA_DIR } from './harness.ts';
import { HTTP_TIMEOUTS, loadConfig, type HttpLimits } from '../src/config/config.ts';
import { createHttpServer, fileLimitAdvice } from '../src/web/http/limits.ts';
import { startingListener } from '../src/web/http/security.ts';
import { startServer, type Running } from '../src/server.ts';
import { isAppError } from '../src/shared/errors.ts';

// Misbehaving clients against real listening sockets: idle, slow headers,
// HTTP/0.9, a client that stops reading, more connections than the cap.
// Limits are made short so that the tests are fast; every wait has a bound
// several times the limit, so that a slow machine does not fail them.

const SHORT: HttpLimits = { headersTimeoutMs: 300, requestTimeoutMs: 1000, keepAliveTimeoutMs: 300, sendTimeoutMs: 300, checkIntervalMs: 100, maxConnections: 50 };
/** Long enough that nothing in a test is closed by a timeout it does not test. */
const LONG: HttpLimits = { ...HTTP_TIMEOUTS, maxConnections: 50 };
const BOUND_MS = 4000;

const ok: RequestListener = (_req, res) => res.end('ok');

async function listen(handler: RequestListener, limits: HttpLimits, log: (l: string) => void = () => undefined): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createHttpServer(handler, limits, log);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    server,
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

interface Client { socket: Socket; received(): string; closed: Promise<boolean> }
/** Every client socket, destroyed after each test: a failed test must not keep the process alive. */
const clients = new Set<Socket>();
afterEach(() => { for (const c of clients) c.destroy(); clients.clear(); });

/** A raw socket; `closed` says whether the server closed it within the bound. */
function open(port: number, send = ''): Promise<Client> {
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = connect(port, '127.0.0.1', () => {
      clients.add(socket);
      if (send) socket.write(send);
      resolve({ socket, received: () => got, closed });
    });
    const closed = new Promise<boolean>((r) => {
      const t = setTimeout(() => r(false), BOUND_MS);
      socket.once('close', () => { clearTimeout(t); r(true); });
    });
    socket.on('data', (d: Buffer) => { got += d.toString('latin1'); });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

/** One request on a new connection, kept open afterwards (keep-alive). */
async function keptAlive(port: number, path = '/'): Promise<Client> {
  const c = await open(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  for (let i = 0; i < 100 && !/\r\n\r\n./.test(c.received()); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(c.received(), /^HTTP\/1\.1 200/);
  return c;
}

async function get(port: number): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(BOUND_MS) });
  await r.arrayBuffer();
  return r.status;
}

describe('the HTTP server closes what misbehaving clients hold', () => {
  test('a socket that never sends anything is closed after the headers timeout', async () => {
    const s = await listen(ok, SHORT);
    try {
      const c = await open(s.port);
      assert.equal(await c.closed, true, 'idle socket still open');
    } finally { await s.close(); }
  });

  test('headers sent a line at a time (slowloris) are cut off at the headers timeout with a 408', async () => {
    const s = await listen(ok, SHORT);
    try {
      const c = await open(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n');
      const drip = setInterval(() => { if (!c.socket.destroyed) c.socket.write('X-Slow: 1\r\n'); }, 50);
      const closed = await c.closed;
      clearInterval(drip);
      assert.equal(closed, true, 'slowloris socket still open');
      assert.match(c.received(), /^HTTP\/1\.1 408/);
    } finally { await s.close(); }
  });

  test('a request body sent a byte at a time is cut off at the request timeout', async () => {
    const s = await listen(ok, SHORT);
    try {
      const c = await open(s.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
      const drip = setInterval(() => { if (!c.socket.destroyed) c.socket.write('a'); }, 50);
      const closed = await c.closed;
      clearInterval(drip);
      assert.equal(closed, true, 'a slow body holds its connection');
    } finally { await s.close(); }
  });

  test('an HTTP/0.9 request line gets a 400 at once, not after the headers timeout', async () => {
    const s = await listen(ok, LONG);
    try {
      for (const line of ['GET /\r\n', '\r\nGET /fr/\n']) {
        const c = await open(s.port, line);
        assert.equal(await c.closed, true, `${JSON.stringify(line)} held open`);
        assert.match(c.received(), /^HTTP\/1\.1 400/);
      }
      // Requests with a version, even split in pieces, are served as before.
      const c = await open(s.port, 'GET / HT');
      c.socket.write('TP/1.0\r\n\r\n');
      assert.equal(await c.closed, true);
      assert.match(c.received(), /^HTTP\/1\.1 200[^]*\r\n\r\nok$/);
    } finally { await s.close(); }
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const s = await listen(ok, SHORT);
    try {
      const c = await keptAlive(s.port);
      assert.equal(await c.closed, true);
    } finally { await s.close(); }
  });

  test('a response the client stops reading is abandoned after the send timeout', async () => {
    let resClosed: () => void = () => undefined;
    const abandoned = new Promise<boolean>((r) => {
      const t = setTimeout(() => r(false), BOUND_MS);
      resClosed = () => { clearTimeout(t); r(true); };
    });
    const chunk = Buffer.alloc(1 << 20);
    const s = await listen((_req, res) => {
      res.on('close', resClosed);
      const pump = () => { while (!res.destroyed && res.write(chunk)); };
      res.on('drain', pump);
      pump();
    }, { ...LONG, sendTimeoutMs: 300 });
    try {
      const c = await open(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      c.socket.pause();
      assert.equal(await abandoned, true, 'a stalled response holds its connection');
      c.socket.destroy();
    } finally { await s.close(); }
  });

  test('headers over 16 KB get 431', async () => {
    const s = await listen(ok, LONG);
    try {
      const c = await open(s.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      await c.closed;
      assert.match(c.received(), /^HTTP\/1\.1 431/);
    } finally { await s.close(); }
  });

  test('connections over the cap are refused (and said once); requests are served again once they close', async () => {
    const lines: string[] = [];
    const s = await listen(ok, { ...LONG, maxConnections: 5 }, (l) => lines.push(l));
    try {
      const held = await Promise.all(Array.from({ length: 5 }, () => keptAlive(s.port)));
      for (let i = 0; i < 3; i++) {
        const over = await open(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
        assert.equal(await over.closed, true, 'a connection over the cap was kept');
        assert.equal(over.received(), '', 'a connection over the cap was answered');
      }
      assert.equal(lines.filter((l) => /refused.*MAX_CONNECTIONS/.test(l)).length, 1, lines.join('\n'));
      for (const c of held) c.socket.destroy();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = await get(s.port).catch(() => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 200);
    } finally { await s.close(); }
  });

  test('the start-up 503 carries the security headers, is never cached and asks to retry', async () => {
    const s = await listen(startingListener, LONG);
    try {
      const r = await fetch(`http://127.0.0.1:${s.port}/fr/`);
      assert.equal(r.status, 503);
      assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('x-frame-options'), 'DENY');
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.match(r.headers.get('retry-after') ?? '', /^\d+$/);
      await r.arrayBuffer();
    } finally { await s.close(); }
  });
});

describe('MAX_CONNECTIONS and the open-file limit', () => {
  test('MAX_CONNECTIONS is validated and reaches the server limits', () => {
    assert.equal(loadConfig({}).http.maxConnections, 450);
    assert.equal(loadConfig({ MAX_CONNECTIONS: '200' }).http.maxConnections, 200);
    for (const bad of ['0', 'abc', '1.5', '-3']) {
      assert.throws(() => loadConfig({ MAX_CONNECTIONS: bad }), (e) => isAppError(e) && e.code === 'config_invalid' && /MAX_CONNECTIONS/.test(e.message), bad);
    }
  });

  test('the default fits a limit of 1,024 open files; a cap that does not fit is said with the numbers to change', () => {
    assert.equal(fileLimitAdvice(loadConfig({}).http.maxConnections, 1024), undefined);
    assert.equal(fileLimitAdvice(5000, undefined), undefined);
    const advice = fileLimitAdvice(900, 1024) ?? assert.fail('no advice');
    assert.match(advice, /MAX_CONNECTIONS=900.*1024.*LimitNOFILE.*480/);
  });
});

describe('startServer applies the limits', () => {
  let running: Running;
  before(async () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: ':memory:', CONTENT_DIR: FIXTURE, MEDIA_DIR: TEST_MEDIA_DIR });
    running = await startServer({ ...config, http: { ...SHORT, maxConnections: 3 } }, () => undefined);
  });
  after(() => running.close());

  test('an idle socket is closed at the configured headers timeout, and MAX_CONNECTIONS is the cap', async () => {
    const idle = await open(running.port);
    assert.equal(await idle.closed, true, 'idle socket still open');
    const held = await Promise.all(Array.from({ length: 3 }, () => keptAlive(running.port, '/healthz')));
    const over = await open(running.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(await over.closed, true);
    assert.equal(over.received(), '');
    for (const c of held) c.socket.destroy();
  });
});
