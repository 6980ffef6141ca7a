// Copies the map layers of the demo bundle from ../shared/reference/geo/ into
// content/drome/geo/: the Drôme, its four neighbours and the four rivers.
// Department files (a single Feature upstream) are wrapped in a
// FeatureCollection, as layers must be; coordinates are rounded to 4 decimals
// (about 10 m, far below what a page can show). Run: npx tsx scripts/geo-layers-from-reference.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const GEO = process.env.GEO_DIR ?? join(import.meta.dirname, '../../shared/reference/geo');
const OUT = join(import.meta.dirname, '../content/drome/geo');

const round = (c: unknown): unknown => (typeof c === 'number' ? Math.round(c * 1e4) / 1e4 : Array.isArray(c) ? c.map(round) : c);

function collection(file: string, keep: (props: Record<string, unknown>) => Record<string, unknown>) {
  const raw = JSON.parse(readFileSync(join(GEO, file), 'utf8')) as { type: string; features?: unknown[] } & Record<string, unknown>;
  const features = (raw.type === 'FeatureCollection' ? raw.features ?? [] : [raw]) as { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[];
  return {
    type: 'FeatureCollection',
    features: features.map((f) => ({ type: 'Feature', properties: keep(f.properties ?? {}), geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) } })),
  };
}

mkdirSync(OUT, { recursive: true });
const departments = [['26-drome', 'drome'], ['07-ardeche', 'ardeche'], ['38-isere', 'isere'], ['84-vaucluse', 'vaucluse'], ['05-hautes-alpes', 'hautes-alpes']];
for (const [src, id] of departments) {
  const fc = collection(`france-geojson/departement-${src}.geojson`, (p) => ({ code: p.code, nom: p.nom }));
  writeFileSync(join(OUT, `${id}.geojson`), `${JSON.stringify(fc)}\n`);
}
// On a map the English label needs no gloss: "Rhône (Rhone)" and "Drôme (river)" become "Rhône" and "Drôme".
const rivers = collection('drome-rivers.geojson', (p) => ({ id: p.id, name_fr: p.name_fr, name_en: String(p.name_en).replace(/ \(.*\)$/, '') }));
writeFileSync(join(OUT, 'rivers.geojson'), `${JSON.stringify(rivers)}\n`);
console.log(`Wrote ${departments.length + 1} layers to ${OUT}`);
