import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { Db } from '../src/db/connection.ts';
import { addUserOrLink } from '../src/modules/auth/users.service.ts';
import { createApp } from '../src/app.ts';
import { importBundle } from '../src/modules/bundle/bundle.service.ts';
import { buildAssets, type BuiltAssets } from '../src/web/assets.ts';
import { SiteStore } from '../src/web/site/site.service.ts';
import { FIXTURE, memoryDb, PUBLIC_URL, testStore } from './harness.ts';

const ORIGIN = new URL(PUBLIC_URL).origin;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0';

/**
 * A browser for the administration's tests, through `app.request`: its cookies
 * (path /admin), its address (the socket's), its user agent and, if given, its
 * language; a form is posted from our own origin unless `headers` say
 * otherwise (an empty value drops a header). `app()` is asked at each request:
 * the tests build their app in before().
 */
export class AdminBrowser {
  cookies = new Map<string, string>();
  constructor(readonly app: () => Hono, readonly address = '192.0.2.10', readonly userAgent = FIREFOX, readonly language?: string) {}
  /** `form` as pairs when a field is sent more than once (checkboxes). */
  async request(path: string, init: { method?: string; form?: Record<string, string> | [string, string][]; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent, ...(this.language ? { 'accept-language': this.language } : {}),
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'sec-fetch-site': 'same-origin' } : {}), ...init.headers,
    };
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    if (this.cookies.size) headers.cookie = [...[...this.cookies].map(([k, v]) => `${k}=${v}`), ...(headers.cookie ? [headers.cookie] : [])].join('; ');
    const r = await this.app().request(`${PUBLIC_URL}${path}`, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}) }, { incoming: { socket: { remoteAddress: this.address } } });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (/Max-Age=0/.test(c)) this.cookies.delete(k!);
      else this.cookies.set(k!, v!);
    }
    return r;
  }
  async page(path: string): Promise<{ r: Response; html: string; csrf: string | undefined }> {
    const r = await this.request(path);
    const html = await r.text();
    return { r, html, csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] };
  }
}

/** The password every test user sets. */
export const STAFF_PASSWORD = 'Drôme-pont-de-1944';

/**
 * Staff for the tests: a user made as the CLI does (with a translator's languages, if given) whose password is set
 * through its link's page; a browser signed in as one (its home's CSRF token with it). `browser()` makes a new one.
 */
export function staffTools(db: () => Db, now: () => Date, browser: () => AdminBrowser) {
  async function userWithPassword(email: string, role: string, locales?: string[]): Promise<string> {
    const link = await addUserOrLink(db(), now(), email, role, locales);
    const b = browser();
    const { csrf } = await b.page(`/admin/password/${link.token}`);
    const r = await b.request(`/admin/password/${link.token}`, { form: { csrf: csrf!, password: STAFF_PASSWORD, confirm: STAFF_PASSWORD } });
    assert.equal(r.status, 303);
    return link.user.id;
  }
  async function signedIn<B extends AdminBrowser>(email: string, b: B): Promise<{ b: B; csrf: string }> {
    const { csrf } = await b.page('/admin/sign-in');
    const r = await b.request('/admin/sign-in', { form: { csrf: csrf!, email, password: STAFF_PASSWORD } });
    assert.equal(r.status, 303, await r.clone().text());
    const home = await b.page('/admin');
    assert.equal(home.r.status, 200);
    return { b, csrf: home.csrf! };
  }
  return { userWithPassword, signedIn };
}

/** A new staff member (a translator with `locales`) who has set their password and signed in, in a browser of `language`. */
export async function signedInStaff(app: () => Hono, db: Db, now: () => Date, email: string, role: string, opts: { locales?: string[]; language?: string } = {}): Promise<AdminBrowser> {
  const link = await addUserOrLink(db, now(), email, role, opts.locales);
  const b = new AdminBrowser(app, undefined, undefined, opts.language ?? 'en');
  const p = await b.page(`/admin/password/${link.token}`);
  const set = await b.request(`/admin/password/${link.token}`, { form: { csrf: p.csrf!, password: STAFF_PASSWORD, confirm: STAFF_PASSWORD } });
  if (set.status !== 303) throw new Error(`setting the password of ${email}: ${set.status}`);
  const s = await b.page('/admin/sign-in');
  const signIn = await b.request('/admin/sign-in', { form: { csrf: s.csrf!, email, password: STAFF_PASSWORD } });
  if (signIn.status !== 303) throw new Error(`signing in ${email}: ${signIn.status}`);
  return b;
}

/**
 * The fixture museum's site with its administration, on an in-memory
 * database and the clock `now`, served over https (secure cookies); `plain`
 * is the same site without the administration. close() stops both.
 */
export async function adminSite(now: () => Date): Promise<{ db: Db; assets: BuiltAssets; site: SiteStore; app: Hono; plain: Hono; close(): Promise<void> }> {
  const db = await memoryDb();
  await importBundle(db, FIXTURE, testStore());
  const assets = await buildAssets();
  const site = new SiteStore(db, PUBLIC_URL, assets, undefined, {});
  await site.refresh();
  const app = createApp({ site, assets, store: testStore(), secureCookies: true, admin: { db, publicUrl: PUBLIC_URL, now } });
  const plain = createApp({ site, assets, store: testStore(), secureCookies: true });
  return { db, assets, site, app, plain, close: async () => { await site.stop(); await db.destroy(); } };
}

/** The fields of the form posting to `action`, as a browser would post them: inputs (checkboxes when checked) and textareas. */
export function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string> = {};
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1];
    if (!name || value === undefined) continue;
    if (/type="checkbox"/.test(attrs) && !/\schecked(=|\s|$)/.test(attrs)) continue;
    out[name] = unescape(value);
  }
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = unescape(m[2]!);
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected/.exec(m[2]!) ?? /<option value="([^"]*)"/.exec(m[2]!);
    if (selected) out[m[1]!] = unescape(selected[1]!);
  }
  return out;
}
