import { isPending, licenceGranted, mediaIdsOf, type Content } from '../modules/content/content.schema.ts';
import type { MediaProgress } from '../modules/media/media.import.ts';
import { contentStats, untranslated, type DocStats } from '../modules/content/content.stats.ts';
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

/** What the site says of the open data's licence, for the curator: granted, only proposed, or none. */
export function formatLicence(c: Content): string {
  const l = c.museum.data_licence;
  if (!l) return 'Open data licence: none stated (the map page asks readers to ask the museum before reusing the data).';
  if (!licenceGranted(l)) return `Open data licence: ${l.name}, PROPOSED, not yet confirmed by the museum (the map page says so and asks readers to ask before reuse; set status: confirmed once the museum grants it).`;
  return `Open data licence: ${l.name}, confirmed (${l.url}).`;
}

/**
 * The media items the content names that have no file yet, and where they
 * would appear: the museum's list of images and films still to supply.
 */
export function formatPendingMedia(c: Content): string {
  const pending = c.media.filter(isPending);
  if (!pending.length) return 'Media: every item has its file.';
  const where = (id: string) => c.docs.filter((d) => mediaIdsOf(d).includes(id)).map((d) => `${d.kind} ${d.id}`);
  const shown = c.museum.pending_media === 'show'
    ? 'shown to visitors as a "to come" notice (museum.pending_media: show)'
    : 'not shown to visitors; set museum.pending_media: show in bundle.yaml to show a "to come" notice';
  const lines = [`Media without a file yet: ${pending.length} of ${c.media.length}, ${shown}:`];
  for (const m of pending) {
    const docs = where(m.id);
    lines.push(`  ${m.id} (${m.kind}): ${docs.length ? `in ${docs.join(', ')}` : 'not used by any document'}`);
  }
  return lines.join('\n');
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
  lines.push(...formatUntranslated(c, def ?? '', others));
  return lines.join('\n');
}

/**
 * Every field a language lacks, per language, then per entry ("event lib-valence:
 * title, description"), with counts: what a translator has left to do.
 */
function formatUntranslated(c: Content, def: string, others: string[]): string[] {
  const gaps = untranslated(c);
  if (!gaps.length) return others.length ? ['', `Every text is translated into ${others.join(', ')}.`] : [];
  const lines = ['', `Not translated yet (visitors see the ${def} text instead):`];
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  for (const l of others) {
    const mine = gaps.filter((g) => g.locale === l);
    if (!mine.length) continue;
    const entries = new Map<string, string[]>();
    for (const g of mine) {
      const key = `${g.entity} ${g.id}`;
      entries.set(key, [...(entries.get(key) ?? []), g.field === '*' ? 'the whole document (no file in this language)' : g.field]);
    }
    lines.push(`  ${l}: ${plural(mine.length, 'field')} in ${plural(entries.size, 'entry').replace('entrys', 'entries')}`);
    for (const [key, fields] of entries) lines.push(`    ${key}: ${fields.join(', ')}`);
  }
  return lines;
}

/**
 * Progress of the media work of an import or check, on stderr. Quiet while the
 * work is quick; after a second it shows which file it is on (one updating
 * line on a terminal, one line per file otherwise) and how long it took.
 */
export function mediaProgress(stream: NodeJS.WriteStream = process.stderr): (p: MediaProgress) => void {
  let shown = false;
  return (p) => {
    const finished = p.done === p.total;
    if (p.elapsedMs < 1000 && !shown) return;
    shown = true;
    const line = finished
      ? `Media: ${p.total} file${p.total === 1 ? '' : 's'} ready in ${(p.elapsedMs / 1000).toFixed(1)} s`
      : `Media: ${p.done + 1}/${p.total} ${p.path} (${(p.elapsedMs / 1000).toFixed(1)} s)`;
    if (stream.isTTY) stream.write(`\r\x1b[2K${line}${finished ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
}
