import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeChanges, reachedOn } from '../../modules/content/content.events.ts';
import { stateOn } from '../../islands/by-date.ts';
import type { HistEvent } from '../../modules/content/content.schema.ts';

const ev = (id: string, start: string, places: string[], tags: string[]): HistEvent => ({
  id, date: { start, precision: 'day' }, places, themes: [], tags, title: { en: id },
} as HistEvent);

test('places are reached by tagged events, lost by the lost tag, and reached again', () => {
  const events = [
    ev('a', '1944-08-22', ['romans'], ['lib']),
    ev('b', '1944-08-23', ['nyons'], ['lib']),
    ev('c', '1944-08-27', ['romans', 'bourg'], ['retaken']),
    ev('d', '1944-08-30', ['romans', 'bourg'], ['lib']),
    ev('e', '1944-08-30', ['nyons'], ['lib']), // reached twice: one change only
  ];
  const changes = placeChanges(events, 'retaken');
  assert.deepEqual(changes.get('romans'), [{ date: '1944-08-22', reached: true }, { date: '1944-08-27', reached: false }, { date: '1944-08-30', reached: true }]);
  assert.deepEqual(changes.get('bourg'), [{ date: '1944-08-27', reached: false }, { date: '1944-08-30', reached: true }]);
  assert.deepEqual(changes.get('nyons'), [{ date: '1944-08-23', reached: true }]);
  const romans = changes.get('romans') ?? [];
  assert.deepEqual(['1944-08-21', '1944-08-22', '1944-08-26', '1944-08-27', '1944-08-29', '1944-08-30'].map((d) => reachedOn(romans, d)), [false, true, true, false, false, true]);
  // Without a lost tag, every selected event reaches its places.
  assert.deepEqual(placeChanges(events, undefined).get('bourg'), [{ date: '1944-08-27', reached: true }]);
  // Two events on one day: the later one in the chronology wins.
  assert.deepEqual(placeChanges([ev('x', '1944-08-27', ['p'], ['lib']), ev('y', '1944-08-27', ['p'], ['retaken'])], 'retaken').get('p'), [{ date: '1944-08-27', reached: false }]);
});

test('the slider reads the same states from the markers’ data', () => {
  const changes = '1944-08-22+ 1944-08-27- 1944-08-30+';
  assert.deepEqual(['1944-08-15', '1944-08-22', '1944-08-28', '1944-09-02'].map((d) => stateOn(changes, d)), ['later', 'reached', 'lost', 'reached']);
  assert.equal(stateOn('', '1944-09-02'), 'later');
});
