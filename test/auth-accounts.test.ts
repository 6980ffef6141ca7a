import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { hashPassword, passwordProblem, verifyPassword, ARGON2_PARAMS } from '../src/modules/auth/password.ts';
import { can, ROLES, type Action, type Role } from '../src/modules/auth/policy.ts';
import { addUserOrLink, setPasswordWithLink, userOfPasswordLink, PASSWORD_LINK_MS } from '../src/modules/auth/users.service.ts';
import { auditEntries } from '../src/modules/auth/audit.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';
import { backupToFile } from '../src/modules/backup/backup.write.ts';
import { restoreFile } from '../src/modules/backup/backup.restore.ts';
import { signIn } from '../src/modules/auth/sessions.service.ts';
import { digest } from '../src/modules/auth/tokens.ts';
import { FIXTURE, memoryDb, testStore, runCli } from './harness.ts';
import { isAppError } from '../src/shared/errors.ts';

// Staff accounts, the foundation (issue 16, decision 0021): hashing, the
// password rules, the policy, the CLI that makes the first admin, and the
// tables' place beside the content (import never touches them, backup keeps
// users and the audit log).

const dir = mkdtempSync(join(tmpdir(), 'parcours-auth-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = new Date('2026-03-01T09:00:00.000Z');
const GOOD = 'Drôme-pont-de-1944';

test('Argon2id: OWASP parameters, a PHC string with a fresh salt, verified; a wrong or malformed hash never matches', async () => {
  const h = await hashPassword(GOOD);
  assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.deepEqual(ARGON2_PARAMS, { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 });
  assert.notEqual(await hashPassword(GOOD), h, 'a new salt each time');
  assert.equal(await verifyPassword(GOOD, h), true);
  assert.equal(await verifyPassword(`${GOOD} `, h), false);
  // One character of the tag changed (its first: the last one's low bits are padding).
  const tag = h.lastIndexOf('$') + 1;
  assert.equal(await verifyPassword(GOOD, `${h.slice(0, tag)}${h[tag] === 'A' ? 'B' : 'A'}${h.slice(tag + 1)}`), false);
  assert.equal(await verifyPassword(GOOD, 'plain text'), false);
  assert.equal(await verifyPassword(GOOD, h.replace('argon2id', 'argon2i')), false);
  // The same text composed or decomposed is the same password.
  assert.equal(await verifyPassword(GOOD.normalize('NFD'), h), true);
});

test('hashing does not block the event loop', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  await Promise.all([hashPassword(GOOD), hashPassword(GOOD)]);
  clearInterval(timer);
  assert.ok(ticks >= 5, `the loop ran ${ticks} times while hashing`);
});

test('password rules: at least 12 characters, at most 256, not a common password (padded or not), not the email', () => {
  const email = 'claire.martin@musee.example.org';
  assert.equal(passwordProblem('short-pass1', email), 'too_short');
  assert.equal(passwordProblem('ééééééééééé', email), 'too_short', 'characters, not bytes');
  assert.equal(passwordProblem('x'.repeat(257), email), 'too_long');
  assert.equal(passwordProblem('1qaz2wsx3edc', email), 'common');
  assert.equal(passwordProblem('LeaveMeAlone', email), 'common', 'whatever the case');
  assert.equal(passwordProblem('123456654321', email), 'common');
  assert.equal(passwordProblem('Password1234', email), 'common', 'a common word with digits after it');
  assert.equal(passwordProblem('iloveyou!!!!!!', email), 'common');
  assert.equal(passwordProblem('xx-Claire.Martin-2026', email), 'contains_email');
  assert.equal(passwordProblem(`${email}!`, email), 'contains_email');
  assert.equal(passwordProblem(GOOD, email), undefined);
  assert.equal(passwordProblem('pont suspendu de Livron', email), undefined);
});

test('policy: every role sees the admin home and its own sessions; only an admin manages users; disabled or unknown: nothing', () => {
  const actions: Action[] = ['admin.home', 'session.manage', 'user.manage', 'audit.read'];
  const expected: Record<Role, Action[]> = {
    admin: ['admin.home', 'session.manage', 'user.manage', 'audit.read'],
    editor: ['admin.home', 'session.manage'],
    author: ['admin.home', 'session.manage'],
    translator: ['admin.home', 'session.manage'],
    reviewer: ['admin.home', 'session.manage'],
  };
  for (const role of ROLES) {
    const user = { id: 'u1', role, disabled: false };
    assert.deepEqual(actions.filter((a) => can(user, a)), expected[role], role);
    assert.equal(can({ ...user, disabled: true }, 'admin.home'), false, `${role} disabled`);
    assert.equal(can(user, 'session.manage', { userId: 'u1' }), true);
    assert.equal(can(user, 'session.manage', { userId: 'u2' }), false, `${role}: another user's sessions`);
  }
  assert.equal(can(undefined, 'admin.home'), false);
  assert.equal(can({ id: 'u', role: 'superuser' as Role, disabled: false }, 'admin.home'), false);
});

test('users: email normalised and unique, link single-use and 24 h, a new link voids the old one, the set password ends sessions', async () => {
  const db = await memoryDb();
  try {
    const a = await addUserOrLink(db, T0, '  Claire.Martin@Musee.Example.org ', 'admin');
    assert.equal(a.created, true);
    assert.equal(a.user.email, 'claire.martin@musee.example.org');
    assert.equal(a.expiresAt.getTime() - T0.getTime(), PASSWORD_LINK_MS);
    const stored = await db.selectFrom('staff_password_token').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.token_hash, digest(a.token), 'the digest is stored, never the token');
    assert.ok(!JSON.stringify(stored).includes(a.token));
    // The same person, written otherwise: a new link, not a second user.
    const b = await addUserOrLink(db, T0, 'CLAIRE.MARTIN@musee.example.org', 'admin');
    assert.equal(b.created, false);
    assert.equal(b.user.id, a.user.id);
    assert.equal(await userOfPasswordLink(db, T0, a.token), undefined, 'the earlier link is void');
    assert.equal((await userOfPasswordLink(db, T0, b.token))?.id, a.user.id);
    assert.equal(await userOfPasswordLink(db, new Date(T0.getTime() + PASSWORD_LINK_MS), b.token), undefined, 'expired after 24 h');
    assert.deepEqual(await setPasswordWithLink(db, T0, b.token, 'password1234'), { ok: false, problem: 'common' });
    const set = await setPasswordWithLink(db, T0, b.token, GOOD);
    assert.equal(set.ok, true);
    assert.deepEqual(await setPasswordWithLink(db, T0, b.token, `${GOOD}!`), { ok: false, problem: 'link_invalid' }, 'used once');
    const signed = await signIn(db, T0, { email: 'claire.martin@musee.example.org', password: GOOD, address: '192.0.2.1' });
    assert.equal(signed.ok, true);
    // A reset: the new password ends the sessions opened with the old one.
    const reset = await addUserOrLink(db, T0, 'claire.martin@musee.example.org', 'admin');
    assert.equal((await setPasswordWithLink(db, T0, reset.token, `${GOOD}-2`)).ok, true);
    const open = await db.selectFrom('staff_session').select('revoked_at').execute();
    assert.ok(open.every((s) => s.revoked_at !== null));
    assert.deepEqual((await auditEntries(db)).map((e) => e.event).sort(), ['password_link', 'password_link', 'password_link', 'password_set', 'password_set', 'sign_in', 'user_created']);
    for (const [email, role] of [['not-an-email', 'admin'], ['"><img src=x onerror=alert(1)>@example.org', 'admin'], ['x@example.org', 'root']]) {
      await assert.rejects(addUserOrLink(db, T0, email!, role!), (e) => isAppError(e, 'bad_request'));
    }
    await assert.rejects(addUserOrLink(db, T0, 'claire.martin@musee.example.org', 'editor'), /already a user, with the role admin/);
  } finally {
    await db.destroy();
  }
});

test('a bundle import replaces the content and leaves users, sessions and the audit log as they were', async () => {
  const db = await memoryDb();
  try {
    const link = await addUserOrLink(db, T0, 'curator@example.org', 'editor');
    await setPasswordWithLink(db, T0, link.token, GOOD);
    await signIn(db, T0, { email: 'curator@example.org', password: GOOD, address: '192.0.2.1' });
    const before = await Promise.all(['staff_user', 'staff_session', 'staff_password_token', 'audit_log'].map((t) => db.selectFrom(t as 'staff_user').selectAll().execute()));
    await importBundle(db, FIXTURE, testStore());
    await importBundle(db, FIXTURE, testStore());
    const afterImport = await Promise.all(['staff_user', 'staff_session', 'staff_password_token', 'audit_log'].map((t) => db.selectFrom(t as 'staff_user').selectAll().execute()));
    assert.deepEqual(afterImport, before);
  } finally {
    await db.destroy();
  }
});

test('backup keeps users and the audit log; restore brings them back and signs everyone out', async () => {
  const db = await memoryDb();
  const target = await memoryDb();
  try {
    await importBundle(db, FIXTURE, testStore());
    const link = await addUserOrLink(db, T0, 'curator@example.org', 'admin');
    await setPasswordWithLink(db, T0, link.token, GOOD);
    assert.equal((await signIn(db, T0, { email: 'curator@example.org', password: GOOD, address: '192.0.2.1' })).ok, true);
    const file = join(dir, 'with-users.tgz');
    await backupToFile(db, testStore(), file);
    // The target had its own session and pending link: they go.
    const other = await addUserOrLink(target, T0, 'someone@example.org', 'admin');
    await setPasswordWithLink(target, T0, other.token, GOOD);
    await signIn(target, T0, { email: 'someone@example.org', password: GOOD, address: '192.0.2.9' });
    await addUserOrLink(target, T0, 'someone@example.org', 'admin');
    await restoreFile(target, testStore(), file);
    assert.deepEqual(await target.selectFrom('staff_user').selectAll().execute(), await db.selectFrom('staff_user').selectAll().execute());
    assert.deepEqual(await target.selectFrom('audit_log').selectAll().orderBy('id').execute(), await db.selectFrom('audit_log').selectAll().orderBy('id').execute());
    for (const t of ['staff_session', 'staff_password_token', 'auth_throttle'] as const) {
      assert.equal((await target.selectFrom(t).selectAll().execute()).length, 0, `${t} is emptied by a restore`);
    }
    // The restored password works on the target.
    assert.equal((await signIn(target, T0, { email: 'curator@example.org', password: GOOD, address: '192.0.2.1' })).ok, true);
  } finally {
    await db.destroy();
    await target.destroy();
  }
});

const cli = runCli;

test('parcours user add: creates the user and prints PUBLIC_URL/admin/password/<token>; again: a new link; bad input: one line, exit 1', async () => {
  const database = join(dir, 'cli.db');
  const env = { DATABASE_URL: database, PUBLIC_URL: 'https://visite.example.org/' };
  const first = await cli(['user', 'add', '--role', 'admin', 'Admin@Example.org'], env);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^Created the admin admin@example\.org\.\n/);
  const token = /https:\/\/visite\.example\.org\/admin\/password\/([A-Za-z0-9_-]{43})\n/.exec(first.out)?.[1];
  assert.ok(token, first.out);
  const again = await cli(['user', 'add', '--role', 'admin', 'admin@example.org'], env);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /already a user \(admin\): this is a new link/);
  const token2 = /\/admin\/password\/([A-Za-z0-9_-]{43})\n/.exec(again.out)?.[1];
  const db = openDatabase(database);
  try {
    assert.equal(await userOfPasswordLink(db, new Date(), token), undefined);
    assert.equal((await userOfPasswordLink(db, new Date(), token2!))?.email, 'admin@example.org');
  } finally {
    await db.destroy();
  }
  const badEmail = await cli(['user', 'add', '--role', 'admin', 'admin@'], env);
  assert.deepEqual([badEmail.code, badEmail.err], [1, 'parcours: "admin@" is not an email address.\n']);
  const badRole = await cli(['user', 'add', '--role', 'boss', 'x@example.org'], env);
  assert.deepEqual([badRole.code, badRole.err], [1, 'parcours: "boss" is not a role; write one of admin, editor, author, translator, reviewer.\n']);
  const noRole = await cli(['user', 'add', 'x@example.org'], env);
  assert.equal(noRole.code, 1);
  assert.match(noRole.err, /^parcours: Write "parcours user add --role <role> \[--locales <codes>\] <email>"/);
});

test('parcours user add --locales: a translator gets the museum’s languages given; an unknown, repeated or misplaced code is one line, exit 1, nothing made', async () => {
  const database = join(dir, 'cli-locales.db');
  const env = { DATABASE_URL: database, PUBLIC_URL: 'https://visite.example.org' };
  const add = (role: string, locales: string | undefined, email: string) => cli(['user', 'add', '--role', role, ...(locales === undefined ? [] : ['--locales', locales]), email], env);
  const early = await add('translator', 'en', 'early@example.org');
  assert.deepEqual([early.code, early.err], [1, 'parcours: --locales: no content is published yet, so the museum has no languages to give; import a bundle first, or add the user without --locales. Nothing was changed.\n']);
  const db = openDatabase(database);
  try {
    await importBundle(db, FIXTURE, testStore());
  } finally {
    await db.destroy();
  }
  const refusals: [string, string | undefined, string][] = [
    ['translator', 'en,fr', 'parcours: --locales: "fr" is not one of the museum\'s languages (de, en). Nothing was changed.\n'],
    ['translator', 'en, en', 'parcours: --locales: "en" is written twice. Nothing was changed.\n'],
    ['translator', 'EN', 'parcours: --locales: "EN" is not one of the museum\'s languages (de, en). Nothing was changed.\n'],
    ['editor', 'en', 'parcours: --locales is for a translator only: the other roles are not limited to languages. Nothing was changed.\n'],
  ];
  for (const [role, locales, err] of refusals) {
    const r = await add(role, locales, 'translator@example.org');
    assert.deepEqual([r.code, r.err], [1, err], `${role} ${locales}`);
  }
  const made = await add('translator', 'en,de', 'Translator@example.org');
  assert.equal(made.code, 0, made.err);
  assert.match(made.out, /^Created the translator translator@example\.org\. Languages: de, en\.\n/);
  const none = await add('translator', undefined, 'none@example.org');
  assert.match(none.out, /^Created the translator none@example\.org\. Languages: none yet \(they can edit nothing until an admin gives one at \/admin\/users\)\.\n/);
  // The same user again: a new link with the same languages; other languages are an admin's change.
  assert.equal((await add('translator', 'de,en', 'translator@example.org')).code, 0);
  const changed = await add('translator', 'en', 'translator@example.org');
  assert.deepEqual([changed.code, changed.err], [1, 'parcours: translator@example.org is already a user, with the languages de, en; nothing was changed (languages are changed by an admin, at /admin/users).\n']);
  const check = openDatabase(database);
  try {
    const users = await check.selectFrom('staff_user').select(['email', 'role', 'locales']).orderBy('email').execute();
    assert.deepEqual(users.map((u) => ({ ...u })), [
      { email: 'none@example.org', role: 'translator', locales: null },
      { email: 'translator@example.org', role: 'translator', locales: '["de","en"]' },
    ]);
    const created = await check.selectFrom('audit_log').select('detail').where('event', '=', 'user_created').where('email', '=', 'translator@example.org').execute();
    assert.deepEqual(created.map((r) => r.detail), ['role=translator; locales=de,en; by=cli']);
  } finally {
    await check.destroy();
  }
});
