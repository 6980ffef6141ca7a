import { copyFileSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insideBundle } from '../bundle/bundle.files.ts';
import { problem, type Problem, type ProblemCode } from '../bundle/bundle.problems.ts';
import { markdownImages } from '../content/markdown.ts';
import { imageProblem } from '../content/content.schema.ts';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import vtt from 'webvtt-parser';
import type { Content, Media, StoredFile } from '../content/content.schema.ts';
import { hashBuffer, hashFile, type MediaStore } from './media.store.ts';
import { FILE_KINDS, LIMITS, RECIPE, canonicalExt, extensionOf, extensionsFor, type Role } from './media.types.ts';
import { mp4Problem } from './media.mp4.ts';
import { mayBeRunning, HOST, type Lease } from './media.leases.ts';
import { AppError } from '../../shared/errors.ts';
import { storageProblem } from '../../shared/storage.ts';

// sharp (libvips) is loaded only when an import has images to look at: a
// server that only serves does not pay for it (about 20 MB of resident memory).
const images = () => import('./media.image.ts');

// Media work of an import, in two passes over every file a bundle's media
// items name:
// 1. inspect: the file exists, its bytes are what its name says, it is within
//    the limits, an image's header is sane, a caption file is valid WebVTT;
// 2. store: originals are copied into the media store and image derivatives
//    made, once per content hash.
// Pass 1 finishes for all files before pass 2 writes anything, and pass 2
// removes what it created if a later file fails: a bad bundle leaves the
// store and the database as they were.

export interface MediaRef {
  path: string;
  role: Role;
  /** "media \"id\": captions (fr)" — where the file is named, for messages. */
  where: string;
  /** The same as data: the media item, its field (`file`, `sources[1]`, `captions.fr`) and the field's language. */
  id: string;
  field: string;
  locale?: string;
}

/** Every file named by the media items, with the role it plays. */
export function mediaRefs(media: Media[]): MediaRef[] {
  const refs: MediaRef[] = [];
  const add = (m: Media, path: string | undefined, role: Role, field: string, locale?: string) => {
    if (path) refs.push({ path, role, where: `media "${m.id}": ${locale ? `${field} (${locale})` : field}`, id: m.id, field: locale ? `${field}.${locale}` : field, ...(locale ? { locale } : {}) });
  };
  for (const m of media) {
    add(m, m.file, m.kind, 'file');
    m.sources?.forEach((s, i) => add(m, s, m.kind, `sources[${i}]`));
    add(m, m.poster, 'image', 'poster');
    for (const [l, p] of Object.entries(m.captions ?? {})) add(m, p, 'captions', 'captions', l);
    for (const [l, p] of Object.entries(m.chapters ?? {})) add(m, p, 'chapters', 'chapters', l);
    for (const [l, p] of Object.entries(m.transcript ?? {})) add(m, p, 'transcript', 'transcript', l);
  }
  return refs;
}

interface Inspected {
  ref: MediaRef;
  abs: string;
  mime: string;
  bytes: number;
  hash: string;
  width?: number;
  height?: number;
  text?: string;
  /** Images are decoded by sharp (read again when stored, so that a big bundle is never all in memory). */
  image?: boolean;
  svg?: boolean;
}

export interface MediaProgress {
  done: number;
  total: number;
  path: string;
  /** Milliseconds the whole media pass has taken so far. */
  elapsedMs: number;
}

export interface PrepareOptions {
  /** Decode images fully to find corrupt data, without storing anything (`parcours check`). */
  dryRun?: boolean;
  onProgress?: (p: MediaProgress) => void;
}

export interface PrepareResult {
  files?: Record<string, StoredFile>;
  problems: Problem[];
  /** Hash folders this import made: removed again if a later step fails. */
  created: string[];
  /** Claims the hashes until the content naming them is committed: release it then, or on failure. */
  lease?: Lease;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** A problem with a media file, said with the media item and field that name it. */
const fileProblem = (ref: MediaRef, code: ProblemCode, msg: string, line?: number): Problem =>
  problem(code, ref.path, `${msg} (${ref.where})`, { entity: 'media', id: ref.id, field: ref.field, ...(ref.locale ? { locale: ref.locale } : {}), ...(line ? { line, placement: 'start' } : {}) });

async function inspect(root: string, ref: MediaRef, problems: Problem[]): Promise<Inspected | undefined> {
  const { path, role } = ref;
  const bad = (code: ProblemCode, msg: string, line?: number) => {
    problems.push(fileProblem(ref, code, msg, line));
    return undefined;
  };
  const ext = extensionOf(path);
  const kind = FILE_KINDS[ext];
  if (!kind || !kind.roles.includes(role)) {
    return bad('media_type', `.${ext} files cannot be used as ${role === 'image' ? 'an image' : role}; use ${extensionsFor(role).join(', ')}`);
  }
  // Every file is read through its real path, which must be inside the bundle (no link out, no linked folder).
  const real = insideBundle(root, path);
  if (typeof real !== 'string') return bad(real.code, real.message);
  const abs = real;
  let size: number;
  try {
    // A link could point anywhere on the importing machine: media files must be regular files, not links.
    const st = lstatSync(join(root, path));
    if (st.isSymbolicLink()) return bad('symbolic_link', 'is a symbolic link; media files must be regular files inside the bundle');
    if (!st.isFile()) return bad('not_a_file', 'is not a file');
    size = st.size;
  } catch {
    return bad('file_missing', 'file is missing');
  }
  if (size === 0) return bad('file_empty', 'file is empty');
  const limit = role === 'image' ? LIMITS.imageBytes : role === 'video' || role === 'audio' ? LIMITS.avBytes : LIMITS.textBytes;
  if (size > limit) return bad('file_too_large', `file is too large (${mb(size)}; at most ${mb(limit)})`);

  // Text files: UTF-8, and captions must be valid WebVTT.
  if (!kind.sniffed) {
    const buffer = readFileSync(abs);
    const sniffed = await fileTypeFromBuffer(buffer);
    // file-type knows WebVTT's signature; SVG may look like XML to it.
    if (sniffed && sniffed.ext !== ext && !(ext === 'svg' && sniffed.ext === 'xml')) return bad('media_type', `is a ${sniffed.ext.toUpperCase()} file, not ${kind.label}`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
    } catch {
      return bad('not_utf8', 'is not valid UTF-8 text');
    }
    if (ext === 'svg') {
      if (!/<svg[\s>]/i.test(text.slice(0, 4096))) return bad('media_type', 'is not an SVG drawing (no <svg> element at its start)');
      return inspectImage(ref, abs, buffer, kind.mime, true, bad);
    }
    if (ext === 'vtt') {
      const tree = new vtt.WebVTTParser().parse(text, role === 'chapters' ? 'chapters' : 'subtitles');
      const first = tree.errors[0];
      if (first) return bad('webvtt', `is not valid WebVTT: line ${first.line}: ${first.message}${tree.errors.length > 1 ? ` (and ${tree.errors.length - 1} more)` : ''}`);
      if (tree.cues.length === 0) return bad('webvtt', 'has no cues: a caption file must say something');
    } else if (!text.trim()) {
      return bad('file_empty', 'is empty');
    } else {
      const image = markdownImages(text)[0];
      if (image) return bad('foreign_image', imageProblem(image.src), image.line + 1);
    }
    return { ref, abs, mime: kind.mime, bytes: size, hash: hashBuffer(buffer), text: text.replace(/\r\n?/g, '\n') };
  }

  // Binary files: the bytes must be what the name says.
  if (role === 'image') {
    const buffer = readFileSync(abs);
    const sniffed = await fileTypeFromBuffer(buffer);
    if (!sniffed) return bad('media_type', `is not a recognisable ${kind.label}`);
    if (!kind.sniffed.includes(sniffed.ext)) return bad('media_type', `is a ${sniffed.ext.toUpperCase()} file (${sniffed.mime}), but its name says ${kind.label}`);
    return inspectImage(ref, abs, buffer, kind.mime, false, bad);
  }
  const sniffed = await fileTypeFromFile(abs);
  if (!sniffed) return bad('media_type', `is not a recognisable ${kind.label}`);
  if (!kind.sniffed.includes(sniffed.ext)) return bad('media_type', `is a ${sniffed.ext.toUpperCase()} file (${sniffed.mime}), but its name says ${kind.label}`);
  if (kind.mime === 'video/mp4' || kind.mime === 'audio/mp4') {
    const wrong = mp4Problem(abs, size);
    if (wrong) return bad('media_damaged', wrong);
  }
  return { ref, abs, mime: kind.mime, bytes: size, hash: await hashFile(abs) };
}

async function inspectImage(ref: MediaRef, abs: string, buffer: Buffer, mime: string, svg: boolean, bad: (code: ProblemCode, m: string) => undefined): Promise<Inspected | undefined> {
  let header: { width: number; height: number };
  try {
    header = await (await images()).imageHeader(buffer, svg);
  } catch (e) {
    return bad('media_damaged', `cannot be read as an image (${shortError(e)})`);
  }
  const pixels = header.width * header.height;
  if (pixels > LIMITS.imagePixels) {
    return bad('image_too_large', `is ${header.width} × ${header.height} pixels (${Math.round(pixels / 1e6)} megapixels), over the limit of ${LIMITS.imagePixels / 1e6} megapixels`);
  }
  return { ref, abs, mime, bytes: buffer.length, hash: hashBuffer(buffer), width: header.width, height: header.height, image: true, svg };
}

const shortError = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]?.replace(/^Input (buffer|file) /, '').slice(0, 200) ?? 'unknown error';

/**
 * Inspects, then stores every media file of `content`. On success, returns
 * what was stored by bundle path, the folders this import made and a lease on
 * every hash it names; on failure, the problems, and the store is as it was.
 * A failure of the machine rather than of a file (a full disk, a read-only
 * folder) is thrown as one AppError that says so, and also leaves the store
 * as it was. `check` (dryRun) runs the very same image processing, into a
 * scratch folder it removes, so that check and import never disagree.
 */
export async function prepareMedia(content: Content, root: string, store: MediaStore, opts: PrepareOptions = {}): Promise<PrepareResult> {
  const refs = mediaRefs(content.media);
  const problems: Problem[] = [];
  const byPath = new Map<string, MediaRef>();
  for (const r of refs) {
    const prev = byPath.get(r.path);
    if (prev && prev.role !== r.role) {
      problems.push(problem('media_role', r.path, `is used as ${prev.role} (${prev.where}) and as ${r.role} (${r.where}); a file plays one role`, { entity: 'media', id: r.id, field: r.field }));
    } else if (!prev) byPath.set(r.path, r);
  }
  const inspected: Inspected[] = [];
  for (const r of byPath.values()) {
    const i = await inspect(root, r, problems);
    if (i) inspected.push(i);
  }
  if (problems.length) return { problems, created: [] };

  const started = performance.now();
  const progress = (done: number, path: string) => opts.onProgress?.({ done, total: inspected.length, path, elapsedMs: performance.now() - started });
  const files: Record<string, StoredFile> = {};
  const created: string[] = [];
  const binary = inspected.filter((f) => f.text === undefined).map((f) => f.hash);
  let lease: Lease | undefined;
  const scratch = opts.dryRun ? new Scratch() : undefined;
  let done = 0;
  try {
    if (!opts.dryRun) lease = store.lease(binary);
    for (const f of inspected) {
      progress(done, f.ref.path);
      if (scratch) await checkFile(f, store, scratch, problems);
      else files[f.ref.path] = await storeFile(f, store, created, problems);
      done += 1;
    }
    progress(done, '');
  } catch (e) {
    try {
      if (lease) store.remove(created, lease);
      lease?.release();
    } catch {
      // A disk that refused to be written may refuse the clean-up too: the next sweep removes it.
    }
    throw storageError(e, opts.dryRun ? `the temporary folder ${tmpdir()}` : store.dir, opts.dryRun ? 'nothing was checked' : 'nothing was imported');
  } finally {
    scratch?.dispose();
  }
  if (problems.length) {
    store.remove(created, lease);
    lease?.release();
    return { problems, created: [] };
  }
  return opts.dryRun ? { problems, created } : { files, problems, created, ...(lease ? { lease } : {}) };
}

/** A failure of the disk under the store as one clear AppError; any other error as it is. */
function storageError(e: unknown, dir: string, outcome: string): unknown {
  const reason = storageProblem(e);
  return reason ? new AppError('storage_unavailable', `Cannot write the media files to ${dir}: ${reason}; ${outcome}.`) : e;
}

/** The file's bytes again, refused if they changed since inspection. */
function readSame(f: Inspected): Buffer {
  const buffer = readFileSync(f.abs);
  if (hashBuffer(buffer) !== f.hash) throw new Error('the file changed while it was being imported');
  return buffer;
}

/** A processing failure: the machine's (thrown on) or the file's (a problem naming it). */
function fileFailed(f: Inspected, e: unknown, problems: Problem[]): void {
  if (storageProblem(e)) throw e;
  problems.push(fileProblem(f.ref, 'media_damaged', `is damaged or incomplete (${shortError(e)})`));
}

/**
 * `check`'s scratch folders, under the system's temporary folder; those of
 * checks that were killed are removed by the next one.
 */
class Scratch {
  private dir: string | undefined;
  folder(): string {
    if (!this.dir) {
      const prefix = `parcours-check-${HOST}-${process.pid}-`;
      for (const name of readdirSync(tmpdir())) {
        const m = /^parcours-check-(.+)-(\d+)-[A-Za-z0-9]+$/.exec(name);
        if (m && !mayBeRunning(m[1] ?? '', Number(m[2]), Date.now())) rmSync(join(tmpdir(), name), { recursive: true, force: true });
      }
      this.dir = mkdtempSync(join(tmpdir(), prefix));
    }
    return mkdtempSync(join(this.dir, 'f'));
  }
  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

async function checkFile(f: Inspected, store: MediaStore, scratch: Scratch, problems: Problem[]): Promise<void> {
  // Already made by this recipe: it is known to process.
  if (!f.image || store.entry(f.hash, RECIPE)) return;
  const out = scratch.folder();
  try {
    await (await images()).makeImageDerivatives(readSame(f), f.svg ?? false, out, f.mime);
  } catch (e) {
    fileFailed(f, e, problems);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function storeFile(f: Inspected, store: MediaStore, created: string[], problems: Problem[]): Promise<StoredFile> {
  const out: StoredFile = { hash: f.hash, mime: f.mime, bytes: f.bytes };
  if (f.text !== undefined) {
    out.text = f.text;
    return out;
  }
  let entry = store.entry(f.hash, RECIPE);
  if (!entry) {
    try {
      const made = await store.create(f.hash, async (tmp) => {
        copyFileSync(f.abs, join(tmp, `original.${canonicalExt(f.mime)}`));
        return f.image ? (await images()).makeImageDerivatives(readSame(f), f.svg ?? false, tmp, f.mime) : { recipe: RECIPE, mime: f.mime, bytes: f.bytes };
      });
      if (made) created.push(f.hash);
      entry = store.entry(f.hash, RECIPE);
    } catch (e) {
      fileFailed(f, e, problems);
      return out;
    }
  }
  const { recipe: _recipe, ...facts } = entry ?? { recipe: RECIPE };
  return { ...out, ...facts };
}
