// Which files a bundle may carry, by the role they play for a media item, and
// how their bytes must look. The name's extension is a promise; the bytes are
// checked against it (see media.inspect.ts).

export type Role = 'image' | 'video' | 'audio' | 'captions' | 'chapters' | 'transcript';

export interface FileKind {
  /** The type served, whatever the browser or file-type call it. */
  mime: string;
  /** Human name used in error messages. */
  label: string;
  roles: readonly Role[];
  /** Extensions that file-type may report for these bytes (undefined: a text format it cannot see). */
  sniffed?: readonly string[];
}

export const FILE_KINDS: Record<string, FileKind> = {
  jpg: { mime: 'image/jpeg', label: 'JPEG image', roles: ['image'], sniffed: ['jpg'] },
  jpeg: { mime: 'image/jpeg', label: 'JPEG image', roles: ['image'], sniffed: ['jpg'] },
  png: { mime: 'image/png', label: 'PNG image', roles: ['image'], sniffed: ['png'] },
  webp: { mime: 'image/webp', label: 'WebP image', roles: ['image'], sniffed: ['webp'] },
  avif: { mime: 'image/avif', label: 'AVIF image', roles: ['image'], sniffed: ['avif'] },
  tif: { mime: 'image/tiff', label: 'TIFF image', roles: ['image'], sniffed: ['tif'] },
  tiff: { mime: 'image/tiff', label: 'TIFF image', roles: ['image'], sniffed: ['tif'] },
  gif: { mime: 'image/gif', label: 'GIF image', roles: ['image'], sniffed: ['gif'] },
  svg: { mime: 'image/svg+xml', label: 'SVG drawing', roles: ['image'] },
  mp4: { mime: 'video/mp4', label: 'MP4 video', roles: ['video'], sniffed: ['mp4', 'm4v'] },
  m4v: { mime: 'video/mp4', label: 'MP4 video', roles: ['video'], sniffed: ['mp4', 'm4v'] },
  webm: { mime: 'video/webm', label: 'WebM video', roles: ['video', 'audio'], sniffed: ['webm'] },
  mp3: { mime: 'audio/mpeg', label: 'MP3 audio', roles: ['audio'], sniffed: ['mp3'] },
  m4a: { mime: 'audio/mp4', label: 'M4A (AAC) audio', roles: ['audio'], sniffed: ['m4a', 'mp4'] },
  ogg: { mime: 'audio/ogg', label: 'Ogg audio', roles: ['audio'], sniffed: ['ogg', 'oga', 'opus'] },
  oga: { mime: 'audio/ogg', label: 'Ogg audio', roles: ['audio'], sniffed: ['ogg', 'oga', 'opus'] },
  opus: { mime: 'audio/ogg', label: 'Opus audio', roles: ['audio'], sniffed: ['ogg', 'oga', 'opus'] },
  vtt: { mime: 'text/vtt; charset=utf-8', label: 'WebVTT text', roles: ['captions', 'chapters'] },
  md: { mime: 'text/markdown; charset=utf-8', label: 'Markdown text', roles: ['transcript'] },
};

/** The extensions accepted for a role, for error messages. */
export function extensionsFor(role: Role): string[] {
  return Object.entries(FILE_KINDS).filter(([, k]) => k.roles.includes(role)).map(([e]) => `.${e}`);
}

export const extensionOf = (path: string): string => path.slice(path.lastIndexOf('.') + 1).toLowerCase();

/** Limits. Images are decoded whole, so their pixel count is bounded (a "decompression bomb" is refused). */
export const LIMITS = {
  imageBytes: 200 * 1024 * 1024,
  imagePixels: 100_000_000,
  avBytes: 2 * 1024 * 1024 * 1024,
  textBytes: 1024 * 1024,
} as const;

/** Widths of the responsive derivatives (never wider than the original). */
export const WIDTHS = [320, 640, 960, 1280, 1920, 2560] as const;
/** Bumped whenever the derivatives change, so that stored folders are remade. */
export const RECIPE = 2;
export const TILE_SIZE = 512;

/** The extension an original is stored and served under, from its type. */
export function canonicalExt(mime: string): string {
  const hit = Object.entries(FILE_KINDS).find(([, k]) => k.mime === mime);
  if (!hit) throw new Error(`no extension for ${mime}`);
  return hit[0];
}
