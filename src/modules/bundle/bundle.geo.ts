import type { GeoFeatureCollection, GeoLayer } from '../content/content.schema.ts';
import type { Problems, Where } from './bundle.problems.ts';
import { readText } from './bundle.files.ts';
import { geoArea, geoBounds } from 'd3-geo';

// Map layers: each entry of layers.yaml names a GeoJSON file under geo/.
// The file must parse, be a FeatureCollection of polygons and lines in WGS84
// (longitude, latitude), and stay within the size a page can draw.

const GEOMETRIES = new Set(['Polygon', 'MultiPolygon', 'LineString', 'MultiLineString']);
const MAX_FEATURES = 5000;

/** Checks one position array nested `depth` levels deep (1 = a line's points). Returns a problem or undefined. */
function checkCoordinates(c: unknown, depth: number): string | undefined {
  if (!Array.isArray(c)) return 'coordinates must be arrays';
  if (depth === 0) {
    const [lon, lat] = c as unknown[];
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) return 'a position is not [longitude, latitude] numbers';
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return `position [${lon}, ${lat}] is out of range (longitude −180…180, latitude −90…90; is it [latitude, longitude] or projected?)`;
    return undefined;
  }
  for (const x of c) {
    const p = checkCoordinates(x, depth - 1);
    if (p) return p;
  }
  return undefined;
}

const DEPTH: Record<string, number> = { LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

type Pos = [number, number];
const distinct = (line: Pos[]) => new Set(line.map(([x, y]) => `${x},${y}`)).size;

/**
 * What makes well-formed coordinates undrawable: an empty geometry, a line of
 * fewer than two distinct points, a ring that is not closed or has fewer than
 * three distinct corners (d3-geo would crash or draw "NaN").
 */
function shapeProblem(type: string, c: unknown): string | undefined {
  const line = (l: Pos[]) => (distinct(l) < 2 ? 'a line needs at least two different positions' : undefined);
  const ring = (r: Pos[]) => {
    if (r.length < 4 || distinct(r) < 3) return 'a polygon ring needs at least three different corners (and its first position again at the end)';
    const [a, z] = [r[0]!, r[r.length - 1]!];
    return a[0] !== z[0] || a[1] !== z[1] ? 'a polygon ring must end at its first position (closed)' : undefined;
  };
  const polygon = (p: Pos[][]) => (p.length === 0 ? 'a polygon needs at least one ring' : p.map(ring).find(Boolean));
  const many = <T>(xs: T[], one: (x: T) => string | undefined) => (xs.length === 0 ? `a ${type} needs at least one part` : xs.map(one).find(Boolean));
  switch (type) {
    case 'LineString': return line(c as Pos[]);
    case 'MultiLineString': return many(c as Pos[][], line);
    case 'Polygon': return polygon(c as Pos[][]);
    case 'MultiPolygon': return many(c as Pos[][][], polygon);
    default: return undefined;
  }
}

/**
 * d3-geo reads a polygon as the smaller of the two areas its rings enclose only
 * when they are wound clockwise; GeoJSON (RFC 7946) winds them the other way.
 * A polygon that would cover more than half the globe is turned round, so a
 * layer draws the same whichever convention its file follows.
 */
function windForD3(type: string, c: unknown): unknown {
  const fix = (p: Pos[][]) => (geoArea({ type: 'Polygon', coordinates: p }) > 2 * Math.PI ? p.map((r) => [...r].reverse()) : p);
  if (type === 'Polygon') return fix(c as Pos[][]);
  if (type === 'MultiPolygon') return (c as Pos[][][]).map(fix);
  return c;
}

/** A value shown in a message, whatever it is (a map with a "toString" key cannot break the message). */
const shown = (v: unknown): string => (typeof v === 'string' ? `"${v.slice(0, 40)}"` : v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

/** `where` names the layer entry whose file this is. */
export function parseLayer(text: string, file: string, problems: Problems, where: Where = {}): GeoFeatureCollection | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    problems.add('geojson_syntax', file, `is not valid JSON (${(e as Error).message.split('\n')[0]})`, where);
    return undefined;
  }
  const fc = raw as { type?: unknown; features?: unknown };
  if (typeof raw !== 'object' || raw === null || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    problems.add('geojson_type', file, `must be a GeoJSON FeatureCollection (found ${typeof raw === 'object' && raw !== null ? `type ${shown(fc.type)}` : typeof raw})`, where);
    return undefined;
  }
  if (fc.features.length === 0 || fc.features.length > MAX_FEATURES) {
    problems.add('geojson_size', file, `must hold between 1 and ${MAX_FEATURES} features (found ${fc.features.length})`, where);
    return undefined;
  }
  const out: GeoFeatureCollection = { type: 'FeatureCollection', features: [] };
  for (const [i, f] of (fc.features as unknown[]).entries()) {
    const feat = f as { type?: unknown; properties?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null };
    const label = `feature ${i + 1}`;
    if (typeof f !== 'object' || f === null || feat.type !== 'Feature' || !feat.geometry) {
      problems.add('geojson_type', file, `${label}: is not a Feature with a geometry`, where);
      return undefined;
    }
    const type = typeof feat.geometry.type === 'string' ? feat.geometry.type : '';
    if (!GEOMETRIES.has(type)) {
      problems.add('geo_geometry', file, `${label}: geometry ${shown(feat.geometry.type)} cannot be drawn as a layer (use Polygon, MultiPolygon, LineString or MultiLineString; places go in places.yaml)`, where);
      return undefined;
    }
    const bad = checkCoordinates(feat.geometry.coordinates, DEPTH[type] ?? 1) ?? shapeProblem(type, feat.geometry.coordinates);
    if (bad) {
      problems.add('geo_shape', file, `${label}: ${bad}`, where);
      return undefined;
    }
    const properties = typeof feat.properties === 'object' && feat.properties !== null ? feat.properties as Record<string, unknown> : null;
    out.features.push({ type: 'Feature', properties, geometry: { type: type as GeoFeatureCollection['features'][number]['geometry']['type'], coordinates: windForD3(type, feat.geometry.coordinates) as never } });
  }
  return out;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The labels a layer draws come from a feature property: each must be short text (a map would be drawn as "[object Object]"). */
function labelProblem(data: GeoFeatureCollection, labelProperty: string): string | undefined {
  const name = new RegExp(`^${labelProperty.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&').replace('\\{locale\\}', '[a-z]{2,3}(-[A-Z]{2})?')}$`);
  for (const [i, f] of data.features.entries()) {
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (!name.test(k) || v === null || v === undefined) continue;
      const where = `feature ${i + 1}: property "${k}" (the label_property)`;
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) return `${where} must be text (found ${Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v})`;
      if (typeof v === 'string' && (v.length > 200 || CONTROL.test(v))) return `${where} must be a short label without control characters (at most 200 characters)`;
      if (typeof v === 'string' && !v.isWellFormed()) return `${where} contains half a character (a lone "\\uD800"-style escape); write the whole character`;
    }
  }
  return undefined;
}

/**
 * The maps are fitted to the subject layers with a conic projection, which is
 * made for a region: a subject spanning the globe (or reaching a pole) cannot
 * be drawn and would give every layer "NaN" paths.
 */
function subjectProblem(data: GeoFeatureCollection): string | undefined {
  const [[w, s], [e, n]] = geoBounds(data as never);
  const span = e >= w ? e - w : e + 360 - w;
  if (![w, s, e, n].every(Number.isFinite) || span > 180 || s < -85 || n > 85) {
    return 'a subject layer is the region the maps are about: it must lie within 180° of longitude and between 85° S and 85° N (use role: context for a layer of the whole world)';
  }
  return undefined;
}

/** Reads the GeoJSON file of every layer entry; entries whose file is bad are dropped (their problems recorded). */
export function readLayers(root: string, entries: Omit<GeoLayer, 'data'>[], problems: Problems): GeoLayer[] {
  const out: GeoLayer[] = [];
  for (const e of entries) {
    const where: Where = { entity: 'layer', id: e.id };
    const text = readText(root, e.file, problems, where);
    if (text === undefined) continue;
    const data = parseLayer(text, e.file, problems, where);
    if (!data) continue;
    const label = e.label_property ? labelProblem(data, e.label_property) : undefined;
    const extent = e.role === 'subject' ? subjectProblem(data) : undefined;
    if (label) problems.add('geo_label', e.file, label, where);
    else if (extent) problems.add('geo_extent', e.file, extent, where);
    else out.push({ ...e, data });
  }
  return out;
}

