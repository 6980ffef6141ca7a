import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { smallMediaBundle } from './faults.harness.ts';
import { dirsIn, envOf, parcours } from './processes.ts';

// `parcours backup` onto a real full disk (a 20 MB tmpfs, which needs root):
// one line that says so, no file under the target's name, no temporary file
// left; and the same backup once there is room. Skipped loudly where a tmpfs
// cannot be mounted.

test('a backup onto a full disk fails in one line and leaves no file', { timeout: 180_000 }, async (t: TestContext) => {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-backup-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = `SKIPPED LOUDLY: cannot mount a tmpfs here (${(mounted.stderr || `exit ${mounted.status}`).trim()}); a backup onto a full disk is not tested on this machine`;
    console.warn(why);
    t.skip(why);
    return;
  }
  const roomy = mkdtempSync(join(tmpdir(), 'parcours-backup-roomy-'));
  const small = await smallMediaBundle();
  try {
    const d = dirsIn(roomy);
    mkdirSync(d.media, { recursive: true });
    const imported = await parcours(['import', small], envOf(d));
    assert.equal(imported.code, 0, imported.stderr);
    const st = statfsSync(dir);
    const filler = join(dir, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, st.bavail * st.bsize)));
    const target = join(dir, 'site.tgz');

    const r = await parcours(['backup', target], envOf(d));
    assert.equal(r.code, 1, `the backup fails: ${r.stdout}${r.stderr}`);
    assert.equal(r.stderr, `parcours: Cannot write ${target}: the disk is full; no backup was written.\n`);
    assert.deepEqual(readdirSync(dir), ['filler'], 'no archive, no temporary file');

    rmSync(filler);
    const again = await parcours(['backup', target], envOf(d));
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(readdirSync(dir), ['site.tgz']);
  } finally {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(roomy, { recursive: true, force: true });
    rmSync(dirname(small), { recursive: true, force: true });
  }
});

test('a restore whose media store is on a full disk fails in one line and changes nothing', { timeout: 180_000 }, async (t: TestContext) => {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-restore-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = `SKIPPED LOUDLY: cannot mount a tmpfs here (${(mounted.stderr || `exit ${mounted.status}`).trim()}); a restore onto a full disk is not tested on this machine`;
    console.warn(why);
    t.skip(why);
    return;
  }
  const roomy = mkdtempSync(join(tmpdir(), 'parcours-restore-roomy-'));
  const small = await smallMediaBundle();
  try {
    const d = dirsIn(roomy);
    const archive = join(roomy, 'site.tgz');
    assert.equal((await parcours(['import', small], envOf(d))).code, 0);
    assert.equal((await parcours(['backup', archive], envOf(d))).code, 0);
    const target = { root: roomy, db: join(roomy, 'target.db'), media: join(dir, 'media') };
    mkdirSync(target.media);
    const st = statfsSync(dir);
    writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, st.bavail * st.bsize - 8 * 1024)));

    const r = await parcours(['restore', archive], envOf(target));
    assert.equal(r.code, 1, `the restore fails: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^parcours: Cannot stage the media files of .*site\.tgz: the disk holding the media store \(.*\) is full; nothing was restored\.\n$/);
    assert.deepEqual(readdirSync(target.media).filter((n) => !['tmp', 'leases'].includes(n)), [], 'no media folder');
    assert.deepEqual(readdirSync(join(target.media, 'tmp')), [], 'no staging left');
    const empty = await parcours(['export', join(roomy, 'out')], envOf(target));
    assert.match(empty.stderr, /holds no content/, 'the database is still empty');
  } finally {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(roomy, { recursive: true, force: true });
    rmSync(dirname(small), { recursive: true, force: true });
  }
});
