// Which language to show at "/": an explicit, remembered choice first (the
// visitor picked it on this site), then the browser's Accept-Language, then
// the museum's default language.

import { weightedList } from './weights.ts';

export const LANG_COOKIE = 'parcours_lang';

export function parseAcceptLanguage(header: string | undefined): string[] {
  return weightedList(header)
    .filter((x) => x.name !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((x) => x.name);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function negotiateLocale(opts: { cookie?: string | undefined; acceptLanguage?: string | undefined; locales: string[]; defaultLocale: string }): string {
  const { locales } = opts;
  const remembered = readCookie(opts.cookie, LANG_COOKIE);
  if (remembered && locales.includes(remembered)) return remembered;
  for (const tag of parseAcceptLanguage(opts.acceptLanguage)) {
    const exact = locales.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    const primary = tag.split('-')[0];
    const partial = locales.find((l) => l.toLowerCase().split('-')[0] === primary);
    if (partial) return partial;
  }
  return opts.defaultLocale;
}

/**
 * Headers that remember a page's language as the visitor's choice. A response
 * that sets the cookie is private, so that a shared cache never hands one
 * visitor's cookie to another; once the cookie matches, pages are public again.
 */
export function rememberLocale(cookieHeader: string | undefined, locale: string, secure: boolean): Record<string, string> {
  if (readCookie(cookieHeader, LANG_COOKIE) === locale) return {};
  return {
    'Set-Cookie': `${LANG_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure ? '; Secure' : ''}`,
    'Cache-Control': 'private, no-cache',
  };
}
