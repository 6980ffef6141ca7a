import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE } from './harness.ts';
import { restartDelay } from '../src/cluster.ts';
import { loadConfig } from '../src/config/config.ts';

// Several serving processes (WORKERS) as a host runs them: `npm start`'s entry
// point in a child process. Every wait is bounded: a test fails, never hangs.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Resolves 'timeout' after `ms` without keeping the test process alive once the race is won. */
const deadline = (ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref());

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

interface Main { child: ChildProcess; out: () => string; exited: Promise<number | null> }

function startMain(env: Record<string, string>): Main {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

/** Waits until `f` is true, at most `ms`; then fails with what the server printed. */
async function until(what: string, f: () => boolean, ms: number, main: Main): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s. The server printed:\n${main.out()}`);
    await sleep(100);
  }
}

const servingPids = (out: string) => [...out.matchAll(/Worker (\d+) is serving\./g)].map((m) => Number(m[1]));
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

/** Processes still running with this database in their environment (a worker left behind would be one). */
function processesOf(databaseUrl: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`DATABASE_URL=${databaseUrl}`)) found.push(Number(name));
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

async function getStatus(url: string): Promise<number> {
  const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  await r.arrayBuffer();
  return r.status;
}

describe('WORKERS: several serving processes', () => {
  test('"auto" is one per core, at most four; an in-memory database keeps one process', () => {
    const auto = loadConfig({}).workers;
    assert.ok(auto >= 1 && auto <= 4);
    assert.equal(loadConfig({ WORKERS: '3' }).workers, 3);
    assert.equal(loadConfig({ WORKERS: '3', DATABASE_URL: ':memory:' }).workers, 1);
    for (const bad of ['0', 'two', '1.5', '-1']) assert.throws(() => loadConfig({ WORKERS: bad }), /WORKERS/, bad);
  });

  test('a worker that dies young is replaced later each time, one that lived at once', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 9].map(restartDelay), [0, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  test('both serve; a killed worker is replaced while the other serves; SIGTERM stops them all', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-cluster-'));
    const db = join(dir, 'p.db');
    const port = await freePort();
    const main = startMain({ WORKERS: '2', PORT: String(port), DATABASE_URL: db, CONTENT_DIR: FIXTURE, MEDIA_DIR: join(dir, 'media') });
    try {
      await until('serving', () => /Parcours is serving the visit at/.test(main.out()), 90_000, main);
      assert.match(main.out(), /Empty database: importing the content bundle/);
      const [a, b] = servingPids(main.out());
      assert.ok(a && b && a !== b, 'two workers said they serve');
      for (const pid of [a, b]) assert.equal(parentOf(pid), main.child.pid, 'workers are children of the primary');
      const page = `http://127.0.0.1:${port}/de/`;
      for (let i = 0; i < 20; i++) assert.equal(await getStatus(page), 200);

      process.kill(a, 'SIGKILL');
      await until('a replacement', () => servingPids(main.out()).length === 3, 90_000, main);
      assert.match(main.out(), new RegExp(`Worker ${a} stopped \\(SIGKILL\\); starting another`));
      const c = servingPids(main.out())[2]!;
      assert.ok(alive(c) && alive(b) && !alive(a));
      for (let i = 0; i < 20; i++) assert.equal(await getStatus(page), 200);
      assert.equal(await getStatus(`http://127.0.0.1:${port}/healthz`), 200);

      main.child.kill('SIGTERM');
      const code = await Promise.race([main.exited, deadline(20_000)]);
      assert.equal(code, 0, `exit on SIGTERM:\n${main.out()}`);
      await until('no process left', () => processesOf(db).length === 0, 5_000, main);
    } finally {
      for (const pid of [main.child.pid!, ...processesOf(db)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a primary killed outright takes its workers with it', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-cluster-'));
    const db = join(dir, 'p.db');
    const main = startMain({ WORKERS: '2', PORT: '0', DATABASE_URL: db, CONTENT_DIR: FIXTURE, MEDIA_DIR: join(dir, 'media') });
    try {
      await until('serving', () => /Parcours is serving the visit at/.test(main.out()), 90_000, main);
      const workers = servingPids(main.out());
      assert.equal(workers.length, 2);
      // With PORT=0 the workers share one port that the primary chose: the URL printed is theirs.
      const url = /serving the visit at (\S+)\//.exec(main.out())![1]!;
      assert.equal(await getStatus(`${url}/de/`), 200);
      main.child.kill('SIGKILL');
      await until('workers gone', () => workers.every((p) => !alive(p)), 10_000, main);
    } finally {
      for (const pid of [main.child.pid!, ...processesOf(db)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a port in use: one clear line, exit 1, no worker left behind', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-cluster-'));
    const db = join(dir, 'p.db');
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    const main = startMain({ WORKERS: '2', PORT: String(port), DATABASE_URL: db, CONTENT_DIR: FIXTURE, MEDIA_DIR: join(dir, 'media') });
    try {
      const code = await Promise.race([main.exited, deadline(60_000)]);
      assert.equal(code, 1, main.out());
      assert.match(main.out(), new RegExp(`parcours: Port ${port} is already in use`));
      assert.doesNotMatch(main.out(), /\n\s+at .*(\.ts|node:internal)/, 'no stack trace');
      assert.doesNotMatch(main.out(), /importing the content bundle/, 'nothing imported before the port was known');
      await until('no process left', () => processesOf(db).length === 0, 5_000, main);
    } finally {
      for (const pid of [main.child.pid!, ...processesOf(db)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
