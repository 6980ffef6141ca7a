import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { CACHE, prepare, type Prepared } from './http/prepared.ts';
import type { Assets } from '../modules/site/site.context.ts';

// The stylesheet and the island script are built in memory at start-up
// (esbuild takes a few tens of milliseconds), named by content hash and
// served as immutable. No build step is needed before `npm start`.

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export interface BuiltAssets {
  urls: Assets;
  files: Map<string, Prepared>;
}

function hashed(name: string, ext: string, body: string): string {
  return `/assets/${name}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
}

export async function buildAssets(): Promise<BuiltAssets> {
  const cssSource = readFileSync(here('./styles/site.css'), 'utf8');
  const css = (await transform(cssSource, { loader: 'css', minify: true, target: ['chrome100', 'firefox100', 'safari15'] })).code;
  const js = await build({
    entryPoints: [here('../islands/main.ts')], bundle: true, minify: true, format: 'esm', write: false,
    target: ['es2020'], legalComments: 'none',
  });
  const jsCode = js.outputFiles[0]?.text ?? '';
  const urls = { css: hashed('site', 'css', css), js: hashed('site', 'js', jsCode) };
  const files = new Map<string, Prepared>([
    [urls.css, prepare(css, 'text/css; charset=utf-8', CACHE.immutable)],
    [urls.js, prepare(jsCode, 'text/javascript; charset=utf-8', CACHE.immutable)],
  ]);
  return { urls, files };
}
