import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';

// Stored media files, served with byte ranges (RFC 9110 §14). A Range header
// that is malformed, in another unit or asks for several ranges is ignored:
// the whole file with 200, as the RFC says, never a 206 that is not one.

export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'part'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/i;

/** What to send for a `Range` header on a representation of `size` bytes. */
export function answerRange(header: string | null | undefined, size: number): RangeAnswer {
  const m = header ? SINGLE_RANGE.exec(header.trim()) : null;
  if (!m) return { kind: 'whole' };
  const [, first = '', last = ''] = m;
  if (first === '') {
    // A suffix: the last N bytes (all of them when N exceeds the size).
    if (last === '') return { kind: 'whole' };
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' }; // an invalid range: the header is ignored
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/** One validator for If-None-Match and If-Range: size and modification time, as nginx does. */
const etagOf = (size: number, mtimeMs: number) => `"${size.toString(16)}-${Math.trunc(mtimeMs).toString(16)}"`;

const matchesAny = (header: string, etag: string) =>
  header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);

/**
 * The file at `path` as a response: 200, 206 for one satisfiable range, 416
 * for an unsatisfiable one, 304 when If-None-Match matches (or, without it,
 * If-Modified-Since is not older than the file). A range with an
 * If-Range that does not match the current file gets the whole file, so that a
 * resumed download never mixes two versions. HEAD sends the same headers.
 */
export function fileResponse(req: Request, path: string, headers: Record<string, string>): Response | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  const etag = etagOf(st.size, st.mtimeMs);
  const lastModified = st.mtime.toUTCString();
  const h = new Headers({ ...headers, ETag: etag, 'Last-Modified': lastModified, 'Accept-Ranges': 'bytes' });
  const inm = req.headers.get('if-none-match');
  const ims = inm === null ? Date.parse(req.headers.get('if-modified-since') ?? '') : NaN;
  if (inm !== null ? matchesAny(inm, etag) : Math.floor(st.mtimeMs / 1000) * 1000 <= ims) return new Response(null, { status: 304, headers: h });
  const ifRange = req.headers.get('if-range')?.trim();
  const fresh = ifRange === undefined || ifRange === etag || ifRange === lastModified;
  const range = fresh ? answerRange(req.headers.get('range'), st.size) : { kind: 'whole' as const };
  if (range.kind === 'unsatisfiable') {
    h.set('Content-Range', `bytes */${st.size}`);
    return new Response(null, { status: 416, headers: h });
  }
  const { start, end } = range.kind === 'part' ? range : { start: 0, end: st.size - 1 };
  h.set('Content-Length', String(end - start + 1));
  if (range.kind === 'part') h.set('Content-Range', `bytes ${start}-${end}/${st.size}`);
  const status = range.kind === 'part' ? 206 : 200;
  if (req.method === 'HEAD' || st.size === 0) return new Response(null, { status, headers: h });
  const body = Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers: h });
}
