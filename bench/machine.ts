import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

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
