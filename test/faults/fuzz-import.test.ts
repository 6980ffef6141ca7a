import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { mutations } from './mutations.ts';
import { fuzzCase, fuzzContext } from './fuzz.case.ts';
import { KNOWN } from './fuzz-known.ts';

// Property: whatever is done to a valid bundle, import either refuses it with
// bundle_invalid, one line per problem naming its file, and changes nothing
// (database and media store), or accepts it and every page of the site serves
// without "[object Object]", "undefined" or "NaN" and without text read from
// outside the bundle. `check` agrees with import.
// Reproduce a failure with FUZZ_SEED=<seed> (fast-check prints it with the
// shrunk counterexample); explore further with FUZZ_RUNS=2000.

const SEED = Number(process.env.FUZZ_SEED ?? 1102);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
/** A safety bound on a slow machine: how many cases ran is printed. */
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 50_000);

test('fuzzing import: refused with a clear message and nothing changed, or accepted and every page serves; check agrees', { timeout: 180_000 }, async () => {
  const ctx = await fuzzContext();
  try {
    await fc.assert(fc.asyncProperty(mutations, async (list) => { await fuzzCase(ctx, list); }), {
      seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, examples: KNOWN.map((k) => [k]),
    });
  } finally {
    const { runs, accepted, refused } = ctx.tally;
    console.log(`fuzz (seed ${SEED}): ${runs} cases (shrinking included), ${accepted} accepted, ${refused} refused`);
    await ctx.close();
  }
  assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith('parcours-check-') && n.includes(`-${process.pid}-`)), [], 'check removed its scratch folders');
});
