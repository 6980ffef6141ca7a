import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { Db } from '../../src/db/connection.ts';
import { memoryDb } from '../harness.ts';
import { checkBundle, importBundle } from '../../src/modules/bundle/bundle.service.ts';
import { PROBLEM_CODES, formatProblem, type Problem } from '../../src/modules/bundle/bundle.problems.ts';
import { MediaStore, hashBuffer } from '../../src/modules/media/media.store.ts';
import { loadContent } from '../../src/modules/content/content.loader.ts';
import { buildAssets, type BuiltAssets } from '../../src/web/assets.ts';
import { isAppError } from '../../src/shared/errors.ts';
import { DETAIL, contentProblems, dbDigest, listing, smallMediaBundle, walkSite } from './faults.harness.ts';
import type { Mutation } from './mutations.ts';
import { SECRET, applyAll } from './apply.ts';

// One fuzz case: break a copy of the base bundle, then check and import it,
// and judge the outcome (see fuzz-import.test.ts for the property).

export interface FuzzContext {
  base: string;
  textFiles: string[];
  store: MediaStore;
  db: Db;
  assets: BuiltAssets;
  outsidePng: Buffer;
  tally: { runs: number; accepted: number; refused: number };
  close(): Promise<void>;
}

export async function fuzzContext(): Promise<FuzzContext> {
  const base = await smallMediaBundle();
  const store = new MediaStore(mkdtempSync(join(tmpdir(), 'parcours-fuzz-media-')));
  const db = await memoryDb();
  await importBundle(db, base, store);
  const outsidePng = await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 1, g: 250, b: 3 } } }).png().toBuffer();
  return {
    base, store, db, outsidePng,
    textFiles: listing(base).map((l) => l.replace(/ \d+$/, '')).filter((f) => /\.(yaml|md|geojson)$/.test(f)),
    assets: await buildAssets(),
    tally: { runs: 0, accepted: 0, refused: 0 },
    close: async () => {
      await db.destroy();
      rmSync(store.dir, { recursive: true, force: true });
      rmSync(dirname(base), { recursive: true, force: true });
    },
  };
}

type Outcome = { ok: true } | { ok: false; error: unknown };
const settle = (p: Promise<unknown>): Promise<Outcome> => p.then(() => ({ ok: true as const }), (error: unknown) => ({ ok: false as const, error }));
const describeError = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message} ${JSON.stringify((e as { details?: unknown }).details ?? e.stack?.split('\n').slice(1, 4).join(' | '))}` : String(e));

/** Throws an AssertionError that says what is wrong with how Parcours took this case. */
export async function fuzzCase(ctx: FuzzContext, list: Mutation[]): Promise<{ accepted: boolean; details: readonly string[] }> {
  const { db, store } = ctx;
  const dir = join(mkdtempSync(join(tmpdir(), 'parcours-fuzz-')), 'bundle');
  try {
    cpSync(ctx.base, dir, { recursive: true });
    applyAll({ dir, outside: join(dirname(dir), 'outside'), textFiles: ctx.textFiles, outsidePng: ctx.outsidePng }, list);
    const before = await dbDigest(db);
    const stored = listing(store.dir);
    const checked = await settle(checkBundle(dir, store));
    const imported = await settle(importBundle(db, dir, store));
    ctx.tally.runs += 1;
    for (const [what, r] of [['check', checked], ['import', imported]] as const) {
      if (!r.ok) assert.ok(isAppError(r.error, 'bundle_invalid'), `${what} failed with an unexpected error: ${describeError(r.error)}`);
    }
    if (!imported.ok) {
      ctx.tally.refused += 1;
      const e = imported.error as { message: string; details: readonly string[] };
      assert.doesNotMatch(e.message, /[\n\r]/, 'the message is one line');
      assert.ok(e.details.length > 0, 'the refusal lists its problems');
      for (const d of e.details) {
        assert.match(d, DETAIL, `each problem is one line that names its file: ${JSON.stringify(d)}`);
        if (/YAML syntax error/.test(d)) assert.match(d, /line \d+/, `a YAML syntax error names its line: ${JSON.stringify(d)}`);
      }
      // The same problems as data: a code from the closed list, a file, and the printed line is the problem formatted.
      const problems = (imported.error as { problems: Problem[] }).problems;
      assert.deepEqual(e.details, problems.map(formatProblem), 'each printed line is its problem formatted');
      for (const p of problems) {
        assert.ok((PROBLEM_CODES as readonly string[]).includes(p.code) && p.file !== undefined, `a problem with a known code and a file: ${JSON.stringify(p)}`);
        if (p.code === 'yaml_syntax') assert.ok(p.line !== undefined && p.column !== undefined, `a YAML syntax error has its line and column: ${JSON.stringify(p)}`);
      }
      assert.deepEqual(await dbDigest(db), before, 'a refused import leaves the database as it was');
      assert.deepEqual(listing(store.dir), stored, 'a refused import leaves the media store as it was');
    } else {
      ctx.tally.accepted += 1;
      const content = await loadContent(db);
      assert.ok(!JSON.stringify(content).includes(SECRET), 'the imported content holds text read from outside the bundle (through a link)');
      assert.deepEqual(contentProblems(content), [], 'accepted content has real dates and showable text');
      const outside = hashBuffer(ctx.outsidePng);
      assert.ok(!Object.values(content?.files ?? {}).some((f) => f.hash === outside), 'the imported content holds an image read from outside the bundle');
      assert.deepEqual(await walkSite(db, ctx.assets, store, SECRET), [], 'every page serves, whole');
    }
    const details = imported.ok ? [] : (imported.error as { details: readonly string[] }).details;
    assert.equal(checked.ok, imported.ok, `check ${checked.ok ? 'accepts' : 'refuses'} what import ${imported.ok ? 'accepts' : 'refuses'}${checked.ok ? '' : `: ${describeError(checked.error)}`}`);
    return { accepted: imported.ok, details };
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}
