import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBundle } from '../bundle/bundle.reader.ts';
import { buildModel, selectIn, themesTellingPlace } from './content.model.ts';
import { eventsAt, selectEvents, sortEvents } from './content.events.ts';
import type { Content } from './content.schema.ts';

// The indexed model gives what the rules of content.events.ts give by
// scanning: the same events in the same order, for every block and place of
// the demo and the second museum.

const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);

for (const bundle of ['content/drome', 'test/fixtures/bundles/naturkunde']) {
  test(`the model agrees with the event rules on ${bundle}`, () => {
    const c = readBundle(bundle).content as Content;
    assert.ok(c, `${bundle} does not read`);
    const m = buildModel(c);
    assert.deepEqual(ids(m.chronology), ids(sortEvents(c.events, c.events)));
    let blocks = 0;
    for (const d of c.docs) {
      for (const b of d.blocks) {
        if (b.kind !== 'map' && b.kind !== 'chronology') continue;
        blocks += 1;
        assert.deepEqual(ids(selectIn(m, b)), ids(selectEvents(c.events, b)), `${d.id}/${b.id}`);
      }
    }
    if (bundle === 'content/drome') assert.ok(blocks >= 2, 'the demo has a chronology and a map block');
    for (const p of c.places) {
      assert.deepEqual(ids(m.eventsAtPlace.get(p.id) ?? []), ids(eventsAt(c.events, p.id)), p.id);
      assert.deepEqual(ids(m.eventsAtPlaceSorted.get(p.id) ?? []), ids(sortEvents(eventsAt(c.events, p.id), c.events)), p.id);
      // The themes of its events, and those whose map blocks name it, by position.
      const want = new Set(eventsAt(c.events, p.id).flatMap((e) => e.themes));
      for (const d of c.docs) if (d.blocks.some((b) => b.kind === 'map' && b.places?.includes(p.id))) want.add(d.id);
      assert.deepEqual(ids(themesTellingPlace(m, p.id)), ids(c.docs.filter((d) => d.kind === 'theme' && want.has(d.id)).sort((a, b) => a.position - b.position)), p.id);
    }
    for (const v of c.visits) {
      const themes = c.docs.filter((d) => d.kind === 'theme' && d.visit === v.id).sort((a, b) => a.position - b.position);
      assert.deepEqual(ids(m.themesByVisit.get(v.id) ?? []), ids(themes));
      themes.forEach((t, i) => assert.equal(m.themeIndex.get(t.id), i));
    }
    for (const d of c.docs.filter((x) => x.kind === 'theme')) {
      assert.deepEqual(ids(m.eventsByTheme.get(d.id) ?? []), ids(sortEvents(c.events.filter((e) => e.themes.includes(d.id)), c.events)), d.id);
    }
  });
}

test('a block selects its listed events, and tagged ones within its dates, each once, in chronology order', () => {
  const ev = (id: string, start: string, tags: string[]) => ({ id, date: { precision: 'day' as const, start }, places: [], themes: [], tags, title: { en: id } });
  const c = {
    museum: {}, visits: [{ id: 'v', primary: true, title: {}, slug: {}, summary: {} }], docs: [], media: [], places: [], layers: [], tags: [], glossary: [],
    events: [ev('late', '1944-09-01', ['t']), ev('early', '1944-08-01', ['t']), ev('listed', '1950-01-01', []), ev('same-day', '1944-08-01', ['lost'])],
  } as unknown as Content;
  const m = buildModel(c);
  const b = { events: ['listed', 'listed', 'missing'], tag: 't', lost_tag: 'lost', from: '1944-07-01', to: '1944-08-31' };
  assert.deepEqual(ids(selectIn(m, b)), ['early', 'same-day', 'listed']);
  assert.deepEqual(ids(selectIn(m, b)), ids(selectEvents(c.events, b)));
});
