import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { BuiltAssets } from '../src/web/assets.ts';
import type { SiteStore } from '../src/web/site/site.service.ts';
import { addUserOrLink } from '../src/modules/auth/users.service.ts';
import { AUDIT_RETENTION_DAYS, auditThrottled, pruneAudit, startAuditPruning } from '../src/modules/auth/audit.ts';
import { signIn } from '../src/modules/auth/sessions.service.ts';
import type { Db } from '../src/db/connection.ts';
import { AdminBrowser, adminSite, STAFF_PASSWORD, staffTools } from './admin-browser.ts';
import { javaMissing, vnuErrors } from './vnu-check.ts';

// /admin/users and /admin/audit through app.request (decision 0021, addendum):
// an admin manages the staff; every other role is refused on every route;
// CSRF on every POST; the last-admin guard; a disabled user's session ends;
// the audit log pages, filters, folds throttled tries and is pruned.

let db: Db;
let assets: BuiltAssets;
let site: SiteStore;
let app: Hono;
const clock = Date.parse('2026-03-01T09:00:00.000Z');
let adminId: string;
/** A translator with English, whose languages the refused forms try to change. */
let translatorId: string;
const now = () => new Date(clock);

before(async () => {
  ({ db, assets, site, app } = await adminSite(now));
  adminId = await userWithPassword('boss@example.org', 'admin');
  translatorId = await userWithPassword('translates@example.org', 'translator', ['en']);
});
after(async () => {
  await site.stop();
  await db.destroy();
});

class Browser extends AdminBrowser {
  constructor(address?: string, userAgent?: string, language = 'en') {
    super(() => app, address, userAgent, language);
  }
}

const staff = staffTools(() => db, now, () => new Browser());
const userWithPassword = staff.userWithPassword;
const signedIn = (email: string, b = new Browser()) => staff.signedIn(email, b);
const idOf = async (email: string) => (await db.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const users = async () => db.selectFrom('staff_user').select(['id', 'email', 'role', 'disabled', 'password_hash', 'locales', 'updated_at']).orderBy('email').execute();
const state = async () => ({
  users: await users(),
  audit: (await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  links: await db.selectFrom('staff_password_token').select(['token_hash', 'used_at']).orderBy('token_hash').execute(),
  sessions: await db.selectFrom('staff_session').select(['id_hash', 'revoked_at']).orderBy('id_hash').execute(),
});
/** The entry of that event about that user (the clock stands still in these tests: one each is asked for). */
const lastAudit = async (event: string, email: string) => db.selectFrom('audit_log').select(['email', 'address', 'detail']).where('event', '=', event).where('email', '=', email).orderBy('at', 'desc').orderBy('id', 'desc').executeTakeFirst();


test('an admin adds a user: the one-time link is shown once on the page, works, and the change is audited', async () => {
  const { b, csrf } = await signedIn('boss@example.org');
  const list = await b.page('/admin/users');
  assert.equal(list.r.status, 200);
  assert.equal(list.r.headers.get('cache-control'), 'no-store');
  assert.match(list.html, /<td data-label="Email">boss@example\.org <span class="hint">\(you\)<\/span><\/td>/);
  const r = await b.request('/admin/users', { form: { csrf, email: ' New.Editor@Example.org ', role: 'editor' } });
  assert.equal(r.status, 200);
  const html = await r.text();
  const link = /https:\/\/visite\.example\.org(\/admin\/password\/[A-Za-z0-9_-]{43})</.exec(html)?.[1];
  assert.ok(link, 'the link is on the page');
  assert.match(html, /Link for new\.editor@example\.org/);
  assert.match(html, /It works once, until Mar 2, 2026, 9:00:00 AM UTC\./);
  assert.equal((await b.page('/admin/users')).html.includes(link), false, 'shown once: not on the next page');
  assert.equal((await new Browser().page(link)).r.status, 200, 'the link opens the set-password form');
  assert.deepEqual(await lastAudit('user_created', 'new.editor@example.org'), { email: 'new.editor@example.org', address: '192.0.2.10', detail: 'role=editor; by=boss@example.org' });
  assert.deepEqual(await lastAudit('password_link', 'new.editor@example.org'), { email: 'new.editor@example.org', address: '192.0.2.10', detail: 'by=boss@example.org' });
  const row = (await users()).find((u) => u.email === 'new.editor@example.org')!;
  assert.deepEqual([row.role, row.disabled, row.password_hash], ['editor', 0, null]);
});

test('a bad value changes nothing and is said beside its field, in the admin’s language', async () => {
  const { b, csrf } = await signedIn('boss@example.org', new Browser('192.0.2.11', undefined, 'fr-FR'));
  const before = await state();
  const badEmail = await b.request('/admin/users', { form: { csrf, email: 'not an email', role: 'editor' } });
  assert.equal(badEmail.status, 400);
  assert.match(await badEmail.text(), /aria-invalid="true"\/?>\s*<p class="error" id="email-error">Écrivez une adresse électronique/);
  const badRole = await b.request('/admin/users', { form: { csrf, email: 'someone@example.org', role: 'superuser' } });
  assert.equal(badRole.status, 400);
  assert.match(await badRole.text(), /<p class="error" id="role-error">Choisissez un des rôles de la liste\.<\/p>/);
  const exists = await b.request('/admin/users', { form: { csrf, email: 'BOSS@example.org', role: 'editor' } });
  assert.equal(exists.status, 409);
  assert.match(await exists.text(), /id="email-error">Cette adresse est déjà celle d’un utilisateur\./);
  const id = await idOf('boss@example.org');
  const roleBad = await b.request(`/admin/users/${id}/role`, { form: { csrf, role: 'root' } });
  assert.equal(roleBad.status, 400);
  assert.match(await roleBad.text(), new RegExp(`id="role-${id}-error">Choisissez un des rôles`));
  assert.equal((await b.request('/admin/users/not-a-uuid/role', { form: { csrf, role: 'editor' } })).status, 404);
  assert.equal((await b.request('/admin/users/00000000-0000-4000-8000-000000000000/disable', { form: { csrf } })).status, 404);
  assert.deepEqual(await state(), before);
});

test('the last active admin cannot demote or disable themself (said clearly); with a second admin they can', async () => {
  const { b, csrf } = await signedIn('boss@example.org');
  const before = await state();
  const demote = await b.request(`/admin/users/${adminId}/role`, { form: { csrf, role: 'editor' } });
  assert.equal(demote.status, 409);
  assert.match(await demote.text(), new RegExp(`id="role-${adminId}-error">boss@example\\.org is the last active administrator`));
  const disable = await b.request(`/admin/users/${adminId}/disable`, { form: { csrf } });
  assert.equal(disable.status, 409);
  assert.match(await disable.text(), new RegExp(`id="user-${adminId}-error">boss@example\\.org is the last active administrator`));
  assert.deepEqual(await state(), before);
  // A disabled admin does not count: the guard holds.
  const other = await userWithPassword('second.admin@example.org', 'admin');
  const off = await b.request(`/admin/users/${other}/disable`, { form: { csrf } });
  assert.equal(off.status, 303);
  assert.equal((await b.request(`/admin/users/${adminId}/role`, { form: { csrf, role: 'editor' } })).status, 409);
  // Enabled again, the second admin lets the first step down.
  assert.equal((await b.request(`/admin/users/${other}/enable`, { form: { csrf } })).status, 303);
  const second = await signedIn('second.admin@example.org');
  const down = await second.b.request(`/admin/users/${other}/role`, { form: { csrf: second.csrf, role: 'reviewer' } });
  assert.deepEqual([down.status, down.headers.get('location')], [303, '/admin/users?done=role&email=second.admin%40example.org']);
  assert.equal((await second.b.page('/admin/users')).r.status, 403, 'the role takes effect on the next request');
  assert.deepEqual(await lastAudit('user_role_changed', 'second.admin@example.org'), { email: 'second.admin@example.org', address: '192.0.2.10', detail: 'from=admin; to=reviewer; by=second.admin@example.org' });
  const notice = await b.page('/admin/users?done=role&email=second.admin%40example.org');
  assert.match(notice.html, /role="status">The role of second\.admin@example\.org is changed\./);
});

test('disabling ends the user’s sessions at once; they cannot sign in (the wrong-password message); re-enabled they can', async () => {
  const id = await userWithPassword('to.disable@example.org', 'editor');
  const victim = await signedIn('to.disable@example.org', new Browser('192.0.2.30'));
  const other = await signedIn('to.disable@example.org', new Browser('192.0.2.31'));
  const unused = await addUserOrLink(db, now(), 'to.disable@example.org', 'editor');
  const { b, csrf } = await signedIn('boss@example.org');
  const r = await b.request(`/admin/users/${id}/disable`, { form: { csrf } });
  assert.deepEqual([r.status, r.headers.get('location')], [303, '/admin/users?done=disabled&email=to.disable%40example.org']);
  for (const s of [victim, other]) {
    const next = await s.b.request('/admin');
    assert.deepEqual([next.status, next.headers.get('location')], [303, '/admin/sign-in'], 'the next request asks to sign in');
  }
  assert.equal((await new Browser().page(`/admin/password/${unused.token}`)).r.status, 404, 'unused links end too');
  const again = new Browser('192.0.2.32');
  const { csrf: formCsrf } = await again.page('/admin/sign-in');
  const refused = await again.request('/admin/sign-in', { form: { csrf: formCsrf!, email: 'to.disable@example.org', password: STAFF_PASSWORD } });
  assert.equal(refused.status, 401);
  assert.match(await refused.text(), /The email or the password is not right\./);
  const link = await b.request(`/admin/users/${id}/link`, { form: { csrf } });
  assert.equal(link.status, 409);
  assert.match(await link.text(), /Enable to\.disable@example\.org again before giving a new link\./);
  assert.equal((await b.page('/admin/users')).html.includes(`action="/admin/users/${id}/enable"`), true);
  assert.deepEqual(await lastAudit('user_disabled', 'to.disable@example.org'), { email: 'to.disable@example.org', address: '192.0.2.10', detail: 'by=boss@example.org' });
  assert.equal((await b.request(`/admin/users/${id}/enable`, { form: { csrf } })).status, 303);
  await signedIn('to.disable@example.org', new Browser('192.0.2.33'));
  // The reset: a new link from the page; the old password works until it is used.
  const reset = await b.request(`/admin/users/${id}/link`, { form: { csrf } });
  assert.equal(reset.status, 200);
  assert.match(await reset.text(), /Link for to\.disable@example\.org/);
  await signedIn('to.disable@example.org', new Browser('192.0.2.34'));
});

test('every other role gets 403 on every page and form of /admin/users and /admin/audit, and nothing changes; their home has no links to them', async () => {
  const target = await idOf('boss@example.org');
  for (const role of ['editor', 'author', 'translator', 'reviewer']) {
    await userWithPassword(`${role}.role@example.org`, role);
    const { b, csrf } = await signedIn(`${role}.role@example.org`);
    const home = await b.page('/admin');
    assert.equal(/href="\/admin\/(users|audit)"/.test(home.html), false, `${role}: no link`);
    const before = await state();
    for (const path of ['/admin/users', '/admin/audit', '/admin/audit?page=2&action=sign_in']) assert.equal((await b.page(path)).r.status, 403, `${role} GET ${path}`);
    const posts: [string, Record<string, string>][] = [
      ['/admin/users', { email: `made.by.${role}@example.org`, role: 'admin' }],
      [`/admin/users/${target}/role`, { role: 'reviewer' }],
      [`/admin/users/${target}/disable`, {}],
      [`/admin/users/${target}/enable`, {}],
      [`/admin/users/${target}/link`, {}],
      [`/admin/users/${translatorId}/locales`, { locales: 'de' }],
    ];
    for (const [path, form] of posts) {
      const r = await b.request(path, { form: { csrf, ...form } });
      assert.equal(r.status, 403, `${role} POST ${path}`);
      assert.match(await r.text(), /Your role does not give access to this\./);
    }
    assert.deepEqual(await state(), before, `${role}: nothing changed`);
  }
  // Signed out: the pages ask to sign in, the forms are refused.
  const anon = new Browser();
  assert.equal((await anon.request('/admin/users')).headers.get('location'), '/admin/sign-in');
  assert.equal((await anon.request('/admin/audit')).headers.get('location'), '/admin/sign-in');
  assert.equal((await anon.request('/admin/users', { form: { email: 'x@example.org', role: 'admin' } })).status, 403);
  // The admin's home links to both.
  const admin = await signedIn('boss@example.org');
  const home = await admin.b.page('/admin');
  assert.match(home.html, /<a href="\/admin\/users">Staff accounts<\/a>/);
  assert.match(home.html, /<a href="\/admin\/audit">Audit log<\/a>/);
});

test('CSRF: every new form is refused without its token, with another session’s, or from another origin, and nothing changes', async () => {
  const target = await idOf('new.editor@example.org');
  const { b, csrf } = await signedIn('boss@example.org');
  const { csrf: otherCsrf } = await signedIn('boss@example.org', new Browser('192.0.2.40'));
  const posts: [string, Record<string, string>][] = [
    ['/admin/users', { email: 'csrf.made@example.org', role: 'admin' }],
    [`/admin/users/${target}/role`, { role: 'admin' }],
    [`/admin/users/${target}/disable`, {}],
    [`/admin/users/${target}/enable`, {}],
    [`/admin/users/${target}/link`, {}],
    [`/admin/users/${translatorId}/locales`, { locales: 'de' }],
  ];
  const before = await state();
  for (const [path, form] of posts) {
    const cases: [string, Record<string, string>, Record<string, string>][] = [
      ['no token', form, {}],
      ['another session’s token', { ...form, csrf: otherCsrf }, {}],
      ['cross-site', { ...form, csrf }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['same-site sibling', { ...form, csrf }, { origin: 'https://evil.example.org', 'sec-fetch-site': 'same-site' }],
      ['Origin: null', { ...form, csrf }, { origin: 'null', 'sec-fetch-site': '' }],
      ['nothing said', { ...form, csrf }, { origin: '', 'sec-fetch-site': '' }],
    ];
    for (const [label, body, headers] of cases) {
      const r = await b.request(path, { form: body, headers });
      assert.equal(r.status, 403, `${path}: ${label}`);
    }
  }
  assert.deepEqual(await state(), before);
});

test('the audit page: newest first, 50 a page with newer/older links, filters by action and user, time in the admin’s language with UTC', async () => {
  const { b } = await signedIn('boss@example.org');
  const base = Date.parse('2026-02-01T00:00:00.000Z');
  const rows = Array.from({ length: 120 }, (_, i) => ({
    id: `page-test-${String(i).padStart(3, '0')}`, at: new Date(base + i * 60_000).toISOString(), event: i % 2 ? 'sign_out' : 'session_revoked',
    user_id: null, email: i % 3 ? 'pager@example.org' : 'other.pager@example.org', address: '198.51.100.7', detail: null,
  }));
  await db.insertInto('audit_log').values(rows).execute();
  const all = await b.page('/admin/audit');
  assert.equal(all.r.status, 200);
  assert.equal(all.r.headers.get('cache-control'), 'no-store');
  const filtered = await b.page('/admin/audit?action=sign_out&user=Pager@example.org');
  const times = [...filtered.html.matchAll(/<time datetime="([^"]+)">/g)].map((m) => m[1]!);
  const expected = rows.filter((r) => r.event === 'sign_out' && r.email === 'pager@example.org').map((r) => r.at).reverse();
  assert.equal(expected.length, 40);
  assert.deepEqual(times, expected, 'newest first, only that action and user');
  const oneUser = await b.page('/admin/audit?user=other.pager%40example.org');
  assert.equal([...oneUser.html.matchAll(/<time /g)].length, 40);
  // Paging: 60 sign-outs → 50 then 10.
  const p1 = await b.page('/admin/audit?action=sign_out');
  assert.equal([...p1.html.matchAll(/<time /g)].length, 50);
  assert.match(p1.html, /<a href="\/admin\/audit\?action=sign_out&amp;page=2" rel="next">Older entries<\/a>/);
  assert.equal(p1.html.includes('rel="prev"'), false);
  const p2 = await b.page('/admin/audit?action=sign_out&page=2');
  assert.equal([...p2.html.matchAll(/<time /g)].length, 10);
  assert.match(p2.html, /<a href="\/admin\/audit\?action=sign_out" rel="prev">Newer entries<\/a>/);
  assert.equal(p2.html.includes('rel="next"'), false);
  // Bad filters are ignored, never a 500.
  for (const q of ['?page=-3', '?page=abc', '?action=drop%20table', '?user=%3Cscript%3E', '?page=99999999999']) assert.equal((await b.page(`/admin/audit${q}`)).r.status, 200, q);
  // The time in the admin's language, the zone said.
  const fr = await signedIn('boss@example.org', new Browser('192.0.2.12', undefined, 'fr-FR'));
  const frPage = await fr.b.page('/admin/audit?action=sign_out&page=2');
  assert.match(frPage.html, /<time datetime="2026-02-01T00:19:00.000Z">1 févr. 2026, 00:19:00 UTC<\/time>/);
  assert.match(frPage.html, /<td data-label="Action">s’est déconnecté<\/td>/);
  const de = await signedIn('boss@example.org', new Browser('192.0.2.13', undefined, 'de-DE'));
  assert.match((await de.b.page('/admin/audit?action=sign_out&page=2')).html, />01\.02\.2026, 00:19:00 UTC</);
});

test('script-like emails and user agents are shown as text in the audit and users pages', async () => {
  const email = `o'brien+x--><img-src@example.org`;
  const zodEmail = `o'brien+q@example.org`;
  const ua = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  await userWithPassword(zodEmail, 'author');
  await signedIn(zodEmail, new Browser('192.0.2.50', ua));
  const failed = new Browser('192.0.2.51', `"><svg onload=alert(3)>`);
  const { csrf } = await failed.page('/admin/sign-in');
  await failed.request('/admin/sign-in', { form: { csrf: csrf!, email: zodEmail, password: 'not the password at all' } });
  const { b, csrf: adminCsrf } = await signedIn('boss@example.org');
  const bad = await b.request('/admin/users', { form: { csrf: adminCsrf, email, role: 'editor' } });
  assert.equal(bad.status, 400, 'zod refuses it');
  assert.equal((await bad.text()).includes('<img-src'), false, 'the echoed value is escaped');
  // That user's entries only: the clock stands still in these tests, so all entries share one instant and page 1 of the whole log could be anyone's.
  const page = await b.page(`/admin/audit?user=${encodeURIComponent(zodEmail)}`);
  assert.equal(page.html.includes('<script>alert'), false);
  assert.equal(page.html.includes('<svg'), false);
  assert.match(page.html, /browser: &lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x onerror=alert\(2\)&gt;/);
  assert.match(page.html, /o&#39;brien\+q@example\.org|o'brien\+q@example\.org/);
  assert.equal((await b.page('/admin/users')).html.includes(`<td data-label="Email">o'brien+q@example.org`) || (await b.page('/admin/users')).html.includes('o&#39;brien+q@example.org'), true);
});

test('throttled sign-ins fold into one row per address and minute, with a count', async () => {
  const at = (s: number) => new Date(Date.parse('2026-03-05T10:00:00.000Z') + s * 1000);
  await Promise.all(Array.from({ length: 12 }, () => auditThrottled(db, at(5), 'victim@example.org', '203.0.113.77')));
  for (let i = 0; i < 8; i++) await auditThrottled(db, at(10 + i), `guess${i}@example.org`, '203.0.113.77');
  await auditThrottled(db, at(61), 'victim@example.org', '203.0.113.77');
  await auditThrottled(db, at(61), 'victim@example.org', '203.0.113.78');
  const rows = await db.selectFrom('audit_log').select(['at', 'address', 'detail']).where('event', '=', 'sign_in_throttled').where('address', 'like', '203.0.113.7%').orderBy('at').orderBy('address').execute();
  assert.deepEqual(rows.map((r) => [r.at, r.address, r.detail]), [
    ['2026-03-05T10:00:05.000Z', '203.0.113.77', 'count=20'],
    ['2026-03-05T10:01:01.000Z', '203.0.113.77', 'count=1'],
    ['2026-03-05T10:01:01.000Z', '203.0.113.78', 'count=1'],
  ]);
  // Through sign-in: an account blocked, then hammered from one address, adds one row.
  await userWithPassword('hammered@example.org', 'editor');
  const t0 = Date.parse('2026-03-06T10:00:00.000Z');
  for (let i = 0; i < 5; i++) await signIn(db, new Date(t0 + i), { email: 'hammered@example.org', password: 'wrong wrong wrong', address: '203.0.113.90' });
  for (let i = 0; i < 40; i++) await signIn(db, new Date(t0 + 100 + i), { email: 'hammered@example.org', password: 'wrong wrong wrong', address: '203.0.113.90' });
  const folded = await db.selectFrom('audit_log').select('detail').where('event', '=', 'sign_in_throttled').where('address', '=', '203.0.113.90').execute();
  assert.deepEqual(folded, [{ detail: 'count=40' }]);
  const { b } = await signedIn('boss@example.org');
  assert.match((await b.page('/admin/audit?action=sign_in_throttled')).html, /40 tries this minute/);
});

test('pruning deletes what is older than the retention period, in batches, at start and then on its timer (injected clock)', async () => {
  const t = Date.parse('2026-12-01T12:00:00.000Z');
  const day = 24 * 60 * 60_000;
  const old = Array.from({ length: 1234 }, (_, i) => ({ id: `old-${i}`, at: new Date(t - (AUDIT_RETENTION_DAYS + 1) * day - i * 1000).toISOString(), event: 'sign_out', user_id: null, email: 'old@example.org', address: null, detail: null }));
  for (let i = 0; i < old.length; i += 300) await db.insertInto('audit_log').values(old.slice(i, i + 300)).execute();
  await db.insertInto('audit_log').values({ id: 'kept-edge', at: new Date(t - AUDIT_RETENTION_DAYS * day + 1000).toISOString(), event: 'sign_out', user_id: null, email: 'old@example.org', address: null, detail: null }).execute();
  const left = async () => (await db.selectFrom('audit_log').select('id').where('email', '=', 'old@example.org').execute()).map((r) => r.id);
  // The event loop keeps turning while it prunes.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  assert.equal(await pruneAudit(db, new Date(t)), 1234);
  clearInterval(timer);
  assert.ok(ticks > 0, 'the event loop turned during the prune');
  assert.deepEqual(await left(), ['kept-edge']);
  // The scheduler: prunes at once with the clock it is given, then again when its timer fires.
  let clockNow = t;
  const lines: string[] = [];
  const stop = startAuditPruning({ db, now: () => new Date(clockNow), everyMs: 30, log: (l) => lines.push(l) });
  try {
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(await left(), ['kept-edge'], 'at start: nothing more is old enough');
    clockNow = t + 2 * day;
    await new Promise((r) => setTimeout(r, 80));
  } finally {
    await stop();
  }
  assert.deepEqual(await left(), [], 'a day later the edge entry is gone');
  assert.ok(lines.some((l) => /1 entries older than 365 days deleted/.test(l)), lines.join('\n'));
});

const noJava = javaMissing('STAFF PAGES HTML VALIDATION');

test('the Nu Html Checker finds no error in the staff and audit pages, with a link, with errors, paged', { skip: noJava }, async () => {
  const { b, csrf } = await signedIn('boss@example.org');
  const id = await idOf('new.editor@example.org');
  const pages: [string, string][] = [
    ['users', (await b.page('/admin/users?done=role&email=new.editor%40example.org')).html],
    ['users with a link', await (await b.request(`/admin/users/${id}/link`, { form: { csrf } })).text()],
    ['users with errors', await (await b.request('/admin/users', { form: { csrf, email: 'nope', role: 'nope' } })).text()],
    ['users with a row error', await (await b.request(`/admin/users/${adminId}/role`, { form: { csrf, role: 'nope' } })).text()],
    ['audit', (await b.page('/admin/audit')).html],
    ['audit page 2 filtered', (await b.page('/admin/audit?action=sign_out&page=2')).html],
    ['audit empty', (await b.page('/admin/audit?user=nobody%40example.org')).html],
    ['home of an admin', (await b.page('/admin')).html],
  ];
  assert.deepEqual(vnuErrors(pages, await (await app.request(assets.adminCss)).text()), []);
});
