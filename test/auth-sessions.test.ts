import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../src/db/connection.ts';
import { addUserOrLink, setPasswordWithLink } from '../src/modules/auth/users.service.ts';
import { openSessions, revokeSession, sessionOf, signIn, signOut, summariseUserAgent, SESSION_IDLE_MS, SESSION_MAX_MS } from '../src/modules/auth/sessions.service.ts';
import { delayAfter, THROTTLE } from '../src/modules/auth/throttle.ts';
import { auditEntries } from '../src/modules/auth/audit.ts';
import { digest } from '../src/modules/auth/tokens.ts';
import { memoryDb } from './harness.ts';

// Sign-in, sessions and throttling (decision 0021), with an injected clock:
// nothing here sleeps.

const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const PASSWORD = 'Drôme-pont-de-1944';
const EMAIL = 'curator@example.org';

async function withUser(f: (db: Db) => Promise<void>): Promise<void> {
  const db = await memoryDb();
  try {
    const link = await addUserOrLink(db, at(0), EMAIL, 'editor');
    assert.equal((await setPasswordWithLink(db, at(0), link.token, PASSWORD)).ok, true);
    await f(db);
  } finally {
    await db.destroy();
  }
}

test('sign-in: the right password opens a session; wrong password, unknown email or no password yet give the same answer, audited', () => withUser(async (db) => {
  const ok = await signIn(db, at(1), { email: ' Curator@Example.org', password: PASSWORD, address: '192.0.2.1', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0' });
  assert.equal(ok.ok, true);
  if (!ok.ok) return;
  assert.equal(ok.user.email, EMAIL);
  const rows = await db.selectFrom('staff_session').selectAll().execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.id_hash, digest(ok.token));
  assert.ok(!JSON.stringify(rows).includes(ok.token), 'the token is never stored');
  assert.equal(rows[0]!.user_agent, 'Firefox, Linux');
  const wrong = await signIn(db, at(2), { email: EMAIL, password: `${PASSWORD}x`, address: '192.0.2.1' });
  const unknown = await signIn(db, at(3), { email: 'nobody@example.org', password: PASSWORD, address: '192.0.2.1' });
  await addUserOrLink(db, at(3), 'new@example.org', 'author');
  const noPassword = await signIn(db, at(4), { email: 'new@example.org', password: '', address: '192.0.2.1' });
  assert.deepEqual([wrong, unknown, noPassword], [{ ok: false, reason: 'invalid' }, { ok: false, reason: 'invalid' }, { ok: false, reason: 'invalid' }]);
  await db.updateTable('staff_user').set({ disabled: 1 }).where('email', '=', EMAIL).execute();
  assert.deepEqual(await signIn(db, at(5), { email: EMAIL, password: PASSWORD, address: '192.0.2.1' }), { ok: false, reason: 'invalid' }, 'a disabled user');
  assert.equal(await sessionOf(db, at(5), ok.token), undefined, 'a disabled user\'s session no longer opens anything');
  const events = (await auditEntries(db)).filter((e) => e.event.startsWith('sign_in')).map((e) => `${e.event} ${e.email} ${e.address}`);
  assert.deepEqual(events.sort(), [
    `sign_in ${EMAIL} 192.0.2.1`,
    `sign_in_failed ${EMAIL} 192.0.2.1`, `sign_in_failed ${EMAIL} 192.0.2.1`,
    'sign_in_failed new@example.org 192.0.2.1', 'sign_in_failed nobody@example.org 192.0.2.1',
  ]);
}));

test('an unknown email costs an Argon2 verification too (no enumeration by timing)', () => withUser(async (db) => {
  await signIn(db, at(0), { email: 'warm@example.org', password: 'x', address: '192.0.2.7' }); // the decoy is hashed once
  const time = async (email: string) => {
    const t = performance.now();
    await signIn(db, at(0), { email, password: 'not the password', address: '192.0.2.8' });
    return performance.now() - t;
  };
  const known = await time(EMAIL);
  const unknown = await time('nobody@example.org');
  assert.ok(unknown > known / 3, `unknown ${unknown.toFixed(1)} ms, known ${known.toFixed(1)} ms`);
}));

test('throttling: per account after 5 failures, delays doubling; per address after 20; refused without checking the password', () => withUser(async (db) => {
  assert.deepEqual([4, 5, 6, 7, 40].map((n) => delayAfter(THROTTLE.account, n)), [0, 1000, 2000, 4000, 15 * 60_000]);
  let t = 0;
  for (let i = 0; i < 5; i++) assert.deepEqual(await signIn(db, at(t += 10), { email: EMAIL, password: 'wrong password!', address: `198.51.100.${i}` }), { ok: false, reason: 'invalid' });
  // The fifth failure asks for a second: the right password is refused meanwhile, from any address.
  const held = await signIn(db, at(t + 500), { email: EMAIL, password: PASSWORD, address: '198.51.100.200' });
  assert.equal(held.ok === false && held.reason, 'throttled');
  assert.equal(!held.ok && held.reason === 'throttled' && held.waitMs, 500);
  // Once the second has passed, a failure asks for two seconds.
  assert.equal((await signIn(db, at(t += 1000), { email: EMAIL, password: 'wrong again!', address: '198.51.100.9' })).ok, false);
  const held2 = await signIn(db, at(t + 1999), { email: EMAIL, password: PASSWORD, address: '198.51.100.9' });
  assert.equal(!held2.ok && held2.reason, 'throttled');
  // After it, the right password works, and the account's count is forgotten.
  assert.equal((await signIn(db, at(t += 2000), { email: EMAIL, password: PASSWORD, address: '198.51.100.9' })).ok, true);
  assert.equal((await db.selectFrom('auth_throttle').select('key').where('key', '=', `account:${EMAIL}`).execute()).length, 0);
  // One address trying many accounts.
  for (let i = 0; i < 20; i++) await signIn(db, at(t += 10), { email: `guess${i}@example.org`, password: 'whatever-it-is', address: '203.0.113.5' });
  const byAddress = await signIn(db, at(t + 10), { email: EMAIL, password: PASSWORD, address: '203.0.113.5' });
  assert.equal(!byAddress.ok && byAddress.reason, 'throttled');
  assert.equal((await signIn(db, at(t + 10), { email: EMAIL, password: PASSWORD, address: '203.0.113.6' })).ok, true, 'another address is not held');
  assert.ok((await auditEntries(db, 500)).some((e) => e.event === 'sign_in_throttled' && e.address === '203.0.113.5'));
  // An hour without failures forgets an address's count.
  await signIn(db, at(t += 60 * 60_000 + 20_000), { email: 'guess@example.org', password: 'whatever-it-is', address: '203.0.113.5' });
  assert.equal((await signIn(db, at(t + 10), { email: EMAIL, password: PASSWORD, address: '203.0.113.5' })).ok, true);
}));

test('throttling holds against a burst: 20 simultaneous wrong tries, 5 are checked, 15 refused unchecked', () => withUser(async (db) => {
  const tries = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(db, at(0), { email: EMAIL, password: `wrong ${i} wrong`, address: `198.51.100.${i}` })));
  assert.deepEqual([tries.filter((r) => !r.ok && r.reason === 'invalid').length, tries.filter((r) => !r.ok && r.reason === 'throttled').length], [5, 15]);
  const events = (await auditEntries(db, 100)).map((e) => e.event);
  assert.deepEqual([events.filter((e) => e === 'sign_in_failed').length, events.filter((e) => e === 'sign_in_throttled').length], [5, 15]);
  // The refused tries were not counted: the wait is the fifth failure's, one second.
  const next = await signIn(db, at(999), { email: EMAIL, password: PASSWORD, address: '198.51.100.99' });
  assert.equal(!next.ok && next.reason === 'throttled' && next.waitMs, 1);
  assert.equal((await signIn(db, at(1000), { email: EMAIL, password: PASSWORD, address: '198.51.100.99' })).ok, true);
}));

test('a blocked address trying an account does not lengthen its block; a new password through a link unlocks the account', () => withUser(async (db) => {
  // One address tries twenty accounts: it is blocked.
  let t = 0;
  for (let i = 0; i < 21; i++) await signIn(db, at(t += 10), { email: `guess${i}@example.org`, password: 'whatever-it-is', address: '203.0.113.7' });
  const account = async () => (await db.selectFrom('auth_throttle').selectAll().where('key', '=', `account:${EMAIL}`).executeTakeFirst());
  // From that blocked address, tries at the curator's account are refused and change nothing of it.
  for (let i = 0; i < 10; i++) {
    const r = await signIn(db, at(t += 10), { email: EMAIL, password: 'wrong password!', address: '203.0.113.7' });
    assert.equal(!r.ok && r.reason, 'throttled');
  }
  assert.equal(await account(), undefined, 'the account has no count: its owner signs in from elsewhere');
  assert.equal((await signIn(db, at(t += 10), { email: EMAIL, password: PASSWORD, address: '198.51.100.1' })).ok, true);
  // Someone guessing from many addresses keeps the account blocked; a link the admin issues unlocks it once used.
  for (let i = 0; i < 12; i++) await signIn(db, at(t += 10), { email: EMAIL, password: 'wrong password!', address: `192.0.2.${i}` });
  assert.ok((await account())!.blocked_until > at(t).toISOString());
  const link = await addUserOrLink(db, at(t), EMAIL, 'editor');
  assert.equal((await setPasswordWithLink(db, at(t += 10), link.token, 'Un-autre-mot-de-passe-1944')).ok, true);
  assert.equal(await account(), undefined);
  assert.equal((await signIn(db, at(t + 10), { email: EMAIL, password: 'Un-autre-mot-de-passe-1944', address: '198.51.100.1' })).ok, true);
}));

test('sessions expire after 12 h idle or 30 days in all; use keeps one alive until the limit', () => withUser(async (db) => {
  const s = await signIn(db, at(0), { email: EMAIL, password: PASSWORD, address: '192.0.2.1' });
  assert.ok(s.ok);
  if (!s.ok) return;
  assert.ok(await sessionOf(db, at(SESSION_IDLE_MS - 1), s.token));
  assert.equal(await sessionOf(db, at(2 * SESSION_IDLE_MS), s.token), undefined, 'idle since the last use');
  const s2 = await signIn(db, at(0), { email: EMAIL, password: PASSWORD, address: '192.0.2.1' });
  if (!s2.ok) return assert.fail();
  for (let t = 0; t < SESSION_MAX_MS; t += SESSION_IDLE_MS / 2) assert.ok(await sessionOf(db, at(t), s2.token), `alive at ${t}`);
  assert.equal(await sessionOf(db, at(SESSION_MAX_MS), s2.token), undefined, 'at most 30 days');
  assert.equal(await sessionOf(db, at(0), 'x'.repeat(43)), undefined);
  assert.equal(await sessionOf(db, at(0), digest(s2.token)), undefined, 'the stored digest is not a token');
}));

test('revoke one session (only one\'s own), sign out, sign out everywhere', () => withUser(async (db) => {
  const open = async () => {
    const r = await signIn(db, at(0), { email: EMAIL, password: PASSWORD, address: '192.0.2.1' });
    if (!r.ok) throw new Error('sign-in');
    return r.token;
  };
  const [a, b, c, d] = [await open(), await open(), await open(), await open()];
  const sa = (await sessionOf(db, at(0), a))!;
  assert.equal((await openSessions(db, at(0), sa.user.id, sa.id)).length, 4);
  assert.equal((await openSessions(db, at(0), sa.user.id, sa.id)).filter((s) => s.current).length, 1);
  const other = await addUserOrLink(db, at(0), 'other@example.org', 'author');
  await setPasswordWithLink(db, at(0), other.token, PASSWORD);
  const o = await signIn(db, at(0), { email: 'other@example.org', password: PASSWORD, address: '192.0.2.1' });
  if (!o.ok) return assert.fail();
  assert.equal(await revokeSession(db, at(1), sa.user, digest(o.token)), false, "another user's session");
  assert.ok(await sessionOf(db, at(1), o.token));
  assert.equal(await revokeSession(db, at(1), sa.user, digest(b)), true);
  assert.equal(await sessionOf(db, at(1), b), undefined);
  await signOut(db, at(2), sa, false);
  assert.equal(await sessionOf(db, at(2), a), undefined);
  assert.ok(await sessionOf(db, at(2), c));
  await signOut(db, at(3), (await sessionOf(db, at(3), c))!, true);
  assert.equal(await sessionOf(db, at(3), c), undefined);
  assert.equal(await sessionOf(db, at(3), d), undefined);
  assert.ok(await sessionOf(db, at(3), o.token), "the other user's session stays open");
  assert.deepEqual((await auditEntries(db)).filter((e) => /^(sign_out|session)/.test(e.event)).map((e) => e.event).sort(), ['session_revoked', 'sign_out', 'sign_out_everywhere']);
}));

test('user agent summary: browser and system, or the start of the header without control characters', () => {
  assert.equal(summariseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1'), 'Safari, iOS');
  assert.equal(summariseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0'), 'Edge, Windows');
  assert.equal(summariseUserAgent('<script>alert(1)</script>\u0000\u202e'), '<script>alert(1)</script>');
  assert.equal(summariseUserAgent('x'.repeat(500))?.length, 120);
  assert.equal(summariseUserAgent(undefined), null);
});
