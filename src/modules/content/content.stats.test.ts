import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBundle } from '../bundle/bundle.reader.ts';
import { contentStats, countWords, docWords } from './content.stats.ts';
import type { Doc } from './content.schema.ts';

test('words are counted as a reader sees them, without Markdown markup', () => {
  assert.equal(countWords('## Le pont de Livron\n\nL’arche **sud** saute, ouvrant une brèche de 27 mètres.'), 13);
  assert.equal(countWords('- [Musée de la Résistance en ligne](https://example.org/a-b-c)\n- *Études drômoises*, n° 68'), 10);
  assert.equal(countWords('the exhibition [« La Libération de la Drôme »]{lang=fr}'), 7);
  assert.equal(countWords('Saint-Rambert-d’Albon, 1\u00a0300 — 1,500 et 1944.'), 5);
  assert.equal(countWords(''), 0);
});

test('a document counts its lead and its text, quote and note sections, per language', () => {
  const doc: Doc = {
    kind: 'theme', id: 't', visit: 'main', position: 1,
    blocks: [{ id: 'a', kind: 'text' }, { id: 'n', kind: 'note' }, { id: 'f', kind: 'figure', media: 'm' }],
    texts: {
      fr: { title: 'Titre', slug: 't', lead: 'Un deux trois.', blocks: { a: { body: 'quatre cinq' }, n: { body: 'six', title: 'pas compté' }, f: { caption: 'pas compté non plus' } } },
      en: { title: 'Title', slug: 't', blocks: { a: { body: 'one two' } } },
    },
  };
  assert.equal(docWords(doc, 'fr'), 6);
  assert.equal(docWords(doc, 'en'), 2);
  assert.equal(docWords(doc, 'de'), undefined);
});

test('the stats list documents in order with what each language is missing', () => {
  const { content } = readBundle('test/fixtures/bundles/naturkunde');
  assert.ok(content);
  const stats = contentStats(content);
  assert.deepEqual(stats.map((s) => s.kind), [...stats.map((s) => s.kind)].sort((a, b) => ['theme', 'article', 'page'].indexOf(a) - ['theme', 'article', 'page'].indexOf(b)));
  for (const s of stats) for (const l of content.museum.locales) {
    const doc: Doc = content.docs.find((d) => d.kind === s.kind && d.id === s.id)!;
    assert.equal(s.words[l], docWords(doc, l));
    if (!doc.texts[l]) assert.deepEqual(s.missingSections[l], []);
  }
  // The fixture leaves some English untranslated on purpose.
  assert.ok(stats.some((s) => s.words.en === undefined || s.missingSections.en!.length > 0));
});
