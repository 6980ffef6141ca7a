import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { SiteStore } from '../src/web/site/site.service.ts';
import type { BuiltAssets } from '../src/web/assets.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { stopCheckThread } from '../src/modules/editorial/check.ts';
import type { Db } from '../src/db/connection.ts';
import { AdminBrowser, adminSite, formFields, signedInStaff } from './admin-browser.ts';
import { javaMissing, vnuErrors } from './vnu-check.ts';

// The museum's settings beyond its texts in the admin (issue 16): address,
// colour, typeface, media still to come; checked with the bundle's Museum
// schema, the colour's contrast by the publish check; for who may change
// structure only.

let db: Db;
let site: SiteStore;
let assets: BuiltAssets;
let app: Hono;
const now = () => new Date('2026-03-01T09:00:00.000Z');
const PAGE = '/admin/content/museum/settings';
const OPTIONS = `${PAGE}/options`;
let editor: AdminBrowser;
let translator: AdminBrowser;
const checked: [string, string][] = [];

before(async () => {
  ({ db, site, app, assets } = await adminSite(now));
  editor = await signedInStaff(() => app, db, now, 'editor@example.org', 'editor');
  translator = await signedInStaff(() => app, db, now, 'translator@example.org', 'translator', { locales: ['en'] });
});
after(async () => {
  await stopCheckThread();
  await site.stop();
  await db.destroy();
});

test('a wrong postal code or colour is said beside its field and nothing is saved; good values are saved as a draft', async () => {
  const { html } = await editor.page(PAGE);
  const form = formFields(html, OPTIONS);
  const bad = await editor.request(OPTIONS, { form: { ...form, 'address.postal_code': '26100 <b>', 'style.accent': 'red', 'address.country': 'france' } });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  checked.push(['errors', badHtml]);
  assert.match(badHtml, /id="option-address-postal_code-error"/);
  assert.match(badHtml, /id="option-style-accent-error"[^>]*>Write a colour as #rrggbb/);
  assert.match(badHtml, /id="option-address-country-error"/);
  assert.match(badHtml, /value="26100 &lt;b&gt;"/, 'what was typed stays, escaped');
  const before = (await loadContent(db))!.museum;
  const ok = await editor.request(OPTIONS, { form: { ...form, 'address.street': '2 rue Bistour', 'address.postal_code': '26100', 'style.accent': '#1D5C45', pending_media: 'show' } });
  assert.equal(ok.status, 303, await ok.clone().text());
  assert.deepEqual((await loadContent(db))!.museum, before, 'a draft: visitors see nothing yet');
  const after = await editor.page(PAGE);
  checked.push(['saved', after.html]);
  assert.match(after.html, /id="option-style-accent"[^>]*value="#1d5c45"/);
  const p = await editor.request(`${PAGE}/publish`, { form: { csrf: after.csrf! } });
  assert.equal(p.status, 303, await p.clone().text());
  const museum = (await loadContent(db))!.museum;
  assert.equal(museum.address?.street, '2 rue Bistour');
  assert.equal(museum.style?.accent, '#1d5c45');
  assert.equal(museum.pending_media, 'show');
});

test('a colour that does not read on the site\'s background is refused by the publish check, with a link to the settings', async () => {
  const form = formFields((await editor.page(PAGE)).html, OPTIONS);
  assert.equal((await editor.request(OPTIONS, { form: { ...form, 'style.accent': '#f5f5f5' } })).status, 303);
  const { csrf } = await editor.page(PAGE);
  const r = await editor.request('/admin/content/publish', { form: { csrf: csrf! } });
  assert.equal(r.status, 409);
  assert.match(await r.text(), /contrast|4\.5/i);
  assert.equal((await loadContent(db))!.museum.style?.accent, '#1d5c45');
});

test('a translator neither sees nor posts the museum\'s address and look; the form needs its token', async () => {
  const { html, csrf } = await translator.page(PAGE);
  assert.doesNotMatch(html, /action="\/admin\/content\/museum\/settings\/options"/);
  const form = formFields((await editor.page(PAGE)).html, OPTIONS);
  assert.equal((await translator.request(OPTIONS, { form: { ...form, csrf: csrf!, 'address.locality': 'Elsewhere' } })).status, 403);
  delete form.csrf;
  assert.equal((await editor.request(OPTIONS, { form })).status, 403);
});

test('the museum\'s settings page is valid HTML (Nu)', { skip: javaMissing('the museum settings\' HTML check') }, async () => {
  assert.equal(checked.length, 2);
  assert.deepEqual(vnuErrors(checked, await (await app.request(assets.adminCss)).text()), []);
});
