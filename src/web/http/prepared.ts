import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, gzip, gzipSync, constants } from 'node:zlib';
import { weightedList } from './weights.ts';

// A response body prepared once: compressed ahead of time with brotli and gzip
// and given a strong ETag, so that serving it is a map lookup and a write.

export interface Prepared {
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  etag: string;
  type: string;
  cacheControl: string;
}

export const CACHE = {
  /** Pages: may be stored, but must be revalidated (ETag makes that a cheap 304). */
  page: 'public, max-age=0, must-revalidate',
  /** Content-hashed assets never change under their name. */
  immutable: 'public, max-age=31536000, immutable',
  short: 'public, max-age=3600',
  none: 'no-store',
} as const;

/**
 * Compression levels (docs/decisions/0010-pages-on-demand.md has the figures).
 * 'fast' for a page's first render: brotli 5 compresses the theme page in
 * 2.5 ms where 10 takes 52 ms, for 12 % more bytes. 'best' for what is served
 * many times (assets, hot pages once recompressed): brotli 10 (11 is four
 * times slower for no fewer bytes). gzip 9 gives the bytes of 6.
 */
export type Effort = 'best' | 'fast';
export const LEVELS: Record<Effort, { br: number; gzip: number }> = { best: { br: 10, gzip: 9 }, fast: { br: 5, gzip: 6 } };

const compressible = (body: Buffer, type: string) => body.length > 512 && /^(text\/|application\/(json|javascript|xml|manifest))|\+xml|\+json/.test(type);
const brotliParams = (body: Buffer, effort: Effort) => ({ params: { [constants.BROTLI_PARAM_QUALITY]: LEVELS[effort].br, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
const etagOf = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
const toBuffer = (content: string | Buffer) => (typeof content === 'string' ? Buffer.from(content, 'utf8') : content);

/** Synchronous: for what is prepared once at start (assets) or is small. Blocks the thread it runs on. */
export function prepare(content: string | Buffer, type: string, cacheControl: string, effort: Effort = 'best'): Prepared {
  const body = toBuffer(content);
  const p: Prepared = { body, etag: etagOf(body), type, cacheControl };
  if (compressible(body, type)) {
    p.gzip = gzipSync(body, { level: LEVELS[effort].gzip });
    p.br = brotliCompressSync(body, brotliParams(body, effort));
  }
  return compact(p);
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The same as prepare, compressed on libuv's thread pool: the calling thread's event loop stays free. */
export async function prepareAsync(content: string | Buffer, type: string, cacheControl: string, effort: Effort = 'fast'): Promise<Prepared> {
  const body = toBuffer(content);
  const p: Prepared = { body, etag: etagOf(body), type, cacheControl };
  if (compressible(body, type)) [p.gzip, p.br] = await Promise.all([gzipAsync(body, { level: LEVELS[effort].gzip }), brotliAsync(body, brotliParams(body, effort))]);
  return compact(p);
}

/**
 * The same body compressed again at another level, off the event loop. The
 * ETag stays: it names the decoded bytes and the coding (a client holding the
 * first brotli gets a 304 for the second, which decodes to the same page).
 */
export async function recompress(p: Prepared, effort: Effort): Promise<Prepared> {
  if (!p.br && !p.gzip) return p;
  const [gz, br] = await Promise.all([gzipAsync(p.body, { level: LEVELS[effort].gzip }), brotliAsync(p.body, brotliParams(p.body, effort))]);
  return compact({ ...p, gzip: gz, br });
}

/** Bytes a prepared body holds in memory (raw and compressed). */
export const sizeOf = (p: Prepared): number => p.body.length + (p.br?.length ?? 0) + (p.gzip?.length ?? 0);

/** The memory blocks of a prepared body, for postMessage's transfer list (each is its own block: see compact). */
export function transferables(p: Prepared, into: Set<ArrayBuffer> = new Set()): Set<ArrayBuffer> {
  for (const b of [p.body, p.br, p.gzip]) if (b) into.add(b.buffer as ArrayBuffer);
  return into;
}

/** A prepared body as it arrives from a worker (its Buffers came as plain Uint8Arrays), Buffers again without a copy. */
export function revive(p: Prepared): Prepared {
  const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  const out: Prepared = { body: buf(p.body), etag: p.etag, type: p.type, cacheControl: p.cacheControl };
  if (p.br) out.br = buf(p.br);
  if (p.gzip) out.gzip = buf(p.gzip);
  return out;
}

/** Chooses an encoding the client accepts (q > 0), preferring brotli. */
export function pickEncoding(acceptEncoding: string | undefined, p: Prepared): 'br' | 'gzip' | undefined {
  if (!acceptEncoding || (!p.br && !p.gzip)) return undefined;
  const accepted = new Map(weightedList(acceptEncoding).map((w) => [w.name, w.q]));
  const ok = (n: string) => (accepted.get(n) ?? accepted.get('*') ?? 0) > 0;
  if (p.br && ok('br')) return 'br';
  if (p.gzip && ok('gzip')) return 'gzip';
  return undefined;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** What to send for a prepared body: status, headers and bytes (none for a 304 or a HEAD). One rule for the app and the lean path. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/**
 * The answer to a request for `p`: the encoding the client accepts, a strong
 * ETag per representation, 304 when If-None-Match names it. `extra` headers
 * come first; a Cache-Control among them wins over the body's own.
 */
export function answer(p: Prepared, method: string, acceptEncoding: string | undefined, ifNoneMatch: string | undefined, status = 200, extra: Record<string, string> = {}): Answer {
  const headers: Record<string, string> = { ...extra, 'Content-Type': p.type };
  if (!('Cache-Control' in extra)) headers['Cache-Control'] = p.cacheControl;
  if (p.gzip || p.br) headers.Vary = extra.Vary ? `${extra.Vary}, Accept-Encoding` : 'Accept-Encoding';
  const enc = pickEncoding(acceptEncoding, p);
  // Each encoding is a different representation, so each has its own strong ETag.
  const etag = enc ? `${p.etag.slice(0, -1)}-${enc === 'br' ? 'br' : 'gz'}"` : p.etag;
  headers.ETag = etag;
  if (status === 200 && etagMatches(ifNoneMatch, etag)) return { status: 304, headers, body: undefined };
  const body = enc === 'br' ? p.br! : enc === 'gzip' ? p.gzip! : p.body;
  if (enc) headers['Content-Encoding'] = enc;
  headers['Content-Length'] = String(body.length);
  return { status, headers, body: method === 'HEAD' ? undefined : body };
}

export function respond(req: Request, p: Prepared, status = 200, extra: Record<string, string> = {}): Response {
  const a = answer(p, req.method, req.headers.get('accept-encoding') ?? undefined, req.headers.get('if-none-match') ?? undefined, status, extra);
  // The prepared Buffer is handed over as it is (a Uint8Array view): no copy per request.
  return new Response(a.body ? (a.body as Uint8Array<ArrayBuffer>) : null, { status: a.status, headers: a.headers });
}

/**
 * Each prepared body in memory of its own exact size. A small Buffer is a
 * view of a larger block (Node's 64 KB pool; zlib's output chunk), and a
 * view keeps its whole block alive: the demo's pages held 12 MB of blocks
 * for 5.4 MB of bytes, for as long as the content was served.
 */
function compact(p: Prepared): Prepared {
  p.body = exact(p.body);
  if (p.gzip) p.gzip = exact(p.gzip);
  if (p.br) p.br = exact(p.br);
  return p;
}

function exact(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return b;
  const own = Buffer.allocUnsafeSlow(b.length);
  b.copy(own);
  return own;
}
