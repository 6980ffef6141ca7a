// Colour contrast as WCAG 2.x measures it (relative luminance, ratios from 1
// to 21), for the colours a museum chooses for its site (museum.style). Pure.

/** The backgrounds text stands on in site.css (page, soft panels, notes), light and dark: test/museum-style.test.ts keeps them in step. */
export const PAGE_BACKGROUNDS = {
  light: ['#fbfaf7', '#f1eee7', '#f4efe2'],
  dark: ['#161513', '#211f1c', '#26221a'],
} as const;
/** WCAG AA for normal text. */
export const AA_TEXT = 4.5;

export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

const channels = (hex: string): [number, number, number] => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two #rrggbb colours, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/** The lowest contrast of a colour on each of the backgrounds. */
export const lowestContrast = (colour: string, backgrounds: readonly string[]): number => Math.min(...backgrounds.map((b) => contrast(colour, b)));

/** `hex` mixed with white: t = 0 gives it back, t = 1 white. */
export function mixWithWhite(hex: string, t: number): string {
  return `#${channels(hex).map((v) => Math.round(v + (255 - v) * t).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A colour for links on the dark backgrounds, from the light scheme's: the
 * same hue, mixed with white in steps of 5 % until it reads at AA on every
 * dark background (with a little margin). Deterministic.
 */
export function darkVariant(hex: string): string {
  for (let t = 0; t <= 1; t += 0.05) {
    const c = mixWithWhite(hex, t);
    if (lowestContrast(c, PAGE_BACKGROUNDS.dark) >= AA_TEXT + 0.3) return c;
  }
  return '#ffffff';
}
