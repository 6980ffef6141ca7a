import type { StoredFile } from '../content/content.schema.ts';
import { canonicalExt } from './media.types.ts';

// Public addresses of stored media. Files are named by content hash, so each
// address always serves the same bytes and can be cached for a year.

export const variantUrl = (f: StoredFile, width: number, format: 'avif' | 'webp' | 'jpg'): string => `/media/${f.hash}/w${width}.${format}`;
export const fullUrl = (f: StoredFile): string => `/media/${f.hash}/full.jpg`;
export const originalUrl = (f: StoredFile): string => `/media/${f.hash}/original.${canonicalExt(f.mime)}`;
export const trackUrl = (f: StoredFile): string => `/media/${f.hash}/track.vtt`;
export const imageServiceUrl = (f: StoredFile): string => `/iiif/image/${f.hash}`;
export const mediaManifestUrl = (id: string): string => `/iiif/media/${id}/manifest.json`;
export const themeManifestUrl = (id: string): string => `/iiif/themes/${id}/manifest.json`;

/** The derivative closest above `width` (for posters and thumbnails). */
export function widthAtLeast(f: StoredFile, width: number): number {
  const ws = f.widths ?? [];
  return ws.find((w) => w >= width) ?? ws[ws.length - 1] ?? width;
}
