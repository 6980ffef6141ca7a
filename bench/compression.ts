// Compression levels against what they cost, on two real pages of the demo:
// the theme page /fr/visite/la-liberation-de-la-drome and the map page
// /fr/carte. For brotli quality 5–11 and gzip 6 and 9: the median time of one
// compression (synchronous, on this thread) and the bytes. The table in
// docs/decisions/0010-pages-on-demand.md comes from this script.
// Run: npx tsx bench/compression.ts   (it prints a Markdown table; it asserts nothing)
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DEMO, siteFor } from '../test/harness.ts';

const PAGES = ['/fr/visite/la-liberation-de-la-drome', '/fr/carte'];
const RUNS = 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function measure(f: () => Buffer): { ms: number; bytes: number } {
  f(); // warm-up
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    bytes = f().length;
    times.push(performance.now() - t);
  }
  return { ms: median(times), bytes };
}

const site = await siteFor(DEMO);
try {
  const rows: string[] = [];
  for (const path of PAGES) {
    const html = Buffer.from(await site.html(path), 'utf8');
    rows.push(`| ${path} | identity | 0 | ${html.length.toLocaleString('en')} | 100 % |`);
    const cases: [string, () => Buffer][] = [
      ['gzip 6', () => gzipSync(html, { level: 6 })],
      ['gzip 9', () => gzipSync(html, { level: 9 })],
      ...[5, 6, 7, 8, 9, 10, 11].map((q): [string, () => Buffer] => [`brotli ${q}`, () => brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_SIZE_HINT]: html.length } })]),
    ];
    for (const [name, f] of cases) {
      const { ms, bytes } = measure(f);
      rows.push(`| ${path} | ${name} | ${ms.toFixed(2)} | ${bytes.toLocaleString('en')} | ${((100 * bytes) / html.length).toFixed(1)} % |`);
    }
  }
  console.log(`| page | encoding | ms (median of ${RUNS}) | bytes | of identity |\n|---|---|---|---|---|\n${rows.join('\n')}`);
} finally {
  await site.close();
}
