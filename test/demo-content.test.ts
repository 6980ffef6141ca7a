import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import type { Content, Doc, HistEvent } from '../src/modules/content/content.schema.ts';
import { docWords } from '../src/modules/content/content.stats.ts';
import { DEMO, siteFor, type TestSite } from './harness.ts';
import { bundleFiles, docTexts, offending, visitorTexts } from './demo-texts.ts';

// The demo visit is a history museum's voice: these tests hold the written
// bundle to what the content issue promised (eleven themes in both languages,
// of a real length and structure, honest figures, a placed and dated
// chronology, and the liberation dates of the fact sheet).

const THEME_IDS = ['rise-of-nazism', 'phoney-war', 'armistice', 'occupation', 'resistance-organised', 'resistance-spreads', 'armed-resistance', 'repression', 'deportation', 'liberation', 'videos'];
const LOCALES = ['fr', 'en'];
const WORDS = { min: 500, max: 1200 };

const { content, problems } = readBundle(DEMO);
const c = content as Content;
const themes = (c?.docs ?? []).filter((d) => d.kind === 'theme' && d.visit === 'main').sort((a, b) => a.position - b.position);
const media = new Map((c?.media ?? []).map((m) => [m.id, m]));
const places = new Map((c?.places ?? []).map((p) => [p.id, p]));
const events = new Map((c?.events ?? []).map((e) => [e.id, e]));
const sections = (d: Doc, l: string) => d.blocks.filter((b) => b.kind === 'text').map((b) => d.texts[l]!.blocks[b.id]?.body ?? '');
const event = (id: string): HistEvent => {
  const e = events.get(id);
  assert.ok(e, `event ${id} exists`);
  return e;
};

test('the demo bundle is valid', () => {
  assert.deepEqual(problems, []);
});

test('the visit has the eleven themes in order, each written in French and English', () => {
  assert.deepEqual(themes.map((t) => t.id), THEME_IDS);
  assert.deepEqual(themes.map((t) => t.position), THEME_IDS.map((_, i) => i + 1));
  for (const t of themes) for (const l of LOCALES) {
    assert.ok(t.texts[l]?.title, `${t.id} has a ${l} title`);
    assert.ok(t.texts[l]?.lead, `${t.id} has a ${l} lead`);
    assert.ok(t.blocks.length > 0, `${t.id} has blocks`);
  }
});

describe('length and structure of every theme and of the article', () => {
  const docs = [...themes, ...c.docs.filter((d) => d.kind === 'article')];
  for (const d of docs) for (const l of LOCALES) {
    test(`${d.kind} ${d.id} (${l})`, () => {
      const words = docWords(d, l);
      // Theme 10 also opens with the geography the museum's own page starts with (issue 13).
      const max = d.id === 'liberation' ? WORDS.max + 150 : WORDS.max;
      assert.ok(words !== undefined && words >= WORDS.min && words <= max, `${d.id} ${l}: ${words} words, expected ${WORDS.min}–${max}`);
      const headings = sections(d, l).flatMap((s) => s.match(/^## .+$/gm) ?? []);
      const bodyHeadings = headings.filter((h) => !/^## Sources$/.test(h));
      assert.ok(bodyHeadings.length >= 3 && bodyHeadings.length <= 6, `${d.id} ${l}: ${bodyHeadings.length} sections besides Sources, expected 3–6`);
      const last = d.blocks.at(-1)!;
      assert.equal(last.id, 'sources', `${d.id}: the last block lists the sources`);
      const list = d.texts[l]!.blocks.sources?.body ?? '';
      assert.match(list, /^## Sources\n/);
      assert.ok((list.match(/^- /gm) ?? []).length >= 2, `${d.id} ${l}: at least two sources`);
      // Every foreign-language fragment is marked with a real language tag.
      for (const s of sections(d, l)) for (const m of s.matchAll(/\]\{([^}]*)\}/g)) assert.match(m[1]!, /^lang=[a-z]{2}$/);
    });
  }
});

test('where sources disagree on what a visitor cares about, a note says so; the rest is in the theme\'s Sources', () => {
  const notes = c.docs.flatMap((d) => d.blocks.filter((b) => b.kind === 'note').map((b) => ({ d, b })));
  // Issue 13: 27 notes read like a research log. A few remain, each a real disagreement.
  assert.ok(notes.length >= 4 && notes.length <= 6, `${notes.length} notes: ${notes.map(({ d, b }) => `${d.id}/${b.id}`).join(', ')}`);
  for (const { d, b } of notes) for (const l of LOCALES) {
    assert.equal(b.kind === 'note' && b.tone, 'sources-disagree', `${d.id}/${b.id} is a disagreement`);
    assert.ok((d.texts[l]!.blocks[b.id]?.body ?? '').length > 40, `${d.id}/${b.id} has a ${l} text`);
    assert.match(d.texts[l]!.blocks[b.id]?.title ?? '', l === 'fr' ? /^Les sources divergent\u00a0: .+/ : /^Sources disagree: .+/, `${d.id}/${b.id}: ${l} title says what`);
  }
  for (const id of ['department-date', 'nyons-dates']) assert.ok(notes.some(({ b }) => b.id === id), `theme 10 keeps its ${id} note`);
  // The deportation figures of the museum and of later research are both given.
  const deportation = themes.find((t) => t.id === 'deportation')!;
  for (const l of LOCALES) {
    const text = deportation.blocks.map((b) => deportation.texts[l]!.blocks[b.id]?.body ?? '').join('\n');
    for (const n of ['543', '285', '512', '869', '888']) assert.match(text, new RegExp(n), `theme 9 (${l}) gives ${n}`);
  }
});

test('every figure has alt text, a caption and a credit in both languages, and says what it is', () => {
  let figures = 0;
  for (const d of c.docs) for (const b of d.blocks) {
    const ids = b.kind === 'figure' ? [b.media] : b.kind === 'gallery' ? b.media : b.kind === 'video' || b.kind === 'audio' ? [b.media] : [];
    for (const id of ids) {
      figures++;
      const m = media.get(id)!;
      for (const l of LOCALES) {
        if (m.kind === 'image') assert.ok((m.alt?.[l] ?? '').length >= 30, `${id}: ${l} alt text is a real description`);
        const caption = d.texts[l]?.blocks[b.id]?.caption ?? m.caption[l];
        assert.ok(caption && caption.length >= 20, `${d.id}/${b.id}: ${l} caption`);
        assert.ok(m.credit[l], `${id}: ${l} credit`);
        // No media file exists yet: each item must say honestly what it is.
        if (!m.file) assert.match(m.caption[l]!, l === 'fr' ? /(à fournir par le musée|obtenir les droits|par le projet Parcours)/ : /(to be supplied by the museum|obtain the rights|by the Parcours project)/, `${id}: the ${l} caption says the item is to come`);
      }
    }
  }
  // Issue 13: six drawn maps became map blocks (test/demo-figures.test.ts holds them to their markers).
  const maps = c.docs.flatMap((d) => d.blocks.filter((b) => b.kind === 'map')).length;
  assert.ok(figures + maps >= 15, `${figures} figures and videos and ${maps} maps in the visit`);
});

describe('the chronology', () => {
  test('has at least 60 dated events from 1933 to 1945, each in both languages', () => {
    assert.ok(events.size >= 60, `${events.size} events`);
    const years = [...events.values()].map((e) => Number(e.date.start.slice(0, 4)));
    assert.ok(Math.min(...years) <= 1933 && Math.max(...years) >= 1945, `from ${Math.min(...years)} to ${Math.max(...years)}`);
    for (let y = 1939; y <= 1944; y++) assert.ok(years.filter((x) => x === y).length >= 4, `at least four events in ${y}`);
    for (const e of events.values()) for (const l of LOCALES) assert.ok(e.title[l], `${e.id}: ${l} title`);
  });

  test('every event has a real date, a theme and at least one place with coordinates', () => {
    for (const e of events.values()) {
      const d = e.date;
      const real = (iso: string) => new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso);
      if (d.precision === 'day' || d.precision === 'night' || d.precision === 'range') assert.ok(real(d.start), `${e.id}: ${d.start}`);
      if (d.precision === 'range') assert.ok(real(d.end) && d.end > d.start, `${e.id}: ${d.end}`);
      assert.ok(e.themes.length > 0 && e.themes.every((t) => THEME_IDS.includes(t)), `${e.id}: themes ${e.themes.join(', ')}`);
      assert.ok(e.tags.length > 0, `${e.id}: tags`);
      assert.ok(e.places.length > 0, `${e.id} has a place`);
      for (const p of e.places) {
        const place = places.get(p);
        assert.ok(place, `${e.id}: place ${p} exists`);
        assert.ok(Math.abs(place.lat) <= 90 && Math.abs(place.lon) <= 180, `${p}: coordinates`);
      }
    }
  });

  test('every theme has its own dated events', () => {
    for (const id of THEME_IDS) assert.ok([...events.values()].filter((e) => e.themes.includes(id)).length >= 2, `${id} has events`);
  });

  test('the liberation events carry the dates of the fact sheet', () => {
    const expected: Record<string, string> = {
      'lib-buis-les-baronnies': '1944-08-21',
      'lib-romans-first': '1944-08-22',
      'lib-nyons': '1944-08-23',
      'lib-valreas': '1944-08-27',
      'romans-retaken': '1944-08-27',
      'lib-montelimar': '1944-08-28',
      'lib-romans-final': '1944-08-30',
      'lib-saint-rambert-d-albon': '1944-08-31',
      'lib-valence': '1944-08-31',
      'lib-drome': '1944-09-01',
    };
    for (const [id, date] of Object.entries(expected)) assert.equal(event(id).date.start, date, id);
    const bridge = event('lib-livron-bridge');
    assert.deepEqual([bridge.date.precision, bridge.date.start], ['night', '1944-08-16']);
    // Nyons: the 25 August of the museum's visit is kept, as a noted disagreement.
    for (const l of LOCALES) assert.match(event('lib-nyons').description?.[l] ?? '', /25/);
    const liberation = themes.find((t) => t.id === 'liberation')!;
    for (const l of LOCALES) assert.match(liberation.texts[l]!.blocks['nyons-dates']?.body ?? '', /23.*25|25.*23/s);
    // Valréas is in the Vaucluse, and every page and list that names it says so.
    assert.match(places.get('valreas')!.description?.en ?? '', /Vaucluse/);
    for (const l of LOCALES) assert.match(event('lib-valreas').description?.[l] ?? '', /Vaucluse/);
  });

  test('at least 35 places with coordinates', () => {
    assert.ok(places.size >= 35, `${places.size} places`);
  });
});

describe('issue 13: the visit as a curator would publish it', () => {
  const texts = visitorTexts(c);
  const inLocale = (l: string) => texts.filter((t) => t.locale === l);
  const none = (pattern: RegExp, l?: string) => assert.deepEqual(offending(l ? inLocale(l) : texts, pattern), [], `nothing may match ${pattern}`);
  const doc = (id: string) => c.docs.find((d) => d.id === id) ?? assert.fail(`no document ${id}`);
  /** A document's text sections (not notes) in one language, spaces normalised. */
  const flat = (s: string | undefined) => (s ?? '').replace(/\u00a0|\u202f/g, ' ').replace(/\s+/g, ' ');
  const mainText = (id: string, l: string) => flat(docTexts(doc(id), (k) => k === 'text').filter((t) => t.locale === l).map((t) => t.text).join('\n'));
  const media1 = (id: string) => media.get(id) ?? assert.fail(`no media ${id}`);

  test('French typography: a non-breaking space before ; : ! ? » and after «, and inside a number (« 4 000 »), so that none starts or ends a line alone', () => {
    // The files as written (the texts above have their spaces normalised): the French prose and every data file,
    // whose French values are the only ones to have these (the data files had 79 ordinary spaces there).
    const ordinary = /\S [;:!?»](?=\s|$|[,.)\]])|« |(?<![\d.,])\d{1,3} \d{3}(?!\d)/;
    const found = [...bundleFiles(DEMO)].filter(([path]) => path.endsWith('.fr.md') || path.endsWith('.yaml')).flatMap(([path, text]) => {
      const m = ordinary.exec(text);
      return m ? [`${path}: …${text.slice(Math.max(0, m.index - 30), m.index + 10)}…`] : [];
    });
    assert.deepEqual(found, []);
  });

  test('the FFI badge has two silver brooms: « deux balais d’argent », not genêts', () => {
    assert.match(flat(event('ffi-badge').description?.fr), /deux balais d’argent/);
    assert.match(flat(event('ffi-badge').description?.en), /two silver brooms/);
    assert.match(mainText('ffi-drome-1944', 'fr'), /deux balais d’argent/);
    none(/genêts?/i);
  });

  test('theme 10 states in its text the day the whole Drôme was free, and says plainly that the museum’s visit gives 2 September', () => {
    assert.match(mainText('liberation', 'fr'), /Le musée retient le 1er septembre 1944 comme le jour où la Drôme entière est libérée\. Sa visite sur le site resistance-drome\.org donne le 2 septembre/);
    assert.match(mainText('liberation', 'en'), /The museum takes 1 September 1944 as the day the whole of the Drôme was free\. Its visit on the website resistance-drome\.org gives 2 September/);
    none(/indiquerait|is (said|reported) to give/);
    assert.equal(event('lib-drome').date.start, '1944-09-01');
  });

  test('theme 11 says which liberation dates the animation uses, and why Nyons is on the 23rd', () => {
    none(/dates de libération retenues par le musée|liberation dates the museum uses/);
    assert.match(mainText('videos', 'fr'), /sauf pour Nyons : la carte s’y allume le 23 août, jour de l’arrivée des Américains/);
    assert.match(mainText('videos', 'en'), /except for Nyons: there the map lights up on 23 August, the day the Americans arrived/);
  });

  test('the 8 mm film and the Cour des fusillés photograph claim no holder that the sources do not name', () => {
    for (const id of ['romans-film-1944-08-30', 't11-romans-8mm-film-1944-08-30', 't08-la-chapelle-cour-des-fusilles']) {
      for (const l of LOCALES) assert.doesNotMatch(media1(id).credit[l] ?? '', /Musée de la Résistance en Drôme|musée/i, `${id}: ${l} credit`);
    }
    none(/8 mm du musée|held by the museum|film (amateur )?du musée/);
  });

  test('no visitor text carries a research log’s warnings or another voice than the museum’s', () => {
    none(/à vérifier|à confirmer|pas (encore )?pu être (vérifié|confirmé)|documentation réunie|aucune autre de nos sources|(le|ce) texte (retient|s’en tient|suit|cite|ne donne)|retenue? ici|cette page retient/, 'fr');
    none(/to be checked|could not be (checked|verified|confirmed)|not yet been confirmed|documentation gathered|none of our (other )?sources|(the|this) text (uses|keeps|follows|quotes|therefore|says)|used here|this page uses/, 'en');
    // One voice: the museum, in the third person ("le musée retient"), never "nous" nor "we".
    none(/\b(nous|notre|nos)\b/i, 'fr');
    none(/\b([Ww]e|[Oo]ur|[Oo]urs|us)\b/, 'en');
    assert.match(mainText('liberation', 'fr'), /Le musée retient/);
  });

  test('the chronology states facts and does not comment on the museum’s old English page', () => {
    const chronology = texts.filter((t) => t.where.startsWith('event '));
    assert.deepEqual(offending(chronology, /page anglaise|version anglaise|English (page|version)|contrairement à ce que/i), []);
    assert.match(flat(event('hitler-chancellor').description?.fr), /non élu/);
  });

  test('no source is a document-sharing site: the institution or the publication is cited', () => {
    for (const [path, text] of bundleFiles(DEMO)) assert.doesNotMatch(text, /123dok|studylib|docslib/i, path);
  });

  test('the yellow star and the ORA are stated as the fact sheet supports, not shown as unverified', () => {
    assert.match(mainText('occupation', 'fr'), /étoile jaune, mais dans la seule zone occupée : elle ne s’applique pas dans la zone sud, où se trouve la Drôme/);
    assert.match(mainText('occupation', 'en'), /yellow star, but in the occupied zone only: it did not apply in the southern zone, where the Drôme lay/);
    assert.match(mainText('resistance-organised', 'fr'), /\(ORA\) n’apparaît qu’après l’invasion de la zone sud, en novembre 1942/);
    assert.match(mainText('resistance-organised', 'en'), /came into being only after the southern zone was invaded in November 1942/);
  });

  test('wording stays within the fact sheet: Spaniards are not "enemy nationals", 90 kg were hidden, not all used, the museum chooses the three operations, Hitler’s order has no date, 50 dead over two raids', () => {
    for (const id of ['phoney-war', 'deportation']) {
      assert.match(mainText(id, 'fr'), /Allemands et (des )?Autrichiens, traités en « ressortissants ennemis »/, id);
      assert.match(mainText(id, 'en'), /Germans and Austrians( at first)?, treated as “enemy nationals”/, id);
    }
    none(/300 « ressortissants ennemis »|300 “enemy nationals”/);
    none(/(avec|with)[^.]{0,25}90 (kilos|kg)/);
    assert.match(mainText('armed-resistance', 'fr'), /le musée en retient trois comme les plus importantes/);
    assert.match(mainText('armed-resistance', 'en'), /the museum singles out three as the most important/);
    none(/considérées comme les plus importantes|regarded as the most important of all/);
    assert.match(mainText('liberation', 'fr'), /Dans les jours qui suivent, Hitler ordonne/);
    assert.match(mainText('liberation', 'en'), /In the days that followed, Hitler ordered/);
    none(/débarquent en Provence\. Hitler ordonne|landed in Provence\. Hitler ordered/);
    none(/\(50 dead\)/);
    assert.match(mainText('liberation', 'en'), /the two raids killed 50 people/);
  });

  test('one figure, one wording, one tense across themes: Vassieux, Crest, the wagon door, the About page', () => {
    for (const l of LOCALES) assert.match(mainText('videos', l), l === 'fr' ? /Soixante-douze habitants/ : /Seventy-two of its people/);
    none(/plus de soixante-dix|more than seventy/i);
    assert.match(mainText('occupation', 'fr'), /centre départemental des groupements de travailleurs étrangers/);
    assert.match(mainText('deportation', 'fr'), /centre départemental des groupements de travailleurs étrangers/);
    assert.match(mainText('occupation', 'en'), /departmental centre for the foreign workers’ groups/);
    none(/\(GTE\) du secteur|local centre for the foreign workers/);
    // The museum is closed: the door was on show, in the text and in the caption.
    assert.match(mainText('deportation', 'fr'), /porte de wagon était exposée/);
    assert.match(flat(media1('t09-wagon-door').caption.fr), /qui était exposée/);
    assert.match(mainText('deportation', 'en'), /wagon door was on display/);
    assert.match(flat(media1('t09-wagon-door').caption.en), /which was on display/);
    none(/en cours de rédaction|still being written/);
  });

  test('theme 10 opens with the geography: the Rhône to the west, the mountains to the east, the rivers to cross', () => {
    const first = doc('liberation').blocks[0];
    assert.equal(first?.id, 'geography');
    for (const l of LOCALES) {
      const g = flat(doc('liberation').texts[l]!.blocks.geography?.body);
      for (const w of ['Rhône', 'Vercors', 'Isère', 'Drôme', 'Roubion', 'RN 7']) assert.ok(g.includes(w), `geography (${l}) names ${w}`);
      assert.match(g, l === 'fr' ? /obstacle à franchir par un pont ou un gué/ : /obstacle to be crossed by a bridge or a ford/);
    }
  });

  test('English as a museum editor writes it: one word for résistants, the online museum glossed, no calques', () => {
    none(/résistants?\b|resistance fighters?|members? of the Resistance/i, 'en');
    none(/a commando of|struck by repression|the text quotes|This is a shortcut|keeps to|at the personal service of/, 'en');
    const english = [...themes, doc('ffi-drome-1944'), doc('about')].flatMap((d) => docTexts(d)).filter((t) => t.locale === 'en').map((t) => t.text).join('\n');
    const first = english.indexOf('Musée de la Résistance en ligne');
    assert.match(english.slice(first, first + 80), /Musée de la Résistance en ligne, an online museum of the French Resistance/);
  });

  test('French without calques, antecedents that agree, typographic apostrophes', () => {
    none(/pourquoi ils comptent|Elles sont rassemblées/, 'fr');
    for (const id of ['ffi-drome-1944', 'about']) for (const t of docTexts(doc(id))) assert.doesNotMatch(t.text, /'/, `${t.where} (${t.locale})`);
  });

  test('nothing a curator must see lives only in a YAML comment: the licence to confirm is a field', () => {
    assert.equal(c.museum.data_licence?.status, 'proposed');
    for (const [path, text] of bundleFiles(DEMO)) {
      if (!/\.ya?ml$/.test(path)) continue;
      const comments = text.split('\n').filter((l) => /^\s*#/.test(l));
      assert.deepEqual(comments.filter((l) => /must|confirm|todo|fixme|vérifier|à faire/i.test(l)), [], path);
    }
  });
});

describe('the demo as visitors see it', () => {
  let s: TestSite;
  before(async () => { s = await siteFor(DEMO); });
  after(() => s.close());

  for (const [l, visitPath, chronology] of [['fr', '/fr/visite', '/fr/chronologie'], ['en', '/en/visit', '/en/chronology']] as const) {
    test(`the ${l} visit lists the eleven themes in order, none of them in preparation`, async () => {
      const html = await s.html(visitPath);
      const titles = [...html.matchAll(/<h2 class="theme-title">(?:<a [^>]*>)?([^<]*)/g)].map((m) => m[1]);
      assert.equal(titles.length, 11);
      assert.deepEqual(titles, themes.map((t) => escapeHtml(t.texts[l]!.title)));
      assert.doesNotMatch(html, /Texte en préparation|Text in preparation/);
    });

    test(`every ${l} theme page links to each of its events on the chronology`, async () => {
      const chron = await s.html(chronology);
      for (const t of themes) {
        const html = await s.html(`${visitPath}/${t.texts[l]!.slug}`);
        assert.doesNotMatch(html, /Le texte de ce thème est en préparation|The text of this theme is in preparation/, `${t.id} is written`);
        for (const e of [...events.values()].filter((x) => x.themes.includes(t.id))) {
          assert.ok(html.includes(`href="${chronology}#event-${e.id}"`), `${t.id} links to ${e.id}`);
          assert.ok(chron.includes(`id="event-${e.id}"`), `the chronology shows ${e.id}`);
        }
      }
    });
  }
});

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
