import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, FIXTURE, copyBundle } from './harness.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { insideBundle } from '../src/modules/bundle/bundle.files.ts';

// Reading bundles from someone else: links out of the bundle, files that are
// not files, control characters, and YAML errors reported as causes, not echoes.

const edit = (dir: string, rel: string, f: (s: string) => string) => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));
function problemsWith(src: string, change: (dir: string) => void): string[] {
  const dir = copyBundle(src);
  change(dir);
  return readBundle(dir).problems;
}
/** A folder outside any bundle, holding what a hostile link would publish. */
function outside(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-outside-'));
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  return dir;
}
const only = (problems: string[], re: RegExp) => {
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0] ?? '', re);
};

describe('every file read from a bundle resolves inside it', () => {
  test('a theme text that links outside the bundle is refused', () => {
    const out = outside();
    const problems = problemsWith(FIXTURE, (d) => {
      cpSync(join(d, 'themes/01-fossils.en.md'), join(out, 'stolen.md'));
      unlinkSync(join(d, 'themes/01-fossils.en.md'));
      symlinkSync(join(out, 'stolen.md'), join(d, 'themes/01-fossils.en.md'));
    });
    only(problems, /^themes\/01-fossils\.en\.md: is a symbolic link that leads outside the bundle/);
  });
  test('a YAML file that links outside is refused, and what names its entries is not reported again', () => {
    const out = outside();
    const problems = problemsWith(FIXTURE, (d) => {
      renameSync(join(d, 'places.yaml'), join(out, 'places.yaml'));
      symlinkSync(join(out, 'places.yaml'), join(d, 'places.yaml'));
    });
    only(problems, /^places\.yaml: is a symbolic link that leads outside the bundle/);
  });
  test('a GeoJSON layer that links outside is refused', () => {
    const out = outside();
    const problems = problemsWith(DEMO, (d) => {
      renameSync(join(d, 'geo/rivers.geojson'), join(out, 'rivers.geojson'));
      symlinkSync(join(out, 'rivers.geojson'), join(d, 'geo/rivers.geojson'));
    });
    only(problems, /^geo\/rivers\.geojson: is a symbolic link that leads outside the bundle/);
  });
  test('a linked folder (themes, geo) that leads outside is refused once, with no echoes', () => {
    for (const folder of ['themes', 'geo']) {
      const out = outside();
      const problems = problemsWith(DEMO, (d) => {
        cpSync(join(d, folder), join(out, folder), { recursive: true });
        rmSync(join(d, folder), { recursive: true });
        symlinkSync(join(out, folder), join(d, folder));
      });
      const expected = folder === 'themes' ? /^themes\/: is a symbolic link that leads outside the bundle; copy the folder/ : /^geo\/[a-z-]+\.geojson: is inside "geo", a symbolic link that leads outside the bundle/;
      assert.ok(problems.length >= 1 && problems.every((p) => expected.test(p)), problems.join('\n'));
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
    assert.deepEqual(insideBundle(dir, 'media/ext/secret.txt'), { code: 'outside', message: 'is inside "media/ext", a symbolic link that leads outside the bundle; copy the file into the bundle instead' });
    assert.equal((insideBundle(dir, 'media/missing.png') as { code: string }).code, 'missing');
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
    only(problems, /^themes\/01-fossils\.de\.md: is a folder, not a file$/);
  });
  test('a FIFO where a YAML file is expected is refused without reading it, and its entries are not missing', () => {
    const problems = problemsWith(FIXTURE, (d) => {
      unlinkSync(join(d, 'places.yaml'));
      execFileSync('mkfifo', [join(d, 'places.yaml')]);
    });
    only(problems, /^places\.yaml: is not a regular file$/);
  });
  test('a folder where a structure file or a visit is expected', () => {
    const theme = problemsWith(FIXTURE, (d) => {
      unlinkSync(join(d, 'themes/02-minerals.yaml'));
      mkdirSync(join(d, 'themes/02-minerals.yaml'));
    });
    only(theme, /^themes\/02-minerals\.yaml: is a folder, not a file$/);
    const visit = problemsWith(FIXTURE, (d) => {
      unlinkSync(join(d, 'visits/main.yaml'));
      mkdirSync(join(d, 'visits/main.yaml'));
    });
    only(visit, /^visits\/main\.yaml: is a folder, not a file$/);
  });
  test('a file where a folder is expected', () => {
    const problems = problemsWith(FIXTURE, (d) => {
      rmSync(join(d, 'articles'), { recursive: true });
      writeFileSync(join(d, 'articles'), 'not a folder');
    });
    only(problems, /^articles\/: is not a folder$/);
  });
});

describe('control characters are refused with their line and column', () => {
  test('a raw NUL in YAML and an ESC in Markdown', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('kind: town', 'kind: to\u0000wn'))), /^places\.yaml: line \d+, column 11: contains the control character U\+0000 \(NUL\)/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.en.md', (s) => `${s}\nBell\u0007 and \u001b[31mred\n`)), /^themes\/01-fossils\.en\.md: line \d+, column 5: contains the control character U\+0007 and 1 more/);
  });
  test('a control character written as a YAML escape is refused by the text rule', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'events.yaml', (s) => s.replace('de: Eröffnung des Museums', 'de: "Eröffnung\\0 des Museums"')));
    only(problems, /^events\.yaml: event "museum-opening": title\.de: contains a control character .*\(line \d+, column \d+\)$/);
  });
  test('a problem never prints control characters from the bundle (file names, keys)', () => {
    const problems = problemsWith(FIXTURE, (d) => writeFileSync(join(d, 'themes', 'x\u001b[2J.md'), ''));
    only(problems, /^themes\/x\\u001b\[2J\.md: unexpected file name/);
  });
});
