import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allSync, openDatabase, yielding } from './connection.ts';
import { migrateToLatest } from './migrate.ts';

// Reads that must not hold the thread (yielding) or cannot wait for a promise (allSync).

test('yielding: each query gives the event loop a turn before its rows are used; plain queries do not', async () => {
  const db = openDatabase(':memory:');
  try {
    await migrateToLatest(db);
    for (const [q, turns] of [[db, false], [yielding(db), true]] as const) {
      let ran = false;
      setImmediate(() => { ran = true; });
      await q.selectFrom('meta').selectAll().execute();
      assert.equal(ran, turns, turns ? 'a task queued before the query ran before its rows came' : 'node:sqlite answers at once: no turn');
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await db.destroy();
  }
});

test('allSync reads a compiled query at once, and refuses a closed database', async () => {
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  await db.insertInto('meta').values({ key: 'k', value: 'v' }).execute();
  const query = db.selectFrom('meta').select('value').where('key', '=', 'k').compile();
  assert.deepEqual(allSync(db, query).map((r) => r.value), ['v']);
  await db.destroy();
  assert.throws(() => allSync(db, query), /closed/);
});
