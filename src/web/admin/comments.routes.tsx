import type { Hono } from 'hono';
import { z } from 'zod';
import { addComment, CommentBody, resolveComment } from '../../modules/editorial/comments.ts';
import type { ContentEnv, ContentShared, ContentTools } from './content.routes.tsx';
import { editHref } from './content.views.tsx';

// Comments on a document (issue 16): anyone on the staff writes one
// (content.comment: a reviewer's part); who changes structure resolves it.

const CommentForm = z.object({ revision: z.coerce.number().int().min(0).max(1_000_000_000), body: CommentBody });
const CommentId = z.uuid();

export function commentsRoutes(app: Hono<ContentEnv>, tools: ContentTools, shared: ContentShared): void {
  const { db, now, guard, formOf, notFound } = tools;
  const { docOf, editorOf } = shared;

  app.post('/content/:kind/:id/comments', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.comment', form);
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    const parsed = CommentForm.safeParse(form);
    if (!parsed.success) return c.redirect(`${editHref(d.key)}?done=commentRefused#comments`, 303);
    // On a revision the document has (the one the form was made from, or an earlier one).
    if (parsed.data.revision > d.state.current.number) return notFound(c);
    await addComment(db, now(), editorOf(c.var.session!), d.key, parsed.data.revision, parsed.data.body);
    return c.redirect(`${editHref(d.key)}?done=commented#comments`, 303);
  });

  app.post('/content/:kind/:id/comments/:comment/resolve', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.structure', form);
    if (no) return no;
    const d = await docOf(c);
    const id = CommentId.safeParse(c.req.param('comment'));
    if (!d || !id.success || !(await resolveComment(db, now(), editorOf(c.var.session!), d.key, id.data))) return notFound(c);
    return c.redirect(`${editHref(d.key)}?done=resolved#comments`, 303);
  });
}
