import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';

// Facts about the machine the bench runs on, shared by its cases.

/** CPU seconds used so far by the whole machine (all cores, non-idle); NaN where /proc is missing. */
export function machineCpuSeconds(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return (f.reduce((a, b) => a + b, 0) - f[3]! - f[4]!) / 100;
  } catch {
    return NaN;
  }
}

/** A free TCP port on the loopback interface, for a server the bench starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resident memory of one process from /proc/<pid>/status: now (VmRSS) and its peak (VmHWM), in bytes. */
export function processMemory(pid: number): { name: string; rss: number; hwm: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kbOf = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0) * 1024;
    return { name: /^Name:\s+(.*)$/m.exec(s)?.[1] ?? '?', rss: kbOf('VmRSS'), hwm: kbOf('VmHWM') };
  } catch {
    return undefined;
  }
}

/** A process and all its descendants (by the parent pid in /proc/<pid>/stat), root first; [] without /proc. */
export function processTree(root: number): number[] {
  const parent = new Map<number, number[]>();
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
        parent.set(ppid, [...(parent.get(ppid) ?? []), Number(name)]);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return [];
  }
  const out: number[] = [];
  const walk = (pid: number) => { out.push(pid); for (const c of parent.get(pid) ?? []) walk(c); };
  walk(root);
  return out;
}

/**
 * The resident memory of a process tree (a server and its workers or
 * children), sampled every `everyMs`: the peak of the sum of VmRSS over the
 * tree, and each process's own peak (VmHWM, last read while it lived).
 */
export class TreeMemory {
  private timer: NodeJS.Timeout;
  private seen = new Map<number, { name: string; hwm: number; rss: number }>();
  /** The highest sum of VmRSS over the tree at one sample. */
  peakSum = 0;
  constructor(private readonly root: number, everyMs = 100) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): void {
    let sum = 0;
    for (const pid of processTree(this.root)) {
      const m = processMemory(pid);
      if (!m) continue;
      sum += m.rss;
      const prev = this.seen.get(pid);
      this.seen.set(pid, { name: m.name, rss: m.rss, hwm: Math.max(m.hwm, prev?.hwm ?? 0) });
    }
    this.peakSum = Math.max(this.peakSum, sum);
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  /** Every process seen, root first: its peak (VmHWM) and its last VmRSS. */
  get processes(): { pid: number; name: string; hwm: number; rss: number }[] {
    return [...this.seen].map(([pid, m]) => ({ pid, ...m }));
  }

  /** The sum of every process's own peak: an upper bound of the tree's peak, the figure the goals are checked against. */
  get sumOfPeaks(): number {
    return this.processes.reduce((a, p) => a + p.hwm, 0);
  }
}

/** CPU seconds used so far by a process tree (utime + stime of each living process, in ticks of 1/100 s). */
export function treeCpuSeconds(root: number): number {
  let sum = 0;
  for (const pid of processTree(root)) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      sum += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

/**
 * Waits until the process tree of `root` is quiet: under `share` of one core
 * over a second (background work of a server — pre-rendering, recompression,
 * JIT — done), for at most `maxSeconds`. Returns the seconds waited and
 * whether it got quiet. Where /proc is missing it returns at once.
 */
export async function settle(root: number, share = 0.05, maxSeconds = 60): Promise<{ seconds: number; quiet: boolean }> {
  const t0 = performance.now();
  let before = treeCpuSeconds(root);
  if (before === 0 && processTree(root).length === 0) return { seconds: 0, quiet: false };
  while ((performance.now() - t0) / 1000 < maxSeconds) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = treeCpuSeconds(root);
    if (now - before < share) return { seconds: (performance.now() - t0) / 1000, quiet: true };
    before = now;
  }
  return { seconds: (performance.now() - t0) / 1000, quiet: false };
}

/** The value at quantile `q` (0.5: the median, 0.95, 0.99) of numbers sorted ascending; NaN for none. */
export function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

/** A raw GET to the loopback server: the bytes as sent on the wire (no decompression). */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: timeout`)));
    req.on('error', reject).end();
  });
}
