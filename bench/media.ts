// The media case of `npm run bench`: time and peak memory of making image
// derivatives (src/modules/media). Every measurement runs in a CHILD process
// (this same file, run with `--import tsx`), so the peak resident memory read
// at its end (`process.resourceUsage().maxRSS`) is that work's own. It prints
// figures and asserts nothing.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineCpuSeconds } from './machine.ts';
import sharp, { type Sharp } from 'sharp';
import type { Content } from '../src/modules/content/content.schema.ts';
import { decodeOptions, makeImageDerivatives, derivativePlan } from '../src/modules/media/media.image.ts';
import { prepareMedia } from '../src/modules/media/media.import.ts';
import { MediaStore } from '../src/modules/media/media.store.ts';
import { TILE_SIZE } from '../src/modules/media/media.types.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const BIG = { width: 6000, height: 4000 };
const BATCH = { count: 20, width: 4000, height: 3000 };
const TYPICAL = 960;
const TARGET = { bigSeconds: 3, rssMB: 1024 };

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ok = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

// ---------------------------------------------------------------- child side

/** What every child reports on its last stdout line, plus what its task adds. */
interface Report { maxRssKB: number; cpuMs: number; [k: string]: unknown }

function report(extra: Record<string, unknown> = {}): void {
  const u = process.resourceUsage();
  process.stdout.write(`${JSON.stringify({ ...extra, maxRssKB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })}\n`);
}

/** xorshift32: fast and seeded, so that every run makes the same images. */
function rng(seed: number): () => number {
  let x = Math.imul(seed, 0x9e3779b1) >>> 0 || 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * A photograph-like JPEG (quality 90): colour mottling, a diagonal gradient, a
 * vignette, 40 translucent shapes and 80 thin lines drawn at half size and
 * enlarged (soft edges, like a lens), then per-pixel grain (±16) at full size.
 * Compresses like a camera JPEG of a textured subject, not like a flat colour.
 */
async function photo(width: number, height: number, seed: number): Promise<Buffer> {
  const r = rng(seed);
  const n = (x: number) => x.toFixed(0);
  const hue = Math.floor(r() * 360);
  const [hw, hh] = [Math.ceil(width / 2), Math.ceil(height / 2)];
  const shapes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const [x, y, d] = [r() * hw, r() * hh, (0.02 + r() * 0.15) * hw];
    const fill = `hsl(${n((hue + r() * 120) % 360)},${n(30 + r() * 50)}%,${n(20 + r() * 60)}%)`;
    const opacity = (0.3 + r() * 0.6).toFixed(2);
    shapes.push(r() < 0.5
      ? `<circle cx="${n(x)}" cy="${n(y)}" r="${n(d / 2)}" fill="${fill}" opacity="${opacity}"/>`
      : `<rect x="${n(x)}" y="${n(y)}" width="${n(d)}" height="${n(d * (0.3 + r()))}" fill="${fill}" opacity="${opacity}" transform="rotate(${n(r() * 90)} ${n(x)} ${n(y)})"/>`);
  }
  for (let i = 0; i < 80; i++) {
    shapes.push(`<line x1="${n(r() * hw)}" y1="${n(r() * hh)}" x2="${n(r() * hw)}" y2="${n(r() * hh)}" stroke="hsl(${n(r() * 360)},40%,${n(r() * 100)}%)" stroke-width="${(0.5 + r() * 4).toFixed(1)}" opacity="0.8"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${hw}" height="${hh}"><defs>` +
    `<linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,70%)"/><stop offset="1" stop-color="hsl(${(hue + 180) % 360},50%,25%)"/></linearGradient>` +
    `<radialGradient id="v" cx="0.5" cy="0.5" r="0.7"><stop offset="0.5" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.6"/></radialGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)" opacity="0.7"/>${shapes.join('')}<rect width="100%" height="100%" fill="url(#v)"/></svg>`;
  const half = { width: hw, height: hh, channels: 3 } as const;
  const mottle = await sharp({ create: { ...half, width: Math.ceil(hw / 8), height: Math.ceil(hh / 8), background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .resize(hw, hh, { kernel: 'linear' }).raw().toBuffer();
  const drawn = await sharp(mottle, { raw: half }).composite([{ input: Buffer.from(svg) }]).removeAlpha().raw().toBuffer();
  const full = await sharp(drawn, { raw: half }).resize(width, height, { kernel: 'linear' }).raw().toBuffer();
  // Grain: four bytes per step, each moved by -16..15 and clamped.
  const px = new Uint32Array(full.buffer, full.byteOffset, full.length >>> 2);
  let x = Math.imul(seed + 1, 0x85ebca6b) >>> 0 || 1;
  for (let i = 0; i < px.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const p = px[i]!;
    let o = 0;
    for (let k = 0; k < 32; k += 8) {
      const v = ((p >>> k) & 255) + ((x >>> k) & 31) - 16;
      o |= (v < 0 ? 0 : v > 255 ? 255 : v) << k;
    }
    px[i] = o >>> 0;
  }
  return sharp(full, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

/** Every file under a folder, with its size. */
function walk(dir: string, out: { path: string; size: number }[] = []): { path: string; size: number }[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push({ path: p, size: statSync(p).size });
  }
  return out;
}

async function child(task: string, args: string[]): Promise<void> {
  if (task === 'idle') return report();
  if (task === 'generate') {
    // Image i (0: the big one; 1…BATCH.count: the batch), for i in [from, to).
    const [dir, from, to] = args as [string, string, string];
    const t0 = performance.now();
    for (let i = Number(from); i < Number(to); i++) {
      if (i === 0) writeFileSync(join(dir, 'big.jpg'), await photo(BIG.width, BIG.height, 1));
      else writeFileSync(join(dir, 'batch', `img-${String(i).padStart(2, '0')}.jpg`), await photo(BATCH.width, BATCH.height, 100 + i));
    }
    return report({ ms: performance.now() - t0 });
  }
  if (task === 'one') {
    const [file, out] = args as [string, string];
    const input = readFileSync(file);
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    const entry = await makeImageDerivatives(input, false, out, 'image/jpeg');
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const files = walk(out);
    const typical = Object.fromEntries(['avif', 'webp', 'jpg'].map((f) => [f, files.find((x) => x.path === join(out, `w${TYPICAL}.${f}`))?.size ?? 0]));
    const tiles = files.filter((x) => x.path.startsWith(join(out, 'iiif')) && x.path.endsWith('.jpg'));
    return report({
      ms, workCpuMs: (c.user + c.system) / 1000, inputBytes: input.length, width: entry.width, height: entry.height, widths: entry.widths,
      files: files.length, bytes: files.reduce((a, x) => a + x.size, 0),
      tiles: tiles.length, tileBytes: tiles.reduce((a, x) => a + x.size, 0),
      fullJpg: files.find((x) => x.path === join(out, 'full.jpg'))?.size ?? 0,
      placeholder: entry.placeholder?.length ?? 0, typical,
    });
  }
  if (task === 'batch') {
    // As an import does: prepareMedia() inspects every file (read, sniff,
    // header, sha256), then stores them one after another into a MediaStore.
    const [dir, storeDir] = args as [string, string];
    const names = readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort();
    const content = { media: names.map((f, i) => ({ id: `m${i}`, kind: 'image', file: f, caption: { fr: f }, credit: { fr: 'bench' } })) } as unknown as Content;
    let storeStart = 0;
    const per: number[] = [];
    const rssAfter: number[] = [];
    let last = 0;
    const t0 = performance.now();
    const res = await prepareMedia(content, dir, new MediaStore(storeDir), {
      onProgress: (p) => {
        if (p.done === 0) storeStart = performance.now();
        else {
          per.push(p.elapsedMs - last);
          rssAfter.push(process.memoryUsage.rss());
        }
        last = p.elapsedMs;
      },
    });
    const ms = performance.now() - t0;
    if (res.problems.length) throw new Error(`prepareMedia refused the batch:\n${res.problems.join('\n')}`);
    return report({ ms, inspectMs: storeStart - t0, images: names.length, inputBytes: names.reduce((a, f) => a + statSync(join(dir, f)).size, 0), per, rssAfter, storedBytes: walk(storeDir).reduce((a, x) => a + x.size, 0) });
  }
  if (task === 'stages') {
    // Where the time of makeImageDerivatives goes: the same operations, one
    // at a time, so each figure is about the CPU time of that operation
    // (libvips runs sharp.concurrency() threads per operation). Mirrors
    // src/modules/media/media.image.ts: keep the two in step.
    const [file, out] = args as [string, string];
    const input = readFileSync(file);
    const stages: [string, number][] = [];
    const time = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const v = await f();
      stages.push([name, performance.now() - t0]);
      return v;
    };
    const { data: full, info } = await time('decode to raw', () => sharp(input, decodeOptions(false)).autoOrient().flatten({ background: { r: 255, g: 255, b: 255 } }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true }));
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
    const { widths } = derivativePlan(info.width, info.height);
    const top = widths[widths.length - 1] ?? info.width;
    const { data: base, info: bi } = await time(`resize to ${top}`, () => sharp(full, raw).resize({ width: top }).raw().toBuffer({ resolveWithObject: true }));
    const fromBase = (w: number) => sharp(base, { raw: { width: bi.width, height: bi.height, channels: bi.channels } }).resize({ width: w });
    await time('full.jpg, mozjpeg q85', () => sharp(full, raw).jpeg({ quality: 85, mozjpeg: true }).toFile(join(out, 'full.jpg')));
    await time(`IIIF tiles, ${TILE_SIZE} px q80`, () => sharp(full, raw).jpeg({ quality: 80 }).tile({ size: TILE_SIZE, layout: 'iiif3', id: 'https://parcours.invalid/iiif' }).toFile(join(out, 'iiif')));
    for (const [name, enc] of [
      ['AVIF q50 effort 2', (p: Sharp) => p.avif({ quality: 50, effort: 2 })],
      ['WebP q75', (p: Sharp) => p.webp({ quality: 75 })],
      ['JPEG mozjpeg q80', (p: Sharp) => p.jpeg({ quality: 80, mozjpeg: true })],
    ] as const) {
      for (const w of widths) await time(`${name} @${w}`, () => enc(fromBase(w)).toBuffer());
    }
    await time('placeholder', () => fromBase(24).blur(1.2).webp({ quality: 40 }).toBuffer());
    return report({ stages, threads: sharp.concurrency() });
  }
  throw new Error(`unknown task ${task}`);
}

// --------------------------------------------------------------- parent side

let current: ReturnType<typeof spawn> | undefined;

/** Runs one task of this file in a fresh Node process; resolves with its report. */
function run(task: string, ...args: string[]): Promise<Report & Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', SELF, task, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    current = c;
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    c.once('error', reject);
    c.once('exit', (code, signal) => {
      current = undefined;
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`media child "${task}" ${signal ? `killed by ${signal}` : `exited with ${code}`}:\n${err || out}`));
      try {
        resolve(JSON.parse(line) as Report);
      } catch {
        reject(new Error(`media child "${task}" printed no report:\n${out}${err}`));
      }
    });
  });
}


/** Runs a task and notes how much CPU other processes took meanwhile (share of one core). */
async function measured(task: string, ...args: string[]): Promise<Report & Record<string, unknown> & { wallMs: number; others: number }> {
  const [t0, m0] = [performance.now(), machineCpuSeconds()];
  const r = await run(task, ...args);
  const wallMs = performance.now() - t0;
  // The child's own CPU, plus about 0.3 s for Node and tsx to start, are not "others".
  const others = Math.max(0, machineCpuSeconds() - m0 - r.cpuMs / 1000 - 0.3) / (wallMs / 1000);
  return { ...r, wallMs, others: Number.isNaN(others) ? 0 : others };
}

const rss = (r: Report) => r.maxRssKB * 1024;

/** The media case: prints its figures; returns whether every target was met. */
export async function mediaCase(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-bench-media-'));
  const cleanup = () => {
    current?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = () => { cleanup(); process.exit(130); };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, onSignal);
  try {
    const caseStart = performance.now();
    // The inputs, made by two children at once (each is mostly single-threaded);
    // the big image costs about as much as four of the batch.
    mkdirSync(join(dir, 'batch'));
    const split = String(Math.round((BATCH.count - 4) / 2) + 1);
    const gens = await Promise.all([run('generate', dir, '0', split), run('generate', dir, split, String(BATCH.count + 1))]);
    const genMs = Math.max(...gens.map((g) => g.ms as number));
    const big = join(dir, 'big.jpg');
    const batchDir = join(dir, 'batch');
    const batchBytes = readdirSync(batchDir).reduce((a, f) => a + statSync(join(batchDir, f)).size, 0);
    console.log(`\nMedia: sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, ${sharp.concurrency()} libvips threads, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, MALLOC_ARENA_MAX ${process.env.MALLOC_ARENA_MAX ?? 'unset'}`);
    console.log(`  inputs generated in ${s(genMs)} (not timed): ${BIG.width} × ${BIG.height} JPEG q90 ${mb(statSync(big).size)}; ${BATCH.count} × ${BATCH.width} × ${BATCH.height} JPEG q90, ${mb(batchBytes)} in all`);
    const idle = await run('idle');
    console.log(`  idle child (Node + tsx + sharp + media modules imported, nothing done): peak RSS ${mb(rss(idle))}`);

    // 1. One 24-megapixel photograph.
    const out1 = join(dir, 'out-one');
    mkdirSync(out1);
    const one = await measured('one', big, out1);
    const t = one.typical as Record<string, number>;
    const bigPass = (one.ms as number) <= TARGET.bigSeconds * 1000;
    const rssPass = rss(one) <= TARGET.rssMB * 1048576;
    console.log(`\n  One ${one.width} × ${one.height} JPEG (${mb(one.inputBytes as number)}) → makeImageDerivatives, widths ${(one.widths as number[]).join(', ')}`);
    console.log(`    wall ${s(one.ms as number)} (target ≤ ${TARGET.bigSeconds} s: ${ok(bigPass)}) · CPU ${s(one.workCpuMs as number)} (${((one.workCpuMs as number) / (one.ms as number)).toFixed(1)} cores busy on average)`);
    console.log(`    peak RSS ${mb(rss(one))}, ${mb(rss(one) - rss(idle))} above the idle child (target ≤ ${TARGET.rssMB / 1024} GB: ${ok(rssPass)})`);
    console.log(`    ${one.files} files, ${mb(one.bytes as number)} in all: full.jpg ${mb(one.fullJpg as number)}, ${one.tiles} IIIF tiles ${mb(one.tileBytes as number)}, placeholder data: URL ${one.placeholder} chars`);
    console.log(`    at ${TYPICAL} px wide: AVIF ${kb(t.avif!)} · WebP ${kb(t.webp!)} · JPEG ${kb(t.jpg!)}`);
    if (one.others > 0.2) console.log(`    warning: other processes used about ${(one.others * 100).toFixed(0)}% of a CPU meanwhile: run again on a quiet machine`);

    // Where the time goes, stage by stage: only when the target is missed.
    if (!bigPass) {
      const out2 = join(dir, 'out-stages');
      mkdirSync(out2);
      const st = await run('stages', big, out2);
      const stages = st.stages as [string, number][];
      const groups = new Map<string, [string, number][]>();
      for (const [name, ms] of stages) {
        const m = /^(.*) @(\d+)$/.exec(name);
        const key = m ? m[1]! : name;
        groups.set(key, [...(groups.get(key) ?? []), [m ? m[2]! : '', ms]]);
      }
      const sum = stages.reduce((a, [, ms]) => a + ms, 0);
      console.log(`    where the time goes: the same operations one at a time, ${st.threads} libvips thread${st.threads === 1 ? '' : 's'} each (sum ${s(sum)}, vs ${s(one.ms as number)} overlapped above):`);
      for (const [key, items] of groups) {
        const total = items.reduce((a, [, ms]) => a + ms, 0);
        const detail = items.length > 1 ? `  = ${items.map(([w, ms]) => `${w}: ${(ms / 1000).toFixed(2)}`).join(' · ')}` : '';
        console.log(`      ${key.padEnd(26)}${s(total).padStart(8)}${detail}`);
      }
    }

    // 2. A batch, as an import stores it.
    const store = join(dir, 'store');
    const batch = await measured('batch', batchDir, store);
    const per = (batch.per as number[]).slice().sort((a, b) => a - b);
    const ips = (batch.images as number) / ((batch.ms as number) / 1000);
    const batchRssPass = rss(batch) <= TARGET.rssMB * 1048576;
    console.log(`\n  Batch: ${batch.images} different ${BATCH.width} × ${BATCH.height} JPEGs (${mb(batch.inputBytes as number)}) → prepareMedia into a MediaStore, one after another as import does`);
    console.log(`    ${s(batch.ms as number)} in all (inspection ${s(batch.inspectMs as number)}), ${ips.toFixed(2)} images/s; per image ${s(per[0]!)} min, ${s(per[per.length >> 1]!)} median, ${s(per[per.length - 1]!)} max`);
    const after = batch.rssAfter as number[];
    console.log(`    RSS after image ${[1, 5, 10, 15, 20].filter((i) => i <= after.length).map((i) => `${i}: ${mb(after[i - 1]!)}`).join(' · ')}`);
    console.log(`    peak RSS ${mb(rss(batch))}, ${mb(rss(batch) - rss(idle))} above the idle child (target ≤ ${TARGET.rssMB / 1024} GB: ${ok(batchRssPass)}) · store ${mb(batch.storedBytes as number)} (originals included)`);
    if (batch.others > 0.2) console.log(`    warning: other processes used about ${(batch.others * 100).toFixed(0)}% of a CPU meanwhile: run again on a quiet machine`);

    console.log(`\nVerdict (media): ${BIG.width / 1000 * BIG.height / 1000} MP in ≤ ${TARGET.bigSeconds} s: ${ok(bigPass)} (${s(one.ms as number)}) · peak RSS ≤ ${TARGET.rssMB / 1024} GB: ${ok(rssPass && batchRssPass)} (one ${mb(rss(one))}, batch ${mb(rss(batch))}) · media case took ${s(performance.now() - caseStart)}`);
    return bigPass && rssPass && batchRssPass;
  } finally {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onSignal);
    cleanup();
  }
}

if (process.argv[1] === SELF) {
  const [task, ...args] = process.argv.slice(2);
  child(task ?? '', args).catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exitCode = 1;
  });
}
