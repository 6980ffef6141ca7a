import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, FIXTURE, copyBundle } from './harness.ts';
import { insideBundle } from '../src/modules/bundle/bundle.files.ts';
import { ANY, edit, lines, only, problemsWith } from './bundle-problems.ts';

// Reading bundles from someone else: links out of the bundle, files that are
// not files, control characters, and YAML errors reported as causes, not echoes.

/** A folder outside any bundle, holding what a hostile link would publish. */
function outside(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-outside-'));
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  return dir;
}

describe('every file read from a bundle resolves inside it', () => {
  test('a theme text that links outside the bundle is refused', () => {
    const out = outside();
    const problems = problemsWith(FIXTURE, (d) => {
      cpSync(join(d, 'themes/01-fossils.en.md'), join(out, 'stolen.md'));
      unlinkSync(join(d, 'themes/01-fossils.en.md'));
      symlinkSync(join(out, 'stolen.md'), join(d, 'themes/01-fossils.en.md'));
    });
    only(problems, { code: 'outside_bundle', file: 'themes/01-fossils.en.md', entity: 'theme', id: 'fossils', locale: 'en' });
  });
  test('a YAML file that links outside is refused, and what names its entries is not reported again', () => {
    const out = outside();
    const problems = problemsWith(FIXTURE, (d) => {
      renameSync(join(d, 'places.yaml'), join(out, 'places.yaml'));
      symlinkSync(join(out, 'places.yaml'), join(d, 'places.yaml'));
    });
    only(problems, { code: 'outside_bundle', file: 'places.yaml' });
  });
  test('a GeoJSON layer that links outside is refused', () => {
    const out = outside();
    const problems = problemsWith(DEMO, (d) => {
      renameSync(join(d, 'geo/rivers.geojson'), join(out, 'rivers.geojson'));
      symlinkSync(join(out, 'rivers.geojson'), join(d, 'geo/rivers.geojson'));
    });
    only(problems, { code: 'outside_bundle', file: 'geo/rivers.geojson', entity: 'layer', id: 'rivers' });
  });
  test('a linked folder (themes, geo) that leads outside is refused once, with no echoes', () => {
    for (const folder of ['themes', 'geo']) {
      const out = outside();
      const problems = problemsWith(DEMO, (d) => {
        cpSync(join(d, folder), join(out, folder), { recursive: true });
        rmSync(join(d, folder), { recursive: true });
        symlinkSync(join(out, folder), join(d, folder));
      });
      const file = folder === 'themes' ? /^themes\/$/ : /^geo\/[a-z-]+\.geojson$/;
      assert.ok(problems.length >= 1 && problems.every((p) => p.code === 'outside_bundle' && file.test(p.file ?? '')), lines(problems));
    }
  });
  test('a link that stays inside the bundle is allowed', () => {
    const problems = problemsWith(FIXTURE, (d) => {
      mkdirSync(join(d, 'shared'));
      renameSync(join(d, 'themes/01-fossils.en.md'), join(d, 'shared/fossils.en.md'));
      symlinkSync('../shared/fossils.en.md', join(d, 'themes/01-fossils.en.md'));
    });
    assert.deepEqual(problems, []);
  });
  test('insideBundle: the helper media import uses for files under a linked folder', () => {
    const out = outside();
    const dir = copyBundle(FIXTURE);
    mkdirSync(join(dir, 'media'), { recursive: true });
    writeFileSync(join(dir, 'media/ok.png'), 'x');
    symlinkSync(out, join(dir, 'media/ext'));
    symlinkSync(join(out, 'nothing-here'), join(dir, 'media/dangling.png'));
    assert.equal(typeof insideBundle(dir, 'media/ok.png'), 'string');
    assert.deepEqual(insideBundle(dir, 'media/ext/secret.txt'), { code: 'outside_bundle', message: 'is inside "media/ext", a symbolic link that leads outside the bundle; copy the file into the bundle instead' });
    assert.equal((insideBundle(dir, 'media/missing.png') as { code: string }).code, 'file_missing');
    assert.match((insideBundle(dir, 'media/dangling.png') as { message: string }).message, /symbolic link "media\/dangling\.png" leads nowhere/);
    for (const bad of ['../etc/passwd', '/etc/passwd', 'media\\a.png', 'C:/x.png', 'media//a.png', 'media/./a.png', 'media/a.png\0']) {
      assert.equal((insideBundle(dir, bad) as { code: string }).code, 'bad_path', bad);
    }
  });
});

describe('a file that cannot be read is reported once, for its cause', () => {
  test('a folder where a Markdown file is expected is not also "missing"', () => {
    const problems = problemsWith(FIXTURE, (d) => {
      unlinkSync(join(d, 'themes/01-fossils.de.md'));
      mkdirSync(join(d, 'themes/01-fossils.de.md'));
    });
    only(problems, { code: 'not_a_file', file: 'themes/01-fossils.de.md' });
  });
  test('a FIFO where a YAML file is expected is refused without reading it, and its entries are not missing', () => {
    const problems = problemsWith(FIXTURE, (d) => {
      unlinkSync(join(d, 'places.yaml'));
      execFileSync('mkfifo', [join(d, 'places.yaml')]);
    });
    only(problems, { code: 'not_a_file', file: 'places.yaml' });
  });
  test('a folder where a structure file or a visit is expected', () => {
    const theme = problemsWith(FIXTURE, (d) => {
      unlinkSync(join(d, 'themes/02-minerals.yaml'));
      mkdirSync(join(d, 'themes/02-minerals.yaml'));
    });
    only(theme, { code: 'not_a_file', file: 'themes/02-minerals.yaml', entity: 'theme', id: 'minerals' });
    const visit = problemsWith(FIXTURE, (d) => {
      unlinkSync(join(d, 'visits/main.yaml'));
      mkdirSync(join(d, 'visits/main.yaml'));
    });
    only(visit, { code: 'not_a_file', file: 'visits/main.yaml', entity: 'visit', id: 'main' });
  });
  test('a file where a folder is expected', () => {
    const problems = problemsWith(FIXTURE, (d) => {
      rmSync(join(d, 'articles'), { recursive: true });
      writeFileSync(join(d, 'articles'), 'not a folder');
    });
    only(problems, { code: 'not_a_folder', file: 'articles/' });
  });
});

describe('control characters are refused with their line and column', () => {
  test('a raw NUL in YAML and an ESC in Markdown', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('kind: town', 'kind: to\u0000wn'))), { code: 'control_character', file: 'places.yaml', line: 2, column: 11 });
    const lineCount = readFileSync(join(FIXTURE, 'themes/01-fossils.en.md'), 'utf8').split('\n').length;
    only(problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.en.md', (s) => `${s}\nBell\u0007 and \u001b[31mred\n`)), { code: 'control_character', file: 'themes/01-fossils.en.md', locale: 'en', line: lineCount + 1, column: 5 });
  });
  test('a control character written as a YAML escape is refused by the text rule', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'events.yaml', (s) => s.replace('de: Eröffnung des Museums', 'de: "Eröffnung\\0 des Museums"')));
    only(problems, { code: 'schema', file: 'events.yaml', entity: 'event', id: 'museum-opening', field: 'title.de', line: ANY, column: ANY });
  });
  test('a problem never prints control characters from the bundle (file names, keys)', () => {
    const problems = problemsWith(FIXTURE, (d) => writeFileSync(join(d, 'themes', 'x\u001b[2J.md'), ''));
    // The file is named as the CLI prints it, control characters as \u escapes.
    only(problems, { code: 'file_name', file: 'themes/x\\u001b[2J.md', entity: 'theme' });
  });
});
