import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { edit, only, problemsWith } from './bundle-problems.ts';
import { DEMO, siteFor, type TestSite } from './harness.ts';

// Charts drawn by the site from the bundle's numbers (issue 15): a table of
// what each bar counts and how many, in the page's language, each figure with
// its bar on one scale; and the rules a chart's numbers and labels follow.

const T9 = { fr: '/fr/visite/la-deportation-et-l-internement', en: '/en/visit/deportation-and-internment' };
const T1 = { fr: '/fr/visite/la-montee-du-nazisme', en: '/en/visit/the-rise-of-nazism' };
const chartOf = (html: string, id: string) => {
  const start = html.indexOf(`aria-labelledby="chart-${id}-title"`);
  assert.ok(start > 0, `chart ${id} is on the page`);
  return html.slice(html.lastIndexOf('<figure', start), html.indexOf('</figure>', start) + 9);
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a chart block as visitors see it', () => {
  let s: TestSite;
  before(async () => { s = await siteFor(DEMO); });
  after(() => s.close());

  test('a table named by the chart\'s title: each row what is counted, then its figure, in French', async () => {
    const chart = chartOf(await s.html(T9.fr), 'counts-chart');
    assert.match(chart, /<table class="chart"><caption id="chart-counts-chart-title">Trois décomptes des déportés de la Drôme<\/caption>/);
    assert.match(chart, /<th scope="col"><span class="visually-hidden">Ce qui est compté<\/span><\/th><th scope="col">déportés<\/th>/);
    const rows = [...chart.matchAll(/<tr><th scope="row">(.*?)<\/th><td>(.*?)<\/td><\/tr>/g)].map((m) => [text(m[1]!).trim(), text(m[2]!).trim()]);
    assert.deepEqual(rows, [
      ['Musée de la Résistance en Drôme et de la Déportation', '543 285 ne sont pas revenus'],
      ['A. Vincent-Beaume, 1960', 'au moins 512'],
      ['Robert Serre, 2006', '869 888 après révision'],
    ]);
    assert.match(chart, /Source\u00a0: Musée de la Résistance en Drôme/);
  });

  test('in English, in English only: the page\'s words and number formats', async () => {
    const chart = chartOf(await s.html(T1.en), 'refugees-chart');
    assert.match(text(chart), /1936: Spaniards living in the Drôme \(residents\) 460/);
    assert.match(text(chart), /Spring 1937: Basque women and children \(arrivals \(round figures\)\) about 1,300/);
    assert.doesNotMatch(chart, /environ|au moins|habitants|1\u202f300/, 'no French on the English page');
    const fr = chartOf(await s.html(T1.fr), 'refugees-chart');
    assert.match(fr, /environ 1\u202f300/, 'French groups thousands with a narrow no-break space');
  });

  test('the bars share one scale: each is as long as its figure, up to a round end just above the largest', async () => {
    const chart = chartOf(await s.html(T9.en), 'counts-chart');
    const widths = [...chart.matchAll(/<rect class="chart-bar[^"]*" x="0" y="0" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    // The largest figure is 888 (a revision): the scale ends at 900 of 1000 units.
    assert.deepEqual(widths, [603.3, 568.9, 965.6]);
    assert.match(chart, /<rect class="chart-part" x="0" y="0" width="316.7"/, '285 of the 543, drawn within its bar');
    assert.match(chart, /<rect class="chart-revised" x="965.6" y="0" width="21.1"/, 'from 869 to 888');
    assert.match(chart, /class="chart-bar chart-bar--s0 chart-bar--open"/, 'a lower bound is drawn open-ended');
    // Decoration only: the numbers are the table's text.
    assert.match(chart, /<svg class="chart-svg"[^>]* aria-hidden="true"/);
    // The figures' column is as wide as the longest figure ("au moins 512" / "at least 512": 12 characters).
    assert.match(chart, /^<figure class="chart-block chart-vw-12"/);
  });

  test('a series of bars is said in the legend, and to screen readers in each of its rows', async () => {
    const chart = chartOf(await s.html(T1.fr), 'refugees-chart');
    assert.match(chart, /<ul class="chart-legend" aria-label="Légende du diagramme"><li><span class="chart-key chart-key--s0" aria-hidden="true"><\/span>habitants<\/li><li><span class="chart-key chart-key--s1" aria-hidden="true"><\/span>arrivées \(chiffres arrondis\)<\/li><\/ul>/);
    assert.match(chart, /<span class="visually-hidden"> \(arrivées \(chiffres arrondis\)\)<\/span>/);
  });
});

describe('the rules of a chart block', () => {
  const where = { file: 'themes/09-deportation.yaml', entity: 'theme', id: 'deportation' } as const;
  // Where the chart sits in theme 9's structure, read from the file.
  const index = readFileSync(`${DEMO}/themes/09-deportation.yaml`, 'utf8').split('\n').filter((l) => /^  - /.test(l)).findIndex((l) => l.includes('id: counts-chart'));
  const bar = (i: number, f: string) => `blocks[${index}].bars[${i}].${f}`;
  const change = (from: string, to: string) => (d: string) => edit(d, 'themes/09-deportation.yaml', (y) => {
    assert.ok(y.includes(from), from);
    return y.replace(from, to);
  });

  test('a part larger than its bar, or a revision that is no larger, is refused', () => {
    only(problemsWith(DEMO, change('part: {value: 285,', 'part: {value: 600,')), { ...where, code: 'conflicting_fields', field: bar(0, 'part.value') });
    only(problemsWith(DEMO, change('revised: {value: 888,', 'revised: {value: 869,')), { ...where, code: 'conflicting_fields', field: bar(2, 'revised.value') });
  });
  test('a label without the default language, or in a language not enabled, is refused', () => {
    only(problemsWith(DEMO, change('{fr: "A. Vincent-Beaume, 1960", en:', '{en:')), { ...where, code: 'missing_default_locale', field: bar(1, 'label.fr') });
    const p = problemsWith(DEMO, change('{fr: "A. Vincent-Beaume, 1960", en:', '{fr: "A. Vincent-Beaume, 1960", de: "A. Vincent-Beaume, 1960", en:'));
    only(p, { ...where, code: 'unknown_locale', field: bar(1, 'label.de') });
  });
  test('a series a bar names must be defined; a negative or absurd figure is refused by the schema', () => {
    const p = problemsWith(DEMO, (d) => edit(d, 'themes/01-rise-of-nazism.yaml', (y) => y.replace('value: 460, series: residents', 'value: 460, series: inhabitants')));
    only(p, { code: 'unknown_reference', file: 'themes/01-rise-of-nazism.yaml', entity: 'theme', id: 'rise-of-nazism' });
    assert.match(p[0]!.field ?? '', /^blocks\[\d+\]\.bars\[0\]\.series$/);
    for (const bad of ['-5', '1e12', '.nan']) {
      const q = problemsWith(DEMO, change('value: 543', `value: ${bad}`));
      assert.equal(q.length, 1, `${bad}: ${JSON.stringify(q)}`);
      assert.equal(q[0]!.code, 'schema', bad);
    }
  });
  test('a chart without a title in the default language is refused (its title names the table)', () => {
    const p = problemsWith(DEMO, (d) => edit(d, 'themes/09-deportation.fr.md', (y) => y.replace('counts-chart: {title: "Trois décomptes des déportés de la Drôme", ', 'counts-chart: {')));
    only(p, { code: 'required', file: 'themes/09-deportation.fr.md', entity: 'theme', id: 'deportation', locale: 'fr', field: 'blocks.counts-chart.title' });
  });
});
