import { spawnSync } from 'node:child_process';
import { globSync, readFileSync } from 'node:fs';

// `npm test`: every test file, on SQLite. When TEST_DATABASE_URL names a
// PostgreSQL server, the database-backed test files run a second time, on it
// (PARCOURS_TEST_ENGINE=postgres: test/harness.ts then gives each test a
// schema of its own there). A file is database-backed when it takes its
// databases from the harness (memoryDb, siteFor, adminSite): those are the ones whose
// database the harness can switch. Files given as arguments run instead of
// all of them (`npm test -- test/http.test.ts`).
//
// TEST_TZ sets the time zone of the PostgreSQL leg (CI: America/New_York),
// so that a date computed in local time rather than UTC fails there.

const PATTERNS = ['src/**/*.test.ts', 'test/**/*.test.ts'];
const DB_BACKED = /\b(memoryDb|siteFor|adminSite)\(/;

const given = process.argv.slice(2);
const files = (given.length ? given : PATTERNS.flatMap((p) => globSync(p))).sort();
if (!files.length) {
  console.error('npm test: no test files match');
  process.exit(1);
}

function leg(name: string, list: string[], env: NodeJS.ProcessEnv): boolean {
  console.log(`\n== ${name}: ${list.length} test file${list.length === 1 ? '' : 's'}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...list], { stdio: 'inherit', env });
  if (r.error) console.error(`npm test: ${r.error.message}`);
  return r.status === 0;
}

const ok: boolean[] = [leg('SQLite', files, { ...process.env, PARCOURS_TEST_ENGINE: 'sqlite' })];
const url = process.env.TEST_DATABASE_URL;
if (url) {
  const backed = files.filter((f) => DB_BACKED.test(readFileSync(f, 'utf8')));
  const env = { ...process.env, PARCOURS_TEST_ENGINE: 'postgres', ...(process.env.TEST_TZ ? { TZ: process.env.TEST_TZ } : {}) };
  ok.push(backed.length === 0 || leg(`PostgreSQL (${new URL(url).host}${process.env.TEST_TZ ? `, TZ=${process.env.TEST_TZ}` : ''})`, backed, env));
} else {
  console.log('\nnpm test: TEST_DATABASE_URL is not set: the database-backed tests ran on SQLite only (set it to a postgres:// URL to run them on PostgreSQL too).');
}
process.exit(ok.every(Boolean) ? 0 : 1);
