import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

// Sign-in throttling (docs/decisions/0021), in the database so that every
// server sees the same counters. Each failed sign-in counts against the
// account and against the client's address; past a few free tries each
// further failure makes the next try wait longer (doubling, capped). A quiet
// hour forgets the count; a successful sign-in forgets the account's.

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

/** Milliseconds until a sign-in for this account from this address may be tried (0: now). */
export async function waitBeforeSignIn(q: Q, now: Date, email: string, address: string): Promise<number> {
  const rows = await q.selectFrom('auth_throttle').select(['blocked_until', 'last_failure_at'])
    .where('key', 'in', [keyOf('account', email), keyOf('address', address)]).execute();
  let wait = 0;
  for (const r of rows) wait = Math.max(wait, Date.parse(r.blocked_until) - now.getTime());
  return wait;
}

/** Counts one failure against both keys (atomic on either engine: one upsert per key). */
export async function recordFailure(q: Q, now: Date, email: string, address: string): Promise<void> {
  await bump(q, now, 'account', email);
  await bump(q, now, 'address', address);
}

async function bump(q: Q, now: Date, kind: 'account' | 'address', value: string): Promise<void> {
  const key = keyOf(kind, value);
  const at = now.toISOString();
  const stale = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
  const row = await q.insertInto('auth_throttle').values({ key, failures: 1, last_failure_at: at, blocked_until: at })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({
      // A count last raised more than an hour ago starts again.
      failures: eb.case().when('auth_throttle.last_failure_at', '<', stale).then(1).else(eb('auth_throttle.failures', '+', 1)).end(),
      last_failure_at: at,
    })))
    .returning('failures').executeTakeFirstOrThrow();
  const wait = delayAfter(THROTTLE[kind], row.failures);
  await q.updateTable('auth_throttle').set({ blocked_until: new Date(now.getTime() + wait).toISOString() }).where('key', '=', key).execute();
}

/** A successful sign-in: the account's count is forgotten (the address's is not: one known password must not reset it). */
export async function forgetAccount(q: Q, email: string): Promise<void> {
  await q.deleteFrom('auth_throttle').where('key', '=', keyOf('account', email)).execute();
}
