import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { SiteStore } from '../src/web/site/site.service.ts';
import type { BuiltAssets } from '../src/web/assets.ts';
import { auditEntries } from '../src/modules/auth/audit.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { heads, history } from '../src/modules/editorial/editorial.service.ts';
import { stopCheckThread } from '../src/modules/editorial/check.ts';
import type { Db } from '../src/db/connection.ts';
import { AdminBrowser, adminSite, formFields, signedInStaff } from './admin-browser.ts';
import { javaMissing, vnuErrors } from './vnu-check.ts';

// /admin/content through app.request (decision 0022): the list, the editor
// of a theme (both languages), saving a draft that visitors do not see,
// publishing, the conflict of two editors, a translator kept to their
// language, authors who cannot publish, history and restore, the visit's order.

let db: Db;
let site: SiteStore;
let assets: BuiltAssets;
let app: Hono;
let clock = Date.parse('2026-03-01T09:00:00.000Z');
const now = () => new Date(clock);

class Browser extends AdminBrowser {
  constructor() {
    super(() => app, undefined, undefined, 'en');
  }
}

/** A translator's languages, given by the admin through /admin/users' form. */
async function giveLocales(id: string, locales: string[]): Promise<void> {
  const { csrf } = await admin.page('/admin/users');
  const r = await admin.request(`/admin/users/${id}/locales`, { form: [['csrf', csrf!], ...locales.map((l): [string, string] => ['locales', l])] });
  assert.equal(r.status, 303, await r.clone().text());
}

async function user(email: string, role: string, locales?: string[]): Promise<AdminBrowser> {
  const b = await signedInStaff(() => app, db, now, email, role);
  if (locales) await giveLocales((await db.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id, locales);
  return b;
}

let admin: AdminBrowser;
let translatorId: string;
let editor: AdminBrowser;
let second: AdminBrowser;
let translator: AdminBrowser;
let author: AdminBrowser;
let reviewer: AdminBrowser;

before(async () => {
  ({ db, site, app, assets } = await adminSite(now));
  admin = await user('admin@example.org', 'admin');
  editor = await user('editor@example.org', 'editor');
  second = await user('second@example.org', 'editor');
  translator = await user('translator@example.org', 'translator', ['en']);
  translatorId = (await db.selectFrom('staff_user').select('id').where('email', '=', 'translator@example.org').executeTakeFirstOrThrow()).id;
  author = await user('author@example.org', 'author');
  reviewer = await user('reviewer@example.org', 'reviewer');
});
after(async () => {
  await stopCheckThread();
  await site.stop();
  await db.destroy();
});

const THEME = '/admin/content/theme/minerals';
/** Pages seen by the tests, checked by the Nu checker at the end. */
const checked: [string, string][] = [];

test('the content list shows every theme by visit, with its state; a reviewer reads it but gets no publish button', async () => {
  const { r, html } = await editor.page('/admin/content');
  assert.equal(r.status, 200);
  assert.match(html, /href="\/admin\/content\/theme\/minerals"/);
  assert.match(html, /href="\/admin\/content\/visit\/main"/);
  assert.match(html, /Published/);
  checked.push(['list', html]);
  const asReviewer = await reviewer.page('/admin/content');
  assert.equal(asReviewer.r.status, 200);
  assert.doesNotMatch(asReviewer.html, /action="\/admin\/content\/publish"/);
  const signedOut = await new Browser().request('/admin/content');
  assert.equal(signedOut.status, 303);
});

test('the editor shows both languages of a field side by side, marked filled or missing', async () => {
  const { html } = await editor.page(THEME);
  assert.match(html, /id="field-de-title"[^>]*value="Minerale"|id="field-de-title"/);
  assert.match(html, /id="field-en-title"[^>]*value="Minerals"/);
  assert.match(html, /id="field-en-block-minerals-intro-body"/);
  assert.match(html, /Filled in/);
  checked.push(['editor', html]);
});

test('a saved draft is not public until published; publishing shows it to visitors', async () => {
  const { html } = await editor.page(THEME);
  const fields = formFields(html, THEME);
  fields['en.title'] = 'Minerals and crystals';
  fields.message = 'A clearer title';
  const r = await editor.request(THEME, { form: fields });
  assert.equal(r.status, 303, await r.clone().text());
  assert.match(r.headers.get('location')!, /done=saved/);
  assert.notEqual((await loadContent(db))!.docs.find((d) => d.id === 'minerals')!.texts.en!.title, 'Minerals and crystals');
  const saved = await editor.page(THEME);
  assert.match(saved.html, /value="Minerals and crystals"/);
  assert.match(saved.html, /Draft not published/);
  const p = await editor.request(`${THEME}/publish`, { form: { csrf: saved.csrf! } });
  assert.equal(p.status, 303, await p.clone().text());
  assert.equal((await loadContent(db))!.docs.find((d) => d.id === 'minerals')!.texts.en!.title, 'Minerals and crystals');
  // The site loads the published content at once (no poll runs in this test): a visitor sees it within moments.
  let home = '';
  for (const t0 = Date.now(); Date.now() - t0 < 5000 && !/Minerals and crystals/.test(home); await new Promise((r) => setTimeout(r, 20))) {
    home = await (await app.request('https://visite.example.org/en/')).text();
  }
  assert.match(home, /Minerals and crystals/);
  assert.ok((await auditEntries(db)).some((e) => e.event === 'content_published' && e.email === 'editor@example.org'));
});

test('two editors on one theme: the second save gets the conflict view with both versions, and loses nothing', async () => {
  clock += 60_000;
  const mine = formFields((await editor.page(THEME)).html, THEME);
  const theirs = formFields((await second.page(THEME)).html, THEME);
  theirs['en.summary'] = 'Their summary.';
  theirs['en.lead'] = 'Their lead.';
  assert.equal((await second.request(THEME, { form: theirs })).status, 303);
  mine['en.summary'] = 'My summary.';
  const r = await editor.request(THEME, { form: mine });
  assert.equal(r.status, 409);
  const html = await r.text();
  assert.match(html, /Someone else saved this document meanwhile/);
  checked.push(['conflict', html]);
  assert.match(html, /second@example.org/);
  assert.match(html, /One field was changed by both of you: their version is shown under yours\./);
  // Mine in the field, theirs beside it; their other change kept in the form.
  assert.match(html, /<textarea[^>]*name="en.summary"[^>]*>My summary.<\/textarea>/);
  assert.match(html, /Their summary./);
  assert.match(html, /<textarea[^>]*name="en.lead"[^>]*>Their lead.<\/textarea>/);
  const again = formFields(html, THEME);
  assert.equal((await editor.request(THEME, { form: again })).status, 303);
  const [latest] = await history(db, 'theme/minerals');
  const data = latest!.data as { texts: Record<string, { summary?: string; lead?: string }> };
  assert.equal(data.texts.en!.summary, 'My summary.');
  assert.equal(data.texts.en!.lead, 'Their lead.');
});

test('two editors changing different fields: the conflict view says no field was changed by both, shows no other version, and saving again keeps both', async () => {
  clock += 60_000;
  const mine = formFields((await editor.page(THEME)).html, THEME);
  const theirs = formFields((await second.page(THEME)).html, THEME);
  theirs['en.lead'] = 'Their other lead.';
  assert.equal((await second.request(THEME, { form: theirs })).status, 303);
  mine['en.summary'] = 'My other summary.';
  const r = await editor.request(THEME, { form: mine });
  assert.equal(r.status, 409);
  const html = await r.text();
  assert.match(html, /No field was changed by both of you: your changes and theirs are together in the form below\. Check it, then save again\./);
  assert.doesNotMatch(html, /Their version:|fields were changed by both/);
  assert.equal((await editor.request(THEME, { form: formFields(html, THEME) })).status, 303);
  const data = (await history(db, 'theme/minerals'))[0]!.data as { texts: Record<string, { summary?: string; lead?: string }> };
  assert.deepEqual([data.texts.en!.summary, data.texts.en!.lead], ['My other summary.', 'Their other lead.']);
});

test('a translator given English by the admin’s form edits English and is refused the others, and cannot publish; English taken away, refused it too', async () => {
  const { html, csrf } = await translator.page(THEME);
  assert.match(html, /id="field-de-title"[^>]*readonly|readonly[^>]*id="field-de-title"/);
  const fields = formFields(html, THEME);
  fields['en.block.minerals-colour.body'] = `${fields['en.block.minerals-colour.body']}\n\nA sentence from the translator.`;
  assert.equal((await translator.request(THEME, { form: fields })).status, 303);
  const fresh = formFields((await translator.page(THEME)).html, THEME);
  fresh['de.title'] = 'Anders';
  assert.equal((await translator.request(THEME, { form: fresh })).status, 403);
  assert.equal((await translator.request(`${THEME}/publish`, { form: { csrf: csrf! } })).status, 403);
  assert.equal((await translator.request('/admin/content/publish', { form: { csrf: csrf! } })).status, 403);
  // The admin unchecks English: from the translator's next request, no language is theirs.
  await giveLocales(translatorId, []);
  const none = formFields((await translator.page(THEME)).html, THEME);
  none['en.title'] = 'No longer mine';
  assert.equal((await translator.request(THEME, { form: none })).status, 403);
  await giveLocales(translatorId, ['en']);
});

test('an author saves but cannot publish; a reviewer cannot save', async () => {
  const a = await author.page(THEME);
  assert.doesNotMatch(a.html, /action="\/admin\/content\/theme\/minerals\/publish"/);
  assert.equal((await author.request(`${THEME}/publish`, { form: { csrf: a.csrf! } })).status, 403);
  const fields = formFields((await reviewer.page(THEME)).html, THEME);
  fields['en.title'] = 'By a reviewer';
  assert.equal((await reviewer.request(THEME, { form: fields })).status, 403);
});

test('a wrong value is said beside its field and nothing is saved', async () => {
  const before = (await heads(db)).find((h) => h.key === 'theme/minerals');
  const fields = formFields((await editor.page(THEME)).html, THEME);
  fields['en.slug'] = 'Not A Slug!';
  fields['en.title'] = '';
  const r = await editor.request(THEME, { form: fields });
  assert.equal(r.status, 400);
  const html = await r.text();
  assert.match(html, /id="field-en-slug-error"/);
  assert.match(html, /id="field-en-title-error"[^>]*>This field is required/);
  assert.match(html, /value="Not A Slug!"/, 'what was typed stays in the form');
  assert.deepEqual((await heads(db)).find((h) => h.key === 'theme/minerals'), before);
});

test('publishing refuses content the bundle rules refuse, and says where', async () => {
  const fields = formFields((await editor.page(THEME)).html, THEME);
  fields['de.slug'] = 'fossilien';
  fields['en.slug'] = (await loadContent(db))!.docs.find((d) => d.id !== 'minerals' && d.kind === 'theme')!.texts.en!.slug;
  assert.equal((await editor.request(THEME, { form: fields })).status, 303);
  const { csrf } = await editor.page('/admin/content');
  const r = await editor.request('/admin/content/publish', { form: { csrf: csrf! } });
  assert.equal(r.status, 409);
  const html = await r.text();
  assert.match(html, /Nothing was published/);
  assert.match(html, /href="\/admin\/content\/theme\/minerals/);
  const restoredSlug = formFields((await editor.page(THEME)).html, THEME);
  restoredSlug['de.slug'] = 'minerale';
  restoredSlug['en.slug'] = 'minerals';
  assert.equal((await editor.request(THEME, { form: restoredSlug })).status, 303);
});

test('the history shows who changed what, word by word, and an earlier revision restores as a new draft', async () => {
  const { html, csrf } = await editor.page(`${THEME}/history`);
  assert.match(html, /Saved by editor@example.org/);
  assert.match(html, /<ins>/);
  assert.match(html, /Title \(English\)/);
  checked.push(['history', html]);
  const current = (await heads(db)).find((h) => h.key === 'theme/minerals')!;
  const n = (current.draft ?? current.published)!;
  const r = await editor.request(`${THEME}/restore`, { form: { csrf: csrf!, revision: '1', base: String(n) } });
  assert.equal(r.status, 303);
  const [latest] = await history(db, 'theme/minerals');
  assert.equal(latest!.source, 'restore');
  assert.deepEqual(latest!.data, (await history(db, 'theme/minerals')).at(-1)!.data);
});

test('the order of themes: move one down, publish, the visit lists it one later', async () => {
  const { html, csrf } = await editor.page('/admin/content/visit/main');
  const ids = [...html.matchAll(/href="\/admin\/content\/theme\/([a-z0-9-]+)"/g)].map((m) => m[1]!);
  assert.ok(ids.length >= 2);
  const base = /name="base" value="(\d+)"/.exec(html)![1]!;
  const r = await editor.request('/admin/content/visit/main/move', { form: { csrf: csrf!, base, theme: ids[0]!, direction: 'down' } });
  assert.equal(r.status, 303);
  const after = (await editor.page('/admin/content/visit/main')).html;
  checked.push(['order', after]);
  assert.deepEqual([...after.matchAll(/href="\/admin\/content\/theme\/([a-z0-9-]+)"/g)].map((m) => m[1]!).slice(0, 2), [ids[1], ids[0]]);
  // A stale form (the old base) is refused: the order is not moved twice.
  assert.notEqual((await editor.request('/admin/content/visit/main/move', { form: { csrf: csrf!, base, theme: ids[0]!, direction: 'down' } })).headers.get('location'), null);
  const p = await editor.request('/admin/content/visit/main/publish', { form: { csrf: csrf! } });
  assert.equal(p.status, 303, await p.clone().text());
  const themes = (await loadContent(db))!.docs.filter((d) => d.kind === 'theme' && d.visit === 'main').sort((a, b) => a.position - b.position).map((d) => d.id);
  assert.deepEqual(themes.slice(0, 2), [ids[1], ids[0]]);
});

test('every content form is refused without its token', async () => {
  const fields = formFields((await editor.page(THEME)).html, THEME);
  delete fields.csrf;
  for (const path of [THEME, `${THEME}/publish`, `${THEME}/discard`, `${THEME}/restore`, '/admin/content/publish', '/admin/content/visit/main/move']) {
    assert.equal((await editor.request(path, { form: fields })).status, 403, path);
  }
});

test('the editor\'s pages are valid HTML (Nu)', { skip: javaMissing('the editor pages\' HTML check') }, async () => {
  assert.ok(checked.length >= 5);
  assert.deepEqual(vnuErrors(checked, await (await app.request(assets.adminCss)).text()), []);
});
