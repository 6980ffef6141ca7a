// `npm run bench`: throughput, latency and memory of the real server, the
// weight of a theme page, and the theme page beside nginx (bench/nginx.ts);
// then the memory case, the time and memory of making image derivatives
// (bench/media.ts), and the scale case (bench/scale.ts). The HTTP, memory and
// media cases only print figures; the nginx and scale cases also guard their
// goals: a figure worse than REGRESSION_FACTOR × its goal exits non-zero.
// The server runs in a child process (its own CPU and memory); autocannon runs here.
// Then the page weights of every page (bench/weights.ts) and the first paint on slow 4G
// (bench/paint.ts), which guard their goals like the scale case, and the cost of editing and publishing
// in the admin (bench/editorial.ts), which guards a publish visible within 1 s.
// BENCH_ONLY=http, nginx, memory, media, scale, engines, compression, weights, paint or editorial runs one case only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineCpuSeconds, freePort, get, TreeMemory } from './machine.ts';
import { brotliDecompressSync } from 'node:zlib';
import { mediaCase } from './media.ts';
import { memoryCase } from './memory.ts';
import { nginxCase } from './nginx.ts';
import { enginesCase } from './engines.ts';
import { REGRESSION_FACTOR, scaleCase } from './scale.ts';
import { weightsCase } from './weights.ts';
import { paintCase } from './paint.ts';

interface Stat { average: number; p50: number; p99: number }
interface Result { requests: Stat; latency: Stat; errors: number; timeouts: number; non2xx: number }
type Cannon = (o: { url: string; connections: number; duration?: number; amount?: number; headers: Record<string, string> }) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Math.max(1, Math.min(600, Number(process.env.BENCH_SECONDS ?? 10) || 10));
const CONNECTIONS = 50;
const THEME = '/fr/visite/la-liberation-de-la-drome';
const HOME = '/fr/';
const MAP = '/fr/carte';
const BROWSER = { 'accept-encoding': 'br, gzip' };
const TARGET = { ratio: 0.8, p99Ms: 20, totalKB: 40, jsKB: 15, mapKB: 60 };
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = (pass: boolean) => (pass ? 'PASS' : 'FAIL');



/** Brotli bytes as served, checked against Content-Length; plus the decoded text. */
async function served(port: number, path: string): Promise<{ bytes: number; text: string }> {
  const r = await get(port, path, { 'accept-encoding': 'br' });
  if (r.status !== 200) throw new Error(`GET ${path} → ${r.status}`);
  const len = Number(r.headers['content-length'] ?? r.body.length);
  if (len !== r.body.length) throw new Error(`GET ${path}: Content-Length ${len} but ${r.body.length} bytes received`);
  return { bytes: r.body.length, text: (r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.body) : r.body).toString('utf8') };
}



/** CPU seconds used so far by a process (utime + stime, in clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The HTTP cases: page weight, load, server memory, then nginx beside the server; `nginx`: that last one only. */
async function httpCase(mode: 'all' | 'nginx' = 'all'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-bench-'));
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: join(dir, 'bench.db'), CONTENT_DIR: 'content/drome', LOG_REQUESTS: '0' };
  // The demo is imported first by the CLI, as a museum would: the server's
  // memory is then that of serving, not of making the demo's image derivatives.
  const imported = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import', 'content/drome'], { cwd: ROOT, env, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
  // Started as `npm start` starts it (same V8 flags), so that its memory is the production one.
  const child = spawn(process.execPath, ['--max-semi-space-size=16', '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env,
  });
  let childLog = '';
  child.stdout.on('data', (d: Buffer) => { childLog += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { childLog += d.toString(); });
  let exited = false;
  child.once('exit', () => { exited = true; });
  child.once('error', (e) => { childLog += String(e); exited = true; });
  // The server's whole process tree: with WORKERS > 1 the primary serves nothing and each worker holds a site.
  const tree = new TreeMemory(child.pid!);

  async function stopChild(): Promise<void> {
    tree.stop();
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const onSignal = () => { void stopChild().finally(() => process.exit(130)); };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, onSignal);

  try {
    // Wait (bounded: 60 s) for the child to import the demo bundle and answer /healthz.
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`the server exited before answering:\n${childLog}`);
      if (i >= 600) throw new Error(`the server did not answer /healthz within 60 s:\n${childLog}`);
      if (await get(port, '/healthz').then((r) => r.status === 200, () => false)) break;
      await sleep(100);
    }
    tree.sample();
    const idle = tree.processes.reduce((a, p) => a + p.rss, 0);
    console.log(`Server: pid ${child.pid}, http://127.0.0.1:${port}, Node ${process.version}, WORKERS=${process.env.WORKERS ?? 'auto'} (${tree.processes.length} processes); RSS after start-up ${(idle / 1048576).toFixed(1)} MB in all`);

    if (mode === 'all') {
      // Page weight, as a browser would fetch it (brotli).
      const page = await served(port, THEME);
      const css = [...page.text.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
      const js = [...page.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
      const cssBytes = (await Promise.all(css.map((u) => served(port, u)))).reduce((a, r) => a + r.bytes, 0);
      const jsBytes = (await Promise.all(js.map((u) => served(port, u)))).reduce((a, r) => a + r.bytes, 0);
      const total = page.bytes + cssBytes + jsBytes;
      const blocking = [...page.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
        .filter((t) => !/type="(module|application\/(ld\+)?json)"/.test(t) && !/\s(defer|async)[\s=>]/.test(t));
      console.log(`\nPage weight of ${THEME} (brotli, as served)`);
      console.log(`  HTML ${kb(page.bytes)} · CSS ${kb(cssBytes)} (${css.length} file) · JS ${kb(jsBytes)} (${js.length} file) · images not counted`);
      console.log(`  total ${kb(total)} (target ≤ ${TARGET.totalKB} KB: ${ok(total <= TARGET.totalKB * 1024)}) · JS ${kb(jsBytes)} (target ≤ ${TARGET.jsKB} KB: ${ok(jsBytes <= TARGET.jsKB * 1024)})`);
      console.log(`  render-blocking scripts: ${blocking.length === 0 ? 'none (PASS)' : `${blocking.length} (FAIL): ${blocking.join(' ')}`}`);
      // The map page: its SVG maps are part of the HTML (drawn on the server).
      const mapPage = await served(port, MAP);
      const mapTotal = mapPage.bytes + cssBytes + jsBytes;
      console.log(`\nPage weight of ${MAP} (brotli, with its SVG maps, CSS and JS)`);
      console.log(`  HTML ${kb(mapPage.bytes)} (${kb(mapPage.text.length)} uncompressed) · total ${kb(mapTotal)} (target ≤ ${TARGET.mapKB} KB: ${ok(mapTotal <= TARGET.mapKB * 1024)})`);

      // The static case: "a static asset of similar size". The site's assets are
      // small, so each is tried in every encoding the server offers (br, gzip,
      // identity) and the variant whose bytes on the wire are closest to the theme
      // page's is used, with the matching Accept-Encoding.
      const home = await served(port, HOME);
      const variants: { url: string; enc: string; bytes: number }[] = [];
      for (const m of home.text.matchAll(/"(\/assets\/[^"]+\.(?:css|js))"/g)) {
        for (const enc of ['br', 'gzip', 'identity']) {
          const r = await get(port, m[1]!, { 'accept-encoding': enc });
          if (r.status === 200) variants.push({ url: m[1]!, enc, bytes: r.body.length });
        }
      }
      const asset = variants.sort((a, b) => Math.abs(a.bytes - page.bytes) - Math.abs(b.bytes - page.bytes))[0];
      if (!asset) throw new Error('no /assets/*.css|js URL found in the home page');
      console.log(`\nSizes on the wire: theme page ${kb(page.bytes)} (br), static asset ${asset.url} ${kb(asset.bytes)} (${asset.enc})`);
      if (asset.bytes < page.bytes / 2 || asset.bytes > page.bytes * 2) console.log(`  note: no asset is of similar size (closest: ${(asset.bytes / page.bytes * 100).toFixed(0)}% of the page's bytes); read the ratio with that in mind.`);
      const STATIC = { 'accept-encoding': asset.enc };

      const cases = [['theme page', THEME], ['home page', HOME], ['map page', MAP], ['static asset', asset.url]] as const;
      const headersFor = (path: string) => (path === asset.url ? STATIC : BROWSER);
      for (const [, path] of cases) await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 10, amount: 2000, headers: headersFor(path) }); // warm-up
      console.log(`\nLoad: ${CONNECTIONS} connections, ${SECONDS} s per case, Accept-Encoding: br, gzip (static asset: ${asset.enc})`);
      console.log(`  ${'case'.padEnd(14)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}${'non-2xx'.padStart(9)}${'server CPU'.padStart(12)}${'bench CPU'.padStart(11)}${'others'.padStart(8)}  path`);
      const results: Result[] = [];
      let busiest = 0; // share of a CPU used by other processes during the noisiest case
      for (const [name, path] of cases) {
        const [t0, s0, b0, m0] = [performance.now(), cpuSeconds(child.pid!), process.cpuUsage(), machineCpuSeconds()];
        const r = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: CONNECTIONS, duration: SECONDS, headers: headersFor(path) });
        const wall = (performance.now() - t0) / 1000;
        const b = process.cpuUsage(b0);
        const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x / wall * 100).toFixed(0)}%`);
        const [server, bench] = [cpuSeconds(child.pid!) - s0, (b.user + b.system) / 1e6];
        const others = Math.max(0, machineCpuSeconds() - m0 - server - bench);
        busiest = Math.max(busiest, others / wall);
        const cpu = pct(server).padStart(12) + pct(bench).padStart(11) + pct(others).padStart(8);
        results.push(r);
        console.log(`  ${name.padEnd(14)}${r.requests.average.toFixed(0).padStart(10)}${String(r.latency.p50).padStart(9)}${String(r.latency.p99).padStart(9)}${String(r.errors + r.timeouts).padStart(8)}${String(r.non2xx).padStart(9)}${cpu}  ${path}`);
      }
      const [theme, , stat] = results as [Result, Result, Result];
      const ratio = theme.requests.average / stat.requests.average;
      tree.sample();
      const peak = tree.peakSum;
      const p99ok = results.every((r) => r.latency.p99 < TARGET.p99Ms);
      const clean = results.every((r) => r.errors + r.timeouts + r.non2xx === 0);
      console.log(`\n  theme req/s ÷ static req/s = ${ratio.toFixed(2)}`);
      console.log(`  server peak RSS (highest sampled sum of VmRSS over its processes, whole run) = ${peak ? `${(peak / 1048576).toFixed(1)} MB` : 'n/a (no /proc)'}`);
      if (busiest > 0.2) console.log(`  warning: other processes used up to ${(busiest * 100).toFixed(0)}% CPU during a case: figures are distorted, run again on a quiet machine`);
      console.log(`\nVerdict: ratio ${ratio.toFixed(2)} ≥ ${TARGET.ratio}: ${ok(ratio >= TARGET.ratio)} · p99 < ${TARGET.p99Ms} ms in every case: ${ok(p99ok)} (max ${Math.max(...results.map((r) => r.latency.p99))} ms)` +
        ` · no errors: ${ok(clean)} · weight ${ok(total <= TARGET.totalKB * 1024 && jsBytes <= TARGET.jsKB * 1024)} · map page ${ok(mapTotal <= TARGET.mapKB * 1024)} · no render-blocking script: ${ok(blocking.length === 0)}`);
    }
    // Debian's nginx on the theme page's bytes, beside this server.
    if (!(await nginxCase(port, child.pid!, THEME, SECONDS, REGRESSION_FACTOR))) process.exitCode = 1;
  } catch (e) {
    console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  } finally {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onSignal);
    await stopChild();
  }
}

// BENCH_ONLY=http, memory, media, scale, engines, compression, weights, paint or editorial runs one case (nginx:
// the nginx part of the HTTP case only); by default all nine, in that order.
const only = process.env.BENCH_ONLY?.trim().toLowerCase() || undefined;
if (only !== undefined && !['http', 'nginx', 'memory', 'media', 'scale', 'engines', 'compression', 'weights', 'paint', 'editorial'].includes(only)) {
  console.error(`bench: BENCH_ONLY must be "http", "nginx", "memory", "media", "scale", "engines", "compression", "weights", "paint" or "editorial", not "${only}"`);
  process.exitCode = 2;
} else {
  if (only === undefined || only === 'http') await httpCase();
  if (only === 'nginx') await httpCase('nginx');
  if (only === undefined || only === 'memory') {
    try {
      await memoryCase();
    } catch (e) {
      console.error(`bench (memory) failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    }
  }
  if (only === undefined || only === 'media') {
    try {
      await mediaCase();
    } catch (e) {
      console.error(`bench (media) failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    }
  }
  if (only === undefined || only === 'scale') {
    try {
      if (await scaleCase()) {
        console.error(`bench (scale): a figure is worse than ${REGRESSION_FACTOR} × its goal (see the verdicts above)`);
        process.exitCode = 1;
      }
    } catch (e) {
      console.error(`bench (scale) failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    }
  }
  if (only === undefined || only === 'engines') {
    try {
      await enginesCase();
    } catch (e) {
      console.error(`bench (engines) failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    }
  }
  if (only === undefined || only === 'compression') {
    console.log('\n## Compression levels (the table of docs/decisions/0010)');
    // The script prints its table when imported.
    await import('./compression.ts');
  }
  // The editorial case runs the server in this process: its modules are loaded only when it runs.
  const editorialCase = async () => (await import('./editorial.ts')).editorialCase();
  for (const [name, run] of [['weights', weightsCase], ['paint', paintCase], ['editorial', editorialCase]] as const) {
    if (only !== undefined && only !== name) continue;
    try {
      if (await run()) {
        console.error(`bench (${name}): a figure is worse than ${REGRESSION_FACTOR} × its goal (see the verdict above)`);
        process.exitCode = 1;
      }
    } catch (e) {
      console.error(`bench (${name}) failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    }
  }
}
