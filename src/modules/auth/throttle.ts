import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

// Sign-in throttling (docs/decisions/0021), in the database so that every
// server sees the same counters. Each sign-in counts against the account and
// against the client's address *before* the password is checked (a success
// takes it back): so that a burst of simultaneous tries cannot all slip in
// before the first failure is written. Past a few free tries each further
// one makes the next wait longer (doubling, capped). A quiet hour forgets a
// count; a successful sign-in forgets the account's.

interface Rule {
  free: number;
  firstDelayMs: number;
  maxDelayMs: number;
}
/** An account: 5 tries, then 1 s, 2 s, 4 s … at most 15 min. An address (many users behind one NAT): 20, then the same. */
export const THROTTLE: Record<'account' | 'address', Rule> = {
  account: { free: 5, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  address: { free: 20, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
};
export const FORGET_AFTER_MS = 60 * 60_000;

const keyOf = (kind: 'account' | 'address', value: string) => `${kind}:${value}`;

/** The wait after `failures` failures. */
export function delayAfter(rule: Rule, failures: number): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** Math.min(30, failures - rule.free));
}

/**
 * blocked_until as a function of the new count, written out for every count until the cap (a CASE of ISO strings):
 * the count and the block are then set by one statement, atomically, on either engine.
 */
function blockedUntil(rule: Rule, now: Date, count: RawBuilder<number>): RawBuilder<string> {
  const iso = (n: number) => new Date(now.getTime() + delayAfter(rule, n)).toISOString();
  const branches: RawBuilder<unknown>[] = [];
  let n = 1;
  for (; delayAfter(rule, n) < rule.maxDelayMs; n++) branches.push(sql`when ${n} then ${iso(n)}`);
  return sql<string>`case ${count} ${sql.join(branches, sql` `)} else ${iso(n)} end`;
}

/**
 * Counts one try against a key unless the key is blocked now: the new count, or undefined when it is blocked (then
 * nothing is counted).
 */
async function claim(q: Q, now: Date, kind: 'account' | 'address', value: string): Promise<number | undefined> {
  const rule = THROTTLE[kind];
  const at = now.toISOString();
  const stale = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
  // A count last raised more than an hour ago starts again.
  const count = sql<number>`(case when ${sql.ref('auth_throttle.last_failure_at')} < ${stale} then 1 else ${sql.ref('auth_throttle.failures')} + 1 end)`;
  const row = await q.insertInto('auth_throttle')
    .values({ key: keyOf(kind, value), failures: 1, last_failure_at: at, blocked_until: new Date(now.getTime() + delayAfter(rule, 1)).toISOString() })
    .onConflict((oc) => oc.column('key')
      .doUpdateSet({ failures: count, blocked_until: blockedUntil(rule, now, count), last_failure_at: at })
      .where('auth_throttle.blocked_until', '<=', at))
    .returning('failures').executeTakeFirst();
  return row?.failures;
}

export type Attempt = { ok: true } | { ok: false; waitMs: number };

/**
 * Takes a try for this account from this address: counted against both (as a failure until `succeeded` says
 * otherwise), or refused with the wait when either is blocked. Blocks are looked at first, and a refused try
 * counts against neither: a blocked address (an attacker's) must not keep an account locked by trying it again.
 */
export async function beginAttempt(q: Q, now: Date, email: string, address: string): Promise<Attempt> {
  const keys = [keyOf('account', email), keyOf('address', address)];
  const at = now.toISOString();
  const blocked = await q.selectFrom('auth_throttle').select('blocked_until').where('key', 'in', keys).where('blocked_until', '>', at).execute();
  if (blocked.length) return { ok: false, waitMs: Math.max(1, ...blocked.map((r) => Date.parse(r.blocked_until) - now.getTime())) };
  // Each claim is one conditional statement: a try that raced another past the look above is refused there.
  const byAddress = await claim(q, now, 'address', address);
  const account = byAddress === undefined ? undefined : await claim(q, now, 'account', email);
  if (account !== undefined && byAddress !== undefined) return { ok: true };
  if (byAddress !== undefined) await q.updateTable('auth_throttle').set((eb) => ({ failures: eb('failures', '-', 1) })).where('key', '=', keyOf('address', address)).execute();
  const rows = await q.selectFrom('auth_throttle').select('blocked_until').where('key', 'in', keys).execute();
  const waitMs = Math.max(1, ...rows.map((r) => Date.parse(r.blocked_until) - now.getTime()));
  return { ok: false, waitMs };
}

/** An account's count forgotten: its password was just set through a link an admin (or the CLI) issued. */
export async function forgetAccount(q: Q, email: string): Promise<void> {
  await q.deleteFrom('auth_throttle').where('key', '=', keyOf('account', email)).execute();
}

/**
 * A try that succeeded: the account's count is forgotten; the address's try is taken back, but a block it set stays
 * (one known password must not lift the block of an address that guesses others').
 */
export async function succeeded(q: Q, email: string, address: string): Promise<void> {
  await q.deleteFrom('auth_throttle').where('key', '=', keyOf('account', email)).execute();
  await q.updateTable('auth_throttle').set((eb) => ({ failures: eb('failures', '-', 1) })).where('key', '=', keyOf('address', address)).where('failures', '>', 0).execute();
}
