import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edit, only, problemsWith } from './bundle-problems.ts';
import { DEMO, FIXTURE, copyBundle } from './harness.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { renderInline, renderMarkdown } from '../src/modules/content/markdown.ts';

// Values that would be published wrong: impossible dates, objects shown as
// text, images that the CSP blocks, invisible text.


describe('dates are real calendar dates everywhere, by the events\' rule', () => {
  test('map and chronology blocks: from and to', () => {
    only(problemsWith(DEMO, (d) => edit(d, 'themes/10-liberation.yaml', (s) => s.replace('from: 1944-08-15', 'from: 1944-02-30'))),
      /^themes\/10-liberation\.yaml: blocks\[2\]\.from: is not a real calendar date \(line 5, column \d+\)$/);
    only(problemsWith(DEMO, (d) => edit(d, 'themes/10-liberation.yaml', (s) => s.replace('    kind: chronology\n', '    kind: chronology\n    to: 1944-13-01\n'))),
      /^themes\/10-liberation\.yaml: blocks\[11\]\.to: is not a real calendar date \(line 16, column 9\)$/);
  });
  test('media date: an impossible day or month, or a number that is not a year', () => {
    for (const bad of ['1931-02-30', '1931-13', '99999', '2026.5']) {
      only(problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('date: 1931-05', `date: ${bad}`))), /^media\.yaml: media "ammonite": date: must be .*date.* \(line \d+, column 9\)$/);
    }
  });
  test('real dates, a leap day among them, are accepted', () => {
    assert.deepEqual(problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('date: 1931-05', 'date: 1944-02-29'))), []);
    assert.deepEqual(problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('date: 1931-05', 'date: 1931'))), []);
  });
});

describe('no value is published as "[object Object]"', () => {
  test('postal_code must be text: a map or a number (whose leading 0 would be lost) is refused', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'bundle.yaml', (s) => s.replace(/postal_code: .*/, 'postal_code: {a: 1}'))), /^bundle\.yaml: museum\.address\.postal_code: must be text in quotes, such as "26100" \(line \d+, column 18\)$/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'bundle.yaml', (s) => s.replace(/postal_code: .*/, 'postal_code: 02100'))), /^bundle\.yaml: museum\.address\.postal_code: must be text in quotes/);
  });
  test('a layer label that is not text is refused', () => {
    only(problemsWith(DEMO, (d) => edit(d, 'geo/rivers.geojson', (s) => s.replace('"name_fr":"Rhône"', '"name_fr":{"a":1}'))), /^geo\/rivers\.geojson: feature 1: property "name_fr" \(the label_property\) must be text \(found an object\)$/);
  });
  test('a text of invisible characters only is empty', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('de: Beispielstadt', 'de: "\\u200B\\u2060"'))), /^places\.yaml: place "beispielstadt": name\.de: must not be empty \(it holds only invisible characters\)/);
  });
  test('a value of the wrong kind says what was expected and what was found', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('de: Beispielstadt', 'de: [a, b]'))), /^places\.yaml: place "beispielstadt": name\.de: must be text \(found a list\) \(line 6, column 9\)$/);
  });
});

describe('Markdown cannot show images from elsewhere', () => {
  test('an image in a text section is refused with its line, saying to make it a media item', () => {
    const dir = copyBundle(FIXTURE);
    edit(dir, 'themes/01-fossils.en.md', (s) => `${s}\n\nSee ![a fossil](https://other.example/a.png) here.\n`);
    const lines = readFileSync(join(dir, 'themes/01-fossils.en.md'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('other.example')) + 1;
    only(readBundle(dir).problems, new RegExp(`^themes/01-fossils\\.en\\.md: line ${line}: section "[a-z-]+": shows the image "https://other\\.example/a\\.png", which visitors would not see: .*Add it to media\\.yaml`));
  });
  test('reference images and protocol-relative addresses too, and in YAML texts (captions, descriptions)', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.en.md', (s) => `${s}\n\n![x][pic]\n\n[pic]: //other.example/b.png\n`)), /section "[a-z-]+": shows the image "\/\/other\.example\/b\.png"/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('en: Ammonite from the Solnhofen limestone, found in 1931.', 'en: "Ammonite ![x](https://other.example/c.png)"'))),
      /^media\.yaml: media "ammonite": caption\.en: shows the image "https:\/\/other\.example\/c\.png".* \(line \d+, column \d+\)$/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.en.md', (s) => s.replace(/^lead: >-$/m, 'lead: >-\n  ![x](/a.png)'))), /^themes\/01-fossils\.en\.md: lead: shows the image "\/a\.png"/);
  });
  test('raw HTML is text: an <img> tag cannot smuggle an image in', () => {
    for (const html of [renderMarkdown('<img src="https://other.example/a.png">\n\n<p><img src=x></p>'), renderInline('a <img src="https://other.example/a.png"> b')]) {
      assert.ok(!/<img/i.test(html), html);
      assert.match(html, /&lt;img/);
    }
  });
});

describe('path tricks, huge numbers and absurd nesting', () => {
  test('media paths: parent folders, absolute paths, backslashes, drive letters, hidden files, control characters are refused', () => {
    for (const bad of ['media/../bundle.yaml', '/etc/passwd.png', 'media\\\\a.png', 'C:/media/a.png', 'media/C:a.png', 'media/.a.png', 'media/a/../../x.png', 'media/a.png\\u0000', 'media/%2e%2e/a.png', 'media//a.png']) {
      const problems = problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('- id: ammonite\n  kind: image\n', `- id: ammonite\n  kind: image\n  file: "${bad}"\n`)));
      assert.ok(problems.length >= 1 && problems.every((p) => /^media\.yaml: (media "ammonite": file: must (be a file under media\/|not contain)|.*control character)/.test(p)), `${bad}\n${problems.join('\n')}`);
    }
  });
  test('infinite or absurd numbers are refused, never stored', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('lat: 48.9412', 'lat: .inf'))), /^places\.yaml: place "beispielstadt": lat: latitude must be a number of degrees/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('lat: 48.9412', 'lat: 1e400'))), /^places\.yaml: place "beispielstadt": lat: latitude must be a number of degrees/);
    const dir = copyBundle(FIXTURE);
    for (const name of readdirSync(join(dir, 'themes')).filter((n) => n.startsWith('03-'))) renameSync(join(dir, 'themes', name), join(dir, 'themes', name.replace('03-', '99999999999999999999-')));
    only(readBundle(dir).problems, /^themes\/99999999999999999999-evolution\.yaml: position 99999999999999999999 is too large \(at most 9999\)$/);
  });
  test('YAML nested thousands deep is one clear problem, not a stack overflow message', () => {
    only(problemsWith(FIXTURE, (d) => writeFileSync(join(d, 'places.yaml'), `- ${'['.repeat(5000)}${']'.repeat(5000)}\n`)), /^places\.yaml: YAML syntax error at line 1, column \d+: the values are nested too deeply/);
  });
});
