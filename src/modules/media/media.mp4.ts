import { closeSync, openSync, readSync } from 'node:fs';

// An MP4 (ISO base media) file is a sequence of boxes, each starting with its
// size and a four-letter type. file-type only reads the first one, so a
// truncated download or a few bytes after a valid "ftyp" pass for a video.
// Walking the top-level boxes (a few reads, whatever the file's size) finds
// both: the boxes must end exactly at the end of the file, and the movie
// header ("moov"), without which no player can start, must be among them.

const TYPE = /^[a-zA-Z0-9 ©]{4}$/;
const MAX_BOXES = 10_000;

/** Why an MP4/M4A file cannot play, or undefined when its structure is sound. */
export function mp4Problem(path: string, size: number): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    let offset = 0;
    let boxes = 0;
    let moov = false;
    while (offset < size) {
      if (++boxes > MAX_BOXES) return 'has too many boxes to be a real MP4 file';
      const n = readSync(fd, head, 0, 16, offset);
      if (n < 8) return `is truncated (${size - offset} stray bytes at its end)`;
      let boxSize = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (!TYPE.test(type)) return `is not a well-formed MP4 file (unreadable box at byte ${offset})`;
      let header = 8;
      if (boxSize === 1) {
        if (n < 16) return 'is truncated';
        const big = head.readBigUInt64BE(8);
        if (big > BigInt(Number.MAX_SAFE_INTEGER)) return `is not a well-formed MP4 file (box "${type}" is impossibly large)`;
        boxSize = Number(big);
        header = 16;
      } else if (boxSize === 0) {
        boxSize = size - offset; // "to the end of the file"
      }
      if (boxSize < header) return `is not a well-formed MP4 file (box "${type}" at byte ${offset} has a wrong size)`;
      if (offset + boxSize > size) return `is truncated: its "${type}" box needs ${offset + boxSize - size} more bytes (was the copy or the download interrupted?)`;
      if (type === 'moov') moov = true;
      offset += boxSize;
    }
    if (!moov) return 'has no movie header ("moov" box): it cannot be played; export it again from the editing software';
    return undefined;
  } finally {
    closeSync(fd);
  }
}
