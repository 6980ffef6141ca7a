import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import opentype from 'opentype.js';
import sharp from 'sharp';
import { SHARE_HEIGHT, SHARE_WIDTH } from './routes.ts';

// The image a page shows when it is shared (og:image): 1200 × 630, the
// museum's name, the page's kicker and title in the site's typeface (Source
// Serif 4, drawn as paths: no font needs to be installed where it renders) on
// the site's paper, with a band of the museum's colour. Drawn on request by
// the render worker and cached with the pages (site.service.ts).


const require = createRequire(import.meta.url);
type Font = opentype.Font;
let fonts: { regular: Font[]; semibold: Font[] } | undefined;

/** The Latin faces first, then Latin Extended for the letters they lack (Oświęcim). */
function loadFonts(): { regular: Font[]; semibold: Font[] } {
  if (fonts) return fonts;
  const dir = join(dirname(require.resolve('@fontsource/source-serif-4/package.json')), 'files');
  const load = (file: string) => {
    const b = readFileSync(join(dir, file));
    return opentype.parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  fonts = {
    regular: [load('source-serif-4-latin-400-normal.woff'), load('source-serif-4-latin-ext-400-normal.woff')],
    semibold: [load('source-serif-4-latin-600-normal.woff'), load('source-serif-4-latin-ext-600-normal.woff')],
  };
  return fonts;
}

/** Runs of text each drawn by the first face that has all its letters (a letter none has keeps the first face's). */
function runs(text: string, faces: Font[]): { text: string; font: Font }[] {
  const out: { text: string; font: Font }[] = [];
  for (const ch of text) {
    const font = faces.find((f) => f.charToGlyphIndex(ch) > 0) ?? faces[0]!;
    const last = out.at(-1);
    if (last?.font === font) last.text += ch;
    else out.push({ text: ch, font });
  }
  return out;
}

const n = (v: number) => String(Math.round(v * 10) / 10);
/** SVG path data of a glyph's commands, one decimal (opentype.js 2.0's toPathData wrote NaN for some glyphs). */
function pathData(commands: opentype.PathCommand[]): string {
  return commands.map((c) => {
    switch (c.type) {
      case 'M': case 'L': return `${c.type}${n(c.x)} ${n(c.y)}`;
      case 'Q': return `Q${n(c.x1)} ${n(c.y1)} ${n(c.x)} ${n(c.y)}`;
      case 'C': return `C${n(c.x1)} ${n(c.y1)} ${n(c.x2)} ${n(c.y2)} ${n(c.x)} ${n(c.y)}`;
      default: return 'Z';
    }
  }).join('');
}

/**
 * Lays a line out glyph by glyph: advance widths and pair kerning done here
 * (opentype.js 2.0's own string layout gave NaN positions after some pairs).
 * `draw` receives each glyph's path data; the result is the line's width.
 */
function layOut(text: string, faces: Font[], size: number, x: number, y: number, draw?: (d: string) => void): number {
  let at = x;
  for (const r of runs(text, faces)) {
    const scale = size / r.font.unitsPerEm;
    const glyphs = r.font.stringToGlyphs(r.text);
    glyphs.forEach((g, i) => {
      if (draw) draw(pathData(g.getPath(at, y, size).commands));
      const next = glyphs[i + 1];
      const kern = next ? r.font.getKerningValue(g, next) : 0;
      at += ((g.advanceWidth ?? 0) + (Number.isFinite(kern) ? kern : 0)) * scale;
    });
  }
  return at - x;
}

const width = (text: string, faces: Font[], size: number) => layOut(text, faces, size, 0, 0);

/** The path data of one line of text from (x, baseline). */
function linePath(text: string, faces: Font[], size: number, x: number, y: number): string {
  let d = '';
  layOut(text, faces, size, x, y, (p) => { d += p; });
  return d;
}

/** Words on lines no wider than `max`, at most `lines` of them; what does not fit ends in an ellipsis. */
export function wrapText(text: string, max: number, lines: number, measure: (s: string) => number): string[] {
  const words = text.split(/ +/).filter(Boolean);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (measure(next) <= max || !line) line = next;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  let last = `${kept[lines - 1]!} ${out[lines]!}`;
  while (last.includes(' ') && measure(`${last}…`) > max) last = last.slice(0, last.lastIndexOf(' '));
  kept[lines - 1] = `${last.replace(/[\s,;:.–—-]+$/, '')}…`;
  return kept;
}

export interface ShareText {
  museum: string;
  kicker?: string | undefined;
  title: string;
  /** The site's address without its scheme, at the foot. */
  site: string;
  accent: string;
}

const MARGIN = 96;
const escapeAttr = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The SVG of a sharing image (paths only). */
export function shareSvg(t: ShareText): string {
  const { regular, semibold } = loadFonts();
  const max = SHARE_WIDTH - 2 * MARGIN;
  // The title as large as three lines allow, from 76 px down to 52.
  let size = 76;
  let title = wrapText(t.title, max, 3, (s) => width(s, semibold, size));
  while (size > 52 && (title.length > 2 || title.some((l) => width(l, semibold, size) > max))) {
    size -= 8;
    title = wrapText(t.title, max, 3, (s) => width(s, semibold, size));
  }
  const museum = wrapText(t.museum, max, 1, (s) => width(s, regular, 32))[0] ?? '';
  const parts: string[] = [
    `<rect width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" fill="#fbfaf7"/>`,
    `<rect width="24" height="${SHARE_HEIGHT}" fill="${escapeAttr(t.accent)}"/>`,
    `<path fill="#57524a" d="${linePath(museum, regular, 32, MARGIN, 118)}"/>`,
    `<rect x="${MARGIN}" y="146" width="120" height="4" fill="${escapeAttr(t.accent)}"/>`,
  ];
  let y = 250;
  if (t.kicker) {
    parts.push(`<path fill="${escapeAttr(t.accent)}" d="${linePath(t.kicker, semibold, 34, MARGIN, y)}"/>`);
    y += 30;
  }
  y += size;
  for (const line of title) {
    parts.push(`<path fill="#1f1d1a" d="${linePath(line, semibold, size, MARGIN, y)}"/>`);
    y += Math.round(size * 1.18);
  }
  parts.push(`<path fill="#57524a" d="${linePath(t.site, regular, 28, MARGIN, SHARE_HEIGHT - 64)}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" viewBox="0 0 ${SHARE_WIDTH} ${SHARE_HEIGHT}">${parts.join('')}</svg>`;
}

/**
 * The sharing image as a PNG (sharp, on libuv's thread pool), in memory of
 * its own: sharp's buffers live outside V8's heap and cannot be transferred
 * to another thread (the render worker posts its bodies by transfer).
 */
export async function shareImage(t: ShareText): Promise<Buffer> {
  const png = await sharp(Buffer.from(shareSvg(t))).png({ compressionLevel: 9, palette: true, quality: 90 }).toBuffer();
  const own = Buffer.alloc(png.length);
  png.copy(own);
  return own;
}
