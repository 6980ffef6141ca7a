import { createHash } from 'node:crypto';
import type { Museum } from '../../modules/content/content.schema.ts';
import { darkVariant } from '../../shared/contrast.ts';

// The museum's own look (museum.style, docs/design.md): a small stylesheet
// after the site's, that sets its colour in the light and the dark scheme and
// its typeface. It depends on the content only: the render worker and the
// server thread compute the same text, so the same content-hashed address
// (/assets/museum.<hash>.css, cached for a year), without passing it around.
// Print keeps the site's black (the rules are for screens).

/** The site's own accent (site.css's --accent, light): what a museum without museum.style shows. */
export const DEFAULT_ACCENT = '#7d1f1f';

export interface MuseumStyleSheet {
  path: string;
  css: string;
}

const sheets = new WeakMap<Museum, MuseumStyleSheet | null>();

/** The museum's stylesheet, or undefined when it keeps the site's look. */
export function museumStyleSheet(m: Museum): MuseumStyleSheet | undefined {
  let s = sheets.get(m);
  if (s === undefined) sheets.set(m, (s = build(m)));
  return s ?? undefined;
}

function build(m: Museum): MuseumStyleSheet | null {
  const st = m.style;
  const rules: string[] = [];
  const a = st?.accent;
  if (a) rules.push(`@media screen { :root { --accent: ${a}; --button-bg: ${a}; --button-line: ${a}; --map-marker: ${a}; } }`);
  const d = st?.accent_dark ?? (a ? darkVariant(a) : undefined);
  // Dark: links and markers in the light variant; the button keeps the accent itself (white on it reads at AA: bundle.validate).
  if (d) rules.push(`@media screen and (prefers-color-scheme: dark) { :root { --accent: ${d}; --button-line: ${d}; --map-marker: ${d};${a ? ` --button-bg: ${a};` : ''} } }`);
  if (st?.font === 'sans') rules.push(':root { --text-font: var(--sans); }');
  if (!rules.length) return null;
  const css = `/* ${m.id}: museum.style */\n${rules.join('\n')}\n`;
  return { css, path: `/assets/museum.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css` };
}
