import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAssets } from '../src/web/assets.ts';
import { createApp } from '../src/app.ts';
import { SiteStore } from '../src/web/site/site.service.ts';
import { DEMO, memoryDb, PUBLIC_URL, testStore } from './harness.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';

// The request log (LOG_REQUESTS=1) writes each path: a set-password link's
// secret and a preview share link's token (decision 0023), which are in their
// paths, are written as "…" (a log is read by more people than the staff
// member or the reviewer the link is for).

test('the request log never writes the secret of a set-password link or of a preview share link', async () => {
  const db = await memoryDb();
  await importBundle(db, DEMO, testStore());
  const assets = await buildAssets();
  const site = new SiteStore(db, PUBLIC_URL, assets);
  await site.refresh();
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    const app = createApp({ site, assets, store: testStore(), logRequests: true });
    const secret = 'A'.repeat(43);
    await app.request(`/admin/password/${secret}`);
    await app.request(`/preview/${secret}/fr/`);
    await app.request('/fr/');
    assert.ok(lines.some((l) => l.startsWith('GET "/admin/password/…"')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('GET "/preview/…/fr/"')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('GET "/fr/"')));
    assert.ok(lines.every((l) => !l.includes(secret)));
  } finally {
    console.log = log;
    await site.stop();
    await db.destroy();
  }
});
