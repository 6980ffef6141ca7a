import type { Db } from '../../db/connection.ts';
import { exclusiveWrite } from '../../db/database.ts';
import { audit } from '../auth/audit.ts';
import { draftVersion, loadDraftContent, type Editor } from './editorial.service.ts';
import { contentHealth, type ContentHealth } from './health.ts';

// The editorial workflow around the drafts (docs/admin.md, "Dashboard"): a
// draft submitted for review waits until it is published or discarded (the
// heads clear it then, editorial.service.ts); the dashboard's lists of what
// is in draft, waiting for review and recently published; the content's
// health, computed from the drafts once per draft version.

export type ReviewResult = { ok: true; requested: boolean } | { ok: false; reason: 'not_found' | 'no_draft' };

/**
 * Marks a document's draft as waiting for review. A document without a draft has nothing to review; one already
 * waiting keeps its first request (`requested: false`). Saving again keeps it.
 */
export async function requestReview(db: Db, at: Date, by: Editor, key: string): Promise<ReviewResult> {
  return exclusiveWrite(db, async (trx) => {
    const h = await trx.selectFrom('content_head').select(['draft', 'review_requested_at']).where('doc_key', '=', key).executeTakeFirst();
    if (!h) return { ok: false, reason: 'not_found' };
    if (h.draft === null) return { ok: false, reason: 'no_draft' };
    if (h.review_requested_at) return { ok: true, requested: false };
    await trx.updateTable('content_head')
      .set({ review_requested_at: at.toISOString(), review_requested_by: by.id, review_requested_email: by.email })
      .where('doc_key', '=', key).execute();
    await audit(trx, at, { event: 'content_submitted', userId: by.id, email: by.email, detail: `doc=${key}; rev=${h.draft}` });
    return { ok: true, requested: true };
  });
}

export interface DraftItem {
  key: string;
  /** The draft's revision: when it was saved, by whom (null: the command line). */
  savedAt: string;
  savedBy: string | null;
  review: { at: string; email: string | null } | null;
}
/** One publish (or import): when, by whom, the documents it published (all of them, by key). */
export interface Publication {
  at: string;
  by: string | null;
  keys: string[];
}

export const RECENTLY_PUBLISHED = 10;

/** Every draft, the last saved first, and the last publishes, the latest first. */
export async function workLists(db: Db): Promise<{ drafts: DraftItem[]; publications: Publication[] }> {
  const drafts = await db.selectFrom('content_head as h')
    .innerJoin('content_revision as r', (j) => j.onRef('r.doc_key', '=', 'h.doc_key').onRef('r.number', '=', 'h.draft'))
    .select(['h.doc_key', 'r.email', 'r.created_at', 'h.review_requested_at', 'h.review_requested_email'])
    .orderBy('r.created_at', 'desc').orderBy('h.doc_key')
    .execute();
  // A publish moves every document it publishes at one instant: the documents published since the tenth latest instant.
  const instants = await db.selectFrom('content_head').select('published_at').distinct()
    .where('published_at', 'is not', null).orderBy('published_at', 'desc').limit(RECENTLY_PUBLISHED).execute();
  const since = instants.at(-1)?.published_at;
  const published = since ? await db.selectFrom('content_head').select(['doc_key', 'published_at', 'published_email'])
    .where('published_at', '>=', since).orderBy('published_at', 'desc').orderBy('doc_key').execute() : [];
  const publications: Publication[] = [];
  for (const p of published) {
    const last = publications.at(-1);
    if (last && last.at === p.published_at && last.by === p.published_email) last.keys.push(p.doc_key);
    else publications.push({ at: p.published_at!, by: p.published_email, keys: [p.doc_key] });
  }
  return {
    drafts: drafts.map((d) => ({
      key: d.doc_key, savedAt: d.created_at, savedBy: d.email,
      review: d.review_requested_at ? { at: d.review_requested_at, email: d.review_requested_email } : null,
    })),
    publications,
  };
}

// The health of the drafts, by database, for one draft version. Under a millisecond for the demo and its 60-theme
// visit, some 30 ms for 1,300 documents (docs/admin.md): computed here, once per version, not on every page. A
// version is read before the content: what is kept under it is never older than it.
const cache = new WeakMap<Db, { version: string; health: Promise<ContentHealth | undefined> }>();

export async function draftHealth(db: Db): Promise<ContentHealth | undefined> {
  const version = await draftVersion(db);
  const hit = cache.get(db);
  if (hit?.version === version) return hit.health;
  const health = loadDraftContent(db).then((c) => c && contentHealth(c));
  cache.set(db, { version, health });
  health.catch(() => {
    if (cache.get(db)?.health === health) cache.delete(db);
  });
  return health;
}
