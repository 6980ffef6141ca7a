import type { CompiledQuery } from 'kysely';
import { allSync, readsSynchronously, type Db } from '../../db/connection.ts';
import { AppError } from '../../shared/errors.ts';
import { storageProblem } from '../../db/database.ts';
import { blockTextsQuery } from './content.repository.ts';
import type { BlockTexts, DocKind } from './content.schema.ts';

// The block texts of the documents (the bodies, captions and titles of their
// blocks: nine tenths of a visit's text), read from the database when a page
// first needs them, instead of held in memory for the life of a content
// version. At 1,000 themes × 10 languages they are 54 million characters,
// 94 MB of the 116 MB heap the content took; a page needs one document's, in
// one or two languages. The few read last are kept (an LRU bounded by
// characters), so that the pages of a document in its languages and its
// second render do not read them again.
//
// A read names the content version it was made for: when the database holds
// another one (an import committed since the version was loaded), it fails
// with `content_changed` rather than mix the new texts into the old pages;
// the server then renders that page from the new version.
//
// SQLite is read at once, inside the render (allSync). PostgreSQL answers
// only asynchronously: there a text not kept yet throws TextsMissing, which
// the render's caller (generation.ts) catches, fetches the texts for, and
// renders again. A render is pure, so doing it again changes nothing; a page
// needs one or two documents' texts, so it is rendered two or three times at
// most the first time, and once after.

/** A render asked for block texts not in memory, on a database that cannot be read synchronously. */
export class TextsMissing extends Error {
  constructor(readonly kind: DocKind, readonly id: string, readonly locale: string) {
    super(`the block texts of ${kind} ${id} (${locale}) are not in memory yet`);
  }
}

/** Characters of block texts kept in memory per content version: some 400 documents of the demo's size in one language. */
export const BLOCK_TEXTS_BUDGET = 2_000_000;

type Texts = Record<string, BlockTexts>;

const sizeOf = (t: Texts) => {
  let n = 0;
  for (const [id, b] of Object.entries(t)) n += id.length + (b.body?.length ?? 0) + (b.caption?.length ?? 0) + (b.title?.length ?? 0) + (b.source?.length ?? 0);
  return n;
};

export class BlockTextStore {
  private readonly kept = new Map<string, { texts: Texts; size: number }>();
  private size = 0;
  /** Database reads made (each one document in one language): the tests count them. */
  reads = 0;

  constructor(
    private readonly db: Db,
    /** The content version the texts must belong to, and the meta key that names it. */
    private readonly version: string,
    private readonly versionKey: string,
    private readonly budget = BLOCK_TEXTS_BUDGET,
  ) {
    this.sync = readsSynchronously(db);
  }

  private readonly sync: boolean;

  /** One document's block texts in one language (by block id); read now if not kept (SQLite), else TextsMissing (PostgreSQL). */
  get(kind: DocKind, id: string, locale: string): Texts {
    const key = keyOf(kind, id, locale);
    const hit = this.kept.get(key);
    if (hit) {
      // Most recently used last: a Map keeps insertion order.
      this.kept.delete(key);
      this.kept.set(key, hit);
      return hit.texts;
    }
    if (!this.sync) throw new TextsMissing(kind, id, locale);
    this.reads += 1;
    return this.keep(key, this.check(kind, id, locale, allSync(this.db, blockTextsQuery(this.db, this.versionKey, kind, id, locale))));
  }

  /** Reads one document's block texts in one language into memory, for the next get(): the asynchronous way. */
  async fetch(kind: DocKind, id: string, locale: string): Promise<void> {
    this.reads += 1;
    const { rows } = await this.db.executeQuery(blockTextsQuery(this.db, this.versionKey, kind, id, locale)).catch((e: unknown) => {
      // The database is down or restarting: the page cannot be rendered now, but may be in a moment (a 503, not a 500).
      const reason = storageProblem(e);
      throw reason ? new AppError('database_unavailable', `Cannot read the texts of ${kind} ${id} (${locale}) from the database: ${reason}`) : e;
    });
    this.keep(keyOf(kind, id, locale), this.check(kind, id, locale, rows));
  }

  private keep(key: string, texts: Texts): Texts {
    const size = sizeOf(texts);
    this.kept.delete(key);
    this.kept.set(key, { texts, size });
    this.size += size;
    for (const [k, v] of this.kept) {
      if (this.size <= this.budget || k === key) break;
      this.kept.delete(k);
      this.size -= v.size;
    }
    return texts;
  }

  private check(kind: DocKind, id: string, locale: string, rows: readonly TextRow[]): Texts {
    const now = rows[0]?.version;
    if (now !== this.version) {
      throw new AppError('content_changed', `The database holds content version ${now ?? 'none'}, not ${this.version}: the texts of ${kind} ${id} (${locale}) of version ${this.version} are gone.`);
    }
    const out: Texts = {};
    for (const r of rows) {
      if (r.block_id === null) continue;
      const entry: BlockTexts = {};
      if (r.body !== null) entry.body = r.body;
      if (r.caption !== null) entry.caption = r.caption;
      if (r.title !== null) entry.title = r.title;
      if (r.source !== null) entry.source = r.source;
      out[r.block_id] = entry;
    }
    return out;
  }
}

const keyOf = (kind: DocKind, id: string, locale: string) => `${kind}\u0000${id}\u0000${locale}`;
type TextRow = ReturnType<typeof blockTextsQuery> extends CompiledQuery<infer R> ? R : never;
