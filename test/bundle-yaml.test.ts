import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANY, edit, lines, only, problemsWith } from './bundle-problems.ts';
import { DEMO, FIXTURE } from './harness.ts';

// YAML problems name the file, the line and the column, and report causes:
// a syntax error is reported once (with how many errors follow it), and the
// entries of a file that cannot be parsed are not reported missing elsewhere.

/** The 1-based line of the first line of `file` in `src` that contains `needle`. */
const lineOf = (src: string, file: string, needle: string) => readFileSync(join(src, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('syntax errors: the first cause, with its line and column', () => {
  test('a single tab in media.yaml is one problem, not 1,141', () => {
    const line = lineOf(DEMO, 'media.yaml', '  kind: image');
    const problems = problemsWith(DEMO, (d) => edit(d, 'media.yaml', (s) => s.replace('  kind: image', '\tkind: image')));
    const p = only(problems, { code: 'yaml_syntax', file: 'media.yaml', line, column: ANY });
    assert.match(p.message, new RegExp(`line ${line} is indented with a tab.*; \\d+ more errors after it`));
  });
  test('a one-line indentation error in events.yaml is one problem, and no document reports its events missing', () => {
    const line = lineOf(DEMO, 'events.yaml', '  places:');
    const problems = problemsWith(DEMO, (d) => edit(d, 'events.yaml', (s) => s.replace('\n  places:', '\n   places:')));
    only(problems, { code: 'yaml_syntax', file: 'events.yaml', line, column: 1 });
  });
  test('an over-indented line in media.yaml names that line; figures that show its media are not reported', () => {
    const line = lineOf(DEMO, 'media.yaml', '  kind: image');
    const problems = problemsWith(DEMO, (d) => edit(d, 'media.yaml', (s) => s.replace('  kind: image', '   kind: image')));
    const p = only(problems, { code: 'yaml_syntax', file: 'media.yaml', line: line - 1, column: ANY });
    assert.match(p.message, new RegExp(`\\(line ${line} is indented further than the line above it\\)`));
  });
  test('places.yaml that does not parse: events naming its places are not reported', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => `${s}\n- id: [unclosed\n`)), { code: 'yaml_syntax', file: 'places.yaml', entity: 'place', line: ANY, column: ANY });
  });
  test('front matter errors are counted from the top of the Markdown file, and the file is not also "missing"', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.de.md', (s) => s.replace(/^slug: (.*)$/m, 'slug: $1\n  bad: indent')));
    only(problems, { code: 'yaml_syntax', file: 'themes/01-fossils.de.md', entity: 'theme', id: 'fossils', locale: 'de', line: 3, column: ANY });
  });
  test('duplicate keys, several documents, tags and keys that are maps are refused', () => {
    const syntax = { code: 'yaml_syntax', file: 'places.yaml' } as const;
    // The code is the same: the message says which rule, in words a curator can act on.
    const cases: [(s: string) => string, number | typeof ANY, number, RegExp][] = [
      [(s) => s.replace('  kind: town\n', '  kind: town\n  kind: village\n'), 3, 3, /the key "kind" appears twice/],
      [(s) => `${s}---\n- id: x\n`, ANY, 1, /several YAML documents/],
      [(s) => s.replace('kind: town', 'kind: !!binary dG93bg=='), 2, 9, /the tag !!binary is not used in bundles/],
      [(s) => s.replace('kind: town', 'kind: {[a, b]: c}'), 2, 10, /a key must be a plain name/],
    ];
    for (const [change, line, column, says] of cases) {
      assert.match(only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', change)), { ...syntax, line, column }).message, says);
    }
  });
  test('a %YAML 1.1 directive does not turn "yes" into true or 1:20 into 80', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => `%YAML 1.1\n---\n${s.replace('lat: 48.9412', 'lat: 48:56')}`));
    only(problems, { code: 'schema', file: 'places.yaml', entity: 'place', id: 'beispielstadt', field: 'lat', line: 5, column: 8 });
  });
});

describe('schema problems of YAML entries carry their line and column', () => {
  test('a bad value points at the value, an unknown field at its key, a missing field at its entry', () => {
    const line = lineOf(FIXTURE, 'events.yaml', 'start: 1952-03-08');
    const date = problemsWith(FIXTURE, (d) => edit(d, 'events.yaml', (s) => s.replace('start: 1952-03-08', 'start: 1952-02-30')));
    only(date, { code: 'schema', file: 'events.yaml', entity: 'event', id: 'fluorite-donation', field: 'date.start', line, column: 17 });
    const unknown = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('  lon: 11.0526\n', '  lon: 11.0526\n  altitude: 400\n')));
    only(unknown, { code: 'unknown_field', file: 'places.yaml', entity: 'place', id: 'beispielstadt', field: 'altitude', line: 5, column: 3 });
    const missing = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('  kind: town\n', '')));
    only(missing, { code: 'required', file: 'places.yaml', entity: 'place', id: 'beispielstadt', field: 'kind', line: 1, column: 3 });
  });
  test('front matter fields are located in the Markdown file', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.en.md', (s) => s.replace(/^slug: .*$/m, 'slug: Not A Slug')));
    only(problems, { code: 'schema', file: 'themes/01-fossils.en.md', entity: 'theme', id: 'fossils', locale: 'en', field: 'slug', line: 3, column: 7 });
  });
  test('an entry without a usable id is named by its position, never "[object Object]", and its field path reads cleanly', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('- id: beispielstadt', '- id: {a: 1}')));
    const p = problems.find((x) => x.field === '[0].id');
    assert.ok(p && p.code === 'schema' && p.entity === 'place' && p.id === undefined && p.line === 1 && p.column === 7, lines(problems));
    assert.ok(!/\[object Object\]|: :/.test(lines(problems)), lines(problems));
    // The entry that lost its id might be any place: events naming places are not judged.
    assert.ok(!problems.some((x) => x.code === 'unknown_reference'), lines(problems));
  });
  test('a key hundreds of characters long is quoted short', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('  kind: town\n', `  kind: town\n  ${'k'.repeat(900)}: 1\n`)));
    const p = only(problems, { code: 'unknown_field', file: 'places.yaml', id: 'beispielstadt', line: 3, column: 3 });
    assert.match(p.message, /unknown field "k{60}…"$/);
    assert.ok((p.field ?? '').length <= 201, 'the field is bounded too');
  });
});
