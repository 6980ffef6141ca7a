import { join } from 'node:path';
import sharp, { type SharpOptions } from 'sharp';
import { LIMITS, RECIPE, TILE_SIZE, WIDTHS } from './media.types.ts';
import type { StoreEntry } from './media.store.ts';

// Image derivatives, made once per original with sharp (libvips):
// - w<W>.avif, w<W>.webp, w<W>.jpg for each width of WIDTHS up to the original's;
// - full.jpg, the whole image at full size, for the no-script link and download;
// - iiif/, IIIF Image API 3 level-0 tiles for the deep-zoom viewers;
// - a tiny blurred WebP placeholder, kept as a data: URL.
// EXIF orientation is applied; EXIF, GPS, XMP and ICC metadata are not copied
// (sharp strips them unless asked to keep them). Transparency is flattened
// onto white so that every format looks the same and the placeholder is honest.

const BACKGROUND = { r: 255, g: 255, b: 255 };
// Each derivative is made once: libvips' operation cache would only hold memory.
sharp.cache(false);

/** Decoding options shared by inspection and processing: a bounded pixel count, and truncated or corrupt data is an error. */
export const decodeOptions = (svg: boolean): SharpOptions => ({
  limitInputPixels: LIMITS.imagePixels,
  failOn: 'error',
  ...(svg ? { density: 144 } : {}),
});

/** Header-only facts about an image (no pixel is decoded). Throws on unreadable data. */
export async function imageHeader(input: Buffer, svg: boolean): Promise<{ width: number; height: number; format: string }> {
  const m = await sharp(input, { ...decodeOptions(svg), limitInputPixels: false }).metadata();
  const width = m.autoOrient?.width ?? m.width;
  const height = m.autoOrient?.height ?? m.height;
  if (!width || !height) throw new Error('has no readable size');
  return { width, height, format: m.format };
}

/**
 * Largest side each output format can hold: libwebp stops at 16,383 pixels,
 * libheif (AVIF) at 16,384, libjpeg at 65,500. A tall archival scan or a
 * panorama is normal museum material, so every output is fitted inside its
 * format's box instead of failing: see `derivativePlan`.
 */
export const FORMAT_MAX = { webp: 16_383, avif: 16_383, jpeg: 65_500 } as const;

export interface DerivativePlan {
  /** Widths of the responsive AVIF/WebP/JPEG derivatives, ascending (never wider than the original, never taller than FORMAT_MAX.webp). */
  widths: number[];
  /** Size of full.jpg: the original's, or smaller when a side exceeds JPEG's limit. */
  full: { width: number; height: number };
}

/** Output sizes for an image of `width` × `height` (after EXIF orientation): a pure function that check and import share. */
export function derivativePlan(width: number, height: number): DerivativePlan {
  const largest = WIDTHS[WIDTHS.length - 1] ?? width;
  // The widest responsive size whose height still fits the smallest format box.
  const fitting = Math.max(1, Math.floor((FORMAT_MAX.webp * width) / height));
  const top = Math.min(width, largest, fitting);
  const widths = [...WIDTHS.filter((w) => w < top), top];
  const scale = Math.min(1, FORMAT_MAX.jpeg / width, FORMAT_MAX.jpeg / height);
  const full = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  return { widths, full };
}

/**
 * Writes every derivative of an image into `out`. Each output is fitted
 * inside its format's limits, and every encoding job is awaited even when one
 * fails, so that no write goes on after the caller has cleaned up.
 */
export async function makeImageDerivatives(input: Buffer, svg: boolean, out: string, mime: string): Promise<StoreEntry> {
  const source = sharp(input, decodeOptions(svg)).autoOrient().flatten({ background: BACKGROUND }).toColourspace('srgb');
  // Decode once into a bounded raw buffer; every responsive size is made from it.
  const { data: full, info } = await source.clone().raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
  const plan = derivativePlan(info.width, info.height);
  const { widths } = plan;
  const top = widths[widths.length - 1] ?? info.width;
  const box = (w: number) => ({ width: w, height: FORMAT_MAX.webp, fit: 'inside' as const, withoutEnlargement: true });
  const { data: base, info: baseInfo } = await sharp(full, raw).resize(box(top)).raw().toBuffer({ resolveWithObject: true });
  const fromBase = (w: number) => sharp(base, { raw: { width: baseInfo.width, height: baseInfo.height, channels: baseInfo.channels } }).resize(box(w));
  const fullSize = plan.full.width === info.width && plan.full.height === info.height ? sharp(full, raw) : sharp(full, raw).resize(plan.full.width, plan.full.height, { fit: "fill" });
  // Largest work first, so that the two cores finish together (npm run bench
  // shows where the time goes). The full-size JPEG uses plain libjpeg: mozjpeg's
  // trellis search took 2.7 s on 24 MP for 20 % fewer bytes on a download link.
  // AVIF at effort 1 is 3× faster than effort 2 for about the same size.
  // IIIF tiles are 512 px JPEGs at every level, so any size within the pixel limit fits.
  const jobs: Promise<unknown>[] = [
    fullSize.jpeg({ quality: 85 }).toFile(join(out, 'full.jpg')),
    sharp(full, raw).jpeg({ quality: 80 }).tile({ size: TILE_SIZE, layout: 'iiif3', id: 'https://parcours.invalid/iiif' }).toFile(join(out, 'iiif')),
  ];
  for (const w of [...widths].reverse()) {
    jobs.push(fromBase(w).avif({ quality: 50, effort: 1 }).toFile(join(out, `w${w}.avif`)));
    jobs.push(fromBase(w).webp({ quality: 75 }).toFile(join(out, `w${w}.webp`)));
    jobs.push(fromBase(w).jpeg({ quality: 80, mozjpeg: true }).toFile(join(out, `w${w}.jpg`)));
  }
  // The placeholder keeps the image's shape within 24 × 24 (a 1 × 65,535 strip is 1 × 24).
  jobs.push(sharp(base, { raw: { width: baseInfo.width, height: baseInfo.height, channels: baseInfo.channels } })
    .resize({ width: 24, height: 24, fit: 'inside' }).blur(1.2).webp({ quality: 40 }).toBuffer());
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const tiny = (results[results.length - 1] as PromiseFulfilledResult<Buffer>).value;
  return {
    recipe: RECIPE, mime, bytes: input.length, width: info.width, height: info.height, widths,
    placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
  };
}
