// Parcours beside nginx (issue 12), in the HTTP case of `npm run bench`: the
// theme page's exact gzip bytes, fetched from the running server, are served
// by Debian's nginx with gzip_static; wrk loads both in turn (A B A B) with
// the same options, and the bench prints req/s, p50 and p99 of each, the
// ratio Parcours ÷ nginx against its goal, and the RSS of every process
// (Parcours: the server's process tree; nginx: master and workers).
// Where nginx or wrk is missing it says so loudly and goes on.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { freePort, get as getRaw, machineCpuSeconds, settle, TreeMemory, treeCpuSeconds } from './machine.ts';

/** Goal of the issue: the theme page served at ≥ half nginx's rate. */
export const NGINX_RATIO_GOAL = 0.5;
const ROUNDS = 2;
const WRK_THREADS = 2;
const WRK_CONNECTIONS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

/** The path of a program on PATH (or the usual sbin folders), or undefined. */
function which(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} /sbin/${name} 2>/dev/null`], { encoding: 'utf8' });
  return r.stdout.split('\n').map((l) => l.trim()).find(Boolean);
}


export interface Wrk { rps: number; p50: number; p99: number; errors: number; non2xx: number }

/** Milliseconds from wrk's "5.70ms", "812.00us", "1.20s". */
function wrkMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v.trim());
  if (!m) return NaN;
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[m[2]!]!;
}

export function parseWrk(out: string): Wrk {
  const rps = Number(/^Requests\/sec:\s+([\d.]+)/m.exec(out)?.[1] ?? NaN);
  const p = (q: string) => wrkMs(new RegExp(`^\\s+${q}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sock ? sock.slice(1).reduce((a, x) => a + Number(x), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50: p('50'), p99: p('99'), errors, non2xx };
}

function runWrk(wrk: string, url: string, seconds: number): Promise<Wrk> {
  return new Promise((resolve, reject) => {
    const child = spawn(wrk, [`-t${WRK_THREADS}`, `-c${WRK_CONNECTIONS}`, `-d${seconds}s`, '--latency', '-H', 'Accept-Encoding: gzip', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.once('error', reject);
    child.once('close', (code) => {
      const r = parseWrk(out);
      if (code !== 0 || Number.isNaN(r.rps)) reject(new Error(`wrk ${url} failed (exit ${code}):\n${out}`));
      else resolve(r);
    });
  });
}

/**
 * Runs the side-by-side case against the Parcours server on `port` (pid
 * `serverPid`). Returns false when the ratio is worse than its goal divided by
 * `regressionFactor` (the bench then exits non-zero), true otherwise, also when skipped.
 */
export async function nginxCase(port: number, serverPid: number, path: string, seconds: number, regressionFactor: number): Promise<boolean> {
  console.log(`\nParcours beside nginx: ${path}, wrk -t${WRK_THREADS} -c${WRK_CONNECTIONS} -d${seconds}s, Accept-Encoding: gzip, interleaved A B A B`);
  const nginx = which('nginx');
  const wrk = which('wrk');
  if (!nginx || !wrk) {
    console.log(`  SKIPPED: ${[!nginx && 'nginx', !wrk && 'wrk'].filter(Boolean).join(' and ')} not installed (apt-get install nginx-light wrk)`);
    return true;
  }
  // Measured once the server is done with its start: the hot pages it
  // pre-renders and compresses again at the best level (a page read often is
  // recompressed too: the warm-up reads it first). That work takes a core for
  // seconds after /healthz says ok; it is not what serving a cached page costs.
  await runWrk(wrk, `http://127.0.0.1:${port}${path}`, 1);
  const calm = await settle(serverPid);
  console.log(`  Parcours ${calm.quiet ? 'quiet' : 'STILL BUSY'} after ${calm.seconds.toFixed(0)} s of background work (pre-rendering, recompression)`);
  // The exact bytes Parcours sends (after that recompression): gzip as served, and the identity body.
  const gz = await getRaw(port, path, { 'accept-encoding': 'gzip' });
  if (gz.status !== 200 || gz.headers['content-encoding'] !== 'gzip') throw new Error(`GET ${path} with gzip → ${gz.status} ${String(gz.headers['content-encoding'] ?? 'identity')}`);
  const plain = await getRaw(port, path, {});
  if (!gunzipSync(gz.body).equals(plain.body)) throw new Error(`GET ${path}: the gzip body does not decode to the identity body`);

  const dir = mkdtempSync(join(tmpdir(), 'parcours-bench-nginx-'));
  let master: ChildProcess | undefined;
  let exited = false;
  const stop = async () => {
    if (master && !exited) {
      const gone = new Promise((r) => master!.once('exit', r));
      master.kill('SIGTERM'); // nginx's fast shutdown; the workers go with the master
      await Promise.race([gone, sleep(5000)]);
      if (!exited) master.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = () => { void stop().finally(() => process.exit(130)); };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, onSignal);
  try {
    const www = join(dir, 'www');
    mkdirSync(www);
    writeFileSync(join(www, 'theme.html'), plain.body);
    writeFileSync(join(www, 'theme.html.gz'), gz.body);
    // Workers of an nginx started by root run as "nobody": the folder must be readable to them.
    chmodSync(dir, 0o755);
    const nport = await freePort();
    writeFileSync(join(dir, 'nginx.conf'), `daemon off;
worker_processes auto;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${join(dir, 'tmp-body')};
  proxy_temp_path ${join(dir, 'tmp-proxy')};
  fastcgi_temp_path ${join(dir, 'tmp-fastcgi')};
  uwsgi_temp_path ${join(dir, 'tmp-uwsgi')};
  scgi_temp_path ${join(dir, 'tmp-scgi')};
  server {
    listen 127.0.0.1:${nport};
    root ${www};
    gzip_static on;
  }
}
`);
    let log = '';
    master = spawn(nginx, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    master.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
    master.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    master.once('exit', () => { exited = true; });
    master.once('error', (e) => { log += String(e); exited = true; });
    const npath = '/theme.html';
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`nginx exited: ${log}${(() => { try { return readFileSync(join(dir, 'error.log'), 'utf8'); } catch { return ''; } })()}`);
      if (i > 100) throw new Error('nginx did not answer within 10 s');
      const r = await getRaw(nport, npath, { 'accept-encoding': 'gzip' }).catch(() => undefined);
      if (r?.status === 200) {
        if (r.headers['content-encoding'] !== 'gzip' || !r.body.equals(gz.body)) throw new Error('nginx does not serve the same gzip bytes (is gzip_static built in?)');
        break;
      }
      await sleep(100);
    }
    console.log(`  same bytes: ${(gz.body.length / 1024).toFixed(1)} KB gzip (${(plain.body.length / 1024).toFixed(1)} KB identity); nginx ${/nginx\/[\d.]+/.exec(spawnSync(nginx, ['-v'], { encoding: 'utf8' }).stderr)?.[0] ?? ''} pid ${master.pid}, http://127.0.0.1:${nport}${npath}`);

    const parcoursMem = new TreeMemory(serverPid);
    const nginxMem = new TreeMemory(master.pid!);
    const urls = { Parcours: `http://127.0.0.1:${port}${path}`, nginx: `http://127.0.0.1:${nport}${npath}` };
    for (const url of Object.values(urls)) await runWrk(wrk, url, 1); // warm-up
    await settle(serverPid);
    const runs: { name: keyof typeof urls; r: Wrk }[] = [];
    console.log(`  ${'round'.padEnd(8)}${'server'.padEnd(10)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}${'non-2xx'.padStart(9)}${'server CPU'.padStart(12)}${'machine CPU'.padStart(13)}`);
    const pids = { Parcours: serverPid, nginx: master.pid! };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of ['Parcours', 'nginx'] as const) {
        const [t0, c0, m0] = [performance.now(), treeCpuSeconds(pids[name]), machineCpuSeconds()];
        const r = await runWrk(wrk, urls[name], seconds);
        const wall = (performance.now() - t0) / 1000;
        // 100% = one core; the machine's figure includes wrk and whatever else runs.
        const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x / wall * 100).toFixed(0)}%`);
        const cpu = pct(treeCpuSeconds(pids[name]) - c0).padStart(12) + pct(machineCpuSeconds() - m0).padStart(13);
        runs.push({ name, r });
        console.log(`  ${String(round).padEnd(8)}${name.padEnd(10)}${r.rps.toFixed(0).padStart(10)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}${String(r.errors).padStart(8)}${String(r.non2xx).padStart(9)}${cpu}`);
      }
    }
    parcoursMem.stop();
    nginxMem.stop();
    const mean = (name: string, f: (r: Wrk) => number) => { const x = runs.filter((r) => r.name === name).map((r) => f(r.r)); return x.reduce((a, b) => a + b, 0) / x.length; };
    const ratio = mean('Parcours', (r) => r.rps) / mean('nginx', (r) => r.rps);
    console.log(`  mean: Parcours ${mean('Parcours', (r) => r.rps).toFixed(0)} req/s, p50 ${mean('Parcours', (r) => r.p50).toFixed(2)} ms · nginx ${mean('nginx', (r) => r.rps).toFixed(0)} req/s, p50 ${mean('nginx', (r) => r.p50).toFixed(2)} ms`);
    console.log('  RSS per process during the runs (VmHWM since it started / VmRSS at the end):');
    for (const [who, m] of [['Parcours', parcoursMem], ['nginx', nginxMem]] as const) {
      for (const [i, p] of m.processes.entries()) console.log(`    ${who.padEnd(10)}pid ${String(p.pid).padEnd(8)}${`${p.name}${i === 0 ? (who === 'nginx' ? ' (master)' : ' (server)') : ''}`.padEnd(20)}${mb(p.hwm).padStart(9)} / ${mb(p.rss).padStart(9)}`);
      console.log(`    ${who.padEnd(10)}total VmRSS ${mb(m.processes.reduce((a, p) => a + p.rss, 0))}`);
    }
    const regressed = ratio < NGINX_RATIO_GOAL / regressionFactor;
    console.log(`\nVerdict (nginx): Parcours ÷ nginx = ${ratio.toFixed(3)} (goal ≥ ${NGINX_RATIO_GOAL}): ${ratio >= NGINX_RATIO_GOAL ? 'PASS' : 'FAIL'}${regressed ? ` — below the goal ÷ ${regressionFactor}` : ''}`);
    return !regressed;
  } finally {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onSignal);
    await stop();
  }
}
