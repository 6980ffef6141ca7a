import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEventDate } from './dates.ts';

test('day precision follows each language', () => {
  assert.equal(formatEventDate({ precision: 'day', start: '1944-08-31' }, 'fr'), '31 août 1944');
  assert.equal(formatEventDate({ precision: 'day', start: '1944-08-31' }, 'en'), '31 August 1944');
  assert.equal(formatEventDate({ precision: 'day', start: '1944-09-01' }, 'fr'), '1er septembre 1944');
  assert.equal(formatEventDate({ precision: 'day', start: '1944-09-01' }, 'de'), '1. September 1944');
});

test('night of 16–17 August 1944', () => {
  assert.equal(formatEventDate({ precision: 'night', start: '1944-08-16' }, 'en'), 'night of 16–17 August 1944');
  assert.equal(formatEventDate({ precision: 'night', start: '1944-08-16' }, 'fr'), 'nuit du 16 au 17 août 1944');
  assert.equal(formatEventDate({ precision: 'night', start: '1944-08-31' }, 'en'), 'night of 31 August 1944 – 1 September 1944');
  assert.equal(formatEventDate({ precision: 'night', start: '1944-08-31' }, 'fr'), 'nuit du 31 août 1944 au 1er septembre 1944');
});

test('month, year and range precisions', () => {
  assert.equal(formatEventDate({ precision: 'month', start: '1939-09' }, 'fr'), 'septembre 1939');
  assert.equal(formatEventDate({ precision: 'year', start: '1935' }, 'en'), '1935');
  assert.equal(formatEventDate({ precision: 'range', start: '1944-08-21', end: '1944-08-28' }, 'en'), '21–28 August 1944');
  assert.equal(formatEventDate({ precision: 'range', start: '1944-08-21', end: '1944-08-28' }, 'fr'), 'du 21 au 28 août 1944');
  assert.equal(formatEventDate({ precision: 'range', start: '1944-07-21', end: '1944-08-02' }, 'fr'), 'du 21 juillet 1944 au 2 août 1944');
  assert.equal(formatEventDate({ precision: 'range', start: '1944-08-21', end: '1944-08-28' }, 'de'), '21.–28. August 1944');
  assert.equal(formatEventDate({ precision: 'night', start: '1944-08-16' }, 'de'), 'Nacht vom 16. zum 17. August 1944');
});
