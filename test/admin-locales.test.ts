import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { BuiltAssets } from '../src/web/assets.ts';
import type { SiteStore } from '../src/web/site/site.service.ts';
import type { Db } from '../src/db/connection.ts';
import { AdminBrowser, adminSite, staffTools } from './admin-browser.ts';
import { documentState, saveDraft } from '../src/modules/editorial/editorial.service.ts';
import type { Museum } from '../src/modules/content/content.schema.ts';
import { javaMissing, vnuErrors } from './vnu-check.ts';

// A translator's languages on /admin/users (issue 16; docs/admin.md): the
// admin checks the museum's languages per translator; the list shows them
// and warns of a translator with none; a wrong code, a language twice or
// languages for another role change nothing and are said beside the form;
// each change is audited with before and after. (admin-users.test.ts has
// the 403 of every other role and the CSRF refusals of this form too;
// admin-content.test.ts, a translator given English here editing it.)

let db: Db;
let assets: BuiltAssets;
let site: SiteStore;
let app: Hono;
// A second passes at each look at the clock: the audit entries come in the order they were made.
let clock = Date.parse('2026-03-01T09:00:00.000Z');
const now = () => new Date((clock += 1000));

class Browser extends AdminBrowser {
  constructor(language = 'en') {
    super(() => app, undefined, undefined, language);
  }
}
const staff = staffTools(() => db, now, () => new Browser());
let translatorId: string;

before(async () => {
  ({ db, assets, site, app } = await adminSite(now));
  await staff.userWithPassword('boss@example.org', 'admin');
  translatorId = await staff.userWithPassword('anna@example.org', 'translator');
});
after(async () => {
  await site.stop();
  await db.destroy();
});

/** The form's body: its token and one `locales` per box checked. */
const boxes = (csrf: string, ...locales: string[]): [string, string][] => [['csrf', csrf], ...locales.map((l): [string, string] => ['locales', l])];
/** The row of a user in the page. */
const rowOf = (html: string, id: string) => html.slice(html.indexOf(`<tr id="user-${id}"`), html.indexOf('</tr>', html.indexOf(`<tr id="user-${id}"`)));
const checkedIn = (row: string) => [...row.matchAll(/<input type="checkbox" id="[^"]+" name="locales" value="([^"]+)" checked=""/g)].map((m) => m[1]!);
const stored = async (id: string) => (await db.selectFrom('staff_user').select('locales').where('id', '=', id).executeTakeFirstOrThrow()).locales;
const changes = async (email: string) => (await db.selectFrom('audit_log').select(['detail', 'address']).where('event', '=', 'user_locales_changed').where('email', '=', email).orderBy('at').orderBy('id').execute()).map((r) => ({ ...r }));
const state = async () => ({
  users: await db.selectFrom('staff_user').select(['id', 'email', 'role', 'locales', 'updated_at']).orderBy('email').execute(),
  audit: (await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
});
const WARNING = 'No language: can edit nothing until a language is assigned.';
/** Pages seen by the tests, checked by the Nu checker at the end. */
const checked: [string, string][] = [];

test('a translator without a language is warned of in the list; the admin checks German and English, then English only, then none; each change audited with before and after', async () => {
  const { b, csrf } = await staff.signedIn('boss@example.org', new Browser());
  const first = await b.page('/admin/users');
  const row = rowOf(first.html, translatorId);
  assert.match(row, new RegExp(`<p class="warning" id="locales-${translatorId}-warning">${WARNING}</p>`));
  assert.match(row, new RegExp(`<fieldset id="locales-${translatorId}" aria-describedby="locales-${translatorId}-warning">`));
  assert.match(row, /<label class="check" for="locales-[^"]+-de"><input type="checkbox" id="locales-[^"]+-de" name="locales" value="de"\/?> German<\/label>/);
  assert.deepEqual(checkedIn(row), []);
  assert.match(rowOf(first.html, (await db.selectFrom('staff_user').select('id').where('email', '=', 'boss@example.org').executeTakeFirstOrThrow()).id), /<td data-label="Languages">every language<\/td>/);
  checked.push(['users with a translator without a language', first.html]);

  // The boxes are sent in any order; stored in the museum's (de, en).
  const set = await b.request(`/admin/users/${translatorId}/locales`, { form: boxes(csrf, 'en', 'de') });
  assert.deepEqual([set.status, set.headers.get('location')], [303, '/admin/users?done=locales&email=anna%40example.org']);
  assert.equal(await stored(translatorId), '["de","en"]');
  const listed = await b.page('/admin/users?done=locales&email=anna%40example.org');
  assert.match(listed.html, /role="status">The languages of anna@example\.org are saved\.</);
  assert.deepEqual(checkedIn(rowOf(listed.html, translatorId)), ['de', 'en']);
  assert.equal(rowOf(listed.html, translatorId).includes(WARNING), false, 'no warning with a language');
  checked.push(['users with a translator’s languages', listed.html]);

  assert.equal((await b.request(`/admin/users/${translatorId}/locales`, { form: boxes(csrf, 'en') })).status, 303);
  assert.equal((await b.request(`/admin/users/${translatorId}/locales`, { form: boxes(csrf, 'en') })).status, 303, 'the same again: no change');
  assert.equal((await b.request(`/admin/users/${translatorId}/locales`, { form: boxes(csrf) })).status, 303, 'no box: none');
  assert.equal(await stored(translatorId), null);
  assert.ok(rowOf((await b.page('/admin/users')).html, translatorId).includes(WARNING), 'the warning is back');
  assert.deepEqual(await changes('anna@example.org'), [
    { detail: 'before=; after=de,en; by=boss@example.org', address: '192.0.2.10' },
    { detail: 'before=de,en; after=en; by=boss@example.org', address: '192.0.2.10' },
    { detail: 'before=en; after=; by=boss@example.org', address: '192.0.2.10' },
  ]);
  // The audit page says it in words, in the admin's language.
  const fr = await staff.signedIn('boss@example.org', new Browser('fr-FR'));
  const log = await fr.b.page('/admin/audit?action=user_locales_changed');
  assert.match(log.html, /<td data-label="Action">a changé les langues<\/td>/);
  assert.match(log.html, /langues\u00a0: allemand, anglais → anglais/);
  assert.match(log.html, /langues\u00a0: anglais → aucune/);
  checked.push(['audit of languages', log.html]);
  assert.equal((await b.request(`/admin/users/${translatorId}/locales`, { form: boxes(csrf, 'en') })).status, 303);
});

test('a code not of the museum, a language twice, or languages for another role: said beside the form, in the admin’s language, and nothing changes', async () => {
  const { b, csrf } = await staff.signedIn('boss@example.org', new Browser('fr-FR'));
  const editorId = await staff.userWithPassword('ed@example.org', 'editor');
  const before = await state();
  const cases: [string, string[], RegExp][] = [
    [translatorId, ['fr'], /«\u00a0fr\u00a0» n’est pas une des langues du musée \(allemand \(de\), anglais \(en\)\)\. Rien n’a été modifié\./],
    [translatorId, ['EN'], /«\u00a0EN\u00a0» n’est pas une des langues du musée/],
    [translatorId, ['de', '<b>x</b>'], /«\u00a0&lt;b&gt;x&lt;\/b&gt;\u00a0» n’est pas une des langues/],
    [translatorId, ['en', 'en'], /«\u00a0en\u00a0» est donnée deux fois\. Rien n’a été modifié\./],
    [editorId, ['en'], /Seul un traducteur reçoit des langues/],
  ];
  for (const [id, locales, message] of cases) {
    const r = await b.request(`/admin/users/${id}/locales`, { form: boxes(csrf, ...locales) });
    assert.equal(r.status, 400, locales.join(','));
    const html = await r.text();
    if (id === translatorId) {
      assert.match(html, new RegExp(`<p class="error" id="locales-${id}-error">`));
      assert.match(html, new RegExp(`<fieldset id="locales-${id}" aria-describedby="[^"]*locales-${id}-error">`));
      checked.push([`users with a languages error (${locales.join(',')})`, html]);
    }
    assert.match(html, message);
  }
  assert.equal((await b.request('/admin/users/00000000-0000-4000-8000-000000000000/locales', { form: boxes(csrf, 'en') })).status, 404);
  assert.deepEqual(await state(), before);
});

test('adding a translator with languages: they are stored and audited with the user; languages for an editor are refused beside the boxes', async () => {
  const { b, csrf } = await staff.signedIn('boss@example.org', new Browser());
  const made = await b.request('/admin/users', { form: [...boxes(csrf, 'en'), ['email', 'new.translator@example.org'], ['role', 'translator']] });
  assert.equal(made.status, 200);
  const html = await made.text();
  assert.match(html, /Link for new\.translator@example\.org/);
  const id = (await db.selectFrom('staff_user').select('id').where('email', '=', 'new.translator@example.org').executeTakeFirstOrThrow()).id;
  assert.deepEqual(checkedIn(rowOf(html, id)), ['en']);
  const created = await db.selectFrom('audit_log').select('detail').where('event', '=', 'user_created').where('email', '=', 'new.translator@example.org').executeTakeFirstOrThrow();
  assert.equal(created.detail, 'role=translator; locales=en; by=boss@example.org');
  assert.match((await b.page('/admin/audit?action=user_created')).html, /role: translator · languages: English/);

  const before = await state();
  const refused = await b.request('/admin/users', { form: [...boxes(csrf, 'de', 'en'), ['email', 'not.a.translator@example.org'], ['role', 'editor']] });
  assert.equal(refused.status, 400);
  const again = await refused.text();
  assert.match(again, /<p class="error" id="locales-error">Only a translator is given languages: the other roles are not limited to them\./);
  assert.match(again, /<fieldset id="locales" class="field" aria-describedby="locales-hint locales-error">/);
  assert.match(again, /value="not\.a\.translator@example\.org"/, 'what was typed stays');
  assert.deepEqual(checkedIn(again.slice(again.indexOf('action="/admin/users" class="stack"'))), ['de', 'en'], 'the boxes stay checked');
  checked.push(['add form with a languages error', again]);
  const unknown = await b.request('/admin/users', { form: [...boxes(csrf, 'it'), ['email', 'it@example.org'], ['role', 'translator']] });
  assert.equal(unknown.status, 400);
  assert.match(await unknown.text(), /id="locales-error">“it” is not one of the museum’s languages \(German \(de\), English \(en\)\)\. Nothing was changed\./);
  assert.deepEqual(await state(), before);
});

test('in the editor a translator sees the source language and theirs, not the museum\'s other languages', async () => {
  // A third language, in the museum's draft (the editor's columns follow it).
  const museum = (await documentState(db, 'museum'))!;
  const data = { ...(museum.current.data as Museum) };
  data.locales = [...data.locales, 'fr'];
  assert.ok((await saveDraft(db, now(), { id: 'cli', email: 'boss@example.org' }, 'museum', museum.current.number, data)).ok);
  await db.updateTable('staff_user').set({ locales: JSON.stringify(['en']) }).where('id', '=', translatorId).execute();
  const anna = await staff.signedIn('anna@example.org', new Browser());
  const html = (await anna.b.page('/admin/content/theme/minerals')).html;
  assert.match(html, /id="field-de-title"[^>]*readonly/, 'the source, German, read-only');
  assert.match(html, /id="field-en-title"/);
  assert.doesNotMatch(html, /id="field-fr-title"/, 'French is not theirs');
  const boss = await staff.signedIn('boss@example.org', new Browser());
  assert.match((await boss.b.page('/admin/content/theme/minerals')).html, /id="field-fr-title"/);
});

test('the Nu Html Checker finds no error in the staff pages with languages, warnings and errors', { skip: javaMissing('LANGUAGES PAGES HTML VALIDATION') }, async () => {
  assert.ok(checked.length >= 6, `${checked.length} pages`);
  assert.deepEqual(vnuErrors(checked, await (await app.request(assets.adminCss)).text()), []);
});
