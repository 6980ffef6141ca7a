import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANY, edit, lines, only, problemsWith } from './bundle-problems.ts';
import { DEMO, FIXTURE, copyBundle } from './harness.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { renderInline, renderMarkdown } from '../src/modules/content/markdown.ts';

// Values that would be published wrong: impossible dates, objects shown as
// text, images that the CSP blocks, invisible text.


describe('dates are real calendar dates everywhere, by the events\' rule', () => {
  test('map and chronology blocks: from and to', () => {
    const theme = { code: 'schema', file: 'themes/10-liberation.yaml', entity: 'theme', id: 'liberation' } as const;
    // Where theme 10's by-date map block sits, read from the file, so that a new text block before it does not break this test.
    const yaml = readFileSync(join(DEMO, 'themes/10-liberation.yaml'), 'utf8').split('\n');
    const line = yaml.findIndex((l) => l.includes('from: 1944-08-15')) + 1;
    const index = yaml.slice(0, line).filter((l) => /^  - /.test(l)).length - 1;
    only(problemsWith(DEMO, (d) => edit(d, 'themes/10-liberation.yaml', (s) => s.replace('from: 1944-08-15', 'from: 1944-02-30'))), { ...theme, field: `blocks[${index}].from`, line, column: ANY });
    only(problemsWith(DEMO, (d) => edit(d, 'themes/04-occupation.yaml', (s) => s.replace('    kind: chronology\n', '    kind: chronology\n    to: 1944-13-01\n'))), { ...theme, file: 'themes/04-occupation.yaml', id: 'occupation', field: 'blocks[4].to', line: 9, column: 9 });
  });
  test('media date: an impossible day or month, or a number that is not a year', () => {
    for (const bad of ['1931-02-30', '1931-13', '99999', '2026.5']) {
      only(problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('date: 1931-05', `date: ${bad}`))), { code: 'schema', file: 'media.yaml', entity: 'media', id: 'ammonite', field: 'date', line: ANY, column: 9 });
    }
  });
  test('real dates, a leap day among them, are accepted', () => {
    assert.deepEqual(problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('date: 1931-05', 'date: 1944-02-29'))), []);
    assert.deepEqual(problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('date: 1931-05', 'date: 1931'))), []);
  });
});

describe('a block never repeats what another block of the same document shows', () => {
  const theme = { file: 'themes/10-liberation.yaml', entity: 'theme', id: 'liberation' } as const;
  const yaml = readFileSync(join(DEMO, 'themes/10-liberation.yaml'), 'utf8');
  const blocks = yaml.split('\n').filter((l) => /^  - /.test(l));
  const mapIndex = blocks.findIndex((l) => l.includes('id: liberation-by-date'));
  const withBlock = (block: string) => (d: string) => edit(d, 'themes/10-liberation.yaml', (s) => s.replace('  - {id: livron-bridge, kind: text}\n', `  - {id: livron-bridge, kind: text}\n${block}\n`));

  test('a chronology listing days the by-date map\'s table already gives is refused, naming both blocks and the events', () => {
    const p = only(problemsWith(DEMO, withBlock('  - {id: again, kind: chronology, tag: town-liberated, from: 1944-08-20, to: 1944-08-21}')), { ...theme, code: 'block_repeats', field: `blocks[${mapIndex + 2}]` });
    assert.match(p.message, /chronology "again": lists 4 events that block "liberation-by-date" of this theme already shows \(lib-luc-en-diois, lib-die, lib-crest, lib-buis-les-baronnies\)/);
  });
  test('a context event of the map listed again by a chronology is a repeat too', () => {
    only(problemsWith(DEMO, withBlock('  - {id: again, kind: chronology, events: [parade-valence]}')), { ...theme, code: 'block_repeats', field: `blocks[${mapIndex + 2}]` });
  });
  test('events the map does not show may have a chronology of their own', () => {
    assert.deepEqual(problemsWith(DEMO, withBlock('  - {id: before, kind: chronology, events: [bomb-chabeuil-airfield, bomb-portes-yard-aug-2]}')), []);
  });
  test('context events: they need by_date, must exist, fall within the map\'s days, and not be on the map already', () => {
    const field = (j: number) => `blocks[${mapIndex}].context_events[${j}]`;
    const ctx = (list: string) => (d: string) => edit(d, 'themes/10-liberation.yaml', (s) => s.replace('    context_events:\n      - landing-provence\n', `    context_events:\n${list}      - landing-provence\n`));
    only(problemsWith(DEMO, ctx('      - no-such-event\n')), { ...theme, code: 'unknown_reference', field: field(0) });
    only(problemsWith(DEMO, ctx('      - bomb-chabeuil-airfield\n')), { ...theme, code: 'outside_range', field: field(0) });
    only(problemsWith(DEMO, ctx('      - lib-die\n')), { ...theme, code: 'conflicting_fields', field: field(0) });
    // Without by_date, lost_tag is refused too: the problem of context_events is among them.
    const noDate = problemsWith(DEMO, (d) => edit(d, 'themes/10-liberation.yaml', (s) => s.replace('    by_date: true\n', '')));
    assert.ok(noDate.some((x) => x.code === 'needs_field' && x.field === `blocks[${mapIndex}].context_events`), JSON.stringify(noDate));
  });
});

describe('no value is published as "[object Object]"', () => {
  test('postal_code must be text: a map or a number (whose leading 0 would be lost) is refused', () => {
    const postal = { code: 'schema', file: 'bundle.yaml', entity: 'museum', field: 'address.postal_code', line: ANY } as const;
    only(problemsWith(FIXTURE, (d) => edit(d, 'bundle.yaml', (s) => s.replace(/postal_code: .*/, 'postal_code: {a: 1}'))), { ...postal, column: 18 });
    only(problemsWith(FIXTURE, (d) => edit(d, 'bundle.yaml', (s) => s.replace(/postal_code: .*/, 'postal_code: 02100'))), postal);
  });
  test('a layer label that is not text is refused', () => {
    only(problemsWith(DEMO, (d) => edit(d, 'geo/rivers.geojson', (s) => s.replace('"name_fr":"Rhône"', '"name_fr":{"a":1}'))), { code: 'geo_label', file: 'geo/rivers.geojson', entity: 'layer', id: 'rivers' });
  });
  test('a text of invisible characters only is empty', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('de: Beispielstadt', 'de: "\\u200B\\u2060"'))), { code: 'schema', entity: 'place', id: 'beispielstadt', field: 'name.de' });
  });
  test('a value of the wrong kind says what was expected and what was found', () => {
    const p = only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('de: Beispielstadt', 'de: [a, b]'))), { code: 'schema', entity: 'place', id: 'beispielstadt', field: 'name.de', line: 6, column: 9 });
    assert.match(p.message, /must be text \(found a list\)$/);
  });
});

describe('Markdown cannot show images from elsewhere', () => {
  test('an image in a text section is refused with its line, saying to make it a media item', () => {
    const dir = copyBundle(FIXTURE);
    edit(dir, 'themes/01-fossils.en.md', (s) => `${s}\n\nSee ![a fossil](https://other.example/a.png) here.\n`);
    const lines = readFileSync(join(dir, 'themes/01-fossils.en.md'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('other.example')) + 1;
    const p = only(readBundle(dir).problems, { code: 'foreign_image', file: 'themes/01-fossils.en.md', entity: 'theme', id: 'fossils', locale: 'en', line, placement: 'start' });
    assert.match(p.field ?? '', /^blocks\.[a-z-]+\.body$/);
  });
  test('reference images and protocol-relative addresses too, and in YAML texts (captions, descriptions)', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.en.md', (s) => `${s}\n\n![x][pic]\n\n[pic]: //other.example/b.png\n`)), { code: 'foreign_image', id: 'fossils', locale: 'en' });
    // In YAML texts the schema refuses it: a schema problem of that field.
    const caption = only(problemsWith(FIXTURE, (d) => edit(d, 'media.yaml', (s) => s.replace('en: Ammonite from the Solnhofen limestone, found in 1931.', 'en: "Ammonite ![x](https://other.example/c.png)"'))),
      { code: 'schema', file: 'media.yaml', entity: 'media', id: 'ammonite', field: 'caption.en', line: ANY, column: ANY });
    assert.match(caption.message, /shows the image "https:\/\/other\.example\/c\.png"/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.en.md', (s) => s.replace(/^lead: >-$/m, 'lead: >-\n  ![x](/a.png)'))), { code: 'schema', file: 'themes/01-fossils.en.md', field: 'lead', locale: 'en' });
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
      assert.ok(problems.length >= 1 && problems.every((p) => p.file === 'media.yaml' && ((p.code === 'schema' && p.id === 'ammonite' && p.field === 'file') || p.code === 'control_character')), `${bad}\n${lines(problems)}`);
    }
  });
  test('infinite or absurd numbers are refused, never stored', () => {
    for (const lat of ['.inf', '1e400']) {
      only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('lat: 48.9412', `lat: ${lat}`))), { code: 'schema', file: 'places.yaml', entity: 'place', id: 'beispielstadt', field: 'lat' });
    }
    const dir = copyBundle(FIXTURE);
    for (const name of readdirSync(join(dir, 'themes')).filter((n) => n.startsWith('03-'))) renameSync(join(dir, 'themes', name), join(dir, 'themes', name.replace('03-', '99999999999999999999-')));
    only(readBundle(dir).problems, { code: 'position_too_large', file: 'themes/99999999999999999999-evolution.yaml', entity: 'theme', id: 'evolution' });
  });
  test('YAML nested thousands deep is one clear problem, not a stack overflow message', () => {
    const p = only(problemsWith(FIXTURE, (d) => writeFileSync(join(d, 'places.yaml'), `- ${'['.repeat(5000)}${']'.repeat(5000)}\n`)), { code: 'yaml_syntax', file: 'places.yaml', line: 1, column: ANY });
    assert.match(p.message, /the values are nested too deeply/);
  });
});
