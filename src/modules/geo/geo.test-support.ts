import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { LabelBox } from './labels.ts';
import type { MapFeature, MapLayer, MapMarker, MapOptions, MarkerShape } from './map.types.ts';

// What the geo tests share: the demo map from the demo bundle, a
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

// The demo map is drawn from the demo bundle in the repository (content/drome/), never from data beside it: a test
// whose data is missing must fail, not vanish. The layers are the reference outlines and rivers as
// scripts/geo-layers-from-reference.ts wrote them (rounded to 4 decimals, about 10 m); the places are the 44 of the
// Drôme that scripts/places-from-geojson.ts writes at the head of places.yaml (the places beyond the Drôme follow);
// a town's liberation date is that of its last `town-liberated` event in events.yaml.
const DEMO = new URL('../../../content/drome/', import.meta.url);
const DROME_PLACES = 44;

function demoFile(name: string): string {
  const path = fileURLToPath(new URL(name, DEMO));
  if (!existsSync(path)) throw new Error(`the geo tests need the demo bundle's ${name}, and ${path} is missing`);
  return readFileSync(path, 'utf8');
}
const layer = (name: string) => (JSON.parse(demoFile(`geo/${name}.geojson`)) as { type: 'FeatureCollection'; features: MapFeature[] }).features;

interface DemoPlace { id: string; kind: string; lat: number; lon: number; name: Record<'fr' | 'en', string> }
interface DemoEvent { date: { start: string | Date }; places?: string[]; tags?: string[] }

let demoCache: { places: DemoPlace[]; liberated: Map<string, string> } | undefined;
function demoData() {
  if (demoCache) return demoCache;
  const places = (parse(demoFile('places.yaml')) as DemoPlace[]).slice(0, DROME_PLACES);
  if (places.length !== DROME_PLACES || places[0]?.id !== 'romans-sur-isere') {
    throw new Error(`content/drome/places.yaml should begin with the ${DROME_PLACES} places of the Drôme map, Romans-sur-Isère first`);
  }
  const liberated = new Map<string, string>();
  for (const e of parse(demoFile('events.yaml')) as DemoEvent[]) {
    if (!e.tags?.includes('town-liberated')) continue;
    const day = e.date.start instanceof Date ? e.date.start.toISOString().slice(0, 10) : String(e.date.start);
    for (const id of e.places ?? []) if (day > (liberated.get(id) ?? '')) liberated.set(id, day);
  }
  return (demoCache = { places, liberated });
}

/** The shapes per kind of place the site uses (src/web/views/geo.tsx), with the two shapes that tell sites and bridges from camps. */
const SITE_SHAPES: Record<string, MarkerShape> = { town: 'circle', village: 'ring', museum: 'diamond', bridge: 'bar', site: 'triangle', camp: 'square' };

/** The demo map of the map page: the Drôme, its four neighbours, four rivers and the 44 places. */
export function demo(lang: 'fr' | 'en' = 'fr', width = 700, shapes: 'test' | 'site' = 'test') {
  const [drome] = layer('drome');
  const neighbours = ['ardeche', 'isere', 'vaucluse', 'hautes-alpes'].flatMap(layer);
  const rivers = layer('rivers');
  const { places, liberated } = demoData();
  const short = (s: string) => s.split(' (')[0]!.split(', ')[0]!;
  const layers: MapLayer[] = [
    { id: 'drome', role: 'subject', features: [drome!] },
    { id: 'neighbours', role: 'context', features: neighbours, labelOf: (f) => String(f.properties?.nom ?? '') },
    { id: 'rivers', role: 'line', features: rivers, labelOf: (f) => short(String(f.properties?.[`name_${lang}`] ?? '')) },
  ];
  const markers: MapMarker[] = places.map((p) => {
    const kind = p.kind;
    const date = liberated.get(p.id);
    return {
      id: p.id,
      lon: p.lon,
      lat: p.lat,
      label: short(p.name[lang]),
      name: p.name[lang],
      href: `/${lang}/places/${p.id}`,
      style: kind === 'town' || kind === 'museum' ? 'primary' : 'secondary',
      shape: shapes === 'site' ? SITE_SHAPES[kind] ?? 'square' : kind === 'museum' ? 'square' : kind === 'site' ? 'diamond' : kind === 'bridge' ? 'ring' : 'circle',
      ...(kind === 'museum' ? { priority: 10 } : p.id === 'romans-sur-isere' ? { priority: 9 } : {}),
      ...(date ? { data: { date } } : {}),
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
