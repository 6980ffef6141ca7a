import { test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../src/i18n/catalogues/en.ts';
import { fr } from '../src/i18n/catalogues/fr.ts';
import { de } from '../src/i18n/catalogues/de.ts';

// Every catalogue has exactly the English keys. The Catalogue type catches a
// missing key; a key only in French or German (a typo, one removed from English)
// comes in through the spread parts (admin.*.ts, editor.*.ts), unchecked by it.

test('the French and German catalogues have exactly the English keys, none empty', () => {
  const keys = Object.keys(en).sort();
  for (const [name, c] of [['fr', fr], ['de', de]] as const) {
    assert.deepEqual(Object.keys(c).sort(), keys, name);
    assert.deepEqual(Object.entries(c).filter(([, v]) => v.trim() === '').map(([k]) => k), [], name);
  }
});
