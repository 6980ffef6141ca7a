import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LabelBox } from './labels.ts';
import type { MapFeature, MapLayer, MapMarker, MapOptions, MarkerShape } from './map.types.ts';

// What the geo tests share: the demo map from the reference data, a
// deterministic random source, box overlap and the smallest map options.
// (Not a test file itself: the runner picks up *.test.ts only.)

/** Options of a small map fitted to its markers. */
export const simple: MapOptions = { width: 400, title: 'T', description: 'D', idPrefix: 't', fit: 'markers' };

export const overlaps = (a: LabelBox, b: LabelBox) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A small deterministic PRNG (mulberry32), so that the "random" layouts are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The reference data lives next to the repository: /work/shared/reference/geo.
const GEO = new URL('../../../../shared/reference/geo/', import.meta.url);
const geoFile = (name: string) => fileURLToPath(new URL(name, GEO));
const FILES = [
  'france-geojson/departement-26-drome.geojson',
  'france-geojson/departement-07-ardeche.geojson',
  'france-geojson/departement-38-isere.geojson',
  'france-geojson/departement-84-vaucluse.geojson',
  'france-geojson/departement-05-hautes-alpes.geojson',
  'drome-rivers.geojson',
  'drome-places.geojson',
];
const missing = FILES.filter((f) => !existsSync(geoFile(f)));
export const SKIP = missing.length ? `reference data not found: ${missing.map(geoFile).join(', ')}` : false;
const read = (name: string): any => JSON.parse(readFileSync(geoFile(name), 'utf8'));


/** The shapes per kind of place the site uses (src/web/views/geo.tsx), with the two shapes that tell sites and bridges from camps. */
const SITE_SHAPES: Record<string, MarkerShape> = { town: 'circle', village: 'ring', museum: 'diamond', bridge: 'bar', site: 'triangle', camp: 'square' };

/** The demo map of the map page: the Drôme, its four neighbours, four rivers and the 44 places. */
export function demo(lang: 'fr' | 'en' = 'fr', width = 700, shapes: 'test' | 'site' = 'test') {
  const drome = read(FILES[0]!) as MapFeature;
  const neighbours = FILES.slice(1, 5).map((f) => read(f) as MapFeature);
  const rivers = read('drome-rivers.geojson').features as MapFeature[];
  const places = read('drome-places.geojson').features as { properties: Record<string, string>; geometry: { coordinates: [number, number] } }[];
  const short = (s: string) => s.split(' (')[0]!.split(', ')[0]!;
  const layers: MapLayer[] = [
    { id: 'drome', role: 'subject', features: [drome] },
    { id: 'neighbours', role: 'context', features: neighbours, labelOf: (f) => String(f.properties?.nom ?? '') },
    { id: 'rivers', role: 'line', features: rivers, labelOf: (f) => short(String(f.properties?.[`name_${lang}`] ?? '')) },
  ];
  const markers: MapMarker[] = places.map((f) => {
    const p = f.properties;
    const kind = p.kind;
    return {
      id: p.id!,
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
      label: short(p[`name_${lang}`]!),
      name: p[`name_${lang}`]!,
      href: `/${lang}/places/${p.id}`,
      style: kind === 'town' || kind === 'museum' ? 'primary' : 'secondary',
      shape: shapes === 'site' ? SITE_SHAPES[kind!] ?? 'square' : kind === 'museum' ? 'square' : kind === 'site' ? 'diamond' : kind === 'bridge' ? 'ring' : 'circle',
      ...(kind === 'museum' ? { priority: 10 } : p.id === 'romans-sur-isere' ? { priority: 9 } : {}),
      ...(p.liberated ? { data: { date: p.liberated } } : {}),
    };
  });
  const opts: MapOptions = {
    width,
    title: lang === 'fr' ? 'Carte des lieux' : 'Map of the places',
    description: lang === 'fr' ? 'La Drôme et les 44 lieux de la visite.' : 'The Drôme and the 44 places of the visit.',
    idPrefix: 'map-places',
    fit: 'layers',
    lang,
    scaleBar: { label: (km) => `${km} km` },
  };
  return { layers, markers, opts };
}
