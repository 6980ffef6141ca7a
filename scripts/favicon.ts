// Renders src/web/icon.svg into the two files browsers ask for that cannot be
// SVG: favicon.ico (PNG images of 16, 32 and 48 px, which every browser since
// Windows Vista reads inside an ICO) and the 180 px apple-touch-icon.png.
// Run after changing the SVG: npx tsx scripts/favicon.ts
// (Made here, not at start, so that a server never loads sharp for an icon.)
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';

const svg = readFileSync('src/web/icon.svg');
const png = (size: number) => sharp(svg, { density: (72 * size * 4) / 32 }).resize(size, size).png({ compressionLevel: 9, palette: false }).toBuffer();

/** An ICO file: a 6-byte header, one 16-byte entry per image, then the PNGs. */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

const sizes = [16, 32, 48];
writeFileSync('src/web/favicon.ico', ico(await Promise.all(sizes.map(async (size) => ({ size, png: await png(size) })))));
// iOS rounds the corners itself and turns transparency black: the touch icon is a full square.
writeFileSync('src/web/apple-touch-icon.png', await sharp(await png(180)).flatten({ background: '#7d1f1f' }).png({ compressionLevel: 9 }).toBuffer());
console.log('wrote src/web/favicon.ico and src/web/apple-touch-icon.png');
