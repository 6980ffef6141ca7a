import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { freePort, get } from './machine.ts';

// The real server for one case of the bench (weights, paint): the demo is
// imported by the CLI into a new SQLite file in a temporary folder, then
// src/main.ts is started on it in a child process, on 127.0.0.1 and a free
// port, as `npm start` starts it. The server is stopped and the folder
// deleted when the case ends, even on error or Ctrl-C.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BenchServer { port: number; pid: number }

/** Runs `fn` against a freshly started server on the demo; stops the server and deletes its folder afterwards. */
export async function withServer<T>(fn: (server: BenchServer) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-bench-'));
  let stop = async () => { rmSync(dir, { recursive: true, force: true }); };
  const onSignal = () => { void stop().finally(() => process.exit(130)); };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, onSignal);
  try {
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: join(dir, 'bench.db'), CONTENT_DIR: 'content/drome', LOG_REQUESTS: '0' };
    const imported = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import', 'content/drome'], { cwd: ROOT, env, encoding: 'utf8' });
    if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
    const child = spawn(process.execPath, ['--max-semi-space-size=16', '--import', 'tsx', 'src/main.ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env });
    let log = '';
    child.stderr.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
    let exited = false;
    child.once('exit', () => { exited = true; });
    child.once('error', (e) => { log += String(e); exited = true; });
    stop = async () => {
      if (!exited) {
        child.kill('SIGTERM');
        for (let i = 0; i < 50 && !exited; i++) await sleep(100);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    };
    // Bounded: 60 s to answer /healthz.
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`the server exited before answering:\n${log}`);
      if (i >= 600) throw new Error(`the server did not answer /healthz within 60 s:\n${log}`);
      if (await get(port, '/healthz').then((r) => r.status === 200, () => false)) break;
      await sleep(100);
    }
    return await fn({ port, pid: child.pid! });
  } finally {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onSignal);
    await stop();
  }
}

/** One resource as a browser asking for brotli gets it: its bytes on the wire (checked against Content-Length) and decoded. */
export async function fetchServed(port: number, path: string): Promise<{ wire: number; body: Buffer; encoding: string }> {
  const r = await get(port, path, { 'accept-encoding': 'br' });
  if (r.status !== 200) throw new Error(`GET ${path} → ${r.status}`);
  const len = Number(r.headers['content-length'] ?? r.body.length);
  if (len !== r.body.length) throw new Error(`GET ${path}: Content-Length ${len} but ${r.body.length} bytes received`);
  const encoding = String(r.headers['content-encoding'] ?? 'identity');
  if (encoding !== 'br' && encoding !== 'identity') throw new Error(`GET ${path}: unexpected Content-Encoding ${encoding}`);
  return { wire: r.body.length, body: encoding === 'br' ? brotliDecompressSync(r.body) : r.body, encoding };
}
