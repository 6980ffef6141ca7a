import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { exclusiveWrite, readSnapshot } from '../../db/database.ts';
import type { Content } from '../content/content.schema.ts';
import { loadContent } from '../content/content.loader.ts';
import { readMeta, writeMeta, writeProjection } from '../content/content.repository.ts';
import type { Problem } from '../bundle/bundle.problems.ts';
import { audit } from '../auth/audit.ts';
import { canonicalJson, digestOf, join, keyOf, parseKey, split, type Part } from './documents.ts';
import { checkPublishable } from './check.ts';

type Q = Kysely<Database> | Transaction<Database>;

// The editorial model (docs/decisions/0022). Every state of a document is a
// revision, numbered per document; its head says which revision is the draft
// (null: none, staff edit the published state) and which is published (what
// the site's tables hold). Saving adds a revision and moves the draft head,
// refused when the form was made from another revision than the head (a
// conflict: nothing is lost, the view shows both). Publishing checks the
// content with the bundle's rules, then rewrites the site's tables and moves
// the published heads, all in one transaction. An import is a revision of
// every document it changes.

/** Who does it: a signed-in staff member (undefined: the command line). */
export interface Editor {
  id: string;
  email: string;
}
export type Source = 'import' | 'save' | 'restore';

export interface RevisionInfo {
  number: number;
  source: Source;
  base: number | null;
  email: string | null;
  message: string | null;
  createdAt: string;
}
export interface Revision extends RevisionInfo {
  data: unknown;
}
export interface Head {
  key: string;
  draft: number | null;
  published: number | null;
  updatedAt: string;
  /** The draft waits for review: since when, asked by whom (their email). */
  review: { at: string; email: string | null } | null;
  /** When the published revision was published, by whom (null: the command line). */
  publishedAt: string | null;
  publishedBy: string | null;
}

/** Changes on every save, discard, restore, publish and import: what a preview or a dashboard is cached by. */
export const DRAFT_VERSION_KEY = 'draft_version';

async function bumpDraftVersion(trx: Transaction<Database>): Promise<void> {
  await writeMeta(trx, DRAFT_VERSION_KEY, String(Number((await readMeta(trx, DRAFT_VERSION_KEY)) ?? '0') + 1));
}

export async function draftVersion(db: Q): Promise<string> {
  return (await readMeta(db, DRAFT_VERSION_KEY)) ?? '0';
}

const toInfo = (r: Database['content_revision']): RevisionInfo => ({
  number: r.number, source: r.source as Source, base: r.base, email: r.email, message: r.message, createdAt: r.created_at,
});
const toRevision = (r: Database['content_revision']): Revision => ({ ...toInfo(r), data: JSON.parse(r.data) as unknown });
const toHead = (h: Database['content_head']): Head => ({
  key: h.doc_key, draft: h.draft, published: h.published, updatedAt: h.updated_at,
  review: h.review_requested_at ? { at: h.review_requested_at, email: h.review_requested_email } : null,
  publishedAt: h.published_at, publishedBy: h.published_email,
});

async function lastNumbers(q: Q, keys?: string[]): Promise<Map<string, number>> {
  let query = q.selectFrom('content_revision').select(['doc_key', (eb) => eb.fn.max('number').as('n')]).groupBy('doc_key');
  if (keys) query = query.where('doc_key', 'in', keys);
  const rows = keys?.length === 0 ? [] : await query.execute();
  return new Map(rows.map((r) => [r.doc_key, Number(r.n)]));
}

async function insertRevision(trx: Transaction<Database>, key: string, number: number, r: { source: Source; base: number | null; data: unknown; by: Editor | undefined; message?: string | undefined; at: Date }): Promise<void> {
  const json = JSON.stringify(r.data);
  await trx.insertInto('content_revision').values({
    doc_key: key, number, source: r.source, base: r.base, data: json, digest: digestOf(canonicalJson(r.data)),
    user_id: r.by?.id ?? null, email: r.by?.email ?? null, message: r.message ?? null, created_at: r.at.toISOString(),
  }).execute();
}

/**
 * Moves a document's heads. Publishing a revision records when and by whom; a document left without a draft
 * (published, discarded) waits for no review any more.
 */
async function setHead(trx: Transaction<Database>, key: string, at: Date, set: { draft?: number | null; published?: number | null }, by?: Editor): Promise<void> {
  const when = at.toISOString();
  const cols: Updateable<Database['content_head']> = { ...set, updated_at: when };
  if (set.published !== undefined) Object.assign(cols, set.published === null
    ? { published_at: null, published_by: null, published_email: null }
    : { published_at: when, published_by: by?.id ?? null, published_email: by?.email ?? null });
  if (set.draft === null) Object.assign(cols, { review_requested_at: null, review_requested_by: null, review_requested_email: null });
  await trx.insertInto('content_head')
    .values({ doc_key: key, draft: null, published: null, ...cols, updated_at: when })
    .onConflict((oc) => oc.column('doc_key').doUpdateSet(cols))
    .execute();
}

/**
 * Inside an import's transaction, after the site's tables were rewritten: a revision of every document whose state
 * differs from its published one, which becomes the published head; documents the import no longer has are
 * unpublished. Drafts stay (their base then differs from the published head: the editor says so). Returns how many
 * documents changed.
 */
export async function recordImport(trx: Transaction<Database>, content: Content, at: Date, by?: Editor): Promise<number> {
  const parts = split(content);
  const heads = new Map((await trx.selectFrom('content_head').selectAll().execute()).map((h) => [h.doc_key, h]));
  const digests = new Map((await trx.selectFrom('content_head as h')
    .innerJoin('content_revision as r', (j) => j.onRef('r.doc_key', '=', 'h.doc_key').onRef('r.number', '=', 'h.published'))
    .select(['h.doc_key', 'r.digest']).execute()).map((r) => [r.doc_key, r.digest]));
  const last = await lastNumbers(trx);
  let changed = 0;
  const seen = new Set<string>();
  for (const p of parts) {
    const key = keyOf(p.kind, p.id);
    seen.add(key);
    if (digests.get(key) === digestOf(canonicalJson(p.data))) continue;
    const number = (last.get(key) ?? 0) + 1;
    await insertRevision(trx, key, number, { source: 'import', base: heads.get(key)?.published ?? null, data: p.data, by, at });
    await setHead(trx, key, at, { published: number }, by);
    changed++;
  }
  for (const [key, h] of heads) {
    if (seen.has(key) || h.published === null) continue;
    await setHead(trx, key, at, { published: null });
    changed++;
  }
  if (changed) await bumpDraftVersion(trx);
  return changed;
}

/** A database filled before revisions existed (or restored from such a backup): its content becomes the first revision of each document. */
export async function seedRevisions(trx: Transaction<Database>, at: Date): Promise<void> {
  if (await trx.selectFrom('content_head').select('doc_key').limit(1).executeTakeFirst()) return;
  const content = await loadContent(trx);
  if (content) await recordImport(trx, content, at);
}

/** Makes sure the content has revisions (see seedRevisions), without a write when it has. */
export async function ensureRevisions(db: Db, at: Date = new Date()): Promise<void> {
  if (await db.selectFrom('content_head').select('doc_key').limit(1).executeTakeFirst()) return;
  if (!(await db.selectFrom('museum').select('id').limit(1).executeTakeFirst())) return;
  await exclusiveWrite(db, (trx) => seedRevisions(trx, at));
}

export async function heads(db: Q): Promise<Head[]> {
  return (await db.selectFrom('content_head').selectAll().orderBy('doc_key').execute()).map(toHead);
}

export async function readRevision(db: Q, key: string, number: number): Promise<Revision | undefined> {
  const r = await db.selectFrom('content_revision').selectAll().where('doc_key', '=', key).where('number', '=', number).executeTakeFirst();
  return r && toRevision(r);
}

/** A document as staff edit it: its head, its current revision (the draft, or the published one) and the published one. */
export interface DocumentState {
  head: Head;
  current: Revision;
  published: Revision | undefined;
}

export async function documentState(db: Db, key: string): Promise<DocumentState | undefined> {
  await ensureRevisions(db);
  return readSnapshot(db, async (trx) => {
    const h = await trx.selectFrom('content_head').selectAll().where('doc_key', '=', key).executeTakeFirst();
    const currentNumber = h ? (h.draft ?? h.published) : null;
    if (!h || currentNumber === null) return undefined;
    const current = await readRevision(trx, key, currentNumber);
    if (!current) return undefined;
    const published = h.published === null ? undefined : h.published === currentNumber ? current : await readRevision(trx, key, h.published);
    return { head: toHead(h), current, published };
  });
}

/** A document's revisions, newest first (at most `limit`). */
export async function history(db: Q, key: string, limit = 200): Promise<Revision[]> {
  const rows = await db.selectFrom('content_revision').selectAll().where('doc_key', '=', key).orderBy('number', 'desc').limit(limit).execute();
  return rows.map(toRevision);
}

/** The content as publishing everything now would make it: each document's draft, or its published state. */
export async function loadDraftContent(db: Db): Promise<Content | undefined> {
  await ensureRevisions(db);
  return readSnapshot(db, async (trx) => join(await currentParts(trx, 'draft')));
}

/**
 * The draft content and the draft version it is of, read together (a preview is cached by that version: read apart,
 * a save between the two reads could label newer content with an older version, or the reverse).
 */
export async function loadDraft(db: Db): Promise<{ content: Content | undefined; version: string }> {
  await ensureRevisions(db);
  return readSnapshot(db, async (trx) => ({ version: await draftVersion(trx), content: join(await currentParts(trx, 'draft')) }));
}

/** Each document's state, as it is published or as its draft has it, as parts of the content. */
async function currentParts(q: Q, which: 'draft' | 'published', promote: ReadonlySet<string> = new Set()): Promise<Part[]> {
  const rows = await q.selectFrom('content_head as h')
    .innerJoin('content_revision as r', (j) => j.onRef('r.doc_key', '=', 'h.doc_key'))
    .select(['h.doc_key', 'h.draft', 'h.published', 'r.number', 'r.data'])
    .where((eb) => eb.or([eb('r.number', '=', eb.ref('h.draft')), eb('r.number', '=', eb.ref('h.published'))]))
    .execute();
  const wanted = (h: { doc_key: string; draft: number | null; published: number | null }) =>
    (which === 'draft' || promote.has(h.doc_key) ? (h.draft ?? h.published) : h.published);
  const parts: Part[] = [];
  for (const r of rows) {
    if (r.number !== wanted(r)) continue;
    const k = parseKey(r.doc_key);
    if (k) parts.push({ kind: k.kind, id: k.id, data: JSON.parse(r.data) } as Part);
  }
  return parts;
}

export type SaveResult =
  | { ok: true; number: number; unchanged: boolean }
  | { ok: false; reason: 'conflict'; current: Revision }
  | { ok: false; reason: 'not_found' };

async function writeDraft(trx: Transaction<Database>, at: Date, by: Editor | undefined, key: string, base: number, data: unknown, source: Source, message: string | undefined): Promise<SaveResult> {
  const h = await trx.selectFrom('content_head').selectAll().where('doc_key', '=', key).executeTakeFirst();
  const current = h ? (h.draft ?? h.published) : null;
  if ((current ?? 0) !== base) {
    const theirs = current === null ? undefined : await readRevision(trx, key, current);
    return theirs ? { ok: false, reason: 'conflict', current: theirs } : { ok: false, reason: 'not_found' };
  }
  if (current !== null) {
    const cur = await trx.selectFrom('content_revision').select('digest').where('doc_key', '=', key).where('number', '=', current).executeTakeFirst();
    if (cur?.digest === digestOf(canonicalJson(data))) return { ok: true, number: current, unchanged: true };
  }
  const number = ((await lastNumbers(trx, [key])).get(key) ?? 0) + 1;
  await insertRevision(trx, key, number, { source, base: current, data, by, message, at });
  await setHead(trx, key, at, { draft: number });
  await bumpDraftVersion(trx);
  await audit(trx, at, { event: source === 'restore' ? 'content_restored' : 'content_saved', userId: by?.id, email: by?.email, detail: `doc=${key}; rev=${number}` });
  return { ok: true, number, unchanged: false };
}

/**
 * Saves a document's new state as its draft. `base` is the revision the form was made from (0 for a new document):
 * if the document has moved on since (someone else saved), nothing is written and the caller shows both.
 * `data` must already be valid (the editor parses it with the bundle's schemas).
 */
export async function saveDraft(db: Db, at: Date, by: Editor, key: string, base: number, data: unknown, message?: string): Promise<SaveResult> {
  if (!parseKey(key)) return { ok: false, reason: 'not_found' };
  await ensureRevisions(db, at);
  return exclusiveWrite(db, (trx) => writeDraft(trx, at, by, key, base, data, 'save', message));
}

/** Restores an earlier revision as a new draft (the history keeps everything in between). */
export async function restoreRevision(db: Db, at: Date, by: Editor, key: string, number: number, base: number): Promise<SaveResult> {
  return exclusiveWrite(db, async (trx) => {
    const old = await readRevision(trx, key, number);
    if (!old) return { ok: false, reason: 'not_found' };
    return writeDraft(trx, at, by, key, base, old.data, 'restore', `#${number}`);
  });
}

/** Drops a document's draft: staff edit the published state again. The draft stays in the history. */
export async function discardDraft(db: Db, at: Date, by: Editor, key: string, base: number): Promise<SaveResult> {
  return exclusiveWrite(db, async (trx) => {
    const h = await trx.selectFrom('content_head').selectAll().where('doc_key', '=', key).executeTakeFirst();
    if (!h || h.draft === null || h.published === null) return { ok: false, reason: 'not_found' };
    if (h.draft !== base) {
      const theirs = await readRevision(trx, key, h.draft);
      return theirs ? { ok: false, reason: 'conflict', current: theirs } : { ok: false, reason: 'not_found' };
    }
    await setHead(trx, key, at, { draft: null });
    await bumpDraftVersion(trx);
    await audit(trx, at, { event: 'content_discarded', userId: by.id, email: by.email, detail: `doc=${key}; rev=${base}` });
    return { ok: true, number: h.published, unchanged: false };
  });
}

export type PublishResult =
  | { ok: true; published: string[]; version: string | undefined }
  | { ok: false; problems: Problem[]; stale?: true };

/**
 * What the person publishing saw: the draft revision of the one document (`draft`), or the draft version of the
 * whole content (`version`, for "publish all"). A draft saved since is not published unseen: the publish is refused.
 */
export interface Seen {
  draft?: number;
  version?: string;
}

/**
 * Publishes the drafts of `keys` (all drafts when undefined): the content they make with everything else as
 * published is checked with the bundle's rules; with a problem nothing changes and the problems are returned; else
 * the site's tables are rewritten and those drafts become the published revisions, in one transaction.
 */
export async function publish(db: Db, at: Date, by: Editor, keys?: readonly string[], seen: Seen = {}): Promise<PublishResult> {
  await ensureRevisions(db, at);
  return exclusiveWrite(db, async (trx) => {
    if (seen.version !== undefined && seen.version !== (await draftVersion(trx))) return { ok: false, problems: [], stale: true };
    const all = await trx.selectFrom('content_head').selectAll().where('draft', 'is not', null).execute();
    const chosen = all.filter((h) => !keys || keys.includes(h.doc_key));
    if (seen.draft !== undefined && chosen.some((h) => h.draft !== seen.draft)) return { ok: false, problems: [], stale: true };
    if (!chosen.length) return { ok: true, published: [], version: undefined };
    const promote = new Set(chosen.map((h) => h.doc_key));
    const content = join(await currentParts(trx, 'published', promote));
    if (!content) return { ok: false, problems: [{ code: 'required', entity: 'museum', message: 'the museum has no published settings' } as Problem] };
    const problems = await checkPublishable(content);
    if (problems.length) return { ok: false, problems };
    const version = await writeProjection(trx, content);
    for (const h of chosen) await setHead(trx, h.doc_key, at, { published: h.draft, draft: null }, by);
    await bumpDraftVersion(trx);
    await audit(trx, at, { event: 'content_published', userId: by.id, email: by.email, detail: `docs=${chosen.length}; version=${version}` });
    return { ok: true, published: chosen.map((h) => h.doc_key).sort(), version };
  });
}

/**
 * Takes a theme, article or page off the site: the published content without it is checked with the bundle's rules
 * (nothing published may still name it), the site's tables rewritten, and its last state kept as its draft, so that
 * publishing it again brings it back. Refused with the problems, changing nothing, like a publish.
 */
export async function unpublish(db: Db, at: Date, by: Editor, key: string): Promise<PublishResult> {
  const k = parseKey(key);
  if (!k || !['theme', 'article', 'page'].includes(k.kind)) return { ok: true, published: [], version: undefined };
  await ensureRevisions(db, at);
  return exclusiveWrite(db, async (trx) => {
    const h = await trx.selectFrom('content_head').selectAll().where('doc_key', '=', key).executeTakeFirst();
    if (!h || h.published === null) return { ok: true, published: [], version: undefined };
    const content = join((await currentParts(trx, 'published')).filter((p) => keyOf(p.kind, p.id) !== key));
    if (!content) return { ok: false, problems: [{ code: 'required', entity: 'museum', message: 'the museum has no published settings' } as Problem] };
    const problems = await checkPublishable(content);
    if (problems.length) return { ok: false, problems };
    const version = await writeProjection(trx, content);
    await setHead(trx, key, at, { published: null, draft: h.draft ?? h.published });
    await bumpDraftVersion(trx);
    await audit(trx, at, { event: 'content_unpublished', userId: by.id, email: by.email, detail: `doc=${key}; version=${version}` });
    return { ok: true, published: [], version };
  });
}
