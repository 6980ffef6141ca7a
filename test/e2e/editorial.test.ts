import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type Running } from '../../src/server.ts';
import { DEMO, TEST_MEDIA_DIR } from '../harness.ts';
import { CHROMIUM_PATH, chromiumAvailable, launchBrowser } from './browser.ts';
import {
  Checks, fieldLabel, flat, forge, formValues, newPage, person, screenshots, setPasswordAndSignIn, shot, sitemapThemes, submit, viewAs, waitForPublic, type Person,
} from './editorial-steps.ts';

// Curators edit the visit in the browser (issue 16), on the demo museum, with
// JavaScript off, one browser context per person: the first admin (made by
// the CLI) adds an editor, a second editor and a translator; the editor
// changes a paragraph of theme 3 in French, moves two themes and publishes;
// the translator writes the English, refused French and publishing; the
// second editor, who had the theme open, gets the conflict view and loses
// nothing; the editor restores the first revision from the history. Visitors
// (a context without cookies) see each publication. axe on every admin page.

const skip = chromiumAvailable() ? false : `Chromium not found at ${CHROMIUM_PATH}`;
if (skip) console.warn(`\n!!! EDITORIAL BROWSER TESTS SKIPPED: ${skip} — install it with apt-get install chromium (or set CHROMIUM_PATH) !!!\n`);

const ADMIN = 'first.admin@example.org';
const EDITOR = 'claire.editor@example.org';
const SECOND = 'paul.editor@example.org';
const TRANSLATOR = 'anna.translator@example.org';
const NEW_FR = 'Le 18 juin, depuis Londres, le général de Gaulle lance sur la BBC son appel à continuer la guerre aux côtés des Britanniques.';
const NEW_EN = 'On 18 June, from London, General de Gaulle made his appeal on the BBC to carry on the war beside the British.';
const NEW_LEAD = 'Juin 1940 dans la Drôme : la défaite, l’appel, les ponts détruits et l’armistice.';
const BLOCK_1 = { n: 1, kind: 'text' };

/** A text block's body with its last paragraph replaced; and that paragraph as it was. */
function lastParagraph(body: string, next?: string): { was: string; body: string } {
  const paragraphs = body.split(/\n\s*\n/);
  const was = paragraphs.at(-1)!;
  return { was, body: next === undefined ? body : [...paragraphs.slice(0, -1), next].join('\n\n') };
}

describe('curators edit the visit in the browser', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'parcours-editorial-e2e-'));
  const database = join(dir, 'site.db');
  let running: Running;
  let browser: Browser;
  let checks: Checks;
  let base: string;
  let cliLink: string;
  const links = new Map<string, string>();
  let admin: Person, editor: Person, second: Person, translator: Person;
  let visitor: Page;
  // What the journey finds out on its way: the theme, its public addresses, the texts it changes.
  let visitUrl: string, themeUrl: string;
  const pub = { visit: { fr: '', en: '' }, theme: { fr: '', en: '' } };
  const was = { fr: '', en: '', lead: '', order: [] as string[], sitemap: new Map<string, Record<string, string>>() };

  before(async () => {
    // The first admin, made by the CLI on the database the server then opens (and fills with the demo museum).
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database, MEDIA_DIR: TEST_MEDIA_DIR, PUBLIC_URL: 'http://127.0.0.1' };
    delete env.NODE_TEST_CONTEXT;
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'user', 'add', '--role', 'admin', ADMIN], { env, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    cliLink = /http:\/\/127\.0\.0\.1(\/admin\/password\/[A-Za-z0-9_-]{43})\n/.exec(cli.stdout)![1]!;
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database, CONTENT_DIR: DEMO, MEDIA_DIR: TEST_MEDIA_DIR, WORKERS: '1', CONTENT_POLL_MS: '200' });
    [running, browser] = await Promise.all([startServer(config, () => undefined), launchBrowser()]);
    base = running.url;
    checks = new Checks(browser);
    visitor = await newPage(browser, 'fr', 375);
  });
  after(async () => {
    await checks?.close();
    await browser?.close();
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens an admin address as this person and checks the page (axe; at 375 px, no sideways scrolling). */
  async function open(p: Person, path: string, label: string): Promise<void> {
    const r = await p.page.goto(new URL(path, base).href);
    assert.equal(r?.status(), 200, label);
    await checks.admin(p.page, label);
  }
  const notice = (p: Person) => p.page.getByRole('status').textContent();
  const order = async (page: Page, selector: string) => [...new Set(await page.locator(selector).evaluateAll((as) => as.map((a) => a.getAttribute('href')!)))];
  const publicOrder = () => order(visitor, `main a[href^="${pub.visit.fr}/"]`);

  test('the admin from the CLI sets a password, adds two editors and a translator of English, who each set theirs from their link', async () => {
    admin = await person(browser, ADMIN, 'fr', 375);
    const { page, t } = admin;
    await setPasswordAndSignIn(admin, `${base}${cliLink}`, checks);
    await checks.admin(page, 'home (admin)');
    await page.getByRole('link', { name: t('admin.nav.users'), exact: true }).click();
    await checks.admin(page, 'users');
    for (const [email, role] of [[EDITOR, 'editor'], [SECOND, 'editor'], [TRANSLATOR, 'translator']] as const) {
      await page.getByLabel(t('admin.users.email'), { exact: true }).fill(email);
      await page.getByLabel(t('admin.users.role'), { exact: true }).selectOption(role);
      if (role === 'translator') await page.locator('fieldset#locales').getByLabel('Anglais').check();
      await submit(page, page.getByRole('button', { name: t('admin.users.addSubmit') }));
      assert.equal(await page.locator('#link-title').textContent(), t('admin.users.linkTitle', { email }));
      links.set(email, (await page.locator('code.secret').textContent())!);
    }
    await checks.admin(page, 'users with a link');
    // The link is shown once: the next page has none; the translator has English.
    await page.reload();
    assert.equal(await page.locator('code.secret').count(), 0);
    assert.equal(await page.locator('tr', { hasText: TRANSLATOR }).locator('input[name="locales"][value="en"]').isChecked(), true);
    assert.equal(await page.locator('tr', { hasText: TRANSLATOR }).locator('input[name="locales"][value="fr"]').isChecked(), false);

    editor = await person(browser, EDITOR, 'fr', 375);
    second = await person(browser, SECOND, 'en', 1280);
    translator = await person(browser, TRANSLATOR, 'en', 1280);
    for (const [p, role] of [[editor, 'editor'], [second, 'editor'], [translator, 'translator']] as const) {
      await setPasswordAndSignIn(p, links.get(p.email)!, p === translator ? checks : undefined);
      assert.ok(flat(await p.page.locator('main').textContent()).includes(flat(p.t('admin.home.role', { role: p.t(`admin.role.${role}`) }))), `${p.email} is ${role}`);
    }
    await checks.admin(translator.page, 'home (translator)');
  });

  test('the editor changes a paragraph of theme 3 in French, moves two themes, publishes everything; visitors see it, the sitemap is whole', async () => {
    const { page, t } = editor;
    await open(editor, '/admin', 'home (editor)');
    await page.getByRole('link', { name: t('admin.nav.content'), exact: true }).click();
    await checks.admin(page, 'content list');
    await page.getByRole('link', { name: t('admin.content.order'), exact: true }).first().click();
    visitUrl = page.url();
    assert.match(visitUrl, /\/admin\/content\/visit\/[a-z0-9-]+$/);
    await checks.admin(page, 'visit');
    pub.visit = { fr: `/fr/${await page.locator('#field-fr-slug').inputValue()}`, en: `/en/${await page.locator('#field-en-slug').inputValue()}` };
    const themes = await order(page, 'ol.order > li > a');
    assert.equal(themes.length, 11);
    await page.locator('ol.order > li').nth(2).getByRole('link').click();
    themeUrl = page.url();
    assert.equal(new URL(themeUrl).pathname, themes[2]);
    await checks.admin(page, 'theme editor');
    pub.theme = { fr: `${pub.visit.fr}/${await page.locator('#field-fr-slug').inputValue()}`, en: `${pub.visit.en}/${await page.locator('#field-en-slug').inputValue()}` };

    // What visitors see before: the order of the visit, the sitemap, theme 3's paragraphs.
    await visitor.goto(`${base}${pub.visit.fr}`);
    was.order = await publicOrder();
    assert.equal(was.order.length, 11);
    was.sitemap = sitemapThemes(await (await visitor.request.get(`${base}/sitemap.xml`)).text(), [pub.visit.fr, pub.visit.en]);
    assert.equal(was.sitemap.size, 22, 'every theme, in French and English');

    const frBody = page.getByLabel(fieldLabel(editor, 'fr', 'body', BLOCK_1), { exact: true });
    const changed = lastParagraph(await frBody.inputValue(), NEW_FR);
    was.fr = changed.was;
    was.en = lastParagraph(await page.getByLabel(fieldLabel(editor, 'en', 'body', BLOCK_1), { exact: true }).inputValue()).was;
    was.lead = await page.getByLabel(fieldLabel(editor, 'fr', 'lead'), { exact: true }).inputValue();
    await visitor.goto(`${base}${pub.theme.fr}`);
    assert.ok(flat(await visitor.locator('main').textContent()).includes(flat(was.fr)), 'the French paragraph, before');
    await frBody.fill(changed.body);
    await page.getByLabel(t('admin.content.message')).fill('L’appel du 18 juin, en une phrase');
    assert.equal(await submit(page, page.getByRole('button', { name: t('admin.content.save') })), 303);
    assert.equal(await notice(editor), t('admin.content.done.saved'));
    await checks.admin(page, 'theme editor, saved');

    // Theme 1 goes down: themes 1 and 2 change places.
    await page.goto(visitUrl);
    const first = flat(await page.locator('ol.order > li > a').first().textContent());
    assert.equal(await submit(page, page.getByRole('button', { name: t('admin.order.downLabel', { title: first }) })), 303);
    assert.equal(await notice(editor), t('admin.content.done.moved'));
    assert.deepEqual(await order(page, 'ol.order > li > a'), [themes[1], themes[0], ...themes.slice(2)]);
    await checks.admin(page, 'visit, moved');

    // The preview: theme 3 as visitors will read it, from the drafts, marked as such; the public page unchanged meanwhile.
    await page.goto(themeUrl);
    await page.getByRole('link', { name: t('admin.content.preview'), exact: true }).click();
    assert.match(new URL(page.url()).pathname, /^\/admin\/preview\/fr\//);
    assert.ok(flat(await page.locator('.preview-banner').textContent()).includes(t('admin.preview.banner.title')));
    assert.ok(flat(await page.locator('main').textContent()).includes(NEW_FR), 'the preview shows the draft');
    assert.equal(await page.locator('meta[name="robots"]').getAttribute('content'), 'noindex');
    await visitor.goto(`${base}${pub.theme.fr}`);
    assert.ok(!flat(await visitor.locator('main').textContent()).includes(NEW_FR), 'visitors do not see the draft');

    await page.goto(`${base}/admin/content`);
    assert.equal(await submit(page, page.getByRole('button', { name: t('admin.content.publishAll', { count: 2 }) })), 303);
    assert.equal(await notice(editor), t('admin.content.done.published'));
    await checks.admin(page, 'content list, published');

    // A visitor: the new paragraph, the new order, the sitemap as it was, the English unchanged.
    await waitForPublic(visitor, `${base}${pub.theme.fr}`, (html) => html.includes(NEW_FR), 'the new paragraph');
    await visitor.goto(`${base}${pub.theme.fr}`);
    const fr = flat(await visitor.locator('main').textContent());
    assert.ok(fr.includes(NEW_FR) && !fr.includes(flat(was.fr)), 'the new French paragraph replaces the old one');
    await visitor.goto(`${base}${pub.visit.fr}`);
    assert.deepEqual(await publicOrder(), [was.order[1], was.order[0], ...was.order.slice(2)]);
    const sitemap = sitemapThemes(await (await visitor.request.get(`${base}/sitemap.xml`)).text(), [pub.visit.fr, pub.visit.en]);
    assert.deepEqual([...sitemap].sort(), [...was.sitemap].sort());
    for (const [loc, alternates] of sitemap) assert.deepEqual(Object.keys(alternates).sort(), ['en', 'fr'], loc);
    assert.deepEqual(sitemap.get(`${base}${pub.theme.en}`), { fr: `${base}${pub.theme.fr}`, en: `${base}${pub.theme.en}` });
    await visitor.goto(`${base}${pub.theme.en}`);
    assert.ok(flat(await visitor.locator('main').textContent()).includes(flat(was.en)), 'the English page keeps its English');
  });

  test('the translator writes the English, refused French and publishing; the second editor, who had the theme open, gets the conflict view and loses nothing', async () => {
    const { page, t } = translator;
    await open(translator, themeUrl, 'theme editor (translator)');
    const readonly = (p: Person, locale: string) => p.page.locator(`form.editor [name^="${locale}."]`).evaluateAll((els) => els.map((e) => e.hasAttribute('readonly')));
    const fr = await readonly(translator, 'fr');
    assert.ok(fr.length > 10 && fr.every(Boolean), 'every French field is read-only for the translator');
    assert.ok((await readonly(translator, 'en')).every((r) => !r), 'the English fields are not');
    // And they look it: a read-only line of text (a title) is shaded like a read-only text box (a lead), unlike an editable one.
    const shade = (locale: string, field: 'title' | 'lead') => page.getByLabel(fieldLabel(translator, locale, field), { exact: true }).evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(await shade('fr', 'title'), await shade('fr', 'lead'));
    assert.notEqual(await shade('fr', 'title'), await shade('en', 'title'));
    assert.equal(await page.getByRole('button', { name: t('admin.content.publishOne') }).count(), 0, 'no publish button');

    // The second editor opens the same theme before the translator saves, and is told who is editing it: the
    // translator, who opened it last (the editor's lease ended when they published it).
    await open(second, themeUrl, 'theme editor (second editor)');
    assert.equal(await second.page.locator('#lease-title').textContent(), second.t('admin.lock.otherTitle', { email: translator.email }));
    // At 1280 px the languages stand side by side, each label and state at the same height, however long the texts.
    const row = second.page.getByLabel(fieldLabel(second, 'fr', 'body', BLOCK_1), { exact: true }).locator('xpath=ancestor::div[contains(@class, "row")][1]');
    const tops = await row.locator('.field-state').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    assert.equal(tops.length, 2);
    assert.equal(tops[0], tops[1], 'the French and English states side by side');

    const enBody = page.getByLabel(fieldLabel(translator, 'en', 'body', BLOCK_1), { exact: true });
    await enBody.fill(lastParagraph(await enBody.inputValue(), NEW_EN).body);
    assert.equal(await submit(page, page.getByRole('button', { name: t('admin.content.save') })), 303);
    assert.equal(await notice(translator), t('admin.content.done.saved'));

    // Forged: publishing, and a French field changed; both refused by the policy (the token and origin are right).
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const refused = t('admin.refused.role');
    for (const path of [`${new URL(themeUrl).pathname}/publish`, '/admin/content/publish']) {
      const r = await forge(translator, base, path, { csrf });
      assert.equal(r.status, 403, path);
      assert.ok(r.text.includes(refused), `${path}: refused for the role, not the token`);
    }
    const form = await formValues(page, 'form.editor');
    const r = await forge(translator, base, new URL(themeUrl).pathname, { ...form, 'fr.lead': 'Une phrase du traducteur.' });
    assert.equal(r.status, 403);
    assert.ok(r.text.includes(refused));
    await page.reload();
    assert.equal(await page.getByLabel(fieldLabel(translator, 'fr', 'lead'), { exact: true }).inputValue(), was.lead, 'the French lead is unchanged');

    // The second editor's form is now stale: the save is refused with both versions, theirs merged in.
    const s = second;
    const lead = s.page.getByLabel(fieldLabel(s, 'fr', 'lead'), { exact: true });
    await lead.fill(NEW_LEAD);
    assert.equal(await submit(s.page, s.page.getByRole('button', { name: s.t('admin.content.save') })), 409);
    assert.equal(await s.page.locator('#conflict-title').textContent(), s.t('admin.conflict.title'));
    const intro = flat(await s.page.locator('.conflict-intro').textContent());
    assert.ok(intro.includes(TRANSLATOR) && intro.includes(flat(s.t('admin.conflict.none'))), 'who saved meanwhile; no field changed by both');
    assert.equal(await s.page.locator('.theirs').count(), 0);
    assert.equal(await lead.inputValue(), NEW_LEAD, 'yours: the second editor’s lead');
    assert.ok((await s.page.getByLabel(fieldLabel(s, 'en', 'body', BLOCK_1), { exact: true }).inputValue()).includes(NEW_EN), 'theirs: the translator’s English');
    await checks.admin(s.page, 'conflict view');
    await shot(s.page, 'conflict-merged', s.locale);
    assert.equal(await submit(s.page, s.page.getByRole('button', { name: s.t('admin.content.save') })), 303);
    assert.equal(await notice(s), s.t('admin.content.done.saved'));
    // Nothing lost: the draft has the editor's French, the translator's English and the second editor's lead.
    await s.page.reload();
    assert.ok((await s.page.getByLabel(fieldLabel(s, 'fr', 'body', BLOCK_1), { exact: true }).inputValue()).includes(NEW_FR));
    assert.ok((await s.page.getByLabel(fieldLabel(s, 'en', 'body', BLOCK_1), { exact: true }).inputValue()).includes(NEW_EN));
    assert.equal(await lead.inputValue(), NEW_LEAD);
  });

  test('the editor sees the change in the history, restores the revision from before it and publishes: visitors see the original paragraph', async () => {
    const { page, t } = editor;
    await open(editor, themeUrl, 'theme editor, after the conflict');
    await page.getByRole('link', { name: t('admin.history.link'), exact: true }).click();
    await checks.admin(page, 'history');
    const mine = page.locator('ol.history > li', { hasText: 'L’appel du 18 juin, en une phrase' });
    const words = async (tag: string) => flat((await mine.locator(`.words ${tag}`).allTextContents()).join(' '));
    assert.match(await words('ins'), /lance .*Britanniques/);
    assert.match(await words('del'), /s’adresse .*France libre/);
    // The revision before the editor's: the next one down the list (newest first).
    const before = mine.locator('xpath=following-sibling::li[1]');
    const n = Number((await before.getAttribute('id'))!.replace('revision-', ''));
    assert.equal(await submit(page, before.getByRole('button', { name: t('admin.history.restore', { n }) })), 303);
    assert.equal(await notice(editor), t('admin.content.done.restored'));
    assert.equal(await page.getByLabel(fieldLabel(editor, 'fr', 'lead'), { exact: true }).inputValue(), was.lead);
    assert.equal(await submit(page, page.getByRole('button', { name: t('admin.content.publishOne') })), 303);
    assert.equal(await notice(editor), t('admin.content.done.published'));
    await checks.admin(page, 'theme editor, restored and published');

    await waitForPublic(visitor, `${base}${pub.theme.fr}`, (html) => !html.includes(NEW_FR), 'the original paragraph');
    await visitor.goto(`${base}${pub.theme.fr}`);
    const fr = flat(await visitor.locator('main').textContent());
    assert.ok(fr.includes(flat(was.fr)) && !fr.includes(NEW_LEAD), 'the original French paragraph and lead');
    await visitor.goto(`${base}${pub.theme.en}`);
    const en = flat(await visitor.locator('main').textContent());
    assert.ok(en.includes(flat(was.en)) && !en.includes(NEW_EN), 'the original English paragraph');
    // The order of the visit was another document: it stays as published.
    await visitor.goto(`${base}${pub.visit.fr}`);
    assert.deepEqual(await publicOrder(), [was.order[1], was.order[0], ...was.order.slice(2)]);
  });

  test('pictures of the editorial pages at 375 and 1280 px, in French and English', { skip: !screenshots && 'ADMIN_SCREENSHOTS is not set' }, async () => {
    let i = 0;
    for (const locale of ['fr', 'en'] as const) {
      for (const width of [375, 1280]) {
        for (const p of [admin, editor, second, translator]) await viewAs(p, base, locale, width);
        await admin.page.goto(`${base}/admin`);
        await shot(admin.page, 'home', locale);
        await editor.page.goto(themeUrl);
        await shot(editor.page, 'theme-editor', locale);
        await translator.page.goto(themeUrl);
        await shot(translator.page, 'translation', locale);
        await editor.page.goto(`${themeUrl}/history`);
        await shot(editor.page, 'history', locale);
        await editor.page.goto(visitUrl);
        await shot(editor.page, 'visit-order', locale);
        // Both change the lead: the conflict view shows theirs under the editor's own.
        i += 1;
        await editor.page.goto(themeUrl);
        await second.page.goto(themeUrl);
        await second.page.getByLabel(fieldLabel(second, 'fr', 'lead'), { exact: true }).fill(`${was.lead} (${i}, ${SECOND})`);
        assert.equal(await submit(second.page, second.page.getByRole('button', { name: second.t('admin.content.save') })), 303);
        await editor.page.getByLabel(fieldLabel(editor, 'fr', 'lead'), { exact: true }).fill(`${was.lead} (${i}, ${EDITOR})`);
        assert.equal(await submit(editor.page, editor.page.getByRole('button', { name: editor.t('admin.content.save') })), 409);
        assert.equal(await editor.page.locator('.theirs').count(), 1);
        await shot(editor.page, 'conflict', locale);
      }
    }
  });
});
