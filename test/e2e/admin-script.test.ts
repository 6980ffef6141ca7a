import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Running } from '../../src/server.ts';
import { addUserOrLink } from '../../src/modules/auth/users.service.ts';
import { documentState } from '../../src/modules/editorial/editorial.service.ts';
import { FIXTURE } from '../harness.ts';
import { CHROMIUM_PATH, chromiumAvailable, startSiteAndBrowser, stopSiteAndBrowser, withPage } from './browser.ts';

// The admin's script in Chromium (issue 16), an enhancement of pages that
// work without it: a Markdown field's live preview, rendered by the server
// with the site's rules (typed markup is shown, never run), and reordering
// by drag and drop, which posts the new order as the buttons would.

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
const PASSWORD = 'Drôme-pont-de-1944';

describe('the admin\'s script in a real browser', { skip }, () => {
  const site: { running?: Running; browser?: Browser } = {};
  let link: string;

  before(async () => {
    Object.assign(site, await startSiteAndBrowser(FIXTURE));
    const made = await addUserOrLink(site.running!.db, new Date(), 'editor@example.org', 'editor');
    link = `/admin/password/${made.token}`;
  });
  after(() => stopSiteAndBrowser(site));

  let passwordSet = false;
  async function signIn(page: Page): Promise<void> {
    const url = site.running!.url;
    if (!passwordSet) {
      await page.goto(url + link);
      await page.locator('input[name="password"]').fill(PASSWORD);
      await page.locator('input[name="confirm"]').fill(PASSWORD);
      await page.locator('main form button[type="submit"]').click();
      passwordSet = true;
    }
    await page.goto(`${url}/admin/sign-in`);
    await page.locator('input[name="email"]').fill('editor@example.org');
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL(`${url}/admin`);
  }

  test('a Markdown field previews as visitors will read it; markup typed in it is shown as text', async () => {
    await withPage(site.browser!, { viewport: { width: 1280, height: 900 }, locale: 'en-GB' }, async (page) => {
      page.on('dialog', (d) => { void d.dismiss(); assert.fail(`a dialog opened: ${d.message()}`); });
      await signIn(page);
      await page.goto(`${site.running!.url}/admin/content/theme/minerals`);
      const field = page.locator('#field-en-block-minerals-colour-body');
      await field.fill('## Colours\n\nQuartz is *clear* <img src=x onerror=alert(1)><script>alert(2)</script>');
      const preview = field.locator('xpath=following-sibling::div[contains(@class,"md-preview")]');
      await preview.locator('h2', { hasText: 'Colours' }).waitFor();
      assert.equal(await preview.locator('em').textContent(), 'clear');
      assert.equal(await preview.locator('img, script').count(), 0);
      assert.match(await preview.textContent() ?? '', /<img src=x onerror=alert\(1\)>/);
    });
  });

  test('dragging a theme onto another saves the new order as a draft', async () => {
    await withPage(site.browser!, { viewport: { width: 1280, height: 900 }, locale: 'en-GB' }, async (page) => {
      await signIn(page);
      await page.goto(`${site.running!.url}/admin/content/visit/main`);
      const ids = await page.locator('ol[data-reorder] > li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id!));
      assert.ok(ids.length >= 3);
      await page.locator(`li[data-id="${ids[2]}"]`).dragTo(page.locator(`li[data-id="${ids[0]}"]`), { targetPosition: { x: 10, y: 2 } });
      await page.waitForURL(/done=moved/);
      const now = await page.locator('ol[data-reorder] > li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id!));
      assert.deepEqual(now, [ids[2], ids[0], ids[1], ...ids.slice(3)]);
      assert.deepEqual(((await documentState(site.running!.db, 'visit/main'))!.current.data as { themes: string[] }).themes, now);
    });
  });
});
