// Two small charts of the demo visit, drawn from the fact sheet's numbers
// (../shared/reference/facts-drome.md); as in deportation-chart.ts, only years
// and numbers are written in the images: the captions and alt texts
// (media.yaml) say what the bars are, in French and in English.
//   - Theme 1, Spaniards in the Drôme (§1 "Refugees from fascism"): 460 living in
//     the department in 1936 (a solid bar: residents); about 1,300 Basque women and
//     children arriving in the spring of 1937 and about 1,500 refugees of the
//     Retirada in 1939 (hatched bars: arrivals, "≈" because the figures are round).
//   - Theme 7, sabotage of power lines (§7): 1 in 1942, 7 in the second half of
//     1943, 18 in 1944. The periods are not of equal length: the middle label
//     says "07–12.1943", and the caption says it in words.
// Run: npx tsx scripts/media/theme-charts.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR, ensureDir, rasterize, svgDoc, text } from './drome-geo.ts';

const BAR = '#5d7186';
const DARK = '#1d2733';
const INK = '#1a1a1a';
const GRID = '#d4d4d4';
/** A thin space between thousands: neither the French nor the English separator. */
const num = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');

function hatch(id: string, colour: string): string {
  return `<pattern id="${id}" width="14" height="14" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="14" height="14" fill="#ffffff"/><rect width="6" height="14" fill="${colour}"/></pattern>`;
}

/** Theme 1: three horizontal bars on one scale, 0 to 1,600. */
function refugeesChart(): string {
  const W = 1600;
  const H = 640;
  const X0 = 190;
  const X1 = 1450;
  const MAX = 1600;
  const x = (v: number): number => X0 + (v / MAX) * (X1 - X0);
  const AXIS_Y = 540;
  const BAR_H = 96;
  const rows = [
    { year: '1936', value: 460, label: '460', arrivals: false, top: 60 },
    { year: '1937', value: 1300, label: `≈ ${num(1300)}`, arrivals: true, top: 220 },
    { year: '1939', value: 1500, label: `≈ ${num(1500)}`, arrivals: true, top: 380 },
  ];
  const out = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`, `<defs>${hatch('arrivals', BAR)}</defs>`];
  for (let v = 0; v <= MAX; v += 200) {
    out.push(`<line x1="${x(v)}" x2="${x(v)}" y1="40" y2="${AXIS_Y}" stroke="${v === 0 ? INK : GRID}" stroke-width="${v === 0 ? 3 : 2}"/>`);
    out.push(text(x(v), AXIS_Y + 44, num(v), { size: 28, anchor: 'middle', fill: '#444444', halo: 0 }));
  }
  out.push(`<line x1="${X0}" x2="${X1}" y1="${AXIS_Y}" y2="${AXIS_Y}" stroke="${INK}" stroke-width="2"/>`);
  for (const r of rows) {
    const mid = r.top + BAR_H / 2 + 12;
    out.push(text(X0 - 24, mid, r.year, { size: 36, weight: 'bold', anchor: 'end', fill: INK, halo: 0 }));
    out.push(`<rect x="${X0}" y="${r.top}" width="${x(r.value) - X0}" height="${BAR_H}" fill="${r.arrivals ? 'url(#arrivals)' : DARK}" stroke="${r.arrivals ? BAR : DARK}" stroke-width="3"/>`);
    out.push(text(x(r.value) + 18, mid, r.label, { size: 36, weight: 'bold', fill: INK, halo: 0 }));
  }
  return svgDoc(W, H, out.join('\n'));
}

/** Theme 7: three vertical bars, 0 to 20. */
function powerLinesChart(): string {
  const W = 1600;
  const H = 760;
  const Y0 = 640;
  const Y1 = 80;
  const MAX = 20;
  const y = (v: number): number => Y0 - (v / MAX) * (Y0 - Y1);
  const X0 = 140;
  const X1 = 1500;
  const BAR_W = 260;
  const bars = [
    { label: '1942', value: 1, cx: 400 },
    { label: '07–12.1943', value: 7, cx: 820 },
    { label: '1944', value: 18, cx: 1240 },
  ];
  const out = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`];
  for (let v = 0; v <= MAX; v += 5) {
    out.push(`<line x1="${X0}" x2="${X1}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? INK : GRID}" stroke-width="${v === 0 ? 3 : 2}"/>`);
    out.push(text(X0 - 20, y(v) + 10, String(v), { size: 28, anchor: 'end', fill: '#444444', halo: 0 }));
  }
  for (const b of bars) {
    out.push(`<rect x="${b.cx - BAR_W / 2}" y="${y(b.value)}" width="${BAR_W}" height="${Y0 - y(b.value)}" fill="${BAR}"/>`);
    out.push(text(b.cx, y(b.value) - 18, String(b.value), { size: 40, weight: 'bold', anchor: 'middle', fill: INK, halo: 0 }));
    out.push(text(b.cx, Y0 + 56, b.label, { size: 36, weight: 'bold', anchor: 'middle', fill: INK, halo: 0 }));
  }
  return svgDoc(W, H, out.join('\n'));
}

/**
 * Drawn on a 1600-unit grid like the deportation chart, written at 1200 px: enough for
 * the 44rem text column on a dense screen, and a quarter fewer derivatives for import
 * to make (a first start processes every demo image).
 */
const OUT_WIDTH = 1200;
function scaled(svg: string): string {
  return svg.replace(/^<svg([^>]*) width="(\d+)" height="(\d+)"/, (_m, attrs: string, w: string, h: string) => `<svg${attrs} width="${OUT_WIDTH}" height="${Math.round((Number(h) * OUT_WIDTH) / Number(w))}"`);
}

ensureDir(OUT_DIR);
for (const [name, svg] of [['spanish-refugees-chart.png', refugeesChart()], ['power-line-sabotage-chart.png', powerLinesChart()]] as const) {
  const png = await rasterize(scaled(svg), 'png-palette');
  writeFileSync(join(OUT_DIR, name), png);
  console.log(`${join(OUT_DIR, name)}: ${(png.length / 1024).toFixed(0)} KB`);
}
