import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE } from './harness.ts';

// `npm start` itself (the package.json script, through npm and sh): glibc reads
// MALLOC_ARENA_MAX once, when a process starts, so the script must put it in
// the environment before Node starts, and every process Parcours starts must
// inherit it: the serving workers and the child that imports a first start's
// content (the one that makes the image derivatives, where the arenas matter).
// Read from /proc/<pid>/environ, what the kernel gave each process.

interface Seen { cmd: string; arena: string | undefined }

const read = (pid: number, file: string): string => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return ''; // the process ended between the listing and the read
  }
};

/** Every live descendant of `root`, with its command line and MALLOC_ARENA_MAX. */
function descendants(root: number): Map<number, Seen> {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    // The fields after the command name, which is in parentheses and may hold spaces.
    const stat = read(Number(name), 'stat');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parent.set(Number(name), ppid);
  }
  const found = new Map<number, Seen>();
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    while (p && p !== root) p = parent.get(p);
    if (p !== root) continue;
    const env = read(pid, 'environ').split('\0');
    const cmd = read(pid, 'cmdline').split('\0').join(' ');
    if (cmd) found.set(pid, { cmd, arena: env.find((e) => e.startsWith('MALLOC_ARENA_MAX='))?.slice('MALLOC_ARENA_MAX='.length) });
  }
  return found;
}

/** Alive: listed in /proc and not a zombie (state Z: dead, waiting for a parent that may never reap it). */
const alive = (pid: number): boolean => {
  const stat = read(pid, 'stat');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};

/**
 * Runs `npm start` until it serves, sampling its process tree every 20 ms (the import child lives a few seconds),
 * then sends SIGTERM to npm alone, as a supervisor that signals its main process does: every process it started
 * must be gone within the 10 s the primary gives its workers.
 */
async function npmStart(env: NodeJS.ProcessEnv): Promise<Seen[]> {
  const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen = new Map<number, Seen>();
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  try {
    while (!/Parcours is serving the visit at/.test(out)) {
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`npm start did not serve within 120 s:\n${out}`);
      for (const [pid, s] of descendants(child.pid!)) seen.set(pid, s);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const [pid, s] of descendants(child.pid!)) seen.set(pid, s);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  const left = () => [...seen.keys()].filter(alive);
  for (let i = 0; i < 120 && left().length; i++) await new Promise((r) => setTimeout(r, 100));
  const stray = left();
  for (const pid of stray) process.kill(pid, 'SIGKILL');
  assert.deepEqual(stray.map((pid) => seen.get(pid)!.cmd), [], 'processes left running after npm got SIGTERM');
  return [...seen.values()].filter((s) => /src\/(main|worker|cli\/index)\.ts/.test(s.cmd));
}

test('npm start sets MALLOC_ARENA_MAX=2 for the primary, the first-start import and the workers; a value given is kept; a SIGTERM to npm stops them all', { skip: process.platform !== 'linux' && 'reads /proc (Linux only)' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-start-env-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', WORKERS: '2', DATABASE_URL: join(dir, 'parcours.db'), CONTENT_DIR: FIXTURE };
    delete env.MALLOC_ARENA_MAX;
    delete env.NODE_TEST_CONTEXT;
    const first = await npmStart(env);
    const kinds = (list: Seen[]) => ({
      primary: list.filter((s) => s.cmd.includes('src/main.ts')),
      importer: list.filter((s) => / import /.test(s.cmd)),
      workers: list.filter((s) => s.cmd.includes('src/worker.ts')),
    });
    const k = kinds(first);
    assert.equal(k.primary.length, 1, `the primary: ${JSON.stringify(first)}`);
    assert.equal(k.importer.length, 1, `the first start's import child: ${JSON.stringify(first)}`);
    assert.equal(k.workers.length, 2, `two workers: ${JSON.stringify(first)}`);
    for (const s of first) assert.equal(s.arena, '2', s.cmd);

    // A host's own value wins (and the second start, on the same database, imports nothing).
    const second = await npmStart({ ...env, MALLOC_ARENA_MAX: '4' });
    assert.equal(kinds(second).importer.length, 0);
    assert.equal(kinds(second).workers.length, 2);
    for (const s of second) assert.equal(s.arena, '4', s.cmd);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
