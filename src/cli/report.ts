import type { Content } from '../modules/content/content.schema.ts';
import { contentStats, type DocStats } from '../modules/content/content.stats.ts';
import { isAppError } from '../shared/errors.ts';

/** Prints an error as people read it (one line, then any details) and exits non-zero. */
export function reportAndExit(e: unknown): never {
  if (isAppError(e)) {
    console.error(`parcours: ${e.message}`);
    for (const d of e.details) console.error(`  ${d}`);
  } else {
    console.error(`parcours: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.PARCOURS_DEBUG === '1' && e instanceof Error) console.error(e.stack);
  }
  process.exit(1);
}

/**
 * A curator's table of every document's reading length per language, and
 * what is not translated: the whole document ("—") or some of its sections.
 */
export function formatStats(c: Content): string {
  const stats = contentStats(c);
  const [def, ...others] = c.museum.locales;
  // With several visits, a theme is named by its visit and its position in it.
  const visits = c.visits.length > 1 ? Math.max(...c.visits.map((v) => v.id.length)) + 1 : 0;
  const name = (s: DocStats) => `${s.kind.padEnd(7)}${(s.kind === 'theme' && visits ? s.visit ?? '' : '').padEnd(visits)}${s.kind === 'theme' ? String(s.position).padStart(3) : '   '}  ${s.id}`;
  const width = Math.max(...stats.map((s) => name(s).length));
  const lines = [`Words per language (lead and text sections; "—" = not translated, visitors see ${def}):`];
  for (const s of stats) {
    const cols = c.museum.locales.map((l) => `${l} ${s.words[l] === undefined ? '    —' : String(s.words[l]).padStart(5)}`);
    lines.push(`  ${name(s).padEnd(width)}  ${cols.join('  ')}`);
  }
  const gaps = stats.flatMap((s) => others.filter((l) => s.missingSections[l]!.length).map((l) => `  ${l}: ${name(s).replace(/\s+/g, ' ')}: ${s.missingSections[l]!.join(', ')}`));
  if (gaps.length) lines.push('', `Sections not translated (visitors see ${def}):`, ...gaps);
  return lines.join('\n');
}
