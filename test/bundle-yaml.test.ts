import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edit, only, problemsWith } from './bundle-problems.ts';
import { DEMO, FIXTURE, copyBundle } from './harness.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';

// YAML problems name the file, the line and the column, and report causes:
// a syntax error is reported once (with how many errors follow it), and the
// entries of a file that cannot be parsed are not reported missing elsewhere.

/** The 1-based line of the first line of `file` in `src` that contains `needle`. */
const lineOf = (src: string, file: string, needle: string) => readFileSync(join(src, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('syntax errors: the first cause, with its line and column', () => {
  test('a single tab in media.yaml is one problem, not 1,141', () => {
    const line = lineOf(DEMO, 'media.yaml', '  kind: image');
    const problems = problemsWith(DEMO, (d) => edit(d, 'media.yaml', (s) => s.replace('  kind: image', '\tkind: image')));
    only(problems, new RegExp(`^media\\.yaml: YAML syntax error at line ${line}, column \\d+: .*line ${line} is indented with a tab.*; \\d+ more errors after it`));
  });
  test('a one-line indentation error in events.yaml is one problem, and no document reports its events missing', () => {
    const line = lineOf(DEMO, 'events.yaml', '  places:');
    const problems = problemsWith(DEMO, (d) => edit(d, 'events.yaml', (s) => s.replace('\n  places:', '\n   places:')));
    only(problems, new RegExp(`^events\\.yaml: YAML syntax error at line ${line}, column 1: `));
  });
  test('an over-indented line in media.yaml names that line; figures that show its media are not reported', () => {
    const line = lineOf(DEMO, 'media.yaml', '  kind: image');
    const problems = problemsWith(DEMO, (d) => edit(d, 'media.yaml', (s) => s.replace('  kind: image', '   kind: image')));
    only(problems, new RegExp(`^media\\.yaml: YAML syntax error at line ${line - 1}, column \\d+: .*\\(line ${line} is indented further than the line above it\\)`));
  });
  test('places.yaml that does not parse: events naming its places are not reported', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => `${s}\n- id: [unclosed\n`)), /^places\.yaml: YAML syntax error at line \d+, column \d+: /);
  });
  test('front matter errors are counted from the top of the Markdown file, and the file is not also "missing"', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.de.md', (s) => s.replace(/^slug: (.*)$/m, 'slug: $1\n  bad: indent')));
    only(problems, /^themes\/01-fossils\.de\.md: YAML syntax error at line 3, column \d+: /);
  });
  test('duplicate keys, several documents, tags and keys that are maps are refused', () => {
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('  kind: town\n', '  kind: town\n  kind: village\n'))), /^places\.yaml: YAML syntax error at line 3, column 3: the key "kind" appears twice/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => `${s}---\n- id: x\n`)), /^places\.yaml: YAML syntax error at line \d+, column 1: the file holds several YAML documents/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('kind: town', 'kind: !!binary dG93bg=='))), /^places\.yaml: YAML syntax error at line 2, column 9: the tag !!binary is not used in bundles/);
    only(problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('kind: town', 'kind: {[a, b]: c}'))), /^places\.yaml: YAML syntax error at line 2, column 10: a key must be a plain name/);
  });
  test('a %YAML 1.1 directive does not turn "yes" into true or 1:20 into 80', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => `%YAML 1.1\n---\n${s.replace('lat: 48.9412', 'lat: 48:56')}`));
    only(problems, /^places\.yaml: place "beispielstadt": lat: latitude must be a number of degrees \(line 5, column 8\)$/);
  });
});

describe('schema problems of YAML entries carry their line and column', () => {
  test('a bad value points at the value, an unknown field at its key, a missing field at its entry', () => {
    const line = lineOf(FIXTURE, 'events.yaml', 'start: 1952-03-08');
    const date = problemsWith(FIXTURE, (d) => edit(d, 'events.yaml', (s) => s.replace('start: 1952-03-08', 'start: 1952-02-30')));
    only(date, new RegExp(`^events\\.yaml: event "fluorite-donation": date\\.start: is not a real calendar date \\(line ${line}, column 17\\)$`));
    const unknown = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('  lon: 11.0526\n', '  lon: 11.0526\n  altitude: 400\n')));
    only(unknown, /^places\.yaml: place "beispielstadt": unknown field "altitude" \(line 5, column 3\)$/);
    const missing = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('  kind: town\n', '')));
    only(missing, /^places\.yaml: place "beispielstadt": kind: is required \(line 1, column 3\)$/);
  });
  test('front matter fields are located in the Markdown file', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'themes/01-fossils.en.md', (s) => s.replace(/^slug: .*$/m, 'slug: Not A Slug')));
    only(problems, /^themes\/01-fossils\.en\.md: slug: must be lowercase letters, digits and single hyphens \(line 3, column 7\)$/);
  });
  test('an entry without a usable id is named by its position, never "[object Object]", and its field path reads cleanly', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('- id: beispielstadt', '- id: {a: 1}')));
    assert.ok(problems.some((p) => /^places\.yaml: \[0\]\.id: must be text \(found a map of fields\) \(line 1, column 7\)$/.test(p)), problems.join('\n'));
    assert.ok(!problems.some((p) => p.includes('[object Object]') || p.includes(': :')), problems.join('\n'));
    // The entry that lost its id might be any place: events naming places are not judged.
    assert.ok(!problems.some((p) => /does not exist/.test(p)), problems.join('\n'));
  });
  test('a key hundreds of characters long is quoted short', () => {
    const problems = problemsWith(FIXTURE, (d) => edit(d, 'places.yaml', (s) => s.replace('  kind: town\n', `  kind: town\n  ${'k'.repeat(900)}: 1\n`)));
    only(problems, /^places\.yaml: place "beispielstadt": unknown field "k{60}…" \(line 3, column 3\)$/);
  });
});
