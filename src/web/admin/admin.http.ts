import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { negotiateLocale, readCookie } from '../http/locale.ts';
import { UI_LOCALES } from '../../i18n/messages.ts';

// The administration's HTTP rules (docs/decisions/0021): its cookies, its
// CSRF checks, its language. The headers every /admin answer carries are set
// by security.ts (adminHeaderValues).

export const SESSION_COOKIE = 'parcours_admin';
/** The per-form token of the forms shown before sign-in (double submit: this cookie and the form's field). */
export const FORM_COOKIE = 'parcours_admin_form';
const FORM_COOKIE_SECONDS = 60 * 60;
export const CSRF_FIELD = 'csrf';

function cookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=/admin; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
export const sessionCookie = (token: string, expiresAt: Date, now: Date, secure: boolean): string => cookie(SESSION_COOKIE, token, (expiresAt.getTime() - now.getTime()) / 1000, secure);
export const clearSessionCookie = (secure: boolean): string => cookie(SESSION_COOKIE, '', 0, secure);
export const formCookie = (token: string, secure: boolean): string => cookie(FORM_COOKIE, token, FORM_COOKIE_SECONDS, secure);

export const sessionTokenOf = (c: Context): string | undefined => readCookie(c.req.header('cookie'), SESSION_COOKIE);

/** The form token already in the browser's cookie (kept so that two open tabs both work), or a new one. */
export function formTokenFor(c: Context): { token: string; isNew: boolean } {
  const had = readCookie(c.req.header('cookie'), FORM_COOKIE);
  return had && /^[A-Za-z0-9_-]{43}$/.test(had) ? { token: had, isNew: false } : { token: randomBytes(32).toString('base64url'), isNew: true };
}

/**
 * The anti-CSRF token of a signed-in session: derived from the session's own token, so only its holder can compute
 * it and nothing more is stored (the database's digest of the session token does not give it).
 */
export const csrfTokenOf = (sessionToken: string): string => createHash('sha256').update(`csrf\0${sessionToken}`, 'utf8').digest('base64url');

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether a POST comes from one of our own pages, by what the browser says of its origin: an Origin header that is
 * this server's (its public URL's or the address it was reached at), or, without Origin, Sec-Fetch-Site
 * "same-origin". Any other Sec-Fetch-Site (cross-site, same-site: a sibling subdomain) is refused, and so is a
 * request that says nothing.
 */
export function sameOrigin(c: Context, publicUrl: string | undefined): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return site === 'same-origin';
  const own = new Set([new URL(c.req.url).origin]);
  if (publicUrl) own.add(new URL(publicUrl).origin);
  return own.has(origin);
}

/** The client's address, from the socket (a proxy's X-Forwarded-For is not trusted: anyone can write it). */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** The administration's language: the site's remembered choice, then Accept-Language, among fr, en and de; else English. */
export const adminLocale = (c: Context): string =>
  negotiateLocale({ cookie: c.req.header('cookie'), acceptLanguage: c.req.header('accept-language'), locales: UI_LOCALES, defaultLocale: 'en' });
