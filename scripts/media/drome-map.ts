// General map of the Drôme: outline (the Enclave des Papes left as part of the
// Vaucluse), neighbouring departments, the four rivers, the main towns, a scale
// bar and a north arrow. Run: npx tsx scripts/media/drome-map.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR, ensureDir, loadGeo, rasterize, staticMap } from './drome-geo.ts';

const out = join(ensureDir(OUT_DIR), 'drome-map.png');
const png = await rasterize(staticMap(loadGeo()), 'png-palette');
writeFileSync(out, png);
console.log(`${out}: ${(png.length / 1024).toFixed(0)} KB`);
