// The animated liberation map (theme 11): a silent animation, day by day from 20 to
// 31 August 1944, in which each town lights up on the day it was liberated.
// Writes, from the one schedule in liberation-schedule.ts:
//   liberation-drome-1944.mp4 (H.264), .webm (VP9), -poster.jpg,
//   .fr.vtt / .en.vtt (captions) and .fr.md / .en.md (transcripts).
// Frames are drawn with the same map code as the static maps (drome-geo.ts),
// rasterized by sharp into a temporary folder and encoded by ffmpeg.
// Needs Debian's ffmpeg. Run: npx tsx scripts/media/liberation-video.ts
// (`-- --frame 30` only draws the frame at 30 s into /tmp, without ffmpeg).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COLORS, OUT_DIR, TOWNS, baseMap, dateTag, labelAt, bridgeSymbol, ensureDir, loadGeo, makeProjection, marker, place, rasterize, scaleBar, svgDoc, text,
  type NeighbourLabels, type RiverLabels, type TownLabel,
} from './drome-geo.ts';
import { DAYS, TIMING, dayLabel, timeline, typo, type Locale, type TimedDay } from './liberation-schedule.ts';

const W = 1280;
const H = 720;
const PANEL_X = 760;
const NAME = 'liberation-drome-1944';

function requireFfmpeg(): void {
  try {
    execFileSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' });
  } catch {
    console.error('ffmpeg was not found. Install it first (Debian: apt-get install -y ffmpeg), then run this script again.');
    process.exit(1);
  }
}

const geo = loadGeo();
const proj = makeProjection(geo, [[150, 22], [650, 698]]);
const { days, total } = timeline();
const neighbourLabels: NeighbourLabels = {
  '07': { lon: 4.58, lat: 44.95, rotate: -90 },
  '38': { lon: 5.56, lat: 45.22 },
  '84': { lon: 4.9, lat: 44.2 },
  '05': { lon: 5.9, lat: 44.62, rotate: 90 },
};
const riverLabels: RiverLabels = {
  rhone: { lon: 4.715, lat: 44.37, rotate: -82 },
  isere: { lon: 4.97, lat: 45.003, rotate: 12 },
  drome: { lon: 5.225, lat: 44.738, rotate: -8 },
};
const BASE = baseMap(geo, proj, { width: W, height: H, scale: 0.6, neighbourLabels, riverLabels })
  + bridgeSymbol(proj, geo, 0.6)
  + scaleBar(proj, 40, H - 40, 20, 0.6);

type State = 'none' | 'free' | 'retaken';
const clamp01 = (v: number): number => Math.max(0, Math.min(1, v));
const ease = (v: number): number => v * v * (3 - 2 * v);

/** A town's state at time t: the state it is leaving, the one it enters (alpha 0→1), and its dates so far. */
function townAt(town: string, t: number): { from: State; to: State; alpha: number; dates: string[] } {
  let from: State = 'none';
  let to: State = 'none';
  let since = -Infinity;
  const dates: string[] = [];
  for (const d of days) {
    if (d.start > t) break;
    for (const c of d.changes) {
      if (c.town !== town) continue;
      from = to;
      to = c.to;
      since = d.start;
      if (c.to === 'free') dates.push(dayLabel(d.day));
    }
  }
  return { from, to, alpha: ease(clamp01((t - since) / TIMING.fade)), dates };
}

const LABEL = 20;
// At this smaller scale Valréas's date would cross the enclave's border: raise it.
const OVERRIDES: Record<string, Partial<TownLabel>> = { valreas: { dy: -0.25 } };
function drawTown(id: string, state: State, dates: string[], opacity: number): string {
  if (opacity <= 0.001) return '';
  const base = TOWNS.find((x) => x.id === id);
  if (!base) throw new Error(`no label for ${id}`);
  const t = { ...base, ...OVERRIDES[id] };
  const p = place(geo, id);
  const [x, y] = proj([p.lon, p.lat]) ?? [0, 0];
  const [lx, ly] = labelAt(t, x, y, LABEL, state === 'none' ? 9 : 17);
  const s = { size: LABEL, anchor: t.anchor, halo: 6, opacity };
  if (state === 'none') {
    return marker(x, y, { r: 4.5, fill: COLORS.muted, stroke: '#ffffff', strokeWidth: 1.5 }, opacity)
      + text(lx, ly, t.name, { ...s, fill: COLORS.muted });
  }
  const dateLine = state === 'free' ? dates.join(' / ') : (dates[0] ?? '');
  if (state === 'retaken') {
    return marker(x, y, { r: 7, fill: '#ffffff', stroke: COLORS.free, strokeWidth: 3 }, opacity)
      + text(lx, ly, t.name, { ...s, fill: COLORS.town })
      + dateTag(lx, ly + LABEL * 1.12, dateLine, { size: LABEL, anchor: t.anchor, fill: COLORS.muted, opacity });
  }
  return marker(x, y, { r: 8, fill: COLORS.free, stroke: '#ffffff', strokeWidth: 2, ring: { r: 12, stroke: COLORS.free, width: 2 } }, opacity)
    + text(lx, ly, t.name, { ...s, fill: COLORS.town, weight: 'bold' })
    + dateTag(lx, ly + LABEL * 1.12, dateLine, { size: LABEL, anchor: t.anchor, fill: COLORS.freeText, opacity });
}

// The panel: the date, a strip of the twelve days, and the list of towns freed so far.
const ROWS = (() => {
  let y = 262;
  return days.filter((d) => d.changes.some((c) => c.to === 'free')).map((d) => {
    const names = d.changes.filter((c) => c.to === 'free').map((c) => TOWNS.find((x) => x.id === c.town)?.name ?? c.town);
    const row = { day: d, y, names };
    y += names.length * 32 + 12;
    return row;
  });
})();

function panel(t: number): string {
  const out: string[] = [`<rect x="${PANEL_X}" width="${W - PANEL_X}" height="${H}" fill="#ffffff"/>`, `<line x1="${PANEL_X}" x2="${PANEL_X}" y1="0" y2="${H}" stroke="#bdbdbd" stroke-width="2"/>`];
  const current = [...days].reverse().find((d) => d.start <= t);
  const cx = PANEL_X + 44;
  out.push(text(cx, 96, current ? `${dayLabel(current.day)}.1944` : '', { size: 58, weight: 'bold', halo: 0 }));
  // Day strip: 20 … 31.
  const cell = 33;
  const gap = 4;
  days.forEach((d, i) => {
    const x = cx + i * (cell + gap);
    const isNow = current === d;
    const past = current !== undefined && d.day < current.day;
    const fill = isNow ? '#1a1a1a' : past ? '#c8c8c8' : '#ffffff';
    out.push(`<rect x="${x}" y="128" width="${cell}" height="${cell}" fill="${fill}" stroke="${isNow ? '#1a1a1a' : '#9a9a9a'}" stroke-width="1.5"/>`);
    out.push(text(x + cell / 2, 152, String(d.day), { size: 17, anchor: 'middle', weight: isNow ? 'bold' : 'normal', fill: isNow ? '#ffffff' : '#333333', halo: 0 }));
    if (d.changes.length) out.push(`<circle cx="${x + cell / 2}" cy="178" r="4" fill="${COLORS.free}"/>`);
  });
  out.push(`<line x1="${cx}" x2="${W - 40}" y1="214" y2="214" stroke="#d4d4d4" stroke-width="1.5"/>`);
  for (const r of ROWS) {
    if (r.day.start > t) break;
    const op = ease(clamp01((t - r.day.start) / TIMING.fade));
    const isNow = current === r.day;
    out.push(text(cx, r.y, dayLabel(r.day.day), { size: 24, weight: 'bold', fill: isNow ? COLORS.freeText : '#333333', halo: 0, opacity: op }));
    r.names.forEach((n, i) => out.push(text(cx + 100, r.y + i * 32, n, { size: 24, fill: '#1a1a1a', halo: 0, opacity: op })));
  }
  return out.join('\n');
}

/** The whole frame at time t (seconds). */
function frameSvg(t: number): string {
  const towns = [...new Set(DAYS.flatMap((d) => d.changes.map((c) => c.town)))];
  const layers: string[] = [];
  // Grey towns first, so that lit towns and their labels are drawn over them.
  const states = towns.map((id) => ({ id, ...townAt(id, t) }));
  states.sort((a, b) => (a.to === 'none' ? 0 : 1) - (b.to === 'none' ? 0 : 1));
  for (const s of states) {
    if (s.alpha < 1) layers.push(drawTown(s.id, s.from, s.dates, 1 - s.alpha));
    layers.push(drawTown(s.id, s.to, s.dates, s.to === 'none' ? 1 : s.alpha));
  }
  return svgDoc(W, H, [BASE, ...layers, panel(t)].join('\n'));
}

// Captions and transcripts, from the same timeline.
const ts = (s: number): string => {
  const ms = Math.round(s * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const sec = Math.floor(ms / 1000) % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
};

const INTRO: Record<Locale, string> = {
  fr: '[Animation sans son]\nLa Drôme du 20 au 31 août 1944 : chaque ville s’allume le jour de sa libération.',
  en: '[Silent animation]\nThe Drôme from 20 to 31 August 1944: each town lights up on the day it was liberated.',
};

function vtt(locale: Locale): string {
  const cues: string[] = [`00:00:00.000 --> ${ts(TIMING.intro)}\n${INTRO[locale]}`];
  const captioned = days.filter((d): d is TimedDay & { caption: NonNullable<TimedDay['caption']> } => d.caption !== undefined);
  captioned.forEach((d, i) => {
    const next = captioned[i + 1];
    const end = next ? Math.min(next.start, d.end + 2) : total;
    cues.push(`${ts(d.start)} --> ${ts(end)}\n${d.caption[locale]}`);
  });
  return typo(locale, `WEBVTT\n\n${cues.join('\n\n')}\n`);
}

function transcript(locale: Locale): string {
  const secs = Math.round(total);
  const intro = locale === 'fr'
    ? `Cette animation muette de ${secs} secondes montre une carte de la Drôme. Un compteur y fait défiler les jours du 20 au 31 août 1944 ; chaque ville s’allume en rouge le jour de sa libération, avec sa date sous son nom, et rejoint la liste affichée à droite. Un symbole de pont marque le pont de Livron, que la Résistance a fait sauter dans la nuit du 16 au 17 août.`
    : `This ${secs}-second silent animation shows a map of the Drôme. A counter runs through the days from 20 to 31 August 1944; each town lights up in red on the day it was liberated, with the date under its name, and joins the list on the right. A bridge symbol marks the Livron bridge, which the Resistance blew up during the night of 16–17 August.`;
  const body = days.filter((d) => d.transcript).map((d) => d.transcript?.[locale]).join(' ');
  const credit = locale === 'fr'
    ? 'Carte dessinée par le projet Parcours d’après les contours de l’IGN et de l’INSEE (france-geojson) et les dates du musée, complétées par le Musée de la Résistance en ligne.'
    : 'The map was drawn by the Parcours project from IGN and INSEE outlines (france-geojson) and the museum’s dates, completed from the Musée de la Résistance en ligne.';
  return typo(locale, `${intro}\n\n${body}\n\n${credit}\n`);
}

async function main(): Promise<void> {
  requireFfmpeg();
  const work = mkdtempSync(join(tmpdir(), 'parcours-liberation-'));
  try {
    const frames = Math.round(total * TIMING.fps);
    let lastSvg = '';
    let lastPng: Buffer = Buffer.alloc(0);
    for (let i = 0; i < frames; i++) {
      const svg = frameSvg(i / TIMING.fps);
      if (svg !== lastSvg) {
        lastPng = await rasterize(svg, 'png-fast');
        lastSvg = svg;
      }
      writeFileSync(join(work, `frame-${String(i).padStart(4, '0')}.png`), lastPng);
      if (i % 100 === 0) process.stdout.write(`frame ${i}/${frames}\r`);
    }
    console.log(`${frames} frames, ${total.toFixed(1)} s`);
    const input = ['-hide_banner', '-loglevel', 'error', '-y', '-framerate', String(TIMING.fps), '-i', join(work, 'frame-%04d.png')];
    execFileSync('ffmpeg', [...input, '-an', '-c:v', 'libx264', '-preset', 'slow', '-tune', 'animation', '-crf', '23',
      '-pix_fmt', 'yuv420p', '-r', String(TIMING.fps), '-movflags', '+faststart', join(work, `${NAME}.mp4`)], { stdio: 'inherit' });
    execFileSync('ffmpeg', [...input, '-an', '-c:v', 'libvpx-vp9', '-b:v', '0', '-crf', '38', '-row-mt', '1', '-deadline', 'good', '-cpu-used', '2',
      '-pix_fmt', 'yuv420p', '-r', String(TIMING.fps), join(work, `${NAME}.webm`)], { stdio: 'inherit' });
    writeFileSync(join(work, `${NAME}-poster.jpg`), await rasterize(frameSvg(total), 'jpeg'));
    for (const l of ['fr', 'en'] as const) {
      writeFileSync(join(work, `${NAME}.${l}.vtt`), vtt(l));
      writeFileSync(join(work, `${NAME}.${l}.md`), transcript(l));
    }
    ensureDir(OUT_DIR);
    for (const f of [`${NAME}.mp4`, `${NAME}.webm`, `${NAME}-poster.jpg`, `${NAME}.fr.vtt`, `${NAME}.en.vtt`, `${NAME}.fr.md`, `${NAME}.en.md`]) {
      copyFileSync(join(work, f), join(OUT_DIR, f));
      console.log(`${join(OUT_DIR, f)}: ${(statSync(join(OUT_DIR, f)).size / 1024).toFixed(0)} KB`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// `--frame 12.5` writes that one frame to /tmp (for checking the layout) and stops.
const at = process.argv.indexOf('--frame');
if (at > 0) {
  const t = Number(process.argv[at + 1] ?? total);
  const file = join(tmpdir(), `liberation-frame-${t}.png`);
  writeFileSync(file, await rasterize(frameSvg(t), 'png-fast'));
  console.log(file);
} else {
  await main();
}
