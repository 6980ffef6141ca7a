// Takes screenshots of the main page types in every language at phone and
// desktop widths: npx tsx scripts/screenshots.ts http://127.0.0.1:3000 out-dir [path…]
import { mkdirSync } from 'node:fs';
import { launchBrowser } from '../test/e2e/browser.ts';

const [base = 'http://127.0.0.1:3000', out = '/tmp/shots', ...paths] = process.argv.slice(2);
const targets = paths.length ? paths : ['/fr/', '/en/', '/fr/visite', '/en/visit', '/fr/visite/la-liberation-de-la-drome', '/en/visit/the-liberation-of-the-drome'];
mkdirSync(out, { recursive: true });
const browser = await launchBrowser();
for (const width of [375, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  for (const p of targets) {
    await page.goto(base + p);
    const name = `${out}/${width}${p.replace(/\//g, '_') || '_root'}.png`;
    await page.screenshot({ path: name, fullPage: process.env.FULL === '1' });
    console.log(name);
  }
  await page.close();
}
await browser.close();
