// The screenshots of docs/design.md: npx tsx scripts/design-shots.ts <demo-url> <fixture-url>
// (two servers: `npm start`, and one with CONTENT_DIR=test/fixtures/bundles/naturkunde).
// Each is a region of a page, at phone or desktop width, saved as WebP in docs/design/.
// ONLY=theme-1280,fixture-1280 makes only those.
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';
import { launchBrowser } from '../test/e2e/browser.ts';

const [demo = 'http://127.0.0.1:3000', fixture = 'http://127.0.0.1:3001'] = process.argv.slice(2);
const out = 'docs/design';
mkdirSync(out, { recursive: true });
const SHOTS: { name: string; base: string; path: string; width: number; scheme: 'light' | 'dark'; clip?: { y: number; height: number } }[] = [
  { name: 'theme-1280', base: demo, path: '/fr/visite/la-deportation-et-l-internement', width: 1280, scheme: 'light', clip: { y: 0, height: 900 } },
  { name: 'theme10-map-1280', base: demo, path: '/fr/visite/la-liberation-de-la-drome', width: 1280, scheme: 'light', clip: { y: 1290, height: 1480 } },
  { name: 'overview-375-dark', base: demo, path: '/en/visit', width: 375, scheme: 'dark', clip: { y: 0, height: 900 } },
  { name: 'map-key-375', base: demo, path: '/fr/carte', width: 375, scheme: 'light', clip: { y: 300, height: 1100 } },
  { name: 'fixture-1280', base: fixture, path: '/de/rundgang/minerale', width: 1280, scheme: 'light', clip: { y: 0, height: 900 } },
  { name: 'fixture-375-dark', base: fixture, path: '/en/', width: 375, scheme: 'dark', clip: { y: 0, height: 900 } },
];
const only = process.env.ONLY?.split(',');
const browser = await launchBrowser();
for (const s of SHOTS.filter((x) => !only || only.includes(x.name))) {
  const context = await browser.newContext({ viewport: { width: s.width, height: 900 }, colorScheme: s.scheme });
  const page = await context.newPage();
  await page.goto(s.base + s.path);
  const png = await page.screenshot({ fullPage: true, ...(s.clip ? { clip: { x: 0, width: s.width, ...s.clip } } : {}) });
  await sharp(png).resize({ width: Math.min(s.width, 900) }).webp({ quality: 72 }).toFile(`${out}/${s.name}.webp`);
  console.log(`${out}/${s.name}.webp`);
  await context.close();
}
await browser.close();
