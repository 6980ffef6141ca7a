import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, FIXTURE, mediaBundle, testStore } from './harness.ts';
import { edit, lines, problemsWith } from './bundle-problems.ts';
import { PROBLEM_CODES, PROBLEM_ENTITIES, formatProblem, problem, type Problem } from '../src/modules/bundle/bundle.problems.ts';
import { checkBundle } from '../src/modules/bundle/bundle.service.ts';
import { isAppError } from '../src/shared/errors.ts';

// Problems are data: every code comes from the closed list, YAML problems
// carry their file and line, and the printed line (the CLI's contract) is
// what it was when problems were strings.

/** One bundle broken in many ways at once, each in a different file, so that they do not hide each other. */
function manyProblems(): Problem[] {
  return problemsWith(FIXTURE, (d) => {
    edit(d, 'places.yaml', (s) => s.replace('lat: 48.9412', 'lat: 148.9412').replace('  kind: town\n', '  kind: town\n  altitude: 400\n').replace('- id: solnhofen-quarry\n  kind: site\n', '- id: solnhofen-quarry\n'));
    edit(d, 'events.yaml', (s) => s.replace('start: 1952-03-08', 'start: 1952-02-30').replace('places: [beispielstadt]', 'places: [atlantis]'));
    edit(d, 'media.yaml', (s) => s.replace(/(- id: ammonite\n\s+kind: image\n\s+alt:\n\s+de: [^\n]+\n)\s+en: [^\n]+\n/, '$1'));
    edit(d, 'themes/01-fossils.en.md', (s) => `${s.replace(/\nblocks:\n/, '\nblocks:\n  nonexistent: {caption: Hello}\n')}\n::: nowhere\nText.\n`);
    edit(d, 'themes/02-minerals.yaml', (s) => s.replace(/kind: video/, 'kind: hologram'));
    edit(d, 'themes/03-evolution.en.md', (s) => s.replace(/^slug: (.*)$/m, 'slug: $1\n  bad: indent'));
    unlinkSync(join(d, 'themes/03-evolution.de.md'));
    edit(d, 'articles/fieldwork.en.md', (s) => s.replace(/\n---\n/, '\n---\nStray text.\n'));
    edit(d, 'pages/about.en.md', (s) => s.replace(/slug: about/, 'slug: tour'));
    edit(d, 'bundle.yaml', (s) => s.replace('locales: [de, en]', 'locales: [de, en, it]'));
    writeFileSync(join(d, 'themes', 'Bad Name.yaml'), '');
    writeFileSync(join(d, 'articles', 'orphan.de.md'), '');
    edit(d, 'visits/kids.yaml', (s) => `${s}\u0007`);
  });
}

describe('every problem carries a code from the closed list', () => {
  test('a bundle broken in many ways: known codes and entities, a file, a message without the file', () => {
    const problems = manyProblems();
    assert.ok(problems.length >= 15, lines(problems));
    for (const p of problems) {
      assert.ok((PROBLEM_CODES as readonly string[]).includes(p.code), `unknown code ${p.code}`);
      if (p.entity !== undefined) assert.ok((PROBLEM_ENTITIES as readonly string[]).includes(p.entity), `unknown entity ${p.entity}`);
      assert.ok(p.file, `no file: ${JSON.stringify(p)}`);
      assert.ok(!p.message.startsWith(`${p.file}:`), `the message repeats the file: ${JSON.stringify(p)}`);
    }
    // Many kinds of problem, each said by its own code.
    assert.ok(new Set(problems.map((p) => p.code)).size >= 12, lines(problems));
  });

  test('media files: known codes, the media item and its field', async () => {
    const dir = await mediaBundle();
    try {
      writeFileSync(join(dir, 'media/ammonite.jpg'), 'not a picture');
      unlinkSync(join(dir, 'media/tiny.en.vtt'));
      writeFileSync(join(dir, 'media/tiny.de.vtt'), 'WEBVTT\n\nnot a cue\n');
      writeFileSync(join(dir, 'media/tone.de.md'), 'See ![x](https://elsewhere.example/x.png)\n');
      const e = await checkBundle(dir, testStore()).then(() => assert.fail('accepted'), (x: unknown) => x);
      assert.ok(isAppError(e, 'bundle_invalid'));
      const problems = e.problems as Problem[];
      assert.deepEqual(e.details, problems.map(formatProblem));
      const summary = problems.map((p) => [p.code, p.file, p.entity, p.id, p.field, p.locale]);
      for (const expected of [
        ['media_type', 'media/ammonite.jpg', 'media', 'ammonite', 'file', undefined],
        ['file_missing', 'media/tiny.en.vtt', 'media', 'test-film', 'captions.en', 'en'],
        ['webvtt', 'media/tiny.de.vtt', 'media', 'test-film', 'captions.de', 'de'],
        ['foreign_image', 'media/tone.de.md', 'media', 'audio-guide', 'transcript.de', 'de'],
      ]) assert.ok(summary.some((s) => JSON.stringify(s) === JSON.stringify(expected)), `${JSON.stringify(expected)} in:\n${lines(problems)}`);
      for (const p of problems) assert.ok((PROBLEM_CODES as readonly string[]).includes(p.code), p.code);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every code of the list is recorded somewhere, and the sources record no other', () => {
    // Codes are string literals passed where a problem is made: collect the snake_case literals of the sources that make problems.
    const dir = 'src/modules/bundle';
    const files = [...readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'bundle.problems.ts').map((f) => join(dir, f)), 'src/modules/media/media.import.ts'];
    const source = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const unused = PROBLEM_CODES.filter((c) => !source.includes(`'${c}'`));
    assert.deepEqual(unused, [], 'codes in the list that no problem carries');
    // Every literal given as a code: problems.add('x', …), p.add('x', …), bad('x', …), fail('x', …), failed('x', …), problem('x', …), add('x', …).
    const given = [...source.matchAll(/\b(?:add|bad|fail|failed|problem|fileProblem\([^,]+,)\s*\(?'([a-z0-9_]+)'/g)].map((m) => m[1]!);
    assert.ok(given.length > 50, `found ${given.length} problem sites`);
    assert.deepEqual([...new Set(given.filter((c) => !(PROBLEM_CODES as readonly string[]).includes(c)))], []);
  });
  test('docs/bundle-format.md lists every code', () => {
    const doc = readFileSync('docs/bundle-format.md', 'utf8');
    assert.deepEqual(PROBLEM_CODES.filter((c) => !doc.includes(`\`${c}\``)), []);
  });
});

describe('problems of YAML files carry their file and line', () => {
  test('a syntax error: file, line and column, in YAML files and in front matter', () => {
    for (const [file, change] of [['places.yaml', (s: string) => `${s}\n- id: [unclosed\n`], ['themes/01-fossils.de.md', (s: string) => s.replace(/^slug: (.*)$/m, 'slug: $1\n  bad: indent')]] as const) {
      const problems = problemsWith(FIXTURE, (d) => edit(d, file, change));
      assert.equal(problems.length, 1, lines(problems));
      const p = problems[0]!;
      assert.equal(p.code, 'yaml_syntax');
      assert.equal(p.file, file);
      assert.ok(Number.isInteger(p.line) && Number.isInteger(p.column), JSON.stringify(p));
    }
  });
  test('every schema problem of a YAML file or front matter has a line and a column, and a field', () => {
    const problems = manyProblems();
    // 'required' is also a rule across files (a visit's slug for a language), which has no line: only the schema's is located.
    const located = problems.filter((p) => p.code === 'schema' || p.code === 'unknown_field' || (p.code === 'required' && p.file === 'places.yaml'));
    assert.ok(located.length >= 4, lines(located));
    for (const p of located) assert.ok(p.file && p.line !== undefined && p.column !== undefined && p.field, `not located: ${JSON.stringify(p)}`);
  });
  test('Markdown sections give their line; a control character its line and column', () => {
    const problems = manyProblems();
    const section = problems.find((p) => p.code === 'unknown_section');
    assert.ok(section && section.file === 'themes/01-fossils.en.md' && section.field === 'blocks.nowhere.body' && Number.isInteger(section.line), lines(problems));
    const control = problems.find((p) => p.code === 'control_character');
    assert.ok(control && control.file === 'visits/kids.yaml' && control.entity === 'visit' && control.id === 'kids' && control.line !== undefined && control.column !== undefined, lines(problems));
  });
});

describe('the printed line is what it always was (the CLI contract)', () => {
  test('a located schema problem, a Markdown section, a control character, a syntax error, a cross-file rule', () => {
    const printed = manyProblems().map(formatProblem);
    const evolutionLine = readFileSync(join(FIXTURE, 'themes/03-evolution.en.md'), 'utf8').split('\n').findIndex((l) => l.startsWith('slug:')) + 1;
    for (const line of [
      'places.yaml: place "beispielstadt": lat: latitude must be between -90 and 90 degrees (line 4, column 8)',
      'places.yaml: place "beispielstadt": unknown field "altitude" (line 3, column 3)',
      'places.yaml: place "solnhofen-quarry": kind: is required (line 12, column 3)',
      'events.yaml: event "museum-opening": place "atlantis" does not exist in places.yaml',
      'media.yaml: media "ammonite": alt text is missing for "en" (the caption is translated, the alt text must be too)',
      'themes/Bad Name.yaml: unexpected file name (expected <NN>-<id>.yaml or <NN>-<id>.<locale>.md)',
      'themes/03-evolution.de.md: file is missing (the default language "de" is required)',
      'pages/about.en.md: slug "tour" (en) is already used by visits/main.yaml',
      'bundle.yaml: museum.locales: the interface is not translated into "it" yet (available: en, fr, de); add a catalogue in src/i18n/messages.ts',
      'articles/orphan.de.md: has no structure file articles/orphan.yaml',
    ]) assert.ok(printed.includes(line), `${line}\nnot in:\n${printed.join('\n')}`);
    assert.ok(printed.some((l) => /^themes\/01-fossils\.en\.md: line \d+: section "nowhere" does not match any block of the structure file$/.test(l)), printed.join('\n'));
    assert.ok(printed.some((l) => /^articles\/fieldwork\.en\.md: line \d+: text before the first "::: block-id" marker$/.test(l)), printed.join('\n'));
    assert.ok(printed.some((l) => /^visits\/kids\.yaml: line \d+, column \d+: contains the control character U\+0007, which text files must not hold/.test(l)), printed.join('\n'));
    assert.ok(printed.some((l) => l.startsWith(`themes/03-evolution.en.md: YAML syntax error at line ${evolutionLine}, column `)), printed.join('\n'));
  });
  test('formatProblem places the position as each message needs, escapes control characters and bounds the length', () => {
    assert.equal(formatProblem(problem('schema', 'a.yaml', 'x: bad', { line: 3, column: 5 })), 'a.yaml: x: bad (line 3, column 5)');
    assert.equal(formatProblem(problem('empty_section', 'a.md', 'section "s" is empty', { line: 9, placement: 'start' })), 'a.md: line 9: section "s" is empty');
    assert.equal(formatProblem(problem('control_character', 'a.md', 'contains …', { line: 2, column: 4, placement: 'start' })), 'a.md: line 2, column 4: contains …');
    assert.equal(formatProblem(problem('yaml_syntax', 'a.yaml', 'YAML syntax error at line 1, column 2: x', { line: 1, column: 2, placement: 'message' })), 'a.yaml: YAML syntax error at line 1, column 2: x');
    assert.equal(formatProblem(problem('file_name', 'x\u001b[2J.md', 'bad \u202e name')), 'x\\u001b[2J.md: bad \\u202e name');
    const long = formatProblem(problem('schema', 'a.yaml', 'y'.repeat(5000), { line: 1, column: 1 }));
    assert.equal(long, `a.yaml: ${'y'.repeat(2000 - 'a.yaml: '.length)}…`);
    // Fields it does not know are absent, not undefined: problems compare and serialize cleanly.
    assert.deepEqual(Object.keys(problem('schema', 'a.yaml', 'm', { id: undefined, field: 'f' })), ['code', 'message', 'file', 'field']);
  });
  test('the demo and the fixture have no problems', () => {
    assert.deepEqual(problemsWith(DEMO, () => {}), []);
    assert.deepEqual(problemsWith(FIXTURE, () => {}), []);
  });
});
