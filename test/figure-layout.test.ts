import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, mediaBundle, siteFor, testStore, type TestSite } from './harness.ts';
import { edit, lines, problemsWith } from './bundle-problems.ts';
import { exportBundle } from '../src/modules/bundle/bundle.service.ts';

// Where a theme's figure stands on wide screens (issue 15, bundle-format.md):
// `layout: margin` beside the end of the text before it, as notes and links
// are; `layout: full` across the text and its margin. The words and their
// order are the same at every width: only the wide grid places them.

describe('a figure laid out in the margin, and one across the page', () => {
  let s: TestSite;
  let dir: string;
  before(async () => {
    dir = await mediaBundle();
    // The ammonite follows the theme's first text block: in its margin. The film, later, across the page.
    edit(dir, 'themes/01-fossils.yaml', (y) => y.replace('{id: ammonite-figure, kind: figure, media: ammonite}', '{id: ammonite-figure, kind: figure, media: ammonite, layout: margin}'));
    s = await siteFor(dir);
  });
  after(() => s.close());

  test('a margin figure shares the wrapper of the text before it, after it in the source, with sizes for the margin', async () => {
    const html = await s.html('/en/tour/fossils');
    const group = /<div class="with-aside"><div class="with-aside-text">([\s\S]*?)<\/div><div class="aside">([\s\S]*?)<\/div><\/div>/.exec(html) ?? assert.fail('no text with its margin');
    assert.match(group[2]!, /^<figure class="figure figure-image figure--margin">/);
    assert.match(group[2]!, /sizes="\(min-width: 76rem\) 22rem, /);
    assert.doesNotMatch(group[1]!, /<figure/);
    // The same text before it, whatever the width: the intro's words come first.
    assert.ok(html.indexOf('with-aside-text') < html.indexOf('figure--margin'));
  });

  test('the layout survives an export: the bundle says it again', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parcours-layout-'));
    try {
      await exportBundle(s.db, join(out, 'b'), testStore());
      assert.match(readFileSync(join(out, 'b', 'themes', '01-fossils.yaml'), 'utf8'), /id: ammonite-figure[\s\S]*?layout: margin|layout: margin[\s\S]*?id: ammonite-figure/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

test('a figure laid out across the page is a direct part of the theme body, with sizes for that width', async () => {
  const dir = await mediaBundle();
  edit(dir, 'themes/01-fossils.yaml', (y) => y.replace('{id: ammonite-figure, kind: figure, media: ammonite}', '{id: ammonite-figure, kind: figure, media: ammonite, layout: full}'));
  const s = await siteFor(dir);
  try {
    const html = await s.html('/en/tour/fossils');
    assert.match(html, /<div class="theme-body">[\s\S]*<\/div><figure class="figure figure-image figure--full"><span class="picture">/);
    assert.match(html, /sizes="\(min-width: 96rem\) 66rem, \(min-width: 76rem\) 56rem, /);
    assert.doesNotMatch(html, /<div class="aside"><figure/);
  } finally {
    await s.close();
  }
});

test('a layout other than full or margin is refused where it is written; a gallery may only be full', () => {
  const bad = problemsWith(DEMO, (d) => edit(d, 'themes/02-phoney-war.yaml', (y) => y.replace('media: t02-loriol-stele-2017}', 'media: t02-loriol-stele-2017, layout: wide}')));
  assert.equal(bad.length, 1, lines(bad));
  assert.equal(bad[0]!.file, 'themes/02-phoney-war.yaml');
  assert.match(bad[0]!.field ?? '', /^blocks\[\d+\]\.layout$/);
  assert.ok(bad[0]!.line, 'the line of the value');
  const fine = problemsWith(DEMO, (d) => edit(d, 'themes/02-phoney-war.yaml', (y) => y.replace('media: t02-loriol-stele-2017}', 'media: t02-loriol-stele-2017, layout: margin}')));
  assert.deepEqual(fine, []);
});
