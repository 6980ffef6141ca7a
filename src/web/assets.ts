import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build, stop, transform } from 'esbuild';
import { CACHE, prepareAsync, type Prepared } from './http/prepared.ts';
import type { Assets } from './site/site.context.ts';

// The stylesheet and the island script are built in memory at start-up
// (esbuild takes a few tens of milliseconds), named by content hash and
// served as immutable. No build step is needed before `npm start`.

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export interface BuiltAssets {
  urls: Assets;
  files: Map<string, Prepared>;
  /** /favicon.ico, which browsers and feed readers ask for whatever the page links. */
  favicon: Prepared;
}

/** A month: the address never changes, and a stale icon for a while is harmless. */
const FAVICON_CACHE = 'public, max-age=2592000';

function hashed(name: string, ext: string, body: string | Buffer): string {
  return `/assets/${name}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
}

export async function buildAssets(): Promise<BuiltAssets> {
  const cssSource = readFileSync(here('./styles/site.css'), 'utf8');
  const css = (await transform(cssSource, { loader: 'css', minify: true, target: ['chrome100', 'firefox100', 'safari15'] })).code;
  // The island script, split: code that only some visitors need (the
  // deep-zoom viewer) is a separate file, fetched when it is first used.
  const js = await build({
    entryPoints: { site: here('../islands/main.ts') }, bundle: true, minify: true, format: 'esm', write: false,
    splitting: true, outdir: '/assets', entryNames: '[name].[hash]', chunkNames: '[name].[hash]',
    target: ['es2020'], legalComments: 'none',
  });
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
    [urls.icons.svg, best(svg, 'image/svg+xml', CACHE.immutable)],
    [urls.icons.ico, best(ico, 'image/x-icon', CACHE.immutable)],
    [urls.icons.touch, best(touch, 'image/png', CACHE.immutable)],
    ...scripts.map((f): [string, Promise<Prepared>] => [f.path, best(f.text, 'text/javascript; charset=utf-8', CACHE.immutable)]),
  ];
  const [favicon, ...prepared] = await Promise.all([best(ico, 'image/x-icon', FAVICON_CACHE), ...entries.map(([, p]) => p)]);
  return { urls, files: new Map(entries.map(([path], i) => [path, prepared[i]!])), favicon: favicon! };
}

/**
 * Ends esbuild's service process (some 28 MB per server) once a server has its assets:
 * a later build starts it again. Not called inside buildAssets, which may run beside another build.
 */
export const releaseBuilder = (): Promise<void> => stop();
