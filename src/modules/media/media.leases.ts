import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

// Leases: how an import says "these hashes are mine" while it runs, so that
// the clean-up of another process (a start, another import) never removes a
// folder that an import is making or is about to commit. A lease is a small
// file written before the first folder is made and removed after the content
// that names them is committed; a process killed with -9 leaves its lease
// behind, and the next clean-up recognises it as dead by its process id.
//
//   <media>/leases/<host>-<pid>-<random>.json   {"host","pid","hashes":[…]}
//   <media>/tmp/<hash16>-<host>-<pid>-<random>/ a folder being filled

/** Leases of other hosts (a shared media folder) are trusted this long. */
const FOREIGN_LEASE_MS = 24 * 3600 * 1000;
/** The host part of names, safe in a file name. */
export const HOST = hostname().replace(/[^A-Za-z0-9.]/g, '_').slice(0, 64) || 'host';

export interface Lease {
  readonly file: string;
  readonly hashes: ReadonlySet<string>;
  /** Adds hashes (written to disk before this returns). */
  add(hashes: Iterable<string>): void;
  release(): void;
}

const isAlive = (pid: number): boolean => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether a process named by host and pid (from a lease or a tmp folder's name) may still be running. */
export function mayBeRunning(host: string, pid: number, since: number): boolean {
  if (host !== HOST) return Date.now() - since < FOREIGN_LEASE_MS;
  return Number.isInteger(pid) && pid > 0 && isAlive(pid);
}

export function takeLease(dir: string, initial: Iterable<string> = []): Lease {
  const leases = join(dir, 'leases');
  mkdirSync(leases, { recursive: true });
  const file = join(leases, `${HOST}-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const hashes = new Set<string>();
  const write = () => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ host: HOST, pid: process.pid, hashes: [...hashes] }));
    renameSync(tmp, file);
  };
  const lease: Lease = {
    file,
    hashes,
    add(more) {
      const before = hashes.size;
      for (const h of more) hashes.add(h);
      if (hashes.size !== before) write();
    },
    release() {
      rmSync(file, { force: true });
    },
  };
  for (const h of initial) hashes.add(h);
  write();
  return lease;
}

/**
 * The hashes held by leases of processes that may still run; leases of dead
 * processes are removed on the way (their folders are then unclaimed).
 */
export function liveLeases(dir: string, except?: Lease): Set<string> {
  // `except`: the caller's own lease, whose hashes are not "someone else's".
  const leases = join(dir, 'leases');
  const held = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(leases);
  } catch {
    return held;
  }
  for (const name of names) {
    const path = join(leases, name);
    try {
      const lease = JSON.parse(readFileSync(path, 'utf8')) as { host?: unknown; pid?: unknown; hashes?: unknown };
      const since = statSync(path).mtimeMs;
      if (typeof lease.host !== 'string' || typeof lease.pid !== 'number' || !Array.isArray(lease.hashes)) throw new Error('not a lease');
      if (!mayBeRunning(lease.host, lease.pid, since)) {
        rmSync(path, { force: true });
        continue;
      }
      if (path === except?.file) continue;
      for (const h of lease.hashes) if (typeof h === 'string') held.add(h);
    } catch {
      // A lease being written (".tmp") or unreadable: left alone unless it is old.
      try {
        if (Date.now() - statSync(path).mtimeMs > FOREIGN_LEASE_MS) rmSync(path, { force: true });
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return held;
}
