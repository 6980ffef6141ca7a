import type { Mutation } from './mutations.ts';

// Cases the fuzzer found, and those issue 11 named, run first on every run
// so that a fixed defect stays fixed whatever the seed explores.
const fossils = 'themes/01-fossils.yaml';
const COORDINATES = ['features', 0, 'geometry', 'coordinates'];

export const KNOWN: Mutation[][] = [
  // Issue 11, 7: a map as a postal code was published as "[object Object]".
  [{ kind: 'set', file: 'bundle.yaml', path: ['museum', 'address', 'postal_code'], value: { a: 1 } }],
  // Issue 11, 7: impossible dates in a block's from/to and in a media date.
  [{ kind: 'set', file: fossils, path: ['blocks', 3, 'tag'], value: 'fossils' }, { kind: 'set', file: fossils, path: ['blocks', 3, 'from'], value: '1944-02-30' }],
  [{ kind: 'set', file: fossils, path: ['blocks', 3, 'to'], value: '1944-13-01' }],
  [{ kind: 'set', file: 'media.yaml', path: [0, 'date'], value: '1944-02-30' }],
  // Issue 11, 7: a raw NUL byte in YAML, and in Markdown prose.
  [{ kind: 'set', file: 'events.yaml', path: [0, 'title', 'de'], value: 'Er\u0000öffnung' }],
  [{ kind: 'body', file: 'articles/fieldwork.de.md', permille: 500, text: '\u0000' }],
  // Issue 11, 7: one tab in media.yaml; YAML syntax errors must name their line.
  [{ kind: 'text', file: 'media.yaml', op: { op: 'tab', line: 3 } }],
  // Issue 11, 7: Markdown images from other hosts.
  [{ kind: 'body', file: 'articles/fieldwork.de.md', permille: 990, text: '![x](https://evil.example/x.png)' }],
  // Issue 11, 4: a theme's Markdown that is a link out of the bundle; a linked folder.
  [{ kind: 'file', file: 'themes/01-fossils.en.md', op: 'link-outside' }],
  [{ kind: 'file', file: 'themes/01-fossils.en.md', op: 'link-dir' }],
  [{ kind: 'path', item: 0, field: 'file', path: 'media/ext/outside.png' }],
  [{ kind: 'path', item: 5, field: 'transcript', path: 'media/link.md' }],
  // Found by the fuzzer: an id that is a map with a "toString" key crashed the reader (TypeError).
  [{ kind: 'text', file: 'places.yaml', op: { op: 'replace', text: '- {id: {toString: 1}}\n' } }],
  // Found by the fuzzer: a lone surrogate (escaped in YAML) was accepted and shown as U+FFFD.
  [{ kind: 'set', file: 'bundle.yaml', path: ['museum', 'address', 'locality'], value: 'Beispielstadt\uD800' }],
  // Found by the fuzzer: map layers that check accepts but no map can draw. A polygon without rings, or with a
  // ring of one position, crashes the rendering of the whole site (TypeError in d3-geo); a ring of two positions,
  // an outer ring wound the wrong way (or crossing itself), an empty MultiPolygon and a subject of zero extent
  // draw every layer as "mNaN.NaN …".
  [{ kind: 'set', file: 'geo/area.geojson', path: COORDINATES, value: [] }],
  [{ kind: 'set', file: 'geo/area.geojson', path: COORDINATES, value: [[[10.8, 48.8]]] }],
  [{ kind: 'set', file: 'geo/area.geojson', path: COORDINATES, value: [[[10.8, 48.8], [11, 49]]] }],
  [{ kind: 'set', file: 'geo/area.geojson', path: COORDINATES, value: [[[10.8, 48.8], [12.4, 48.8], [12.4, 49.5], [10.8, 49.5], [10.8, 48.8]]] }],
  [{ kind: 'set', file: 'geo/area.geojson', path: ['features', 0, 'geometry'], value: { type: 'MultiPolygon', coordinates: [] } }],
  [{ kind: 'set', file: 'geo/area.geojson', path: ['features', 0, 'geometry'], value: { type: 'LineString', coordinates: [[11, 49], [11, 49]] } }],
  // A subject that covers the whole world (edges along the poles and the antimeridian) draws every layer as NaN.
  [{ kind: 'set', file: 'geo/area.geojson', path: COORDINATES, value: [[[-180, -90], [-180, 90], [180, 90], [180, -90], [-180, -90]]] }],
  // Found by the fuzzer: a geometry type that is a map with "toString"/"valueOf" keys crashed check (TypeError in bundle.geo.ts).
  [{ kind: 'set', file: 'geo/area.geojson', path: ['features', 0, 'geometry', 'type'], value: { valueOf: 'x', toString: 'y' } }],
  [{ kind: 'set', file: 'geo/area.geojson', path: ['type'], value: { toString: 1 } }],
  // Found by the fuzzer: a lone surrogate in a GeoJSON label (a JSON "\ud800" escape) is accepted and drawn as U+FFFD.
  [{ kind: 'set', file: 'geo/river.geojson', path: ['features', 0, 'properties', 'name_de'], value: 'Altmühl\uD800' }],
  // A self-referencing alias makes a circular value.
  [{ kind: 'set', file: 'events.yaml', path: [0, 'title', 'de'], value: '§&c [*c]' }],
];
