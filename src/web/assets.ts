import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build, stop, transform } from 'esbuild';
import { CACHE, prepareAsync, type Prepared } from './http/prepared.ts';
import type { Assets } from './site/site.context.ts';

// The stylesheet and the island script are built in memory at start-up
// (esbuild takes a few tens of milliseconds), named by content hash and
// served as immutable. No build step is needed before `npm start`.

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const require = createRequire(import.meta.url);

export interface BuiltAssets {
  urls: Assets;
  files: Map<string, Prepared>;
  /** /favicon.ico, which browsers and feed readers ask for whatever the page links. */
  favicon: Prepared;
  /** The administration's own stylesheet (src/web/styles/admin.css), among `files`. */
  adminCss: string;
  /** The administration's script (src/web/admin/admin.script.ts, an enhancement only), among `files`. */
  adminJs: string;
  /** The preview banner's stylesheet (src/web/styles/preview.css), among `files`: only previews link it. */
  previewCss: string;
}

/** A month: the address never changes, and a stale icon for a while is harmless. */
const FAVICON_CACHE = 'public, max-age=2592000';

function hashed(name: string, ext: string, body: string | Buffer): string {
  return `/assets/${name}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
}

/**
 * The text's typeface, self-hosted (docs/design.md): Source Serif 4 (SIL Open
 * Font License) from @fontsource, its Latin faces only (French, English,
 * German), regular, italic and semibold (bold text uses the semibold: three
 * files, 62 KB in all); the Latin Extended faces (Oświęcim, Fürstenberg's
 * neighbours) are fetched only by a page that needs them (unicode-range).
 * font-display: swap: the text is shown at once in the fallback serif.
 */
const FONT_FACES: { css: string; weight: string; latinExt: boolean }[] = [
  { css: '400.css', weight: '400', latinExt: true },
  { css: '400-italic.css', weight: '400', latinExt: true },
  { css: '600.css', weight: '600 700', latinExt: true },
];
const FONT_PACKAGE = '@fontsource/source-serif-4';

function fontFaces(): { css: string; files: { url: string; body: Buffer }[] } {
  const dir = dirname(require.resolve('@fontsource/source-serif-4/package.json'));
  const files: { url: string; body: Buffer }[] = [];
  const faces: string[] = [];
  for (const face of FONT_FACES) {
    const source = readFileSync(join(dir, face.css), 'utf8');
    for (const [, subset, block] of source.matchAll(/\/\* source-serif-4-([a-z-]+)-\d+-(?:normal|italic) \*\/\n(@font-face \{[^}]+\})/g)) {
      if (subset !== 'latin' && !(subset === 'latin-ext' && face.latinExt)) continue;
      const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block!)?.[1];
      if (!file) throw new Error(`${FONT_PACKAGE}/${face.css}: no woff2 file for ${subset}`);
      const body = readFileSync(join(dir, 'files', file));
      const url = hashed(file.replace(/\.woff2$/, ''), 'woff2', body);
      files.push({ url, body });
      faces.push(block!
        .replace(/src: [^;]+;/, `src: url(${url}) format('woff2');`)
        .replace(/font-weight: \d+;/, `font-weight: ${face.weight};`));
    }
  }
  return { css: faces.join('\n'), files };
}

export async function buildAssets(): Promise<BuiltAssets> {
  const fonts = fontFaces();
  const cssSource = `${fonts.css}\n${readFileSync(here('./styles/site.css'), 'utf8')}`;
  const css = (await transform(cssSource, { loader: 'css', minify: true, target: ['chrome100', 'firefox100', 'safari15'] })).code;
  // The island script, split: code that only some visitors need (the
  // deep-zoom viewer) is a separate file, fetched when it is first used.
  const js = await build({
    entryPoints: { site: here('../islands/main.ts') }, bundle: true, minify: true, format: 'esm', write: false,
    splitting: true, outdir: '/assets', entryNames: '[name].[hash]', chunkNames: '[name].[hash]',
    target: ['es2020'], legalComments: 'none',
  });
  const sheet = async (file: string) => (await transform(readFileSync(here(file), 'utf8'), { loader: 'css', minify: true, target: ['chrome100', 'firefox100', 'safari15'] })).code;
  const adminCss = await sheet('./styles/admin.css');
  const adminUrl = hashed('admin', 'css', adminCss);
  const adminScript = (await build({ entryPoints: [here('./admin/admin.script.ts')], bundle: true, minify: true, format: 'esm', write: false, target: ['es2020'], legalComments: 'none' })).outputFiles[0]!.text;
  const adminJs = hashed('admin', 'js', adminScript);
  const previewCss = await sheet('./styles/preview.css');
  const previewUrl = hashed('preview', 'css', previewCss);
  const scripts = js.outputFiles.filter((f) => f.path.endsWith('.js'));
  const main = scripts.find((f) => /\/site\.[A-Z0-9]+\.js$/.test(f.path));
  if (!main) throw new Error('the island build produced no site script');
  // The icons are made from icon.svg by scripts/favicon.ts (sharp is not loaded by a server for them).
  const svg = readFileSync(here('./icon.svg'));
  const ico = readFileSync(here('./favicon.ico'));
  const touch = readFileSync(here('./apple-touch-icon.png'));
  const urls = {
    css: hashed('site', 'css', css), js: main.path,
    icons: { svg: hashed('icon', 'svg', svg), ico: hashed('favicon', 'ico', ico), touch: hashed('apple-touch-icon', 'png', touch) },
  };
  // Compressed at the best level on libuv's thread pool, all at once (the cores share it; on this thread, one
  // after the other, the 380 KB took 0.7 s of a start during which nothing else ran).
  const best = (body: string | Buffer, type: string, cache: string) => prepareAsync(body, type, cache, 'best');
  const entries: [string, Promise<Prepared>][] = [
    [urls.css, best(css, 'text/css; charset=utf-8', CACHE.immutable)],
    [adminUrl, best(adminCss, 'text/css; charset=utf-8', CACHE.immutable)],
    [adminJs, best(adminScript, 'text/javascript; charset=utf-8', CACHE.immutable)],
    [previewUrl, best(previewCss, 'text/css; charset=utf-8', CACHE.immutable)],
    [urls.icons.svg, best(svg, 'image/svg+xml', CACHE.immutable)],
    [urls.icons.ico, best(ico, 'image/x-icon', CACHE.immutable)],
    [urls.icons.touch, best(touch, 'image/png', CACHE.immutable)],
    ...scripts.map((f): [string, Promise<Prepared>] => [f.path, best(f.text, 'text/javascript; charset=utf-8', CACHE.immutable)]),
    ...fonts.files.map((f): [string, Promise<Prepared>] => [f.url, best(f.body, 'font/woff2', CACHE.immutable)]),
  ];
  const [favicon, ...prepared] = await Promise.all([best(ico, 'image/x-icon', FAVICON_CACHE), ...entries.map(([, p]) => p)]);
  return { urls, files: new Map(entries.map(([path], i) => [path, prepared[i]!])), favicon: favicon!, adminCss: adminUrl, adminJs, previewCss: previewUrl };
}

/**
 * Ends esbuild's service process (some 28 MB per server) once a server has its assets:
 * a later build starts it again. Not called inside buildAssets, which may run beside another build.
 */
export const releaseBuilder = (): Promise<void> => stop();
