// Theme 9: three counts of the people deported from the Drôme, as horizontal bars
// on one scale (facts-drome.md §9 "Figures"; §14 item 18):
//   - the museum: 543 deported, 285 of whom did not return (the darker part);
//   - A. Vincent-Beaume (1960): at least 512 (an open-ended bar, "≥ 512");
//   - R. Serre (2006): 869, later raised to 888 (a hatched extension).
// Only source names, years and numbers are written in the image: the caption
// says what the bars mean, in French and in English.
// Run: npx tsx scripts/media/deportation-chart.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR, ensureDir, rasterize, svgDoc, text } from './drome-geo.ts';

const W = 1600;
const H = 760;
const X0 = 70;
const MAX = 900;
const X1 = 1470;
const x = (v: number): number => X0 + (v / MAX) * (X1 - X0);

const BAR = '#5d7186';
const DARK = '#1d2733';
const INK = '#1a1a1a';
const BAR_H = 78;
const rows = [
  { label: 'Musée de la Résistance en Drôme et de la Déportation', top: 118 },
  { label: 'A. Vincent-Beaume, 1960', top: 318 },
  { label: 'R. Serre, 2006', top: 518 },
];
const AXIS_Y = 640;

const out: string[] = [];
out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
out.push(`<defs><pattern id="hatch" width="14" height="14" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="14" height="14" fill="#ffffff"/><rect width="6" height="14" fill="${BAR}"/></pattern>`
  + `<linearGradient id="open" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="${BAR}"/><stop offset="1" stop-color="${BAR}" stop-opacity="0"/></linearGradient></defs>`);

// Grid and axis: 0 to 900 in steps of 100.
for (let v = 0; v <= MAX; v += 100) {
  out.push(`<line x1="${x(v)}" x2="${x(v)}" y1="108" y2="${AXIS_Y}" stroke="${v === 0 ? INK : '#d4d4d4'}" stroke-width="${v === 0 ? 3 : 2}"/>`);
  out.push(text(x(v), AXIS_Y + 44, String(v), { size: 28, anchor: 'middle', fill: '#444444', halo: 0 }));
}
out.push(`<line x1="${X0}" x2="${X1}" y1="${AXIS_Y}" y2="${AXIS_Y}" stroke="${INK}" stroke-width="2"/>`);

const [museum, vincent, serre] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
for (const r of rows) out.push(text(X0, r.top - 20, r.label, { size: 32, weight: 'bold', fill: INK, halo: 0 }));

// The museum: 543, the first 285 darker (did not return).
{
  const y = museum.top;
  out.push(`<rect x="${X0}" y="${y}" width="${x(543) - X0}" height="${BAR_H}" fill="${BAR}"/>`);
  out.push(`<rect x="${X0}" y="${y}" width="${x(285) - X0}" height="${BAR_H}" fill="${DARK}"/>`);
  out.push(`<line x1="${x(285)}" x2="${x(285)}" y1="${y}" y2="${y + BAR_H}" stroke="#ffffff" stroke-width="3"/>`);
  out.push(text(x(285) - 16, y + BAR_H / 2 + 11, '285', { size: 32, weight: 'bold', anchor: 'end', fill: '#ffffff', halo: 0 }));
  out.push(text(x(543) + 16, y + BAR_H / 2 + 11, '543', { size: 32, weight: 'bold', fill: INK, halo: 0 }));
}
// A. Vincent-Beaume: at least 512 — the bar runs on, fading, past 512.
{
  const y = vincent.top;
  out.push(`<rect x="${X0}" y="${y}" width="${x(512) - X0}" height="${BAR_H}" fill="${BAR}"/>`);
  out.push(`<rect x="${x(512)}" y="${y}" width="${x(560) - x(512)}" height="${BAR_H}" fill="url(#open)"/>`);
  out.push(`<line x1="${x(512)}" x2="${x(512)}" y1="${y - 8}" y2="${y + BAR_H + 8}" stroke="${INK}" stroke-width="3"/>`);
  out.push(text(x(560) + 16, y + BAR_H / 2 + 11, '≥ 512', { size: 32, weight: 'bold', fill: INK, halo: 0 }));
}
// R. Serre: 869, then 888 — the extension hatched.
{
  const y = serre.top;
  out.push(`<rect x="${X0}" y="${y}" width="${x(869) - X0}" height="${BAR_H}" fill="${BAR}"/>`);
  out.push(`<rect x="${x(869)}" y="${y}" width="${x(888) - x(869)}" height="${BAR_H}" fill="url(#hatch)" stroke="${BAR}" stroke-width="2"/>`);
  out.push(text(x(869) - 16, y + BAR_H / 2 + 11, '869', { size: 32, weight: 'bold', anchor: 'end', fill: '#ffffff', halo: 0 }));
  out.push(text(x(888) + 14, y + BAR_H / 2 + 11, '888', { size: 32, weight: 'bold', fill: INK, halo: 0 }));
}

const file = join(ensureDir(OUT_DIR), 'deportation-counts-chart.png');
const png = await rasterize(svgDoc(W, H, out.join('\n')), 'png-palette');
writeFileSync(file, png);
console.log(`${file}: ${(png.length / 1024).toFixed(0)} KB`);
