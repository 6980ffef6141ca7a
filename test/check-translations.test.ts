import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, FIXTURE, copyBundle } from './harness.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { lines } from './bundle-problems.ts';
import { untranslated } from '../src/modules/content/content.stats.ts';
import { formatStats } from '../src/cli/report.ts';
import type { Content } from '../src/modules/content/content.schema.ts';

// `parcours check` lists every field that a language lacks, in every kind of
// entry: visitors see the default language there.

const edit = (dir: string, rel: string, f: (s: string) => string) => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));
function contentWith(src: string, change: (dir: string) => void): Content {
  const dir = copyBundle(src);
  change(dir);
  const { content, problems } = readBundle(dir);
  assert.ok(content, lines(problems));
  return content;
}
const key = (g: { entity: string; id: string; field: string; locale: string }) => `${g.locale} ${g.entity} ${g.id} ${g.field}`;

test('every untranslated field is listed with its entry, field and language', () => {
  const before = new Set(untranslated(contentWith(FIXTURE, () => {})).map(key));
  const c = contentWith(FIXTURE, (d) => {
    edit(d, 'events.yaml', (s) => s.replace('    en: The museum opens\n', ''));
    edit(d, 'places.yaml', (s) => s.replace('    en: A fictional small town in the Altmühl valley, home of the museum.\n', ''));
    edit(d, 'media.yaml', (s) => s.replace('    en: Ammonite from the Solnhofen limestone, found in 1931.\n', ''));
    edit(d, 'visits/main.yaml', (s) => s.replace(/ {2}en: Three rooms[^\n]*\n/, ''));
    edit(d, 'bundle.yaml', (s) => s.replace(/ {4}en: A small museum[^\n]*\n/, ''));
    edit(d, 'themes/01-fossils.en.md', (s) => s.replace(/ {2}ammonite-figure:\n {4}caption: [^\n]*\n/, ''));
    unlinkSync(join(d, 'articles/fieldwork.en.md'));
  });
  const added = untranslated(c).map(key).filter((k) => !before.has(k));
  assert.deepEqual(added.sort(), [
    'en article fieldwork *',
    'en event museum-opening title',
    'en media ammonite caption',
    'en museum naturkunde-beispielstadt intro',
    'en place beispielstadt description',
    'en theme fossils block ammonite-figure: caption',
    'en visit main summary',
  ]);
});

test('tags and map layers too', () => {
  const c = contentWith(DEMO, (d) => {
    edit(d, 'tags.yaml', (s) => s.replace('{id: war, label: {fr: Guerre, en: War}}', '{id: war, label: {fr: Guerre}}'));
    edit(d, 'layers.yaml', (s) => s.replace('name: {fr: Ardèche, en: Ardèche}', 'name: {fr: Ardèche}'));
  });
  assert.deepEqual(untranslated(c).map(key), ['en tag war label', 'en layer ardeche name']);
});

test('check prints them per language, counted, one line per entry', () => {
  const c = contentWith(FIXTURE, (d) => {
    edit(d, 'events.yaml', (s) => s.replace('    en: The museum opens\n', '').replace(/ {4}en: The Beispielstadt natural history society[^\n]*\n/, ''));
  });
  const out = formatStats(c);
  assert.match(out, /\nNot translated yet \(visitors see the de text instead\):\n {2}en: 5 fields in 3 entries\n/);
  assert.match(out, /\n {4}event museum-opening: title, description$/);
  assert.match(out, /\n {4}theme evolution: lead, block evolution-archaeopteryx: body\n/);
  assert.match(formatStats(contentWith(DEMO, () => {})), /\nEvery text is translated into en\.$/);
});
