import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyBundle } from './harness.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { formatProblem, type Problem } from '../src/modules/bundle/bundle.problems.ts';

// Helpers of the bundle-reading tests: break a copy of a bundle, read its
// problems, and compare them by code and place (entity, id, field, locale,
// file, line), not by wording.

export const edit = (dir: string, rel: string, f: (s: string) => string): void => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));

/** The problems of a copy of `src` changed by `change`. */
export function problemsWith(src: string, change: (dir: string) => void): Problem[] {
  const dir = copyBundle(src);
  change(dir);
  return readBundle(dir).problems;
}

/** The problems as the CLI prints them, for assertion messages. */
export const lines = (problems: readonly Problem[]): string => problems.map(formatProblem).join('\n');

/** A pattern for a field: `line: ANY` when the line must be there whatever it is. */
export const ANY = Symbol('any');
type Expected = { [K in keyof Problem]?: Problem[K] | typeof ANY };

/** True when `p` has every field of `expected` (ANY: the field is set). */
export function matches(p: Problem, expected: Expected): boolean {
  return Object.entries(expected).every(([k, v]) => (v === ANY ? p[k as keyof Problem] !== undefined : p[k as keyof Problem] === v));
}

/** Exactly one problem, with these fields. */
export function only(problems: readonly Problem[], expected: Expected): Problem {
  assert.equal(problems.length, 1, lines(problems));
  const p = problems[0]!;
  assert.ok(matches(p, expected), `expected ${describe(expected)}, got ${JSON.stringify(p)}`);
  return p;
}

/** At least one problem with these fields. */
export function has(problems: readonly Problem[], expected: Expected): Problem {
  const p = problems.find((x) => matches(x, expected));
  assert.ok(p, `no problem ${describe(expected)} in:\n${lines(problems)}`);
  return p;
}

/** The codes of the problems, in order. */
export const codes = (problems: readonly Problem[]): string[] => problems.map((p) => p.code);

const describe = (e: Expected) => JSON.stringify(e, (_, v: unknown) => (v === ANY ? '<any>' : v));
