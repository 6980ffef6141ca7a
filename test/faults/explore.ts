import fc from 'fast-check';
import { mutations } from './mutations.ts';
import { fuzzCase, fuzzContext } from './fuzz.case.ts';

// The fuzzer without stopping at the first failure: runs N cases of a seed
// and prints each kind of failure once, with how often it came and a case.
// npx tsx test/faults/explore.ts [cases=2000] [seed=1]

const n = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 1);
const ctx = await fuzzContext();
const kinds = new Map<string, { count: number; example: unknown; message: string }>();
const started = performance.now();
for (const list of fc.sample(mutations, { numRuns: n, seed })) {
  try {
    await fuzzCase(ctx, list);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // The first line, and the first differing line of an assertion's diff, without the case's own values.
    const detail = /^\+ {3}'(.*)$/m.exec(message)?.[1]?.replace(/GET \S+/, 'GET …').replace(/content\.\S+:/, 'content.…:').replace(/ in(:| ").*/, '');
    const key = `${message.split('\n')[0]}${detail ? ` :: ${detail}` : ''}`.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 140);
    const kind = kinds.get(key) ?? { count: 0, example: list, message };
    kind.count += 1;
    kinds.set(key, kind);
  }
}
console.log(`${n} cases (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(0)} s: ${ctx.tally.accepted} accepted, ${ctx.tally.refused} refused`);
for (const [key, k] of [...kinds].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`\n${k.count}× ${key}\n  case: ${JSON.stringify(k.example)}\n  ${k.message.slice(0, 800).replace(/\n/g, '\n  ')}`);
}
await ctx.close();
