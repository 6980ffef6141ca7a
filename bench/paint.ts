// BENCH_ONLY=paint (issue 15): the first contentful paint of five pages on a
// phone over slow 4G. Debian's Chromium (playwright-core, as test/e2e/browser.ts
// launches it) loads each page in a fresh context (empty cache, no open
// connection), 375 × 812 px, with "slow 4G" applied through the DevTools
// protocol: Lighthouse's preset as it states it (150 ms RTT, 1.6 Mbit/s down,
// 750 kbit/s up) and the CPU slowed 4 ×. Judged: median of RUNS loads per
// page against the goal ≤ 1.2 s; past REGRESSION_FACTOR × the goal the bench
// exits 1. Printed beside, not judged: the same loads with the adjustment
// Lighthouse makes when it throttles in the browser (throttlingMethod
// "devtools", constants.js mobileSlow4G: 150 ms × 3.75 = 562.5 ms per
// request, throughputs × 0.9), which charges every request a new
// connection's cost — the stylesheet too, although it would come on the
// page's connection. With when the HTML and the stylesheet arrived.
// The server is the local one (bench/serve.ts): no real network is crossed,
// the throttling alone makes it slow.
import { availableParallelism, loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, chromiumAvailable, launchBrowser } from '../test/e2e/browser.ts';
import { get, settle } from './machine.ts';
import { judge, REGRESSION_FACTOR, type Verdict } from './scale.ts';
import { withServer } from './serve.ts';

const PAGES = [
  ['home', '/fr/'],
  ['theme 1', '/fr/visite/la-montee-du-nazisme'],
  ['theme 10', '/fr/visite/la-liberation-de-la-drome'],
  ['chronology', '/fr/chronologie'],
  ['map', '/fr/carte'],
] as const;
const RUNS = 3;
const GOAL_S = 1.2;

/** A network and CPU throttling profile, as CDP takes it (latency per request; throughputs in kbit/s of 1,024 bits). */
interface Throttling { name: string; latencyMs: number; downloadKbps: number; uploadKbps: number; cpuSlowdown: number }

/** Slow 4G as Lighthouse states the preset: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up; CPU ÷ 4. Judged. */
const SLOW_4G: Throttling = { name: 'slow 4G', latencyMs: 150, downloadKbps: 1.6 * 1024, uploadKbps: 750, cpuSlowdown: 4 };
/**
 * Lighthouse's mobileSlow4G for DevTools (request-level) throttling, as in
 * its constants.js: requestLatencyMs = 150 × 3.75, downloadThroughputKbps =
 * 1.6 × 1024 × 0.9, uploadThroughputKbps = 750 × 0.9, cpuSlowdownMultiplier 4.
 * The 3.75 stands for what request-level throttling cannot model (a new
 * connection's DNS, TCP and TLS round trips and TCP slow start), and is
 * charged to every request. Printed beside: an upper bound.
 */
const LH_4G: Throttling = { name: 'Lighthouse devtools', latencyMs: 150 * 3.75, downloadKbps: 1.6 * 1024 * 0.9, uploadKbps: 750 * 0.9, cpuSlowdown: 4 };

/** Debian's Chromium, headless, as the browser tests launch it (test/e2e/browser.ts); undefined where it is missing. */
export async function launchChromium(): Promise<Browser | undefined> {
  return chromiumAvailable() ? launchBrowser() : undefined;
}

/** One load's times from navigation start, in ms: the HTML's and the last stylesheet's response end, the first contentful paint. */
interface Load { html: number; css: number; fcp: number }

/** One throttled load of `url` in a fresh context (fcp NaN if nothing painted within 30 s). */
async function firstPaint(browser: Browser, url: string, t: Throttling): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: t.latencyMs,
      downloadThroughput: t.downloadKbps * 1024 / 8,
      uploadThroughput: t.uploadKbps * 1024 / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: t.cpuSlowdown });
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    const fcp = await page.evaluate(() => new Promise<number>((resolve) => {
      const seen = performance.getEntriesByName('first-contentful-paint')[0];
      if (seen) return resolve(seen.startTime);
      new PerformanceObserver((list) => {
        const e = list.getEntriesByName('first-contentful-paint')[0];
        if (e) resolve(e.startTime);
      }).observe({ type: 'paint', buffered: true });
      setTimeout(() => resolve(NaN), 30_000);
    }));
    const [html, css] = await page.evaluate(() => [
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.responseEnd ?? NaN,
      Math.max(0, ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => /\.css(\?|$)/.test(r.name)).map((r) => r.responseEnd)),
    ]);
    return { html: html!, css: css!, fcp };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const describe = (t: Throttling) => `${t.latencyMs} ms per request, ${(t.downloadKbps / 1024).toFixed(2)} Mbit/s down, ${t.uploadKbps} kbit/s up, CPU ÷ ${t.cpuSlowdown}`;

/** The paint case; true if a page's median first paint is past REGRESSION_FACTOR × the goal. */
export async function paintCase(): Promise<boolean> {
  console.log(`\n## First contentful paint, slow 4G, 375 × 812 px (issue 15; goal ≤ ${GOAL_S} s, median of ${RUNS} loads)`);
  console.log(`  judged: ${SLOW_4G.name}, Lighthouse's preset as stated, through CDP: ${describe(SLOW_4G)}`);
  console.log(`  beside: ${LH_4G.name}, the preset with the adjustment Lighthouse makes when it throttles in the browser (a new connection's cost on every request): ${describe(LH_4G)}`);
  console.log('  local server (no real network: the throttling alone makes it slow), a fresh browser context and an empty cache per load');
  const browser = await launchChromium();
  if (!browser) {
    console.log(`  SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return false;
  }
  try {
    return await withServer(async ({ port, pid }) => {
      // Each page once, so that none is rendered on its first measured request; then wait for the
      // server's background work (pre-rendering, recompression) to end, as the nginx case does.
      for (const [, path] of PAGES) await get(port, path, { 'accept-encoding': 'br' });
      const quiet = await settle(pid);
      console.log(`  server pid ${pid}, http://127.0.0.1:${port}; quiet after ${quiet.seconds.toFixed(0)} s${quiet.quiet ? '' : ' (still busy)'}; load average ${loadavg()[0]!.toFixed(2)} (${availableParallelism()} cores)`);
      const head = (t: Throttling) => `${t.name}: median (min–max)`.padStart(40);
      console.log(`  ${'page'.padEnd(12)}${head(SLOW_4G)}${head(LH_4G)}  path`);
      const verdicts: Verdict[] = [];
      const breakdown: string[] = [];
      for (const [name, path] of PAGES) {
        const cells: string[] = [];
        for (const t of [SLOW_4G, LH_4G]) {
          const loads: Load[] = [];
          for (let i = 0; i < RUNS; i++) loads.push(await firstPaint(browser, `http://127.0.0.1:${port}${path}`, t));
          const runs = loads.map((l) => l.fcp);
          const painted = !runs.some(Number.isNaN);
          const m = painted ? median(runs) : NaN;
          cells.push((painted ? `${sec(m)} (${sec(Math.min(...runs))}–${sec(Math.max(...runs))})` : `none (${runs.filter(Number.isNaN).length} of ${RUNS} loads did not paint)`).padStart(40));
          if (t !== SLOW_4G) continue;
          verdicts.push(judge(`${name} first paint`, painted ? m / 1000 : undefined, GOAL_S, (v) => `${v.toFixed(2)} s`, `${GOAL_S} s`));
          const mid = loads.find((l) => l.fcp === m);
          if (mid) breakdown.push(`  ${name.padEnd(12)}HTML received ${sec(mid.html)} · stylesheet received ${sec(mid.css)} · first paint ${sec(mid.fcp)} (${sec(mid.fcp - Math.max(mid.html, mid.css))} after both)`);
        }
        console.log(`  ${name.padEnd(12)}${cells.join('')}  ${path}`);
      }
      console.log(`\n  Where the time goes (${SLOW_4G.name}, the median load; times from navigation start):`);
      for (const line of breakdown) console.log(line);
      const load = loadavg()[0]!;
      if (load > availableParallelism() / 2) console.log(`  note: load average ${load.toFixed(2)} on ${availableParallelism()} cores: other programs took CPU, which the CPU slowdown multiplies; run again on a quiet machine`);
      console.log(`\nVerdict (paint, ${SLOW_4G.name}):`);
      for (const v of verdicts) console.log(`  ${v.line}`);
      const regressed = verdicts.some((v) => v.regressed);
      if (regressed) console.log(`  a first paint is more than ${REGRESSION_FACTOR} × its goal: the bench exits 1`);
      return regressed;
    });
  } finally {
    await browser.close();
  }
}
