import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AA_TEXT, contrast, darkVariant, lowestContrast, PAGE_BACKGROUNDS } from '../src/shared/contrast.ts';
import { exportBundle, importBundle } from '../src/modules/bundle/bundle.service.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { DEMO, FIXTURE, memoryDb, siteFor, testStore, type TestSite } from './harness.ts';
import { edit, problemsWith } from './bundle-problems.ts';

// Issue 15: a museum sets its own colour and typeface (museum.style), so that a
// second museum does not look like the Drôme one; its colours must read at
// WCAG AA where the site uses them, or the bundle is refused.

const withStyle = (style: string) => (d: string) => edit(d, 'bundle.yaml', (s) => s.replace(/ {2}style:\n(?: {4}.*\n)+/, style));

describe('contrast', () => {
  test('WCAG ratios', () => {
    assert.equal(contrast('#000000', '#ffffff'), 21);
    assert.equal(contrast('#777777', '#777777'), 1);
    assert.equal(contrast('#767676', '#ffffff').toFixed(2), '4.54');
  });
  test('a derived dark colour reads at AA on every dark background, whatever the light one', () => {
    for (const c of ['#1d5c45', '#7d1f1f', '#000080', '#333333', '#a05000']) assert.ok(lowestContrast(darkVariant(c), PAGE_BACKGROUNDS.dark) >= AA_TEXT, c);
  });
  test('the backgrounds the checks use are those of the stylesheet, light and dark', () => {
    const css = readFileSync('src/web/styles/site.css', 'utf8');
    const dark = css.slice(css.indexOf('@media (prefers-color-scheme: dark)'));
    const [bg, soft, note] = PAGE_BACKGROUNDS.light;
    for (const [name, value] of [['--bg', PAGE_BACKGROUNDS.dark[0]], ['--bg-soft', PAGE_BACKGROUNDS.dark[1]], ['--note', PAGE_BACKGROUNDS.dark[2]]] as const) {
      assert.match(dark.slice(0, 1200), new RegExp(`${name}: ${value};`), `dark ${name}`);
    }
    for (const [name, value] of [['--bg', bg], ['--bg-soft', soft], ['--note', note]] as const) assert.match(css.slice(0, 800), new RegExp(`${name}: ${value};`), `light ${name}`);
  });
});

describe('museum.style in the bundle', () => {
  test('the fixture\'s colours pass', () => {
    assert.deepEqual(problemsWith(FIXTURE, () => {}), []);
  });
  test('a pale accent is refused: links would not read, nor the buttons\' white text', () => {
    const problems = problemsWith(FIXTURE, withStyle('  style:\n    accent: "#8fbfa9"\n'));
    assert.equal(problems.filter((p) => p.code === 'low_contrast' && p.field === 'style.accent').length, 2, JSON.stringify(problems));
    assert.match(problems[0]!.message, /reads? at \d\.\d\d:1/);
  });
  test('a dark accent_dark is refused in the dark scheme', () => {
    const problems = problemsWith(FIXTURE, withStyle('  style:\n    accent: "#1d5c45"\n    accent_dark: "#1d5c45"\n'));
    assert.deepEqual(problems.map((p) => [p.code, p.field]), [['low_contrast', 'style.accent_dark']]);
  });
  test('a colour that is not #rrggbb, or an unknown font, is a schema problem on its field', () => {
    const problems = problemsWith(FIXTURE, withStyle('  style:\n    accent: green\n    font: comic\n'));
    assert.deepEqual(problems.map((p) => p.code).sort(), ['schema', 'schema']);
    assert.ok(problems.some((p) => /#rrggbb/.test(p.message)), JSON.stringify(problems));
  });
});

describe('the museum\'s stylesheet', () => {
  let fixture: TestSite;
  let demo: TestSite;
  before(async () => { [fixture, demo] = await Promise.all([siteFor(FIXTURE), siteFor(DEMO)]); });
  after(async () => { await fixture.close(); await demo.close(); });

  test('every page of the fixture links it after the site\'s; it is served, cached for a year, with its colours and typeface', async () => {
    const html = await fixture.html('/de/');
    const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"\/>/g)].map((m) => m[1]!);
    assert.equal(links.length, 2);
    assert.match(links[1]!, /^\/assets\/museum\.[0-9a-f]{12}\.css$/);
    assert.ok((await fixture.html('/en/tour/minerals')).includes(`href="${links[1]}"`));
    const r = await fixture.get(links[1]!);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(r.headers.get('content-type') ?? '', /^text\/css/);
    const css = await r.text();
    assert.match(css, /@media screen \{ :root \{ --accent: #1d5c45; --button-bg: #1d5c45;/);
    assert.match(css, /@media screen and \(prefers-color-scheme: dark\) \{ :root \{ --accent: #7fcfae;/);
    assert.match(css, /:root \{ --text-font: var\(--sans\); \}/);
    assert.equal((await fixture.get('/assets/museum.000000000000.css')).status, 404);
  });
  test('the demo keeps the site\'s look: no stylesheet of its own', async () => {
    assert.doesNotMatch(await demo.html('/fr/'), /\/assets\/museum\./);
  });
  test('import → database → export keeps the style, on this engine', async () => {
    const db = await memoryDb();
    const out = mkdtempSync(join(tmpdir(), 'parcours-style-'));
    try {
      await importBundle(db, FIXTURE, testStore());
      assert.deepEqual((await loadContent(db))?.museum.style, { accent: '#1d5c45', accent_dark: '#7fcfae', font: 'sans' });
      await exportBundle(db, join(out, 'b'), testStore());
      assert.deepEqual((parse(readFileSync(join(out, 'b/bundle.yaml'), 'utf8')) as { museum: { style?: unknown } }).museum.style, { accent: '#1d5c45', accent_dark: '#7fcfae', font: 'sans' });
    } finally {
      rmSync(out, { recursive: true, force: true });
      await db.destroy();
    }
  });
});
