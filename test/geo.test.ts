import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, copyBundle } from './harness.ts';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';

// Map layers of a bundle: GeoJSON under geo/, declared in layers.yaml.

const problemsWith = (change: (dir: string) => void): string[] => {
  const dir = copyBundle(DEMO);
  change(dir);
  return readBundle(dir).problems;
};
const edit = (dir: string, rel: string, f: (s: string) => string) => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));

describe('map layers', () => {
  test('the demo declares the Drôme, its four neighbours and the rivers, in drawing order', () => {
    const { content } = readBundle(DEMO);
    assert.deepEqual(content?.layers.map((l) => [l.id, l.role, l.data.features.length]), [
      ['drome', 'subject', 1], ['ardeche', 'context', 1], ['isere', 'context', 1], ['vaucluse', 'context', 1], ['hautes-alpes', 'context', 1], ['rivers', 'line', 4],
    ]);
    // The Enclave des Papes is a hole in the Drôme.
    const drome = content?.layers[0]?.data.features[0]?.geometry;
    assert.equal(drome?.type, 'Polygon');
    assert.equal((drome?.coordinates as unknown[]).length, 2);
  });

  const cases: [string, (dir: string) => void, RegExp][] = [
    ['a file that is not JSON', (d) => writeFileSync(join(d, 'geo/rivers.geojson'), '{"type": "FeatureCollection", '), /^geo\/rivers\.geojson: is not valid JSON/],
    ['a Feature instead of a FeatureCollection', (d) => writeFileSync(join(d, 'geo/rivers.geojson'), JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[4.8, 44.9], [4.9, 45]] } })), /^geo\/rivers\.geojson: must be a GeoJSON FeatureCollection \(found type "Feature"\)$/],
    ['latitude and longitude swapped out of range', (d) => writeFileSync(join(d, 'geo/rivers.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[44.9, 4.8], [45, 95]] } }] })), /^geo\/rivers\.geojson: feature 1: position \[45, 95\] is out of range/],
    ['points in a layer', (d) => writeFileSync(join(d, 'geo/rivers.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [4.8, 44.9] } }] })), /^geo\/rivers\.geojson: feature 1: geometry "Point" cannot be drawn as a layer/],
    ['a missing file', (d) => edit(d, 'layers.yaml', (s) => s.replace('file: geo/rivers.geojson', 'file: geo/streams.geojson')), /^geo\/streams\.geojson: file is missing$/],
    ['a file outside geo/', (d) => edit(d, 'layers.yaml', (s) => s.replace('file: geo/rivers.geojson', 'file: ../places.yaml')), /^layers\.yaml: layer "rivers": file: must be a \.geojson file under geo\//],
    ['no subject layer', (d) => edit(d, 'layers.yaml', (s) => s.replace('role: subject', 'role: context')), /^layers\.yaml: needs at least one layer with role "subject"/],
    ['a credit missing in the default language', (d) => edit(d, 'layers.yaml', (s) => s.replace(/- id: rivers[\s\S]*$/, '- id: rivers\n  file: geo/rivers.geojson\n  role: line\n  credit: {en: Rivers}\n')), /^layers\.yaml: layer "rivers": credit: the default language "fr" is missing$/],
    ['layers in a version-1 bundle', (d) => edit(d, 'bundle.yaml', (s) => s.replace('version: 2', 'version: 1')), /^layers\.yaml: map layers need bundle version 2/],
  ];
  for (const [name, change, expected] of cases) {
    test(`refused with a clear message: ${name}`, () => {
      const problems = problemsWith(change);
      assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in:\n${problems.join('\n')}`);
    });
  }
});
