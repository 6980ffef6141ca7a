import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { MAX_URL_LENGTH } from '../src/app.ts';
import type { BuiltAssets } from '../src/web/assets.ts';
import type { SiteStore } from '../src/web/site/site.service.ts';
import { addUserOrLink } from '../src/modules/auth/users.service.ts';
import { auditEntries } from '../src/modules/auth/audit.ts';
import { SESSION_IDLE_MS } from '../src/modules/auth/sessions.service.ts';
import { leanListener } from '../src/web/http/lean.ts';
import type { Db } from '../src/db/connection.ts';
import { PUBLIC_URL } from './harness.ts';
import { AdminBrowser, adminSite } from './admin-browser.ts';
import { javaMissing, vnuErrors } from './vnu-check.ts';

// /admin through app.request (decision 0021): cookies, CSRF, fixation,
// throttling, expiry, headers; the public site's headers unchanged.

const PASSWORD = 'Drôme-pont-de-1944';
const ORIGIN = new URL(PUBLIC_URL).origin;
let db: Db;
let assets: BuiltAssets;
let site: SiteStore;
let app: Hono;
let plain: Hono;
let clock = Date.parse('2026-03-01T09:00:00.000Z');
const now = () => new Date(clock);

before(async () => {
  ({ db, assets, site, app, plain } = await adminSite(now));
});
after(async () => {
  await site.stop();
  await db.destroy();
});

class Browser extends AdminBrowser {
  constructor(address?: string, userAgent?: string) {
    super(() => app, address, userAgent);
  }
}

async function userWithPassword(email: string, role = 'editor'): Promise<void> {
  const link = await addUserOrLink(db, now(), email, role);
  const b = new Browser();
  const { csrf } = await b.page(`/admin/password/${link.token}`);
  const r = await b.request(`/admin/password/${link.token}`, { form: { csrf: csrf!, password: PASSWORD, confirm: PASSWORD } });
  assert.equal(r.status, 303);
}

async function signedIn(email: string, b = new Browser()): Promise<{ b: Browser; csrf: string }> {
  const { csrf } = await b.page('/admin/sign-in');
  const r = await b.request('/admin/sign-in', { form: { csrf: csrf!, email, password: PASSWORD } });
  assert.equal(r.status, 303, await r.clone().text());
  const home = await b.page('/admin');
  assert.equal(home.r.status, 200);
  return { b, csrf: home.csrf! };
}

const count = async (table: 'audit_log' | 'staff_session') => (await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

test('the journey: link → set password → sign in → home (email, role, sessions) → sign out; cookies HttpOnly, SameSite=Lax, Path=/admin, Secure', async () => {
  const link = await addUserOrLink(db, now(), 'first.admin@example.org', 'admin');
  const b = new Browser();
  const form = await b.page(`/admin/password/${link.token}`);
  assert.equal(form.r.status, 200);
  assert.match(form.html, /first\.admin@example\.org/);
  const formCookie = form.r.headers.getSetCookie()[0]!;
  assert.match(formCookie, /^parcours_admin_form=[A-Za-z0-9_-]{43}; Path=\/admin; Max-Age=3600; HttpOnly; SameSite=Lax; Secure$/);
  // A weak password: said beside the field, nothing saved.
  const weak = await b.request(`/admin/password/${link.token}`, { form: { csrf: form.csrf!, password: 'password1234', confirm: 'password1234' } });
  assert.equal(weak.status, 400);
  const weakHtml = await weak.text();
  assert.match(weakHtml, /aria-describedby="password-hint password-error" aria-invalid="true"\/?>\s*<p class="error" id="password-error">This password is among the most common ones/);
  const mismatch = await b.request(`/admin/password/${link.token}`, { form: { csrf: form.csrf!, password: PASSWORD, confirm: `${PASSWORD}.` } });
  assert.match(await mismatch.text(), /id="confirm-error">The two passwords differ/);
  const set = await b.request(`/admin/password/${link.token}`, { form: { csrf: form.csrf!, password: PASSWORD, confirm: PASSWORD } });
  assert.deepEqual([set.status, set.headers.get('location')], [303, '/admin/sign-in?done=password']);
  assert.equal((await b.page(`/admin/password/${link.token}`)).r.status, 404, 'the link works once');
  const signIn = await b.page('/admin/sign-in?done=password');
  assert.match(signIn.html, /Your password is set/);
  const r = await b.request('/admin/sign-in', { form: { csrf: signIn.csrf!, email: 'First.Admin@example.org', password: PASSWORD } });
  assert.deepEqual([r.status, r.headers.get('location')], [303, '/admin']);
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('parcours_admin='))!;
  assert.match(cookie, /^parcours_admin=[A-Za-z0-9_-]{43}; Path=\/admin; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure$/);
  const home = await b.page('/admin');
  assert.equal(home.r.status, 200);
  assert.match(home.html, /You are signed in as first\.admin@example\.org\. Your role: administrator\./);
  assert.match(home.html, /<td data-label="Browser">Firefox, Linux<\/td>/);
  assert.match(home.html, /This session/);
  const out = await b.request('/admin/sign-out', { form: { csrf: home.csrf! } });
  assert.deepEqual([out.status, out.headers.get('location')], [303, '/admin/sign-in?done=signed-out']);
  assert.match(out.headers.getSetCookie()[0]!, /^parcours_admin=; Path=\/admin; Max-Age=0; HttpOnly; SameSite=Lax; Secure$/);
  const after = await b.request('/admin');
  assert.deepEqual([after.status, after.headers.get('location')], [303, '/admin/sign-in']);
  assert.match((await b.page('/admin/sign-in?done=signed-out')).html, /You are signed out/);
});

test('the admin speaks the remembered site language or Accept-Language (fr, en, de), English otherwise', async () => {
  const b = new Browser();
  assert.match((await b.request('/admin/sign-in', { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } }).then((r) => r.text())), /<html lang="fr">[\s\S]*<h1>Connexion<\/h1>/);
  assert.match((await b.request('/admin/sign-in', { headers: { 'accept-language': 'de' } }).then((r) => r.text())), /<html lang="de">[\s\S]*<h1>Anmelden<\/h1>/);
  assert.match((await b.request('/admin/sign-in', { headers: { 'accept-language': 'es' } }).then((r) => r.text())), /<html lang="en">/);
  assert.match((await b.request('/admin/sign-in', { headers: { 'accept-language': 'en', cookie: 'parcours_lang=fr' } }).then((r) => r.text())), /<html lang="fr">/);
});

test('every /admin answer: no-store, noindex, no referrer to other sites, a strict CSP; the public pages keep theirs', async () => {
  await userWithPassword('headers@example.org');
  const { b, csrf } = await signedIn('headers@example.org');
  const answers = [
    await b.request('/admin'), await b.request('/admin/sign-in'), await new Browser().request('/admin'), await b.request('/admin/nowhere'),
    await b.request('/admin/password/not-a-token'), await b.request('/admin/sign-out', { form: { csrf: 'wrong' } }),
    await b.request('/admin/sessions/revoke', { form: { csrf, session: 'x' } }),
  ];
  assert.deepEqual(answers.map((r) => r.status), [200, 303, 303, 404, 404, 403, 303]);
  for (const r of answers) {
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('x-robots-tag'), 'noindex, nofollow');
    assert.equal(r.headers.get('referrer-policy'), 'same-origin');
    assert.equal(r.headers.get('content-security-policy'), "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    // Served over https (secureCookies): never asked for over plain HTTP again.
    assert.equal(r.headers.get('strict-transport-security'), 'max-age=31536000');
  }
  assert.match(await answers[0]!.text(), /<meta name="robots" content="noindex, nofollow"/);
  // The public site answers as it did without the administration.
  for (const path of ['/de/', '/en/', '/robots.txt', '/sitemap.xml', '/nowhere']) {
    const [x, y] = [await app.request(path), await plain.request(path)];
    assert.equal(x.status, y.status, path);
    for (const h of ['content-security-policy', 'cache-control', 'referrer-policy', 'x-robots-tag', 'set-cookie', 'strict-transport-security']) assert.equal(x.headers.get(h), y.headers.get(h), `${path} ${h}`);
  }
  assert.equal((await app.request('/de/', { method: 'POST' })).status, 405, 'the public site takes no POST');
  const slash = await app.request('/admin/');
  assert.deepEqual([slash.status, slash.headers.get('location'), slash.headers.get('cache-control')], [301, '/admin', 'no-store']);
  // A body over 16 KB, a multipart or a broken body: refused, with the admin's headers, never a 500.
  const big = await b.request('/admin/sign-out', { form: { csrf, pad: 'x'.repeat(20_000) } });
  assert.deepEqual([big.status, big.headers.get('cache-control')], [413, 'no-store']);
  for (const type of ['multipart/form-data; boundary=zz', 'application/json', 'text/plain']) {
    const r = await b.request('/admin/sign-out', { method: 'POST', headers: { 'content-type': type, origin: ORIGIN }, form: undefined });
    assert.equal(r.status, 403, type);
  }
  assert.equal((await b.request('/admin')).status, 200, 'still signed in');
  assert.equal((await plain.request('/admin')).status, 404, 'without its database, no administration');
});

test('the lean path never serves /admin, even when its cache would have a page there', async () => {
  await app.request('/de/');
  const hit = site.cached('/de/');
  assert.ok(hit);
  const greedy = { get current() { return site.current; }, cached: () => hit } as unknown as SiteStore;
  const server = createServer(leanListener(greedy, { maxUrlLength: MAX_URL_LENGTH, secureCookies: true }, getRequestListener(app.fetch)));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await fetch(`${base}/admin/sign-in`);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.match(await r.text(), /action="\/admin\/sign-in"/);
    assert.match(await (await fetch(`${base}/admin`, { redirect: 'manual' })).text(), /^$/);
  } finally {
    await new Promise((ok) => server.close(ok));
  }
});

test('session fixation: a cookie set before sign-in is never the session; sign-in makes a new one', async () => {
  await userWithPassword('fixation@example.org');
  const planted = 'A'.repeat(43);
  const b = new Browser();
  b.cookies.set('parcours_admin', planted);
  const { b: same } = await signedIn('fixation@example.org', b);
  assert.notEqual(same.cookies.get('parcours_admin'), planted);
  const victim = new Browser();
  victim.cookies.set('parcours_admin', planted);
  assert.equal((await victim.request('/admin')).status, 303, 'the planted value opens nothing');
  // Signing in again from a signed-in browser gives a new session.
  const first = same.cookies.get('parcours_admin');
  const again = await same.request('/admin/sign-in', { form: { csrf: same.cookies.get('parcours_admin_form')!, email: 'fixation@example.org', password: PASSWORD } });
  assert.equal(again.status, 303);
  assert.notEqual(same.cookies.get('parcours_admin'), first);
});

test('CSRF: no token, a wrong token, a foreign Origin, Sec-Fetch-Site cross-site or same-site: 403, nothing changed', async () => {
  await userWithPassword('csrf@example.org');
  const { b, csrf } = await signedIn('csrf@example.org');
  const other = await signedIn('csrf@example.org');
  const otherId = /name="session" value="([0-9a-f]{64})"/.exec((await b.page('/admin')).html)?.[1];
  assert.ok(otherId);
  const link = await addUserOrLink(db, now(), 'csrf-link@example.org', 'author');
  const fresh = new Browser();
  const formToken = (await fresh.page('/admin/sign-in')).csrf!;
  await fresh.page(`/admin/password/${link.token}`);
  const attacks: [string, Browser, Record<string, string>, Record<string, string>][] = [];
  const posts: [string, Browser, Record<string, string>][] = [
    ['/admin/sign-out', b, { everywhere: '1' }],
    ['/admin/sessions/revoke', b, { session: otherId }],
    ['/admin/sign-in', fresh, { email: 'csrf@example.org', password: PASSWORD }],
    [`/admin/password/${link.token}`, fresh, { password: PASSWORD, confirm: PASSWORD }],
  ];
  for (const [path, who, fields] of posts) {
    const good = path.startsWith('/admin/sign-out') || path.startsWith('/admin/sessions') ? csrf : formToken;
    attacks.push([`${path}: no token`, who, fields, {}]);
    attacks.push([`${path}: wrong token`, who, { ...fields, csrf: `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}` }, {}]);
    attacks.push([`${path}: foreign Origin`, who, { ...fields, csrf: good }, { origin: 'https://evil.example.net', 'sec-fetch-site': '' }]);
    attacks.push([`${path}: Origin null`, who, { ...fields, csrf: good }, { origin: 'null', 'sec-fetch-site': '' }]);
    attacks.push([`${path}: cross-site`, who, { ...fields, csrf: good }, { origin: '', 'sec-fetch-site': 'cross-site' }]);
    attacks.push([`${path}: same-site`, who, { ...fields, csrf: good }, { origin: '', 'sec-fetch-site': 'same-site' }]);
    attacks.push([`${path}: says nothing`, who, { ...fields, csrf: good }, { origin: '', 'sec-fetch-site': '' }]);
  }
  // The other session's token does not sign this one out.
  attacks.push(['/admin/sign-out: another session\'s token', b, { csrf: other.csrf }, {}]);
  const sessionsBefore = await db.selectFrom('staff_session').select(['id_hash', 'revoked_at']).orderBy('id_hash').execute();
  const auditBefore = await count('audit_log');
  for (const [label, who, fields, headers] of attacks) {
    const path = label.split(':')[0]!;
    const r = await who.request(path, { form: fields, headers });
    assert.equal(r.status, 403, label);
    assert.match(await r.text(), /This form was refused/, label);
  }
  assert.deepEqual(await db.selectFrom('staff_session').select(['id_hash', 'revoked_at']).orderBy('id_hash').execute(), sessionsBefore);
  assert.equal(await count('audit_log'), auditBefore, 'nothing happened, not even a sign-in');
  assert.equal((await db.selectFrom('staff_user').select('password_hash').where('email', '=', 'csrf-link@example.org').executeTakeFirstOrThrow()).password_hash, null);
  // The same forms, sent properly, work.
  assert.equal((await b.request('/admin/sessions/revoke', { form: { csrf, session: otherId } })).status, 303);
  assert.equal((await other.b.request('/admin')).status, 303, 'the revoked session is signed out');
});

test('sign-in: a bad email or an empty password is said beside its field; an unknown email and a wrong password get the same answer', async () => {
  await userWithPassword('same@example.org');
  const b = new Browser('192.0.2.50');
  const { csrf } = await b.page('/admin/sign-in');
  const bad = await b.request('/admin/sign-in', { form: { csrf: csrf!, email: '"><svg onload=alert(1)>@x', password: '' } });
  assert.equal(bad.status, 400);
  const html = await bad.text();
  assert.match(html, /aria-describedby="email-error" aria-invalid="true"\/?>\s*<p class="error" id="email-error">Write an email address/);
  assert.match(html, /id="password-error">This field is required/);
  assert.ok(!html.includes('<svg onload'), 'the value is escaped');
  assert.match(html, /value="&quot;&gt;&lt;svg onload=alert\(1\)&gt;@x"/);
  const wrong = await b.request('/admin/sign-in', { form: { csrf: csrf!, email: 'same@example.org', password: 'not the password' } });
  const unknown = await b.request('/admin/sign-in', { form: { csrf: csrf!, email: 'nobody@example.org', password: 'not the password' } });
  assert.deepEqual([wrong.status, unknown.status], [401, 401]);
  const notice = (h: string) => /<p class="notice alert" role="alert">([^<]*)<\/p>/.exec(h)?.[1];
  assert.equal(notice(await wrong.text()), notice(await unknown.text()));
  const weird = await b.request('/admin/sign-in', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, form: undefined });
  assert.equal(weird.status, 403, 'no form, no token');
});

test('throttling over HTTP: after 5 failures the account answers 429 with Retry-After, the right password included; the clock moves, it works', async () => {
  await userWithPassword('throttle@example.org');
  const b = new Browser('192.0.2.60');
  const { csrf } = await b.page('/admin/sign-in');
  for (let i = 0; i < 5; i++) assert.equal((await b.request('/admin/sign-in', { form: { csrf: csrf!, email: 'throttle@example.org', password: `wrong ${i} wrong` } })).status, 401);
  const held = await b.request('/admin/sign-in', { form: { csrf: csrf!, email: 'throttle@example.org', password: PASSWORD } });
  assert.equal(held.status, 429);
  assert.equal(held.headers.get('retry-after'), '1');
  assert.match(await held.text(), /Too many failed attempts. Wait 1 seconds/);
  assert.ok((await auditEntries(db, 1000)).some((e) => e.event === 'sign_in_throttled' && e.email === 'throttle@example.org' && e.address === '192.0.2.60'));
  clock += 1000;
  assert.equal((await b.request('/admin/sign-in', { form: { csrf: csrf!, email: 'throttle@example.org', password: PASSWORD } })).status, 303);
});

test('expiry: after 12 h without a request the session opens nothing; revoke one; sign out everywhere', async () => {
  await userWithPassword('expiry@example.org');
  const { b } = await signedIn('expiry@example.org');
  clock += SESSION_IDLE_MS;
  assert.equal((await b.request('/admin')).status, 303, 'idle 12 h');
  const one = await signedIn('expiry@example.org');
  const two = await signedIn('expiry@example.org');
  const three = await signedIn('expiry@example.org');
  const home = await one.b.page('/admin');
  assert.equal((home.html.match(/name="session"/g) ?? []).length, 2, 'the two other sessions can be ended from here');
  const out = await one.b.request('/admin/sign-out', { form: { csrf: home.csrf!, everywhere: '1' } });
  assert.equal(out.status, 303);
  for (const s of [one, two, three]) assert.equal((await s.b.request('/admin')).status, 303);
  assert.ok((await auditEntries(db, 1000)).some((e) => e.event === 'sign_out_everywhere' && e.email === 'expiry@example.org'));
});

test('a disabled user is signed out at once; every role reaches the home, and the home only', async () => {
  for (const role of ['admin', 'editor', 'author', 'translator', 'reviewer']) {
    await userWithPassword(`${role}.role@example.org`, role);
    const { b } = await signedIn(`${role}.role@example.org`);
    assert.equal((await b.request('/admin')).status, 200, role);
  }
  const { b } = await signedIn('reviewer.role@example.org');
  await db.updateTable('staff_user').set({ disabled: 1 }).where('email', '=', 'reviewer.role@example.org').execute();
  assert.equal((await b.request('/admin')).status, 303);
  assert.ok((await count('staff_session')) > 0);
});

const noJava = javaMissing('ADMIN HTML VALIDATION');

test('the Nu Html Checker finds no error in the admin pages and their stylesheet', { skip: noJava }, async () => {
  const link = await addUserOrLink(db, now(), 'vnu@example.org', 'translator');
  await userWithPassword('vnu.home@example.org');
  const { b, csrf } = await signedIn('vnu.home@example.org');
  await signedIn('vnu.home@example.org'); // a second session: a row with a revoke form
  const fresh = new Browser();
  const signInForm = await fresh.page('/admin/sign-in');
  const pages: [string, string][] = [
    ['sign-in', signInForm.html],
    ['sign-in with errors', await (await fresh.request('/admin/sign-in', { form: { csrf: signInForm.csrf!, email: 'x', password: '' } })).text()],
    ['password', (await fresh.page(`/admin/password/${link.token}`)).html],
    ['invalid link', (await fresh.page(`/admin/password/${'x'.repeat(43)}`)).html],
    ['home', (await b.page('/admin')).html],
    ['not found', (await b.page('/admin/nowhere')).html],
    ['refused', await (await b.request('/admin/sign-out', { form: { csrf: `${csrf}x` } })).text()],
  ];
  assert.deepEqual(vnuErrors(pages, await (await app.request(assets.adminCss)).text()), []);
});
