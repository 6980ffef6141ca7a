import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE, TEST_MEDIA_DIR, copyBundle } from './harness.ts';

// The real entry points, as a host runs them: one clear line and a non-zero
// exit on failure, never a stack trace.

const NODE = process.execPath;
const run = (args: string[], env: Record<string, string>) =>
  spawnSync(NODE, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .*(\.ts|node:internal)/, 'no stack trace');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A GET with the path sent exactly as given, without client-side normalisation. */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

/** Starts `npm start`'s entry point and resolves once it prints its URL. */
function startMain(env: Record<string, string>): Promise<{ out: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env } });
    let out = '';
    // The demo's media take some 15 s on a quiet machine; a busy one may take several times that.
    // A start that does not come is stopped, so that the test fails instead of waiting for it forever.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start within 120 s:\n${out}`));
    }, 120_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Parcours is serving the visit at/.test(out)) {
        clearTimeout(timer);
        resolve({ out, stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) });
      }
    });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${out}`)); });
  });
}

describe('npm start', () => {
  test('creates the database, imports the demo, serves; a second start reuses the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-start-'));
    const port = await freePort();
    const env = { PORT: String(port), DATABASE_URL: join(dir, 'sub', 'parcours.db') };
    const first = await startMain(env);
    assert.match(first.out, /importing the content bundle from content\/drome/);
    assert.match(first.out, new RegExp(`serving the visit at http://127\\.0\\.0\\.1:${port}/`));
    const res = await fetch(`http://127.0.0.1:${port}/fr/a-propos`); // its map is an image the demo ships
    assert.equal(res.status, 200);
    // The demo's media are stored beside the database by default, and served.
    const image = /\/media\/([0-9a-f]{64})\/w640\.avif/.exec(await res.text())?.[1];
    assert.ok(image && existsSync(join(dir, 'sub', 'media', image.slice(0, 2), image, 'w640.avif')), 'derivatives are in the media directory beside the database');
    assert.equal((await fetch(`http://127.0.0.1:${port}/media/${image}/w640.avif`)).headers.get('content-type'), 'image/avif');
    // Dot segments as sent on the wire (fetch would normalise them away).
    for (const path of ['/fr/visite/%2e%2e', '/fr/./visite', '/assets/%2e%2e/%2e%2e/package.json', '/en/visit/..']) {
      const r = await rawGet(port, path);
      assert.equal(r.status, 400, `${path} → ${r.status}`);
      assert.doesNotMatch(r.body, /"name": "parcours"/);
    }
    assert.match((await rawGet(port, '/en/visit/%2e%2e')).body, /<html lang="en">/);
    await first.stop();
    const second = await startMain(env);
    assert.doesNotMatch(second.out, /importing/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    await second.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a database path that cannot be written: one clear line, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-ro-'));
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = run(['src/main.ts'], { DATABASE_URL: join(dir, 'a-file', 'parcours.db'), PORT: '0' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^parcours: Cannot open the database at .*a-file\/parcours\.db/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    noStack(r.stderr);
  });

  test('a file that is not a SQLite database: one clear line, exit 1, the file untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-corrupt-'));
    const file = join(dir, 'parcours.db');
    const garbage = 'not a database '.repeat(20);
    writeFileSync(file, garbage);
    const r = run(['src/main.ts'], { DATABASE_URL: file, PORT: '0' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^parcours: Cannot open the database at .*parcours\.db: file is not a database/);
    noStack(r.stderr);
    assert.equal(readFileSync(file, 'utf8'), garbage);
  });

  test('a port already in use: one clear line, exit 1', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'parcours-port-'));
    const r = run(['src/main.ts'], { DATABASE_URL: join(dir, 'p.db'), PORT: String(port), MEDIA_DIR: TEST_MEDIA_DIR });
    blocker.close();
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^parcours: Port ${port} is already in use`));
    assert.equal(r.stderr.trim().split('\n').length, 1);
    noStack(r.stderr);
  });

  test('invalid configuration is refused at start', () => {
    const r = run(['src/main.ts'], { PORT: 'eighty' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^parcours: Invalid configuration: PORT:/);
    noStack(r.stderr);
  });
});

describe('the parcours CLI', () => {
  test('import of a broken bundle lists the problems, exits 1 and writes nothing', () => {
    const dir = copyBundle(FIXTURE);
    writeFileSync(join(dir, 'places.yaml'), '- {id: Bad Id, kind: town, lat: 200, lon: 0, name: {de: X}}\n');
    const db = join(mkdtempSync(join(tmpdir(), 'parcours-cli-')), 'c.db');
    const r = run(['src/cli/index.ts', 'import', dir], { DATABASE_URL: db });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^parcours: The bundle in .* has \d+ problems; nothing was imported\./);
    assert.match(r.stderr, /\n {2}places\.yaml: place "Bad Id": id: must be lowercase/);
    assert.match(r.stderr, /\n {2}places\.yaml: place "Bad Id": lat: /);
    noStack(r.stderr);
    const exp = run(['src/cli/index.ts', 'export', join(dir, '..', 'out')], { DATABASE_URL: db });
    assert.equal(exp.status, 1);
    assert.match(exp.stderr, /holds no content to export/);
  });
  test('import then export round-trips through the command line', () => {
    const base = mkdtempSync(join(tmpdir(), 'parcours-cli-'));
    const env = { DATABASE_URL: join(base, 'c.db') };
    const imp = run(['src/cli/index.ts', 'import', FIXTURE], env);
    assert.equal(imp.status, 0, imp.stderr);
    assert.match(imp.stdout, /Imported .*: 4 themes, 1 article, 1 page, /);
    const exp = run(['src/cli/index.ts', 'export', join(base, 'out')], env);
    assert.equal(exp.status, 0, exp.stderr);
    assert.match(exp.stdout, /Exported \d+ files/);
  });
  test('check validates a bundle and lists each document\'s length and missing translations', () => {
    const r = run(['src/cli/index.ts', 'check', FIXTURE], {});
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /is valid: 4 themes, 1 article, 1 page, /);
    assert.match(r.stdout, /^ {2}theme +main +1 {2}\S+ +de +\d+ {2}en +(\d+|—)$/m);
    assert.match(r.stdout, /Not translated yet \(visitors see the de text instead\):\n {2}en: \d+ fields? in \d+ entr(y|ies)\n {4}theme evolution: lead, block evolution-archaeopteryx: body\n/);
  });
  test('an unknown command prints the usage and exits 1', () => {
    const r = run(['src/cli/index.ts', 'frobnicate'], {});
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Unknown command "frobnicate"/);
  });
});
