import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { SiteStore } from '../src/web/site/site.service.ts';
import type { BuiltAssets } from '../src/web/assets.ts';
import { auditEntries } from '../src/modules/auth/audit.ts';
import { loadContent } from '../src/modules/content/content.loader.ts';
import { documentState, heads } from '../src/modules/editorial/editorial.service.ts';
import { stopCheckThread } from '../src/modules/editorial/check.ts';
import type { DocData } from '../src/modules/editorial/documents.ts';
import type { Db } from '../src/db/connection.ts';
import { AdminBrowser, adminSite, formFields, signedInStaff } from './admin-browser.ts';
import { javaMissing, vnuErrors } from './vnu-check.ts';

// A document's structure in the admin (issue 16): blocks moved, added with
// their media, events and places chosen from lists, their settings changed,
// removed; the soft lock of a document two people open; unpublishing. Every
// change is a draft from the revision the form was made from.

let db: Db;
let site: SiteStore;
let assets: BuiltAssets;
let app: Hono;
let clock = Date.parse('2026-03-01T09:00:00.000Z');
const now = () => new Date(clock);

const user = (email: string, role: string, locales?: string[]) => signedInStaff(() => app, db, now, email, role, locales ? { locales } : {});

let editor: AdminBrowser;
let second: AdminBrowser;
let translator: AdminBrowser;
let reviewer: AdminBrowser;

before(async () => {
  ({ db, site, app, assets } = await adminSite(now));
  editor = await user('editor@example.org', 'editor');
  second = await user('second@example.org', 'editor');
  translator = await user('translator@example.org', 'translator', ['en']);
  reviewer = await user('reviewer@example.org', 'reviewer');
});
after(async () => {
  await stopCheckThread();
  await site.stop();
  await db.destroy();
});

const THEME = '/admin/content/theme/minerals';
const BLOCKS = `${THEME}/blocks`;
const checked: [string, string][] = [];
const draftOf = async (key = 'theme/minerals') => (await documentState(db, key))!.current.data as DocData;
const blockIds = async () => (await draftOf()).blocks.map((b) => b.id);

test('the blocks page lists a document\'s blocks in order; a reviewer sees them without the buttons, a translator may not move them', async () => {
  const { r, html } = await editor.page(BLOCKS);
  assert.equal(r.status, 200);
  const listed = [...html.matchAll(/<li id="block-([a-z0-9-]+)"/g)].map((m) => m[1]);
  assert.deepEqual(listed, await blockIds());
  assert.match(html, /aria-label="Move block 2 \(gallery\) up"/);
  checked.push(['blocks', html]);
  const asReviewer = await reviewer.page(BLOCKS);
  assert.equal(asReviewer.r.status, 200);
  assert.doesNotMatch(asReviewer.html, /\/blocks\/move"/);
  const t = await translator.page(BLOCKS);
  const r2 = await translator.request(`${BLOCKS}/move`, { form: { csrf: t.csrf!, base: /name="base" value="(\d+)"/.exec(html)![1]!, block: 'minerals-colour', direction: 'up' } });
  assert.equal(r2.status, 403);
});

test('a block moves up; a form made from an older revision changes nothing', async () => {
  const before = await blockIds();
  const form = formFields((await editor.page(BLOCKS)).html, `${BLOCKS}/move`);
  const base = form.base!;
  const r = await editor.request(`${BLOCKS}/move`, { form: { csrf: form.csrf!, base, block: 'minerals-colour', direction: 'up' } });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location')!, /done=moved/);
  const moved = await blockIds();
  const i = before.indexOf('minerals-colour');
  assert.deepEqual(moved.slice(i - 1, i + 1), ['minerals-colour', before[i - 1]]);
  const stale = await editor.request(`${BLOCKS}/move`, { form: { csrf: form.csrf!, base, block: 'minerals-colour', direction: 'up' } });
  assert.match(stale.headers.get('location')!, /done=stale/);
  assert.deepEqual(await blockIds(), moved);
  assert.match((await editor.page(`${BLOCKS}?done=stale`)).html, /Someone else changed this document meanwhile/);
});

test('a figure is added with its image chosen from the list; an unknown or wrong-kind media is refused beside the field', async () => {
  const { html } = await editor.page(`${BLOCKS}/new?kind=figure&after=minerals-intro`);
  assert.match(html, /<option value="ammonite"/);
  assert.doesNotMatch(html, /<option value="crystal-growth"/, 'a video is not offered for a figure');
  const form = formFields(html, `${BLOCKS}/new`);
  const wrong = await editor.request(`${BLOCKS}/new`, { form: { ...form, media: 'crystal-growth' } });
  assert.equal(wrong.status, 400);
  const wrongHtml = await wrong.text();
  assert.match(wrongHtml, /id="setting-media-error"/);
  checked.push(['settings-error', wrongHtml]);
  const none = await editor.request(`${BLOCKS}/new`, { form: { ...form, media: '' } });
  assert.equal(none.status, 400);
  const before = await blockIds();
  const r = await editor.request(`${BLOCKS}/new`, { form: { ...form, media: 'ammonite', layout: 'margin' } });
  assert.equal(r.status, 303, await r.clone().text());
  assert.match(r.headers.get('location')!, /\/admin\/content\/theme\/minerals\?done=added#block-figure-1$/);
  const blocks = (await draftOf()).blocks;
  assert.deepEqual(blocks.map((b) => b.id), [before[0], 'figure-1', ...before.slice(1)]);
  assert.deepEqual(blocks[1], { id: 'figure-1', kind: 'figure', media: 'ammonite', layout: 'margin' });
  const editorHtml = (await editor.page(THEME)).html;
  assert.match(editorHtml, /id="block-figure-1"/);
  assert.match(editorHtml, /id="field-en-block-figure-1-caption"/);
  assert.match(editorHtml, /Optional, empty/);
});

test('a map\'s places and dates are changed from its settings; an impossible date is refused', async () => {
  const path = `${BLOCKS}/minerals-map`;
  const { html } = await editor.page(path);
  checked.push(['settings', html]);
  const form = formFields(html, path);
  assert.equal(form['pick.places.woelsendorf'], '1');
  delete form['pick.places.woelsendorf'];
  const bad = await editor.request(path, { form: { ...form, from: '1944-02-30' } });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /id="setting-from-error"/);
  const r = await editor.request(path, { form: { ...form, from: '1990-01-01' } });
  assert.equal(r.status, 303, await r.clone().text());
  const map = (await draftOf()).blocks.find((b) => b.id === 'minerals-map')!;
  assert.ok(map.kind === 'map');
  assert.deepEqual(map.places, ['solnhofen-quarry', 'beispielstadt']);
  assert.equal(map.from, '1990-01-01');
  assert.deepEqual(map.events, ['storm-night', 'fluorite-donation']);
});

test('a text block is added, written in the editor, published: visitors read it', async () => {
  const form = formFields((await editor.page(`${BLOCKS}/new?kind=text&after=minerals-care-note`)).html, `${BLOCKS}/new`);
  assert.equal((await editor.request(`${BLOCKS}/new`, { form })).status, 303);
  const fields = formFields((await editor.page(THEME)).html, THEME);
  assert.equal(fields['en.block.text-1.body'], '');
  fields['en.block.text-1.body'] = 'Crystals grow slowly, layer on layer.';
  fields['de.block.text-1.body'] = 'Kristalle wachsen langsam, Schicht um Schicht.';
  assert.equal((await editor.request(THEME, { form: fields })).status, 303);
  const p = await editor.request(`${THEME}/publish`, { form: { csrf: fields.csrf! } });
  assert.equal(p.status, 303, await p.clone().text());
  await site.refresh();
  const slug = (await loadContent(db))!.docs.find((d) => d.id === 'minerals')!.texts.en!.slug;
  const html = await (await app.request(`https://visite.example.org/en/tour/${slug}`)).text();
  assert.match(html, /Crystals grow slowly, layer on layer./);
});

test('a block is removed with its texts in every language', async () => {
  const form = formFields((await editor.page(BLOCKS)).html, `${BLOCKS}/remove`);
  const r = await editor.request(`${BLOCKS}/remove`, { form: { ...form, block: 'text-1' } });
  assert.equal(r.status, 303);
  const doc = await draftOf();
  assert.ok(!doc.blocks.some((b) => b.id === 'text-1'));
  for (const t of Object.values(doc.texts)) assert.equal(t.blocks['text-1'], undefined);
  const unknown = await editor.request(`${BLOCKS}/remove`, { form: { ...form, base: String((await documentState(db, 'theme/minerals'))!.current.number), block: 'no-such-block' } });
  assert.equal(unknown.status, 404);
});

test('the soft lock: the second editor is told who has the document open, may take over, and a lease ends by itself', async () => {
  clock += 60_000;
  await editor.page(THEME);
  const seen = await second.page(THEME);
  assert.match(seen.html, /editor@example.org is editing this document/);
  checked.push(['locked', seen.html]);
  assert.equal((await second.request(`${THEME}/lock`, { form: { csrf: seen.csrf! } })).status, 303);
  const taken = await second.page(`${THEME}?done=taken`);
  assert.match(taken.html, /You took over editing/);
  assert.doesNotMatch(taken.html, /is editing this document/);
  assert.ok((await auditEntries(db)).some((e) => e.event === 'content_lock_taken' && e.email === 'second@example.org'));
  assert.match((await editor.page(THEME)).html, /second@example.org is editing this document/);
  // A reviewer reads without taking the document.
  assert.doesNotMatch((await reviewer.page(THEME)).html, /reviewer@example.org is editing/);
  // The script's renewal keeps one's own lease, and never takes someone else's.
  assert.equal((await editor.request(`${THEME}/renew`, { form: { csrf: (await editor.page(BLOCKS)).csrf! } })).status, 409);
  assert.equal((await second.request(`${THEME}/renew`, { form: { csrf: seen.csrf! } })).status, 204);
  clock += 11 * 60_000;
  assert.doesNotMatch((await editor.page(THEME)).html, /is editing this document/, 'the lease ended by itself');
  const mine = await editor.page(THEME);
  assert.equal((await editor.request(`${THEME}/release`, { form: { csrf: mine.csrf! } })).status, 303);
  assert.doesNotMatch((await second.page(THEME)).html, /editor@example.org is editing/);
  // Publishing a document ends its publisher's lease on it.
  const again = await second.page(THEME);
  assert.match(again.html, /Others who open this document are told you are editing it/);
  const fields = formFields(again.html, THEME);
  assert.equal((await second.request(THEME, { form: { ...fields, 'en.lead': `${fields['en.lead']} Published by the second editor.` } })).status, 303);
  assert.equal((await second.request(`${THEME}/publish`, { form: { csrf: again.csrf! } })).status, 303);
  assert.doesNotMatch((await editor.page(THEME)).html, /second@example.org is editing/);
});

test('unpublishing takes a theme off the site and keeps it as a draft; content still named elsewhere is refused', async () => {
  const { csrf } = await editor.page('/admin/content/theme/evolution');
  const slug = (await loadContent(db))!.docs.find((d) => d.id === 'evolution')!.texts.en!.slug;
  const r = await editor.request('/admin/content/theme/evolution/unpublish', { form: { csrf: csrf! } });
  assert.equal(r.status, 303, await r.clone().text());
  assert.ok(!(await loadContent(db))!.docs.some((d) => d.id === 'evolution'));
  await site.refresh();
  assert.equal((await app.request(`https://visite.example.org/en/tour/${slug}`)).status, 404);
  const head = (await heads(db)).find((h) => h.key === 'theme/evolution')!;
  assert.equal(head.published, null);
  assert.notEqual(head.draft, null);
  assert.match((await editor.page('/admin/content/theme/evolution')).html, /Not on the site: a draft/);
  // The fossils theme links to the fieldwork article: taking it off is refused, nothing changes.
  const refused = await editor.request('/admin/content/article/fieldwork/unpublish', { form: { csrf: csrf! } });
  assert.equal(refused.status, 409);
  assert.match(await refused.text(), /Nothing was unpublished/);
  assert.ok((await loadContent(db))!.docs.some((d) => d.id === 'fieldwork'));
  const author = await user('author@example.org', 'author');
  assert.equal((await author.request('/admin/content/theme/fossils/unpublish', { form: { csrf: (await author.page(THEME)).csrf! } })).status, 403);
  // Publishing brings it back.
  assert.equal((await editor.request('/admin/content/theme/evolution/publish', { form: { csrf: csrf! } })).status, 303);
  assert.ok((await loadContent(db))!.docs.some((d) => d.id === 'evolution'));
});

test('the visit\'s title and the museum\'s texts are edited language beside language, checked like a bundle, and published', async () => {
  const VISIT = '/admin/content/visit/main';
  const v = await editor.page(VISIT);
  assert.match(v.html, /id="field-en-title"/);
  assert.match(v.html, /id="field-de-summary"/);
  checked.push(['visit', v.html]);
  const form = formFields(v.html, VISIT);
  const bad = await editor.request(VISIT, { form: { ...form, 'en.slug': 'Not a slug', 'de.title': '' } });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /id="field-en-slug-error"/);
  assert.match(badHtml, /id="field-de-title-error"/);
  const r = await editor.request(VISIT, { form: { ...form, 'en.title': 'The main tour, renewed' } });
  assert.equal(r.status, 303, await r.clone().text());
  const MUSEUM = '/admin/content/museum/settings';
  const list = await editor.page('/admin/content');
  assert.match(list.html, /href="\/admin\/content\/museum\/settings"/);
  const m = await editor.page(MUSEUM);
  assert.equal(m.r.status, 200);
  checked.push(['museum', m.html]);
  const mf = formFields(m.html, MUSEUM);
  assert.ok(mf['en.name']);
  // A translator may fill their language only.
  const tf = formFields((await translator.page(MUSEUM)).html, MUSEUM);
  assert.equal((await translator.request(MUSEUM, { form: { ...tf, 'de.name': 'Anders' } })).status, 403);
  assert.equal((await translator.request(MUSEUM, { form: { ...tf, 'en.credits': 'Texts by the museum team.' } })).status, 303);
  const fresh = await editor.page(MUSEUM);
  const p1 = await editor.request(`${MUSEUM}/publish`, { form: { csrf: fresh.csrf! } });
  assert.equal(p1.status, 303, await p1.clone().text());
  const p2 = await editor.request(`${VISIT}/publish`, { form: { csrf: fresh.csrf! } });
  assert.equal(p2.status, 303, await p2.clone().text());
  const content = (await loadContent(db))!;
  assert.equal(content.museum.credits?.en, 'Texts by the museum team.');
  assert.equal(content.visits.find((x) => x.id === 'main')!.title.en, 'The main tour, renewed');
  await site.refresh();
  assert.match(await (await app.request('https://visite.example.org/en/')).text(), /Texts by the museum team./);
});

test('a whole new order at once (after a drag and drop): only the same items, from the current revision', async () => {
  const { html } = await editor.page(BLOCKS);
  const base = /data-base="(\d+)"/.exec(html)![1]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  const ids = await blockIds();
  const reversed = [...ids].reverse();
  assert.equal((await editor.request(`${BLOCKS}/order`, { form: { csrf, base, order: [...reversed, 'intruder'].join(',') } })).status, 404);
  assert.equal((await editor.request(`${BLOCKS}/order`, { form: { csrf, base, order: reversed.slice(1).join(',') } })).status, 404);
  assert.equal((await editor.request(`${BLOCKS}/order`, { form: { csrf, base, order: reversed.join(',') } })).status, 303);
  assert.deepEqual(await blockIds(), reversed);
  assert.match((await editor.request(`${BLOCKS}/order`, { form: { csrf, base, order: ids.join(',') } })).headers.get('location')!, /done=stale/);
  const visit = await editor.page('/admin/content/visit/main');
  const themes = [...visit.html.matchAll(/<li data-id="([a-z0-9-]+)"/g)].map((m) => m[1]!);
  const vbase = /data-base="(\d+)"/.exec(visit.html)![1]!;
  const moved = [themes[1]!, themes[0]!, ...themes.slice(2)];
  assert.equal((await editor.request('/admin/content/visit/main/order', { form: { csrf, base: vbase, order: moved.join(',') } })).status, 303);
  assert.deepEqual(((await documentState(db, 'visit/main'))!.current.data as { themes: string[] }).themes, moved);
  assert.equal((await translator.request('/admin/content/visit/main/order', { form: { csrf: (await translator.page(BLOCKS)).csrf!, base: vbase, order: themes.join(',') } })).status, 403);
});

test('the Markdown preview renders with the site\'s rules: markup typed in the text is shown, never run', async () => {
  const { csrf } = await reviewer.page(THEME);
  const r = await reviewer.request('/admin/content/markdown', { form: { csrf: csrf!, text: '## A heading\n\nSome *emphasis* <script>alert(1)</script> <img src=x onerror=alert(2)>' } });
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<h2[^>]*>A heading<\/h2>/);
  assert.match(html, /<em>emphasis<\/em>/);
  assert.doesNotMatch(html, /<script|<img/);
  assert.match(html, /&lt;script&gt;/);
  assert.equal((await reviewer.request('/admin/content/markdown', { form: { text: 'x' } })).status, 403);
  assert.equal((await new AdminBrowser(() => app).request('/admin/content/markdown', { form: { csrf: csrf!, text: 'x' } })).status, 403);
});

test('comments: a reviewer comments on the draft (shown as typed, never run); an editor resolves it; a translator cannot', async () => {
  const r = await reviewer.page(THEME);
  const form = formFields(r.html, `${THEME}/comments`);
  assert.ok(form.revision);
  const payload = 'The date in block 4 looks wrong <script>alert(1)</script> <img src=x onerror=alert(2)>';
  const sent = await reviewer.request(`${THEME}/comments`, { form: { ...form, body: payload } });
  assert.equal(sent.status, 303);
  assert.match(sent.headers.get('location')!, /done=commented#comments$/);
  assert.match((await reviewer.request(`${THEME}/comments`, { form: { ...form, body: '   ' } })).headers.get('location')!, /done=commentRefused/);
  const { html } = await editor.page(THEME);
  checked.push(['comments', html]);
  assert.match(html, /Comments \(1 open\)/);
  assert.match(html, /The date in block 4 looks wrong &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(html, /<img src=x/);
  const id = /action="\/admin\/content\/theme\/minerals\/comments\/([0-9a-f-]{36})\/resolve"/.exec(html)![1]!;
  const t = await translator.page(THEME);
  assert.equal((await translator.request(`${THEME}/comments/${id}/resolve`, { form: { csrf: t.csrf! } })).status, 403);
  assert.equal((await reviewer.request(`${THEME}/comments/${id}/resolve`, { form: { csrf: r.csrf! } })).status, 403);
  const e = await editor.page(THEME);
  assert.equal((await editor.request(`${THEME}/comments/${id}/resolve`, { form: { csrf: e.csrf! } })).status, 303);
  const after = (await editor.page(THEME)).html;
  assert.match(after, /Comments \(0 open\)/);
  assert.match(after, /resolved by editor@example.org/);
  assert.equal((await editor.request(`/admin/content/theme/fossils/comments/${id}/resolve`, { form: { csrf: e.csrf! } })).status, 404, 'a comment of another document');
});

test('a media item\'s alternative text and caption, an event\'s and a place\'s texts are edited in the browser and published', async () => {
  const MEDIA = '/admin/content/media/ammonite';
  const filesBefore = (await loadContent(db))!.files;
  const list = await editor.page('/admin/content');
  assert.match(list.html, /<a href="\/admin\/content\?list=media">Media<\/a> \(\d+\)/);
  assert.doesNotMatch(list.html, /href="\/admin\/content\/media\/ammonite"/, 'the media have a page of their own');
  const media = await editor.page('/admin/content?list=media');
  assert.match(media.html, /href="\/admin\/content\/media\/ammonite"/);
  assert.doesNotMatch(media.html, /href="\/admin\/content\/theme\//);
  checked.push(['media list', media.html]);
  const m = await editor.page(MEDIA);
  assert.equal(m.r.status, 200);
  checked.push(['media', m.html]);
  assert.match(m.html, /id="field-en-alt"/);
  const form = formFields(m.html, MEDIA);
  assert.equal((await editor.request(MEDIA, { form: { ...form, 'en.caption': '' } })).status, 400, 'a caption is needed in every language written');
  const alt = 'An ammonite, a spiral shell turned to stone, on a dark cloth.';
  assert.equal((await editor.request(MEDIA, { form: { ...form, 'en.alt': alt } })).status, 303);
  const t = await translator.page(MEDIA);
  assert.equal((await translator.request(MEDIA, { form: { ...formFields(t.html, MEDIA), 'de.alt': 'Anders' } })).status, 403);
  const EVENT = '/admin/content/event/storm-night';
  const e = formFields((await editor.page(EVENT)).html, EVENT);
  assert.equal((await editor.request(EVENT, { form: { ...e, 'en.title': 'The stormy night' } })).status, 303);
  const PLACE = '/admin/content/place/woelsendorf';
  const p = formFields((await editor.page(PLACE)).html, PLACE);
  const half = await editor.request(PLACE, { form: { ...p, 'en.kind_label': 'mining village' } });
  assert.equal(half.status, 400, 'a text in English only: the default language (German) is missing');
  assert.match(await half.text(), /id="field-de-kind_label-error"/);
  assert.equal((await editor.request(PLACE, { form: { ...p, 'en.kind_label': 'mining village', 'de.kind_label': 'Bergbaudorf' } })).status, 303);
  const { csrf } = await editor.page('/admin/content');
  const published = await editor.request('/admin/content/publish', { form: { csrf: csrf! } });
  assert.equal(published.status, 303, (await published.clone().text()).replace(/[\s\S]*<section class="problems"/, '').slice(0, 2000));
  const content = (await loadContent(db))!;
  assert.equal(content.media.find((x) => x.id === 'ammonite')!.alt!.en, alt);
  assert.deepEqual(content.files, filesBefore, 'what import learned of the files stays');
  assert.equal(content.events.find((x) => x.id === 'storm-night')!.title.en, 'The stormy night');
  assert.equal(content.places.find((x) => x.id === 'woelsendorf')!.kind_label!.en, 'mining village');
});

test('a publish is refused when a draft was saved after the page the publisher saw; the museum\'s settings come back to their own page', async () => {
  const MUSEUM = '/admin/content/museum/settings';
  const seenByEditor = await editor.page(MUSEUM);
  const f = formFields(seenByEditor.html, MUSEUM);
  assert.equal((await editor.request(MUSEUM, { form: { ...f, 'en.credits': 'First credits.' } })).status, 303);
  const shown = await editor.page(MUSEUM);
  const draft = /action="\/admin\/content\/museum\/settings\/publish"><input type="hidden" name="csrf" value="[^"]+"\/><input type="hidden" name="draft" value="(\d+)"/.exec(shown.html)![1]!;
  const list = await editor.page('/admin/content');
  const seen = /name="seen" value="(\d+)"/.exec(list.html)![1]!;
  // Someone saves again meanwhile.
  const g = formFields((await second.page(MUSEUM)).html, MUSEUM);
  assert.equal((await second.request(MUSEUM, { form: { ...g, 'en.credits': 'Second credits.' } })).status, 303);
  const one = await editor.request(`${MUSEUM}/publish`, { form: { csrf: shown.csrf!, draft } });
  assert.equal(one.headers.get('location'), `${MUSEUM}?done=publishStale`);
  const all = await editor.request('/admin/content/publish', { form: { csrf: shown.csrf!, seen } });
  assert.equal(all.headers.get('location'), '/admin/content?done=publishStale');
  assert.notEqual((await loadContent(db))!.museum.credits?.en, 'Second credits.');
  // From the page as it is now, the publish goes through, and comes back to the museum's settings.
  const now2 = await editor.page(MUSEUM);
  const draft2 = /name="draft" value="(\d+)"/.exec(now2.html)![1]!;
  const ok = await editor.request(`${MUSEUM}/publish`, { form: { csrf: now2.csrf!, draft: draft2 } });
  assert.equal(ok.headers.get('location'), `${MUSEUM}?done=published`);
  assert.equal((await loadContent(db))!.museum.credits?.en, 'Second credits.');
  assert.equal((await editor.page(`${MUSEUM}?done=published`)).r.status, 200);
});

test('every structure form is refused without its token', async () => {
  const form = formFields((await editor.page(BLOCKS)).html, `${BLOCKS}/move`);
  delete form.csrf;
  for (const path of [`${BLOCKS}/move`, `${BLOCKS}/remove`, `${BLOCKS}/new`, `${BLOCKS}/minerals-map`, `${THEME}/lock`, `${THEME}/renew`, `${THEME}/release`, `${THEME}/unpublish`, '/admin/content/museum/settings', '/admin/content/visit/main', `${BLOCKS}/order`, '/admin/content/visit/main/order', '/admin/content/markdown', `${THEME}/comments`]) {
    assert.equal((await editor.request(path, { form: { ...form, block: 'minerals-intro', direction: 'down', kind: 'text' } })).status, 403, path);
  }
});

test('the structure pages are valid HTML (Nu)', { skip: javaMissing('the structure pages\' HTML check') }, async () => {
  assert.ok(checked.length >= 4);
  // The admin's CSP allows no inline style: an attribute would be dropped by the browser (and logged as a violation).
  for (const [name, html] of checked) assert.doesNotMatch(html, /\sstyle="/, name);
  assert.deepEqual(vnuErrors(checked, await (await app.request(assets.adminCss)).text()), []);
});
