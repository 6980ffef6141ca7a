import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { languageName, translator, type MessageKey, type Translate } from '../../src/i18n/messages.ts';
import { LANG_COOKIE } from '../../src/web/http/locale.ts';

// What the curators' journey (editorial.test.ts) does again and again: one
// person per browser context (JavaScript off), signing in, submitting a form
// and reading its status, forging a POST, axe on every admin page, pictures.

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
export const PASSWORD = 'Drôme-pont-de-1944';
const SCREENSHOTS = process.env.ADMIN_SCREENSHOTS;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Someone on the staff: their own browser context (no script), their language and its catalogue. */
export interface Person {
  email: string;
  context: BrowserContext;
  page: Page;
  locale: 'fr' | 'en';
  t: Translate;
}

/** A page of a new browser context without script, where any dialog fails the test. */
export async function newPage(browser: Browser, locale: 'fr' | 'en', width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled: false, locale: locale === 'fr' ? 'fr-FR' : 'en-GB' });
  const page = await context.newPage();
  page.on('dialog', (d) => {
    void d.dismiss();
    assert.fail(`a dialog opened: ${d.message()}`);
  });
  return page;
}

export async function person(browser: Browser, email: string, locale: 'fr' | 'en', width: number): Promise<Person> {
  const page = await newPage(browser, locale, width);
  return { email, context: page.context(), page, locale, t: translator(locale) };
}

/** The label of a text field in the editor: "Bloc 1 (texte), texte (Markdown) (français)", "Chapeau (français)". */
export function fieldLabel(p: Person, locale: string, field: 'title' | 'slug' | 'summary' | 'lead' | 'body', block?: { n: number; kind: string }): string {
  const { t } = p;
  const name = t(`admin.content.field.${field}` as MessageKey);
  const label = block ? t('admin.content.blockField', { n: block.n, kind: t(`admin.content.kind.${block.kind}` as MessageKey), field: name }) : name;
  return `${label} (${languageName(locale, p.locale)})`;
}

/** Clicks a form's button and waits for the page it leads to; the status of the POST's own answer. */
export async function submit(page: Page, button: Locator): Promise<number> {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest());
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState();
  return status;
}

/** Sets the password through a link, then signs in: the person lands on the admin's home. With `checks`, both pages are checked. */
export async function setPasswordAndSignIn(p: Person, link: string, checks?: Checks): Promise<void> {
  const { page, t } = p;
  await page.goto(link);
  await checks?.admin(page, `password (${p.locale})`);
  await page.getByLabel(t('admin.password.new')).fill(PASSWORD);
  await page.getByLabel(t('admin.password.confirm')).fill(PASSWORD);
  assert.equal(await submit(page, page.getByRole('button', { name: t('admin.password.submit') })), 303);
  assert.match(page.url(), /\/admin\/sign-in\?done=password$/);
  await checks?.admin(page, `sign-in (${p.locale})`);
  await page.getByLabel(t('admin.signIn.email')).fill(p.email);
  await page.getByLabel(t('admin.signIn.password'), { exact: true }).fill(PASSWORD);
  await submit(page, page.getByRole('button', { name: t('admin.signIn.submit') }));
  assert.match(page.url(), /\/admin$/);
}

/** A form of the page as the browser would send it (its fields and their current values). */
export async function formValues(page: Page, selector: string): Promise<Record<string, string>> {
  return page.locator(selector).evaluate((form) => Object.fromEntries([...new FormData(form as HTMLFormElement)].map(([k, v]) => [k, String(v)])));
}

/** A POST the page did not offer, with this person's cookies, CSRF token and our own Origin: only the policy stops it. */
export async function forge(p: Person, base: string, path: string, form: Record<string, string>): Promise<{ status: number; text: string }> {
  const r = await p.page.request.post(`${base}${path}`, { form, headers: { Origin: base }, maxRedirects: 0 });
  return { status: r.status(), text: await r.text() };
}

/** Waits until `test` holds of the public page at `url` (the site follows the database every 200 ms), fetched without cookies. */
export async function waitForPublic(visitor: Page, url: string, test: (html: string) => boolean, what: string): Promise<void> {
  const until = Date.now() + 15_000;
  for (;;) {
    const r = await visitor.request.get(url);
    if (r.ok() && test(await r.text())) return;
    assert.ok(Date.now() < until, `the public site never showed ${what} at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Text with every run of spaces (non-breaking ones included) as one space. */
export const flat = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** The sitemap's theme pages: each address with its alternates (hreflang → address). */
export function sitemapThemes(xml: string, visitPaths: string[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const [, entry] of xml.matchAll(/<url>(.*?)<\/url>/gs)) {
    const loc = /<loc>([^<]+)<\/loc>/.exec(entry!)![1]!;
    if (!visitPaths.some((v) => new URL(loc).pathname.startsWith(`${v}/`))) continue;
    out.set(loc, Object.fromEntries([...entry!.matchAll(/hreflang="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1]!, m[2]!])));
  }
  return out;
}

/**
 * axe on admin pages and what else each page must pass. axe needs timers, which a page without script does not
 * run: the page's document as the person sees it is served again, at its address and viewport, to a page of its
 * own with script, where axe runs (its stylesheet is the admin's own, fetched again).
 */
export class Checks {
  private page: Page | undefined;
  constructor(private readonly browser: Browser) {}

  async admin(page: Page, label: string): Promise<void> {
    const viewport = page.viewportSize()!;
    if (viewport.width <= 375) {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= viewport.width, `no sideways scrolling at ${viewport.width} px on ${label} (${width} px)`);
    }
    const html = await page.content();
    const url = page.url();
    this.page ??= await (await this.browser.newContext({ bypassCSP: true })).newPage();
    const axePage = this.page;
    await axePage.setViewportSize(viewport);
    const same = (u: URL) => u.href === url;
    await axePage.route(same, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await axePage.goto(url);
    await axePage.unroute(same);
    await axePage.addScriptTag({ path: AXE });
    const violations = await axePage.evaluate(async (tags) => {
      const a = (window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const r = await a.run(document, { runOnly: { type: 'tag', values: tags } });
      return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    }, AXE_TAGS);
    assert.deepEqual(violations, [], `axe on ${label}`);
  }

  async close(): Promise<void> {
    await this.page?.context().close();
  }
}

export const screenshots = SCREENSHOTS !== undefined && SCREENSHOTS !== '';

/** A full-page picture into $ADMIN_SCREENSHOTS, when it is set: editorial-<what>-<width>-<language>.png. */
export async function shot(page: Page, what: string, locale: string): Promise<void> {
  if (!screenshots) return;
  await page.screenshot({ path: join(SCREENSHOTS!, `editorial-${what}-${page.viewportSize()!.width}-${locale}.png`), fullPage: true });
}

/** The same person's pages in another language (as if they had chosen it on the public site) and width, for the pictures. */
export async function viewAs(p: Person, base: string, locale: 'fr' | 'en', width: number): Promise<void> {
  await p.context.addCookies([{ name: LANG_COOKIE, value: locale, url: base }]);
  await p.page.setViewportSize({ width, height: 800 });
  p.t = translator(locale);
  p.locale = locale;
}
