import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { SiteStore } from '../src/web/site/site.service.ts';
import type { BuiltAssets } from '../src/web/assets.ts';
import { addUserOrLink } from '../src/modules/auth/users.service.ts';
import { auditEntries } from '../src/modules/auth/audit.ts';
import { stopCheckThread } from '../src/modules/editorial/check.ts';
import { createApp } from '../src/app.ts';
import { DraftSite } from '../src/web/site/draft.site.ts';
import { inlineRenderers } from '../src/web/site/renderer.ts';
import type { Db } from '../src/db/connection.ts';
import { AdminBrowser, adminSite } from './admin-browser.ts';
import { fixtureFileSite, PUBLIC_URL, testStore } from './harness.ts';
import { javaMissing, vnuErrors } from './vnu-check.ts';

// The preview (decision 0023) through app.request: a draft seen as its page
// with the real layout, marked and never cached or indexed, its links kept in
// the preview; who may see it; share links for a reviewer without an
// account (72 hours, revoked, stored as a digest); CSRF on every form; a
// draft's markup escaped. One test renders in the render worker, as a server does.

const PASSWORD = 'Drôme-pont-de-1944';
const HOUR = 60 * 60_000;
let db: Db;
let site: SiteStore;
let assets: BuiltAssets;
let app: Hono;
let plain: Hono;
let clock = Date.parse('2026-03-01T09:00:00.000Z');
const now = () => new Date(clock);

async function user(email: string, role: string, language = 'en', on: () => Hono = () => app, database: Db = db): Promise<AdminBrowser> {
  const link = await addUserOrLink(database, now(), email, role);
  const b = new AdminBrowser(on, undefined, undefined, language);
  const p = await b.page(`/admin/password/${link.token}`);
  assert.equal((await b.request(`/admin/password/${link.token}`, { form: { csrf: p.csrf!, password: PASSWORD, confirm: PASSWORD } })).status, 303);
  const s = await b.page('/admin/sign-in');
  assert.equal((await b.request('/admin/sign-in', { form: { csrf: s.csrf!, email, password: PASSWORD } })).status, 303);
  return b;
}

let editor: AdminBrowser;
let author: AdminBrowser;
let reviewer: AdminBrowser;

const file = fixtureFileSite('parcours-preview-');

before(async () => {
  ({ db, site, app, plain, assets } = await adminSite(now));
  editor = await user('editor@example.org', 'editor');
  author = await user('author@example.org', 'author', 'fr');
  reviewer = await user('reviewer@example.org', 'reviewer', 'de');
});
after(async () => {
  await stopCheckThread();
  await site.stop();
  await db.destroy();
});

const EDITOR = '/admin/content/theme/minerals';
const PAGE = '/en/tour/minerals';
const PREVIEW = `/admin/preview${PAGE}`;
/** Pages seen by the tests, checked by the Nu checker at the end. */
const checked: [string, string][] = [];

/** The form's fields as the browser would post them. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string> = {};
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) out[m[1]!] = unescape(m[2]!);
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = unescape(m[2]!);
  return out;
}

async function saveTitle(title: string): Promise<void> {
  const fields = formFields((await editor.page(EDITOR)).html, EDITOR);
  fields['en.title'] = title;
  const r = await editor.request(EDITOR, { form: fields });
  assert.equal(r.status, 303, await r.clone().text());
}

const publicPage = async (path: string) => (await plain.request(`${PUBLIC_URL}${path}`)).text();

/** Every href, src and action of a page, resolved against its address: same-origin paths (with their query). */
function ownLinks(html: string, at: string): string[] {
  return [...html.matchAll(/ (?:href|src|action)="([^"]*)"/g)]
    .map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), `${PUBLIC_URL}${at}`))
    .filter((u) => u.origin === PUBLIC_URL)
    .map((u) => `${u.pathname}${u.search}`);
}
const STATIC = /^\/(assets|media|iiif|share|data)\//;

test('a saved draft shows in the preview with the real layout, not on the public page; published, the public page shows it', async () => {
  const before = await editor.page(PREVIEW);
  assert.equal(before.r.status, 200);
  assert.match(before.html, /<h1[^>]*>[^<]*Minerals/);
  const version = site.drafts.cache.version;
  await saveTitle('Minerals under glass');
  // The editor's "Preview" is the document's page, in the preview.
  const go = await editor.request(`${EDITOR}/preview`);
  assert.equal(go.status, 303);
  assert.equal(go.headers.get('location'), PREVIEW);
  const { r, html } = await editor.page(PREVIEW);
  assert.equal(r.status, 200);
  assert.notEqual(site.drafts.cache.version, version, 'a save is a new draft version: the cache starts again');
  assert.match(html, /Minerals under glass/);
  // The public page's own layout and styles: its stylesheet, its script, its header and footer.
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${assets.urls.css.replace(/\./g, '\\.')}"/>`));
  assert.match(html, /<script type="module" src="\/assets\/site\./);
  assert.match(html, /class="site-header"/);
  assert.match(html, /class="site-footer"/);
  checked.push(['preview', html]);
  assert.doesNotMatch(await publicPage(PAGE), /Minerals under glass/);
  const p = await editor.request(`${EDITOR}/publish`, { form: { csrf: (await editor.page(EDITOR)).csrf! } });
  assert.equal(p.status, 303, await p.clone().text());
  await site.refresh();
  assert.match(await publicPage(PAGE), /Minerals under glass/);
});

test('the preview is marked: noindex and no-store, the public page\'s CSP, a banner in the admin\'s language with a link back to the editor', async () => {
  const r = await editor.request(PREVIEW);
  const html = await r.text();
  assert.equal(r.headers.get('x-robots-tag'), 'noindex, nofollow');
  assert.equal(r.headers.get('cache-control'), 'no-store, private');
  const pub = await plain.request(`${PUBLIC_URL}${PAGE}`);
  assert.equal(r.headers.get('content-security-policy'), pub.headers.get('content-security-policy'));
  assert.match(r.headers.get('content-security-policy')!, /script-src 'self'/);
  assert.equal((html.match(/<meta name="robots" content="noindex"\/>/g) ?? []).length, 1);
  assert.doesNotMatch(await pub.text(), /noindex|preview-banner/);
  const banner = /<section class="preview-banner"[^>]*lang="en">([\s\S]*?)<\/section>/.exec(html)?.[1];
  assert.ok(banner, 'the banner, in English');
  assert.match(banner, /Preview of the draft — not published/);
  assert.match(banner, /href="\/admin\/content\/theme\/minerals">Back to the editor</);
  assert.match(html, /<body><a class="skip-link" href="#main">[^<]*<\/a><section class="preview-banner"/, 'the skip link stays first');
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${assets.previewCss.replace(/\./g, '\\.')}"/>`));
  assert.match((await author.page(PREVIEW)).html, /lang="fr"><p><strong>Aperçu du brouillon — non publié\.<\/strong>/);
  const de = await reviewer.page(PREVIEW);
  assert.match(de.html, /lang="de"><p><strong>Vorschau des Entwurfs – nicht veröffentlicht\.<\/strong>/);
  checked.push(['preview in German', de.html]);
});

test('links to the site\'s pages stay in the preview, static files keep their public addresses', async () => {
  const { html } = await editor.page(PREVIEW);
  const links = ownLinks(html, PREVIEW);
  const pages = links.filter((l) => !STATIC.test(l) && !l.startsWith('/admin/content') && l !== `/admin/preview?path=${encodeURIComponent(PAGE)}`);
  assert.ok(pages.length > 10, `${pages.length} page links`);
  assert.deepEqual(pages.filter((l) => !l.startsWith('/admin/preview/')), [], 'every page link is in the preview');
  for (const l of ['/admin/preview/en/tour', '/admin/preview/en/chronology', '/admin/preview/de/rundgang/minerale', '/admin/preview/en/']) assert.ok(pages.includes(l), l);
  assert.ok(links.some((l) => l.startsWith('/assets/site.')));
  // Following them stays in the preview.
  for (const l of ['/admin/preview/en/tour', '/admin/preview/en/chronology', '/admin/preview/de/rundgang/minerale']) {
    const next = await editor.page(l);
    assert.equal(next.r.status, 200, l);
    assert.match(next.html, /class="preview-banner"/);
    assert.deepEqual(ownLinks(next.html, l).filter((x) => !STATIC.test(x) && !x.startsWith('/admin/')), [], l);
  }
  // The chronology's filter form and its filtered page.
  const chrono = (await editor.page('/admin/preview/en/chronology')).html;
  assert.ok(ownLinks(chrono, '/admin/preview/en/chronology').includes('/admin/preview/en/chronology'), 'the filter form posts to the preview');
  const filtered = await editor.request('/admin/preview/en/chronology?theme=minerals');
  assert.equal(filtered.status, 200);
  assert.match(await filtered.text(), /class="preview-banner"/);
});

test('an unknown path gives the admin\'s 404; a slash too many redirects within the preview; the home follows the admin\'s language', async () => {
  const r = await editor.request('/admin/preview/en/no-such-page');
  assert.equal(r.status, 404);
  const html = await r.text();
  assert.match(html, /There is no such page in the administration/);
  assert.doesNotMatch(html, /at \w+ \(|Error:/);
  assert.equal((await editor.request('/admin/preview/xx/')).status, 404);
  const slash = await editor.request('/admin/preview/en/tour/');
  assert.equal(slash.status, 301);
  assert.equal(slash.headers.get('location'), '/admin/preview/en/tour');
  assert.equal((await editor.request('/admin/preview/')).headers.get('location'), '/admin/preview/en/');
  assert.equal((await reviewer.request('/admin/preview/')).headers.get('location'), '/admin/preview/de/');
  assert.equal((await editor.request('/admin/content/theme/no-such-theme/preview')).status, 404);
});

test('a reviewer may preview; a signed-out visitor is sent to sign in, for the preview and the share page', async () => {
  assert.equal((await reviewer.request(PREVIEW)).status, 200);
  const anon = new AdminBrowser(() => app);
  for (const path of [PREVIEW, '/admin/preview', `${EDITOR}/preview`]) {
    const r = await anon.request(path);
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.get('location'), '/admin/sign-in');
  }
  // A user disabled meanwhile: the session is gone with it.
  const gone = await user('gone@example.org', 'reviewer');
  await db.updateTable('staff_user').set({ disabled: 1 }).where('email', '=', 'gone@example.org').execute();
  assert.equal((await gone.request(PREVIEW)).status, 303);
});

/** A share link made by `b` for `path`: the URL shown once, and the token in it. */
async function share(b: AdminBrowser, path: string, label?: string): Promise<{ url: string; token: string; html: string }> {
  const { csrf } = await b.page('/admin/preview');
  const r = await b.request('/admin/preview/links', { form: { csrf: csrf!, path, ...(label ? { label } : {}) } });
  assert.equal(r.status, 200);
  const html = await r.text();
  const url = /<code class="secret">([^<]+)<\/code>/.exec(html)?.[1];
  assert.ok(url, 'the link is shown');
  const token = /\/preview\/([A-Za-z0-9_-]{43})\//.exec(url)![1]!;
  return { url, token, html };
}

test('a share link opens the preview without an account, with the banner but no admin link, and sends no referrer', async () => {
  const { url, token, html } = await share(editor, '/en/tour/minerals/', 'Dr. Rainer Stein');
  checked.push(['links page with a new link', html]);
  assert.equal(url, `${PUBLIC_URL}/preview/${token}${PAGE}`, 'the page asked for, at its canonical address');
  assert.match(html, /Dr\. Rainer Stein/);
  // The database keeps its digest only.
  const rows = await db.selectFrom('preview_link').selectAll().execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.token_hash, createHash('sha256').update(token).digest('hex'));
  assert.doesNotMatch(JSON.stringify(rows), new RegExp(token));
  assert.doesNotMatch(JSON.stringify(await auditEntries(db)), new RegExp(token));
  const reviewer2 = new AdminBrowser(() => app, '198.51.100.7', undefined, 'fr');
  const at = `/preview/${token}${PAGE}`;
  const r = await reviewer2.request(at);
  assert.equal(r.status, 200);
  const page = await r.text();
  checked.push(['shared preview', page]);
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(r.headers.get('x-robots-tag'), 'noindex, nofollow');
  assert.equal(r.headers.get('cache-control'), 'no-store, private');
  assert.match(r.headers.get('content-security-policy')!, /script-src 'self'/);
  assert.match(page, /<meta name="robots" content="noindex"\/>/);
  assert.match(page, /Minerals under glass/);
  const banner = /<section class="preview-banner"[^>]*>([\s\S]*?)<\/section>/.exec(page)![1]!;
  assert.match(banner, /Aperçu du brouillon — non publié/);
  assert.doesNotMatch(banner, /\/admin/);
  assert.doesNotMatch(page, new RegExp(token), 'the token is not written into the page');
  const pages = ownLinks(page, at).filter((l) => !STATIC.test(l));
  assert.ok(pages.length > 10);
  assert.deepEqual(pages.filter((l) => !l.startsWith(`/preview/${token}/`)), []);
  assert.equal((await reviewer2.request(`/preview/${token}/en/chronology`)).status, 200);
  assert.equal((await reviewer2.request(`/preview/${token}/en/tour/`)).headers.get('location'), `/preview/${token}/en/tour`);
  // The museum has no French: its default language's home.
  assert.equal((await reviewer2.request(`/preview/${token}`)).headers.get('location'), `/preview/${token}/de/`);
  const missing = await reviewer2.request(`/preview/${token}/en/nothing-here`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('referrer-policy'), 'no-referrer');
  assert.ok((await auditEntries(db)).some((e) => e.event === 'preview_link_created' && e.email === 'editor@example.org' && /path=\/en\/tour\/minerals/.test(e.detail ?? '')));
});

test('a share link works for 72 hours, then says it has expired; unknown tokens get a 404', async () => {
  const { token } = await share(editor, PAGE);
  const anon = new AdminBrowser(() => app);
  const start = clock;
  try {
    clock = start + 72 * HOUR - 60_000;
    assert.equal((await anon.request(`/preview/${token}${PAGE}`)).status, 200);
    clock = start + 72 * HOUR;
    const r = await anon.request(`/preview/${token}${PAGE}`);
    assert.equal(r.status, 410);
    const html = await r.text();
    assert.match(html, /This preview link no longer works/);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(r.headers.get('cache-control'), 'no-store, private');
    checked.push(['expired link', html]);
    // Expired links are no longer listed.
    assert.doesNotMatch((await editor.page('/admin/preview')).html, new RegExp(`/admin/preview/links/[^"]+/revoke`));
  } finally {
    clock = start + 60_000;
  }
  for (const t of ['A'.repeat(43), 'short', `${token.slice(0, 42)}${token.endsWith('A') ? 'B' : 'A'}`]) {
    const r = await anon.request(`/preview/${t}${PAGE}`);
    assert.equal(r.status, 404, t);
    assert.match(await r.text(), /No preview at this address/);
  }
});

test('revoking a link ends it at once, and is audited; the maker or whoever may publish revokes, no one else', async () => {
  const mine = await share(author, PAGE, 'Relecture');
  const id = /action="\/admin\/preview\/links\/([0-9a-f-]+)\/revoke"/.exec((await author.page('/admin/preview')).html)![1]!;
  // A reviewer sees the link but may not revoke someone else's: no button, and 403 if posted.
  const asReviewer = await reviewer.page('/admin/preview');
  assert.match(asReviewer.html, /Relecture/);
  assert.doesNotMatch(asReviewer.html, new RegExp(`links/${id}/revoke`));
  assert.equal((await reviewer.request(`/admin/preview/links/${id}/revoke`, { form: { csrf: asReviewer.csrf! } })).status, 403);
  assert.equal((await author.request(`/preview/${mine.token}${PAGE}`)).status, 200);
  // The editor may.
  const r = await editor.request(`/admin/preview/links/${id}/revoke`, { form: { csrf: (await editor.page('/admin/preview')).csrf! } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/preview?done=revoked');
  assert.equal((await new AdminBrowser(() => app).request(`/preview/${mine.token}${PAGE}`)).status, 410);
  const again = await editor.request(`/admin/preview/links/${id}/revoke`, { form: { csrf: (await editor.page('/admin/preview')).csrf! } });
  assert.equal(again.status, 404);
  const entry = (await auditEntries(db)).find((e) => e.event === 'preview_link_revoked');
  assert.equal(entry?.email, 'author@example.org');
  assert.match(entry?.detail ?? '', /^by=editor@example\.org; link=/);
  // Its maker revokes their own.
  const own = await share(author, PAGE);
  const ownId = /action="\/admin\/preview\/links\/([0-9a-f-]+)\/revoke"/.exec((await author.page('/admin/preview')).html)![1]!;
  assert.equal((await author.request(`/admin/preview/links/${ownId}/revoke`, { form: { csrf: (await author.page('/admin/preview')).csrf! } })).status, 303);
  assert.equal((await author.request(`/preview/${own.token}${PAGE}`)).status, 410);
});

test('the preview\'s forms are refused without their token or from another site; bad values are said beside their field', async () => {
  const { csrf } = await editor.page('/admin/preview');
  const count = async () => (await db.selectFrom('preview_link').select('id').execute()).length;
  const before = await count();
  assert.equal((await editor.request('/admin/preview/links', { form: { path: PAGE } })).status, 403);
  assert.equal((await editor.request('/admin/preview/links', { form: { csrf: 'x'.repeat(43), path: PAGE } })).status, 403);
  assert.equal((await editor.request('/admin/preview/links', { form: { csrf: csrf!, path: PAGE }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).status, 403);
  const { token } = await share(editor, PAGE);
  const id = /action="\/admin\/preview\/links\/([0-9a-f-]+)\/revoke"/.exec((await editor.page('/admin/preview')).html)![1]!;
  assert.equal((await editor.request(`/admin/preview/links/${id}/revoke`, { form: {} })).status, 403);
  assert.equal((await new AdminBrowser(() => app).request(`/preview/${token}${PAGE}`)).status, 200, 'still works');
  assert.equal(await count(), before + 1);
  for (const [path, message] of [['/en/no-such-page', /has no page at this address/], ['javascript:alert(1)', /starting with “\/”/], ['', /This field is required/]] as const) {
    const r = await editor.request('/admin/preview/links', { form: { csrf: csrf!, path } });
    assert.equal(r.status, 400, path);
    const html = await r.text();
    assert.match(html, /id="path-error"/);
    assert.match(html, message);
    if (path === '/en/no-such-page') checked.push(['links page with an error', html]);
  }
  assert.equal(await count(), before + 1);
});

test('markup saved in a draft\'s title is escaped in the preview', async () => {
  const evil = '<script>alert("x")</script><b onmouseover="alert(1)">bold</b> & "quoted"';
  await saveTitle(evil);
  const { html } = await editor.page(PREVIEW);
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<b onmouseover/);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  checked.push(['preview with markup in a title', html]);
  await saveTitle('Minerals under glass');
});

test('with a database file the preview renders in the render worker, from the drafts', async (t) => {
  const { site: fsite } = file.serve();
  const fapp = createApp({ site: fsite, assets: file.assets, store: testStore(), secureCookies: true, admin: { db: file.db, publicUrl: PUBLIC_URL, now } });
  t.after(() => fsite.stop());
  await fsite.refresh();
  const b = await user('worker@example.org', 'editor', 'en', () => fapp, file.db);
  const fields = formFields((await b.page(EDITOR)).html, EDITOR);
  fields['en.title'] = 'Minerals in the worker';
  assert.equal((await b.request(EDITOR, { form: fields })).status, 303);
  const { r, html } = await b.page(PREVIEW);
  assert.equal(r.status, 200);
  assert.match(html, /Minerals in the worker/);
  assert.match(html, /class="preview-banner"/);
  assert.equal(fsite.drafts.cache.inWorker, true);
  assert.doesNotMatch(await (await fapp.request(`${PUBLIC_URL}${PAGE}`)).text(), /Minerals in the worker/);
});

test('the draft site\'s cache is bounded in bytes, and the draft site is let go when no one previews', async () => {
  const renderers = inlineRenderers(db, PUBLIC_URL, assets.urls);
  const drafts = new DraftSite(db, () => renderers.openDraft!(), () => undefined, { cacheBytes: 60_000, idleMs: 200 });
  const banner = { locale: 'en', admin: true, css: assets.previewCss };
  const paths = ['/en/', '/en/tour', PAGE, '/en/tour/fossils', '/en/tour/evolution', '/en/chronology', '/en/map', '/en/about'];
  for (const p of paths) assert.equal((await drafts.page(p, undefined, banner)).status, 200, p);
  const { pages, bytes } = drafts.cache;
  assert.ok(bytes <= 60_000, `${bytes} bytes`);
  assert.ok(pages > 0 && pages < paths.length, `${pages} pages kept`);
  await new Promise((r) => setTimeout(r, 400));
  assert.deepEqual(drafts.cache, { pages: 0, bytes: 0, version: undefined, inWorker: false });
  assert.equal((await drafts.page(PAGE, undefined, banner)).status, 200, 'opened again on the next preview');
  await drafts.close();
});

test('the preview\'s pages are valid HTML (Nu)', { skip: javaMissing('the preview pages\' HTML check') }, async () => {
  assert.ok(checked.length >= 7, `${checked.length} pages`);
  const css = (await Promise.all([assets.adminCss, assets.previewCss].map(async (p) => (await app.request(p)).text()))).join('\n');
  assert.deepEqual(vnuErrors(checked, css), []);
});
