import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO, PAGE_TYPES, siteFor, type TestSite } from './harness.ts';
import { UNTRANSLATED_PAGES, untranslatedCopy } from './untranslated.ts';

// The Nu Html Checker (the W3C validator, vnu.jar) on every page type in both
// languages, and on the stylesheet as served. Java runs once for all files.

const require = createRequire(import.meta.url);
const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');

const PAGES = PAGE_TYPES;

interface VnuMessage { type: string; subType?: string; url?: string; lastLine?: number; lastColumn?: number; message: string; extract?: string }

const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
const skip = java.error ? '`java` is not on PATH' : java.status !== 0 ? `\`java -version\` failed: ${java.stderr.trim()}` : false;
if (skip) {
  console.warn(`\n!!! HTML VALIDATION (vnu) TESTS SKIPPED: ${skip} — install a Java runtime (apt-get install default-jre-headless) !!!\n`);
}

describe('the Nu Html Checker finds no error', { skip }, () => {
  let s: TestSite;
  let u: TestSite;
  let dir: string;
  /** file path → what it is, e.g. "/en/visit (visit overview)" */
  const files = new Map<string, string>();
  let messages: VnuMessage[] = [];

  before(async () => {
    s = await siteFor(DEMO);
    dir = mkdtempSync(join(tmpdir(), 'parcours-vnu-'));
    let i = 0;
    for (const [kind, paths] of Object.entries(PAGES)) {
      for (const path of [paths.fr, paths.en]) {
        const res = await s.get(path);
        assert.equal(res.status, kind.includes('404') ? 404 : 200, path);
        const file = join(dir, `${String(i++).padStart(2, '0')}${path.replace(/[^a-z0-9]+/gi, '_')}.html`);
        writeFileSync(file, await res.text());
        files.set(file, `${path} (${kind})`);
      }
    }
    // Pages whose texts fall back to French (marks, notices, lang on SVG labels and options).
    u = await siteFor(untranslatedCopy(DEMO));
    for (const [kind, path] of Object.entries(UNTRANSLATED_PAGES)) {
      const res = await u.get(path);
      assert.equal(res.status, 200, path);
      const file = join(dir, `${String(i++).padStart(2, '0')}${path.replace(/[^a-z0-9]+/gi, '_')}.html`);
      writeFileSync(file, await res.text());
      files.set(file, `${path} (untranslated: ${kind})`);
    }
    // The stylesheet exactly as served (minified by esbuild).
    const css = /<link rel="stylesheet" href="([^"]+\.css)"/.exec(await s.html('/en/'))?.[1];
    assert.ok(css, 'stylesheet link');
    const cssFile = join(dir, 'site.css');
    writeFileSync(cssFile, await (await s.get(css)).text());
    files.set(cssFile, `${css} (stylesheet)`);

    const run = spawnSync('java', ['-Xss2m', '-jar', VNU_JAR, '--errors-only', '--also-check-css', '--format', 'json', ...files.keys()], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    // vnu writes its JSON report to stderr; exit status 1 just means "errors found".
    try {
      messages = (JSON.parse(run.stderr) as { messages: VnuMessage[] }).messages;
    } catch {
      throw new Error(`vnu did not produce a JSON report (status ${run.status}):\n${run.stderr}\n${run.stdout}`);
    }
  });
  after(async () => {
    await s?.close();
    await u?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // vnu names files "file:/tmp/…": compare paths, not URL spellings.
  const fileOf = (m: VnuMessage) => (m.url?.startsWith('file:') ? fileURLToPath(m.url.replace(/^file:\/*/, 'file:///')) : undefined);
  const errorsFor = (file: string) => messages.filter((m) => m.type === 'error' && fileOf(m) === file);
  const format = (m: VnuMessage) => `  - line ${m.lastLine ?? '?'}:${m.lastColumn ?? '?'}: ${m.message}${m.extract ? `\n      ${JSON.stringify(m.extract)}` : ''}`;

  test('every document was checked', () => {
    assert.equal(files.size, Object.keys(PAGES).length * 2 + Object.keys(UNTRANSLATED_PAGES).length + 1);
    const unknown = messages.filter((m) => m.type !== 'info' && !files.has(fileOf(m) ?? ''));
    assert.deepEqual(unknown, [], 'vnu reported a problem not attached to one of our files (e.g. a fatal error)');
  });

  for (const [kind, paths] of Object.entries(PAGES)) {
    for (const path of [paths.fr, paths.en]) {
      test(`${kind}: ${path} is valid HTML`, () => {
        const file = [...files].find(([, label]) => label === `${path} (${kind})`)?.[0];
        assert.ok(file);
        const errors = errorsFor(file);
        assert.equal(errors.length, 0, `vnu found ${errors.length} error(s) in ${path}:\n${errors.map(format).join('\n')}`);
      });
    }
  }

  for (const [kind, path] of Object.entries(UNTRANSLATED_PAGES)) {
    test(`untranslated ${kind}: ${path} is valid HTML`, () => {
      const file = [...files].find(([, label]) => label === `${path} (untranslated: ${kind})`)?.[0];
      assert.ok(file);
      const errors = errorsFor(file);
      assert.equal(errors.length, 0, `vnu found ${errors.length} error(s) in ${path}:\n${errors.map(format).join('\n')}`);
    });
  }

  test('the stylesheet, as served, is valid CSS', () => {
    const file = [...files].find(([, label]) => label.endsWith('(stylesheet)'))?.[0];
    assert.ok(file);
    // The checker's CSS grammar predates SVG 2's paint-order (in every browser
    // since 2017, used for the map labels' halo) and vector-effect (SVG 1.2
    // Tiny, in every browser: the base map's lines keep their width when a map
    // drawn for two widths is shown small), and CSS Scroll-driven
    // Animations (Chromium 115, Safari 26: the theme's contents step aside while
    // the full-width by-date map passes, behind @supports): those properties are
    // known and allowed; any other message is an error.
    const known = /“(paint-order|vector-effect|animation-timeline|animation-range|view-timeline|timeline-scope)”: Property “\1” doesn't exist/;
    const errors = errorsFor(file).filter((e) => !known.test(e.message));
    assert.equal(errors.length, 0, `vnu found ${errors.length} error(s) in the stylesheet:\n${errors.map(format).join('\n')}`);
  });
});
