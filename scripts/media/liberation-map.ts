// The liberation map: the general map with the towns liberated between 20 and
// 31 August 1944 highlighted, their dates under their names ("22.08 / 30.08"),
// and the Livron bridge marked. Dates come from liberation-schedule.ts, the
// same schedule as the animated map. Run: npx tsx scripts/media/liberation-map.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR, ensureDir, loadGeo, rasterize, staticMap, type Highlight } from './drome-geo.ts';
import { dateLabels } from './liberation-schedule.ts';

const highlights = new Map<string, Highlight>([...dateLabels()].map(([town, date]) => [town, { date }]));
const out = join(ensureDir(OUT_DIR), 'drome-liberation-map.png');
const png = await rasterize(staticMap(loadGeo(), { highlights, bridge: true }), 'png-palette');
writeFileSync(out, png);
console.log(`${out}: ${(png.length / 1024).toFixed(0)} KB`);
