import { freePort } from './machine.ts';
// The memory case of `npm run bench`: the resident memory (RSS) the server
// keeps in three situations that issue 11 measured apart (417 MB, 490 MB and
// 211 MB): right after a first start that imports the demo, after four
// imports made by the CLI while it runs (each re-renders the site), and
// started on the data that is then there. It prints figures and asserts nothing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMPORTS = 4;
/** Left to the server after each change before RSS is read: long enough for a re-render and its collection. */
const SETTLE_MS = 3000;
/** Within this of the figure started on existing data, a situation counts as the same. */
const TOLERANCE = 0.1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const row = (label: string, bytes: number) => console.log(`  ${label.padEnd(52)}${mb(bytes).padStart(8)}`);

function rss(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  } catch {
    return NaN;
  }
}


async function contentVersion(port: number): Promise<string | undefined> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    return r.ok ? ((await r.json()) as { contentVersion: string }).contentVersion : undefined;
  } catch {
    return undefined;
  }
}

/** Waits (bounded) until the server serves a content version other than `before`. */
async function waitForVersion(port: number, child: ChildProcess, before: string | undefined, what: string): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during ${what}`);
    const v = await contentVersion(port);
    if (v !== undefined && v !== before) return v;
    if (Date.now() - t0 > 300_000) throw new Error(`no new content served within 300 s of ${what}`);
    await sleep(200);
  }
}

export async function memoryCase(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-bench-memory-'));
  const port = await freePort();
  // A new database and media folder: the first start makes the demo's image derivatives too.
  // One serving process: the figures compare with the reference of one server (WORKERS > 1 holds a site in each).
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: join(dir, 'bench.db'), MEDIA_DIR: join(dir, 'media'), CONTENT_DIR: 'content/drome', LOG_REQUESTS: '0', WORKERS: '1' };
  let server: ChildProcess | undefined;
  const start = () => {
    // As `npm start` starts it (same V8 flags).
    server = spawn(process.execPath, ['--max-semi-space-size=16', '--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: 'ignore' });
    return server;
  };
  const stop = async () => {
    const s = server;
    if (!s || s.exitCode !== null) return;
    const gone = new Promise((r) => s.once('exit', r));
    s.kill('SIGTERM');
    await Promise.race([gone, sleep(5000)]);
    if (s.exitCode === null) s.kill('SIGKILL');
  };
  const onSignal = () => { void stop().finally(() => { rmSync(dir, { recursive: true, force: true }); process.exit(130); }); };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, onSignal);
  try {
    console.log(`\nMemory: server RSS (VmRSS), ${SETTLE_MS / 1000} s after each change; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '(unset)'}`);
    let child = start();
    let version = await waitForVersion(port, child, undefined, 'the first start');
    await sleep(SETTLE_MS);
    const first = rss(child.pid!);
    row('first start, demo imported into an empty database', first);
    const after: number[] = [];
    for (let i = 1; i <= IMPORTS; i++) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import', 'content/drome'], { cwd: ROOT, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`parcours import failed: ${r.stderr}`);
      version = await waitForVersion(port, child, version, `import ${i}`);
      await sleep(SETTLE_MS);
      after.push(rss(child.pid!));
      row(`after CLI import ${i} and the re-render`, after[after.length - 1]!);
    }
    await stop();
    child = start();
    await waitForVersion(port, child, undefined, 'the restart');
    await sleep(SETTLE_MS);
    const existing = rss(child.pid!);
    row('started on the existing data (the reference)', existing);
    const last = after[after.length - 1]!;
    const same = (x: number) => x <= existing * (1 + TOLERANCE);
    console.log(`\nVerdict (memory): first start ${mb(first)} vs ${mb(existing)}: ${same(first) ? 'PASS' : 'FAIL'} · after ${IMPORTS} imports ${mb(last)}: ${same(last) ? 'PASS' : 'FAIL'} (within ${TOLERANCE * 100}% of the reference)`);
  } finally {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onSignal);
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
