import { test } from 'node:test';
import assert from 'node:assert/strict';
import { names, normaliseName } from './text.ts';

test('a name is compared without case, accents or punctuation', () => {
  assert.equal(normaliseName('Saint-Donat-sur-l’Herbasse', 'fr'), 'saint donat sur l herbasse');
  assert.equal(normaliseName('MONTÉLIMAR', 'fr'), 'montelimar');
  assert.equal(normaliseName('İstanbul', 'tr'), 'istanbul');
});

test('a title names a place only as whole words', () => {
  assert.ok(names('Libération de Crest', 'Crest', 'fr'));
  assert.ok(names('Liberation of Montelimar', 'Montélimar', 'en'));
  assert.ok(names('Les Allemands reprennent Saint Donat', 'Saint-Donat', 'fr'));
  assert.ok(!names('Libération de Crestet', 'Crest', 'fr'));
  assert.ok(!names('Libération de Romans', 'Romans-sur-Isère', 'fr'), 'a shorter name in the title is not the place’s name');
  assert.ok(!names('Libération', '', 'fr'));
});
