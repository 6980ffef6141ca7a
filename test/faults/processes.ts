import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { HASH_PATTERN } from '../../src/modules/media/media.store.ts';

// Real `parcours` processes for the slow fault tests (npm run test:faults),
// and what their database and media folder hold afterwards, read directly.

export const NODE = 'node_modules/.bin/node';
export const CLI = ['--import', 'tsx', 'src/cli/index.ts'];

export interface Dirs {
  root: string;
  db: string;
  media: string;
}
export const dirsIn = (root: string, media = join(root, 'media')): Dirs => ({ root, db: join(root, 'parcours.db'), media });
export const envOf = (d: Dirs, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, DATABASE_URL: d.db, MEDIA_DIR: d.media, PARCOURS_DEBUG: '0', ...extra });

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `parcours <args>` to its end. */
export function parcours(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Finished> {
  return watch(spawn(NODE, [...CLI, ...args], { env }), timeoutMs);
}

/** Waits for the process to end; `onOutput` sees everything it printed so far (stdout and stderr) at each chunk. */
export function watch(child: ChildProcess, timeoutMs = 120_000, onOutput?: (all: string) => void): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  let all = '';
  const seen = (d: Buffer) => {
    all += d.toString();
    onOutput?.(all);
  };
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); seen(d); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); seen(d); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parcours did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `parcours start` on a free port until it serves, then a request, then SIGTERM. */
export async function startAndStop(env: NodeJS.ProcessEnv): Promise<{ out: string; status: number }> {
  const child = spawn(NODE, [...CLI, 'start'], { env: { ...env, PORT: '0', HOST: '127.0.0.1' } });
  let url: string | undefined;
  const done = watch(child, 60_000);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      const m = /serving the visit at (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) {
        url = m[1];
        resolve();
      }
    };
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); check(); });
    child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', () => reject(new Error(`parcours start ended before serving:\n${out}`)));
  });
  const status = (await fetch(`${url}/healthz`)).status;
  child.kill('SIGTERM');
  await done;
  return { out, status };
}

export interface Stored {
  integrity: string;
  version: number;
  counts: { themes: number; media: number; events: number; places: number; files: number };
  /** Hashes of binary files the content names (they must have a folder). */
  binaries: Set<string>;
}

/** What the database file holds, read with SQLite itself (a hot journal is rolled back on opening). */
export function readStored(path: string): Stored {
  const db = new DatabaseSync(path);
  try {
    const one = (q: string) => Object.values(db.prepare(q).get() ?? {})[0];
    const integrity = (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    return {
      integrity,
      version: Number(one("SELECT value FROM meta WHERE key = 'content_version'") ?? 0),
      counts: {
        themes: Number(one("SELECT count(*) FROM document WHERE kind = 'theme'")),
        media: Number(one('SELECT count(*) FROM media')),
        events: Number(one('SELECT count(*) FROM event')),
        places: Number(one('SELECT count(*) FROM place')),
        files: Number(one('SELECT count(*) FROM media_file')),
      },
      binaries: new Set((db.prepare('SELECT hash FROM media_file WHERE text IS NULL').all() as { hash: string }[]).map((r) => r.hash)),
    };
  } finally {
    db.close();
  }
}

/** The media store's state: finished hash folders, unfinished ones, and what tmp/ and leases/ hold. */
export function readMedia(dir: string): { complete: string[]; incomplete: string[]; tmp: string[]; leases: string[] } {
  const list = (d: string) => (existsSync(d) ? readdirSync(d) : []);
  const complete: string[] = [];
  const incomplete: string[] = [];
  for (const p of list(dir).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
    for (const h of list(join(dir, p)).filter((n) => HASH_PATTERN.test(n))) (existsSync(join(dir, p, h, 'parcours.json')) ? complete : incomplete).push(h);
  }
  return { complete: complete.sort(), incomplete, tmp: list(join(dir, 'tmp')), leases: list(join(dir, 'leases')) };
}
