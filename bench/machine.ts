import { readFileSync } from 'node:fs';

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
