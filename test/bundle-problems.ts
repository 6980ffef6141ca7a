import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyBundle } from './harness.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';

// Helpers of the bundle-reading tests: break a copy of a bundle, read its problems.

export const edit = (dir: string, rel: string, f: (s: string) => string): void => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));

/** The problems of a copy of `src` changed by `change`. */
export function problemsWith(src: string, change: (dir: string) => void): string[] {
  const dir = copyBundle(src);
  change(dir);
  return readBundle(dir).problems;
}

/** Exactly one problem, matching `re`. */
export const only = (problems: string[], re: RegExp): void => {
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0] ?? '', re);
};
