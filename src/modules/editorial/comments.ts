import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import { exclusiveWrite } from '../../db/database.ts';
import { textProblem } from '../content/content.schema.ts';
import type { Editor } from './editorial.service.ts';

// Comments on a document (issue 16): what a reviewer has to say of a draft,
// on the revision they read, shown beside the editor until someone who edits
// marks it resolved. Plain text, never Markdown: shown as typed.

export interface Comment {
  id: string;
  revision: number | null;
  email: string;
  body: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

/** A comment's text: one to 2,000 characters, no invisible control characters. Errors are catalogue keys. */
export const CommentBody = z.string().transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .pipe(z.string().min(1, 'admin.field.required').max(2000, 'admin.field.tooLong').refine((s) => !textProblem(s, false), 'admin.content.badText'));

export async function comments(db: Db, key: string): Promise<Comment[]> {
  const rows = await db.selectFrom('content_comment').selectAll().where('doc_key', '=', key).orderBy('created_at').orderBy('id').limit(500).execute();
  return rows.map((r) => ({ id: r.id, revision: r.revision, email: r.email, body: r.body, createdAt: r.created_at, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by }));
}

export async function addComment(db: Db, at: Date, by: Editor, key: string, revision: number, body: string): Promise<void> {
  await exclusiveWrite(db, (trx) => trx.insertInto('content_comment').values({
    id: randomUUID(), doc_key: key, revision, user_id: by.id, email: by.email, body, created_at: at.toISOString(), resolved_at: null, resolved_by: null,
  }).execute());
}

/** Marks a comment of this document resolved (once: a second time changes nothing). False: no such comment. */
export async function resolveComment(db: Db, at: Date, by: Editor, key: string, id: string): Promise<boolean> {
  return exclusiveWrite(db, async (trx) => {
    const r = await trx.selectFrom('content_comment').select('resolved_at').where('id', '=', id).where('doc_key', '=', key).executeTakeFirst();
    if (!r) return false;
    if (r.resolved_at === null) await trx.updateTable('content_comment').set({ resolved_at: at.toISOString(), resolved_by: by.email }).where('id', '=', id).execute();
    return true;
  });
}
