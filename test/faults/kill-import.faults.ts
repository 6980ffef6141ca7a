import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readBundle } from '../../src/modules/bundle/bundle.reader.ts';
import { summarize } from '../../src/modules/bundle/bundle.service.ts';
import { DEMO } from '../harness.ts';
import { smallMediaBundle } from './faults.harness.ts';
import { CLI, NODE, dirsIn, envOf, parcours, readMedia, readStored, startAndStop, watch, type Dirs, type Stored } from './processes.ts';

// kill -9 of a real `parcours import` of the demo (8 media files, about a
// second of image processing; the first progress line comes after a second, so
// it may already say the files are ready and the database write follows) over
// an older content, at several moments. Afterwards:
// the database is intact and holds the old or the new content, whole; the
// next start and the next import leave nothing behind in the media folder
// that no content uses, and keep everything the content uses.

/** `surely`: so much work remains after the line that the kill always lands before the import ends. */
const MOMENTS: { name: string; ms?: number; line?: RegExp; surely?: boolean }[] = [
  { name: 'after 50 ms (starting)', ms: 50 },
  { name: 'after 300 ms', ms: 300 },
  { name: 'after 1 s', ms: 1000 },
  { name: 'after 3 s', ms: 3000 },
  { name: 'at the first "Media:" progress line', line: /^Media: /m, surely: true },
  { name: 'when the media are ready (the database write)', line: /^Media: \d+ files? ready/m },
  { name: 'once it says it imported (committed, not yet exited)', line: /^Imported /m },
];

type Counts = Stored['counts'];
const countsOf = (dir: string): Counts => {
  const c = readBundle(dir).content!;
  const s = summarize(c);
  return { themes: s.themes, media: s.media, events: s.events, places: s.places, files: -1 };
};
const withoutFiles = ({ files: _f, ...rest }: Counts) => rest;

/**
 * The media folder holds the finished folders of what the content names, and
 * no temporary or lease files. `replaced`: the content an import has just
 * replaced, whose folders stay until the next sweep (a running server may
 * still serve its pages for a moment).
 */
function assertClean(d: Dirs, when: string, replaced: ReadonlySet<string> = new Set()): void {
  const stored = readStored(d.db);
  const media = readMedia(d.media);
  assert.deepEqual(media.tmp, [], `${when}: nothing left in MEDIA_DIR/tmp`);
  assert.deepEqual(media.incomplete, [], `${when}: no unfinished hash folder`);
  assert.deepEqual(media.leases, [], `${when}: no lease of a dead import`);
  assert.deepEqual(media.complete.filter((h) => !stored.binaries.has(h) && !replaced.has(h)), [], `${when}: no media folder that no content refers to`);
  assert.deepEqual([...stored.binaries].filter((h) => !media.complete.includes(h)), [], `${when}: every file the content names is in the store`);
}

describe('kill -9 during `parcours import`', () => {
  let oldState: Dirs;
  let small: string;
  let oldCounts: Counts;
  let newCounts: Counts;
  let oldVersion: number;

  before(async () => {
    small = await smallMediaBundle();
    oldCounts = countsOf(small);
    newCounts = countsOf(DEMO);
    oldState = dirsIn(mkdtempSync(join(tmpdir(), 'parcours-kill-old-')));
    const r = await parcours(['import', small], envOf(oldState));
    assert.equal(r.code, 0, r.stderr);
    oldVersion = readStored(oldState.db).version;
  });
  after(() => {
    rmSync(oldState.root, { recursive: true, force: true });
    rmSync(dirname(small), { recursive: true, force: true });
  });

  for (const moment of MOMENTS) {
    test(moment.name, { timeout: 180_000 }, async () => {
      const d = dirsIn(mkdtempSync(join(tmpdir(), 'parcours-kill-')));
      try {
        cpSync(oldState.root, d.root, { recursive: true });
        const child = spawn(NODE, [...CLI, 'import', DEMO], { env: envOf(d) });
        let killedAt = '';
        const kill = (why: string) => {
          if (killedAt || child.exitCode !== null) return;
          killedAt = why;
          child.kill('SIGKILL');
        };
        const timer = moment.ms !== undefined ? setTimeout(() => kill(`${moment.ms} ms`), moment.ms) : undefined;
        const end = await watch(child, 120_000, (output) => {
          if (moment.line?.test(output)) kill(output.trim().split('\n').pop() ?? '');
        });
        clearTimeout(timer);
        if (moment.surely) assert.equal(end.signal, 'SIGKILL', `the import was killed ${moment.name} (it ended with ${end.code}: ${end.stderr})`);
        // The database: intact, and the old content or the new one, whole.
        const after = readStored(d.db);
        const left = readMedia(d.media);
        console.log(`${moment.name}: ${end.signal === 'SIGKILL' ? `killed (${killedAt})` : `ended by itself with ${end.code} before the kill`}; `
          + `${after.version === oldVersion ? 'old' : 'new'} content; left ${left.tmp.length} temporary folder(s), ${left.complete.filter((h) => !after.binaries.has(h)).length} unused folder(s), ${left.leases.length} lease(s)`);
        assert.equal(after.integrity, 'ok', 'PRAGMA integrity_check');
        const counts = withoutFiles(after.counts);
        if (after.version === oldVersion) assert.deepEqual(counts, withoutFiles(oldCounts), 'the old content, whole');
        else {
          assert.equal(after.version, oldVersion + 1, 'the new content');
          assert.deepEqual(counts, withoutFiles(newCounts), 'the new content, whole');
        }

        // The next start cleans what the killed import left, and serves.
        const started = await startAndStop(envOf(d));
        assert.equal(started.status, 200, started.out);
        assertClean(d, 'after the next start');

        // So does the next import, which must succeed.
        const replaced = readStored(d.db).binaries;
        const next = await parcours(['import', small], envOf(d));
        assert.equal(next.code, 0, next.stderr);
        assertClean(d, 'after the next import', replaced);
        assert.deepEqual(withoutFiles(readStored(d.db).counts), withoutFiles(oldCounts));
      } finally {
        rmSync(d.root, { recursive: true, force: true });
      }
    });
  }

  test('leftovers are cleaned before the next import even without a start in between', { timeout: 180_000 }, async () => {
    const d = dirsIn(mkdtempSync(join(tmpdir(), 'parcours-kill-')));
    try {
      cpSync(oldState.root, d.root, { recursive: true });
      const child = spawn(NODE, [...CLI, 'import', DEMO], { env: envOf(d) });
      const end = await watch(child, 120_000, (stderr) => { if (/^Media: /m.test(stderr)) child.kill('SIGKILL'); });
      assert.equal(end.signal, 'SIGKILL');
      const left = readMedia(d.media);
      assert.ok(left.tmp.length + left.complete.length > 1, 'the killed import left something to clean');
      const replaced = readStored(d.db).binaries;
      const next = await parcours(['import', small], envOf(d));
      assert.equal(next.code, 0, next.stderr);
      assertClean(d, 'after the next import', replaced);
    } finally {
      rmSync(d.root, { recursive: true, force: true });
    }
  });
});
