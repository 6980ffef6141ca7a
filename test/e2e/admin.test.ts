import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type Running } from '../../src/server.ts';
import { addUserOrLink } from '../../src/modules/auth/users.service.ts';
import { FIXTURE, TEST_MEDIA_DIR } from '../harness.ts';
import { CHROMIUM_PATH, chromiumAvailable, launchBrowser, withPage } from './browser.ts';

// The administration in Chromium (decision 0021): the first admin's journey
// from the CLI's link, at 375 px with JavaScript off; axe on every page;
// script-like emails and user agents shown, and no dialog ever opens.

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
if (skip) console.warn(`\n!!! ADMIN BROWSER TESTS SKIPPED: ${skip} — install it with apt-get install chromium (or set CHROMIUM_PATH) !!!\n`);

const PASSWORD = 'Drôme-pont-de-1944';
const SCREENSHOTS = process.env.ADMIN_SCREENSHOTS;

describe('the administration in a real browser', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-admin-e2e-'));
  const database = join(dir, 'site.db');
  let running: Running;
  let browser: Browser;
  let linkPath: string;

  before(async () => {
    // The first admin, made by the CLI on the database the server then opens.
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database, MEDIA_DIR: TEST_MEDIA_DIR, PUBLIC_URL: 'http://127.0.0.1' };
    delete env.NODE_TEST_CONTEXT;
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'user', 'add', '--role', 'admin', 'first.admin@example.org'], { env, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    linkPath = /http:\/\/127\.0\.0\.1(\/admin\/password\/[A-Za-z0-9_-]{43})\n/.exec(cli.stdout)![1]!;
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database, CONTENT_DIR: FIXTURE, MEDIA_DIR: TEST_MEDIA_DIR, WORKERS: '1' });
    [running, browser] = await Promise.all([startServer(config, () => undefined), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const noDialog = (page: Page) => page.on('dialog', (d) => {
    void d.dismiss();
    assert.fail(`a dialog opened: ${d.message()}`);
  });

  async function axe(page: Page, label: string): Promise<void> {
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const a = (window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const r = await a.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
      return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    });
    assert.deepEqual(violations, [], `axe on ${label}`);
  }

  const shot = async (page: Page, name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  test('CLI link → set password → sign in → home → sign out, at 375 px with JavaScript off', async () => {
    await withPage(browser, { viewport: { width: 375, height: 740 }, javaScriptEnabled: false, locale: 'fr-FR' }, async (page) => {
      noDialog(page);
      await page.goto(`${running.url}${linkPath}`);
      assert.equal(await page.locator('h1').textContent(), 'Choisissez votre mot de passe');
      await shot(page, 'password-375-fr');
      await page.getByLabel('Nouveau mot de passe').fill('motdepasse123');
      await page.getByLabel('Le même mot de passe, à nouveau').fill('motdepasse123');
      await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
      assert.match(await page.locator('#password-error').textContent() ?? '', /parmi les plus courants/);
      await page.getByLabel('Nouveau mot de passe').fill(PASSWORD);
      await page.getByLabel('Le même mot de passe, à nouveau').fill(PASSWORD);
      await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
      await page.waitForURL(/\/admin\/sign-in\?done=password$/);
      assert.match(await page.getByRole('status').textContent() ?? '', /Votre mot de passe est enregistré/);
      await page.getByLabel('Adresse électronique').fill('First.Admin@example.org');
      await page.getByLabel('Mot de passe').fill(PASSWORD);
      await shot(page, 'sign-in-375-fr');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(/\/admin$/);
      assert.match(await page.locator('main').textContent() ?? '', /connecté en tant que first\.admin@example\.org\.\s*Votre rôle\u00a0: administrateur\./);
      assert.equal(await page.getByText('Cette session').count(), 1);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `no sideways scrolling at 375 px (${width})`);
      await shot(page, 'home-375-fr');
      await page.locator('header').getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(/\/admin\/sign-in\?done=signed-out$/);
      await page.goto(`${running.url}/admin`);
      assert.match(page.url(), /\/admin\/sign-in$/);
    });
  });

  test('axe finds nothing on the sign-in, password, home and refusal pages, light and dark, 375 and 1280 px', async () => {
    const link = await addUserOrLink(running.db, new Date(), 'axe@example.org', 'editor');
    for (const [scheme, width] of [['light', 1280], ['dark', 375]] as const) {
      await withPage(browser, { viewport: { width, height: 800 }, colorScheme: scheme, bypassCSP: true, locale: 'en' }, async (page) => {
        noDialog(page);
        await page.goto(`${running.url}/admin/sign-in`);
        await axe(page, `sign-in ${scheme}`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForSelector('#email-error');
        await axe(page, `sign-in with errors ${scheme}`);
        await page.goto(`${running.url}/admin/password/${link.token}`);
        await axe(page, `password ${scheme}`);
        await page.goto(`${running.url}/admin/password/${'x'.repeat(43)}`);
        await axe(page, `invalid link ${scheme}`);
        await page.goto(`${running.url}/admin/sign-in`);
        await page.getByLabel('Email').fill('first.admin@example.org');
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(/\/admin$/);
        await axe(page, `home ${scheme}`);
        await shot(page, `home-${width}-en-${scheme}`);
        await page.goto(`${running.url}/admin/nowhere`);
        await axe(page, `not found ${scheme}`);
      });
    }
  });

  test('emails and user agents that look like markup are shown as text: no dialog, no element made', async () => {
    // The email rule (zod) lets only letters, digits and ' + - _ . into the local part: the apostrophe is what is left to try.
    const emails = ["o'brien'-alert-x@example.org", "x'+'y@example.org"];
    const agents = ['<img src=x onerror=alert(1)>', '"><script>alert(2)</script>', "'><svg onload=alert(3)>", '</td></tr></table><iframe src=javascript:alert(4)>'];
    for (const email of emails) {
      const link = await addUserOrLink(running.db, new Date(), email, 'reviewer');
      for (const userAgent of agents) {
        await withPage(browser, { userAgent, javaScriptEnabled: true }, async (page) => {
          noDialog(page);
          await page.goto(`${running.url}/admin/password/${link.token}`);
          if (userAgent === agents[0]) {
            await page.getByLabel('New password').fill(PASSWORD);
            await page.getByLabel('The same password again').fill(PASSWORD);
            await page.getByRole('button', { name: 'Set the password' }).click();
            await page.waitForURL(/done=password/);
          }
          await page.goto(`${running.url}/admin/sign-in`);
          await page.getByLabel('Email').fill(email);
          await page.getByLabel('Password').fill(PASSWORD);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL(/\/admin$/);
        });
      }
      // The last browser sees every session, each user agent shown as text.
      await withPage(browser, { userAgent: agents[0]!, javaScriptEnabled: true }, async (page) => {
        noDialog(page);
        await page.goto(`${running.url}/admin/sign-in`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(/\/admin$/);
        assert.match(await page.locator('main > p').first().textContent() ?? '', new RegExp(email.replace(/[.+]/g, '\\$&')));
        const cells = await page.locator('td[data-label="Browser"]').allTextContents();
        for (const a of agents) assert.ok(cells.includes(a), `${a} shown as text`);
        assert.equal(await page.locator('main img, main script, main svg, main iframe').count(), 0);
        await page.waitForTimeout(200);
      });
    }
  });
  /** Signs in as the first admin in this page. */
  async function signInAs(page: Page, email: string, labels = { email: 'Email', password: 'Password', submit: 'Sign in' }): Promise<void> {
    await page.goto(`${running.url}/admin/sign-in`);
    await page.getByLabel(labels.email).fill(email);
    await page.getByLabel(labels.password, { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: labels.submit }).click();
    await page.waitForURL(/\/admin$/);
  }

  test('the admin adds an editor, who sets a password through the shown link and signs in; disabled, the editor’s next page asks to sign in', async () => {
    await withPage(browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false, locale: 'en' }, async (admin) => {
      noDialog(admin);
      await signInAs(admin, 'first.admin@example.org');
      await admin.getByRole('link', { name: 'Staff accounts' }).click();
      await admin.waitForURL(/\/admin\/users$/);
      await admin.getByLabel('Email', { exact: true }).fill('journey.editor@example.org');
      await admin.getByLabel('Role', { exact: true }).selectOption('editor');
      await admin.getByRole('button', { name: 'Add and make a link' }).click();
      const url = await admin.locator('code.secret').textContent();
      assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/admin\/password\/[A-Za-z0-9_-]{43}$/);
      await shot(admin, 'users-1280-en-link');
      await withPage(browser, { viewport: { width: 375, height: 740 }, javaScriptEnabled: false, locale: 'fr-FR' }, async (editor) => {
        noDialog(editor);
        await editor.goto(url!);
        await editor.getByLabel('Nouveau mot de passe').fill(PASSWORD);
        await editor.getByLabel('Le même mot de passe, à nouveau').fill(PASSWORD);
        await editor.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
        await editor.waitForURL(/done=password$/);
        await signInAs(editor, 'journey.editor@example.org', { email: 'Adresse électronique', password: 'Mot de passe', submit: 'Se connecter' });
        assert.match(await editor.locator('main').textContent() ?? '', /Votre rôle\u00a0: éditeur\./);
        assert.equal(await editor.getByRole('link', { name: 'Comptes du personnel' }).count(), 0, 'no link for an editor');
        // The admin sees the sign-in, then disables the editor.
        await admin.goto(`${running.url}/admin/users`);
        const row = admin.locator('tr', { hasText: 'journey.editor@example.org' });
        assert.equal(await row.locator('td[data-label="Status"]').textContent(), 'active');
        assert.notEqual(await row.locator('td[data-label="Last sign-in"]').textContent(), 'never');
        await row.getByRole('button', { name: /^Disable/ }).click();
        await admin.waitForURL(/done=disabled/);
        assert.match(await admin.getByRole('status').textContent() ?? '', /journey\.editor@example\.org is disabled/);
        await shot(admin, 'users-1280-en');
        // The editor's next page asks them to sign in again, and signing in is refused like a wrong password.
        await editor.reload();
        assert.match(editor.url(), /\/admin\/sign-in$/);
        await editor.getByLabel('Adresse électronique').fill('journey.editor@example.org');
        await editor.getByLabel('Mot de passe').fill(PASSWORD);
        await editor.getByRole('button', { name: 'Se connecter' }).click();
        assert.match(await editor.getByRole('alert').textContent() ?? '', /L’adresse ou le mot de passe n’est pas le bon|n’est pas/);
      });
      await admin.getByRole('link', { name: 'Audit log' }).click();
      await admin.waitForURL(/\/admin\/audit$/);
      const actions = await admin.locator('td[data-label="Action"]').allTextContents();
      for (const a of ['disabled the user', 'signed in', 'set their password', 'gave a password link', 'created the user', 'failed sign-in']) assert.ok(actions.includes(a), `${a} in the log`);
      await shot(admin, 'audit-1280-en');
    });
  });

  test('axe finds nothing on the staff and audit pages, light and dark, 375 and 1280 px', async () => {
    // Translators, one with a language and one warned of (no language): their rows hold the languages' form.
    await addUserOrLink(running.db, new Date(), 'axe.translator@example.org', 'translator', ['en']);
    await addUserOrLink(running.db, new Date(), 'axe.none@example.org', 'translator');
    for (const [scheme, width] of [['light', 1280], ['dark', 1280], ['light', 375], ['dark', 375]] as const) {
      await withPage(browser, { viewport: { width, height: 800 }, colorScheme: scheme, bypassCSP: true, locale: 'en' }, async (page) => {
        noDialog(page);
        await signInAs(page, 'first.admin@example.org');
        await page.goto(`${running.url}/admin/users`);
        await axe(page, `users ${scheme} ${width}`);
        await page.getByRole('button', { name: 'Add and make a link' }).click();
        await page.waitForSelector('#email-error');
        await axe(page, `users with errors ${scheme} ${width}`);
        await page.getByLabel('Email', { exact: true }).fill(`axe.${scheme}.${width}@example.org`);
        await page.getByRole('button', { name: 'Add and make a link' }).click();
        await page.waitForSelector('code.secret');
        await axe(page, `users with a link ${scheme} ${width}`);
        const row = page.locator('tr', { hasText: 'first.admin@example.org' });
        await row.getByRole('button', { name: /^Disable/ }).click();
        await page.waitForSelector('[id^="user-"][id$="-error"]');
        await axe(page, `users, last admin ${scheme} ${width}`);
        if (width === 375) {
          const w = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(w <= 375, `no sideways scrolling at 375 px on users (${w})`);
        }
        await shot(page, `users-${width}-${scheme}-guard`);
        await page.goto(`${running.url}/admin/audit`);
        await axe(page, `audit ${scheme} ${width}`);
        await shot(page, `audit-${width}-${scheme}`);
        await page.goto(`${running.url}/admin/audit?action=sign_in&user=first.admin%40example.org`);
        await axe(page, `audit filtered ${scheme} ${width}`);
      });
    }
  });

  test('script-like user agents and emails in the audit log are shown as text: no dialog, no element made', async () => {
    const agents = ['<img src=x onerror=alert(1)>', '"><script>alert(2)</script>', "'><svg onload=alert(3)>", '</td></tr></table><iframe src=javascript:alert(4)>'];
    for (const userAgent of agents) {
      await withPage(browser, { userAgent, javaScriptEnabled: true }, async (page) => {
        noDialog(page);
        await page.goto(`${running.url}/admin/sign-in`);
        await page.getByLabel('Email').fill("o'brien'-alert-x@example.org");
        await page.getByLabel('Password').fill('not the right password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForSelector('[role="alert"]');
      });
    }
    await withPage(browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled: true, locale: 'en' }, async (page) => {
      noDialog(page);
      await signInAs(page, 'first.admin@example.org');
      await page.goto(`${running.url}/admin/audit?user=o%27brien%27-alert-x%40example.org`);
      const details = await page.locator('td[data-label="Details"]').allTextContents();
      for (const a of agents) assert.ok(details.some((d) => d.includes(`browser: ${a}`)), `${a} shown as text`);
      assert.ok((await page.locator('td[data-label="By"]').allTextContents()).includes("o'brien'-alert-x@example.org"));
      assert.equal(await page.locator('main img, main script, main svg, main iframe').count(), 0);
      await page.goto(`${running.url}/admin/users`);
      assert.equal(await page.locator('main img, main script, main svg, main iframe').count(), 0);
      await page.waitForTimeout(200);
    });
  });
});
