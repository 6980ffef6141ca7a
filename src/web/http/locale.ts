// Which language to show at "/": an explicit, remembered choice first (the
// visitor picked it on this site), then the browser's Accept-Language, then
// the museum's default language.

export const LANG_COOKIE = 'parcours_lang';

export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: (tag ?? '').trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0 && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
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
