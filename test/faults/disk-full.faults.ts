import { describe, test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEMO } from '../harness.ts';
import { listing, smallMediaBundle } from './faults.harness.ts';
import { envOf, parcours, readMedia, readStored, type Dirs } from './processes.ts';

// A full disk under the media store, under the database, and under both: a
// real one (a 20 MB tmpfs, which needs root). The import of the demo must fail
// with one line that says the disk is full, leave the database and the media
// folder as they were, and work once there is room again. Where a tmpfs
// cannot be mounted the tests say so loudly and are skipped.

const KB = 1024;
const MB = 1024 * KB;

function mountTmpfs(): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (${(r.stderr || String(r.error ?? `exit ${r.status}`)).trim()})`;
  }
  return {
    dir,
    unmount: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the disk under `dir` until only `leave` bytes are free. */
function fill(dir: string, leave: number): string {
  const st = statfsSync(dir);
  const free = st.bavail * st.bsize;
  const filler = join(dir, 'filler');
  writeFileSync(filler, Buffer.alloc(Math.max(0, free - leave)));
  return filler;
}

const state = (d: Dirs) => {
  const s = readStored(d.db);
  return { version: s.version, counts: s.counts, integrity: s.integrity, media: listing(d.media).filter((f) => !f.startsWith('tmp/') && !f.startsWith('leases/')) };
};

/** Layouts: where the database and the media store are, given the full disk and a roomy one. */
const LAYOUTS: { name: string; dirs: (full: string, roomy: string) => Dirs; leave: number }[] = [
  { name: 'the media store on a full disk', dirs: (full, roomy) => ({ root: roomy, db: join(roomy, 'parcours.db'), media: join(full, 'media') }), leave: 1 * MB },
  { name: 'the database on a full disk', dirs: (full, roomy) => ({ root: roomy, db: join(full, 'parcours.db'), media: join(roomy, 'media') }), leave: 48 * KB },
  { name: 'both on one full disk', dirs: (full) => ({ root: full, db: join(full, 'parcours.db'), media: join(full, 'media') }), leave: 3 * MB },
];

describe('a full disk during `parcours import`', () => {
  let small: string;
  before(async () => {
    small = await smallMediaBundle();
  });
  after(() => rmSync(dirname(small), { recursive: true, force: true }));

  for (const layout of LAYOUTS) {
    test(layout.name, { timeout: 180_000 }, async (t: TestContext) => {
      const mounted = mountTmpfs();
      if (typeof mounted === 'string') {
        const why = `SKIPPED LOUDLY: ${mounted}; the full-disk case "${layout.name}" is not tested on this machine`;
        console.warn(why);
        t.skip(why);
        return;
      }
      const roomy = mkdtempSync(join(tmpdir(), 'parcours-roomy-'));
      try {
        const d = layout.dirs(mounted.dir, roomy);
        mkdirSync(d.media, { recursive: true });
        const first = await parcours(['import', small], envOf(d));
        assert.equal(first.code, 0, first.stderr);
        const before = state(d);
        const filler = fill(mounted.dir, layout.leave);

        const r = await parcours(['import', DEMO], envOf(d));
        assert.equal(r.code, 1, `the import fails: ${r.stdout}${r.stderr}`);
        const lines = r.stderr.trim().split('\n').filter((l) => !/^Media: /.test(l));
        assert.equal(lines.length, 1, `one line, no stack trace:\n${r.stderr}`);
        console.log(`${layout.name}: ${lines[0]}`);
        assert.match(lines[0]!, /^parcours: .*(disk .*full|full disk)/i, 'the line says the disk is full');
        assert.doesNotMatch(lines[0]!, /unexpected error|damaged|cannot rollback/i);

        assert.deepEqual(state(d), before, 'the database and the media store are as they were');
        assert.deepEqual(readMedia(d.media).tmp, [], 'nothing left in MEDIA_DIR/tmp');
        assert.deepEqual(readMedia(d.media).leases, [], 'no lease left');

        // With room again, the same import works and leaves nothing behind.
        rmSync(filler);
        const again = await parcours(['import', DEMO], envOf(d));
        assert.equal(again.code, 0, again.stderr);
        const stored = readStored(d.db);
        assert.equal(stored.version, before.version + 1);
        const media = readMedia(d.media);
        assert.deepEqual(media.tmp, []);
        // (The old content's folder stays until the next start or import sweeps it.)
        assert.deepEqual([...stored.binaries].filter((h) => !media.complete.includes(h)), [], 'the store holds everything the content names');
      } finally {
        mounted.unmount();
        rmSync(roomy, { recursive: true, force: true });
      }
    });
  }
});
