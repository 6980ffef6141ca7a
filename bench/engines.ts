import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, get, TreeMemory } from './machine.ts';

// BENCH_ONLY=engines: the same demo on SQLite and on PostgreSQL, side by side
// (issue 14): the CLI import, the time a server takes to serve, the theme
// page and a filtered map page under load, filtered map pages never asked
// before, and the server's memory. The PostgreSQL server is
// BENCH_DATABASE_URL or TEST_DATABASE_URL (a schema is made there and
// dropped after); without one the case is skipped loudly. One serving
// process each (WORKERS=1): the engine is compared, not the cluster.

interface Stat { p50: number; p99: number; average: number }
interface Result { requests: Stat; latency: Stat; errors: number; non2xx: number }
type Cannon = (o: { url: string; connections: number; duration: number; headers: Record<string, string> }) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Math.max(1, Math.min(600, Number(process.env.BENCH_SECONDS ?? 10) || 10));
const THEME = '/fr/visite/la-liberation-de-la-drome';
const FILTERED = '/fr/carte?tag=town-liberated';
const YEARS = ['1940', '1941', '1942', '1943', '1944', '1945'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface EngineFigures {
  importS: number;
  serveS: number;
  theme: Result;
  filtered: Result;
  distinctMs: number[];
  rssMb: number;
}

function cli(env: NodeJS.ProcessEnv, ...args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`parcours ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return (performance.now() - t) / 1000;
}

async function measure(name: string, env: NodeJS.ProcessEnv): Promise<EngineFigures> {
  const importS = cli(env, 'import', 'content/drome');
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=16', '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, PORT: String(port), WORKERS: '1' },
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const tree = new TreeMemory(child.pid!);
  try {
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`${name}: the server exited before serving:\n${log}`);
      if (i > 600) throw new Error(`${name}: no page within 60 s:\n${log}`);
      const r = await get(port, THEME).catch(() => undefined);
      if (r?.status === 200) break;
      await sleep(100);
    }
    const serveS = (performance.now() - started) / 1000;
    const url = (p: string) => `http://127.0.0.1:${port}${p}`;
    const load = (p: string) => autocannon({ url: url(p), connections: 50, duration: SECONDS, headers: { 'accept-encoding': 'br, gzip' } });
    const theme = await load(THEME);
    const filtered = await load(FILTERED);
    // Filtered pages nobody asked for yet: each is rendered on demand.
    const distinctMs: number[] = [];
    for (const from of YEARS) {
      for (const tag of ['town-liberated', '']) {
        const t = performance.now();
        const r = await get(port, `/fr/carte?from=${from}${tag ? `&tag=${tag}` : ''}`);
        if (r.status !== 200) throw new Error(`${name}: a filtered map page answered ${r.status}`);
        distinctMs.push(performance.now() - t);
      }
    }
    return { importS, serveS, theme, filtered, distinctMs, rssMb: tree.sumOfPeaks / 1024 / 1024 };
  } finally {
    tree.stop();
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function enginesCase(): Promise<void> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  console.log(`\nEngines: the demo on SQLite and on PostgreSQL, one serving process each; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')} (figures of a busy machine are distorted)`);
  if (!server) {
    console.log('  SKIPPED LOUDLY: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a postgres:// URL to compare the engines');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'parcours-bench-engines-'));
  const schema = `bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const pgUrl = new URL(server);
  pgUrl.searchParams.set('options', `-c search_path=${schema}`);
  const base = { ...process.env, HOST: '127.0.0.1', MEDIA_DIR: join(dir, 'media'), CONTENT_DIR: 'content/drome', LOG_REQUESTS: '0', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
  try {
    // The media derivatives are made once, by an import not measured: both engines' imports then find them made.
    cli({ ...base, DATABASE_URL: join(dir, 'warm.db') }, 'import', 'content/drome');
    const figures: [string, EngineFigures][] = [
      ['SQLite', await measure('SQLite', { ...base, DATABASE_URL: join(dir, 'bench.db') })],
      ['PostgreSQL', await measure('PostgreSQL', { ...base, DATABASE_URL: pgUrl.toString() })],
    ];
    const row = (label: string, f: (x: EngineFigures) => string) => console.log(`  ${label.padEnd(44)}${figures.map(([, x]) => f(x).padStart(14)).join('')}`);
    console.log(`  ${''.padEnd(44)}${figures.map(([n]) => n.padStart(14)).join('')}`);
    row('import of the demo (CLI, media already made)', (x) => `${x.importS.toFixed(2)} s`);
    row('start to the first theme page', (x) => `${x.serveS.toFixed(2)} s`);
    row(`theme page, 50 connections ${SECONDS} s: req/s`, (x) => `${Math.round(x.theme.requests.average)}`);
    row('  p50 / p99 ms', (x) => `${x.theme.latency.p50} / ${x.theme.latency.p99}`);
    row(`filtered map page (${FILTERED.split('?')[1]}): req/s`, (x) => `${Math.round(x.filtered.requests.average)}`);
    row('  p50 / p99 ms', (x) => `${x.filtered.latency.p50} / ${x.filtered.latency.p99}`);
    row(`${YEARS.length * 2} filtered map pages never asked: median ms`, (x) => `${median(x.distinctMs).toFixed(1)}`);
    row('errors and non-2xx under load', (x) => `${x.theme.errors + x.theme.non2xx + x.filtered.errors + x.filtered.non2xx}`);
    row('peak RSS of the server (process tree)', (x) => `${x.rssMb.toFixed(0)} MB`);
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
