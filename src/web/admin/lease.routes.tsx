import type { Hono } from 'hono';
import { releaseLease } from '../../modules/editorial/lock.ts';
import type { ContentEnv, ContentShared, ContentTools } from './content.routes.tsx';
import { editHref } from './content.views.tsx';

// The soft lock's routes (issue 16, lock.ts): take over someone's lease (they
// are told on their next page), keep one's own while the page is open (the
// admin's script), or give it up. Reading is enough to ask; the lease itself
// is only ever held by someone who may edit a language of the museum.

export function leaseRoutes(app: Hono<ContentEnv>, tools: ContentTools, shared: ContentShared): void {
  const { db, guard, formOf, refused, notFound } = tools;
  const { docOf, editorOf, leaseOf } = shared;

  app.post('/content/:kind/:id/lock', async (c) => {
    const no = await guard(c, 'content.read', await formOf(c));
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    const lease = await leaseOf(c, d, true);
    if (!lease) return refused(c, 'admin.refused.role');
    return c.redirect(`${editHref(d.key)}?done=taken`, 303);
  });

  // The admin's script keeps the lease of an open page (never taking it from someone else): 204, or 409 if it is theirs.
  app.post('/content/:kind/:id/renew', async (c) => {
    const no = await guard(c, 'content.read', await formOf(c));
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    const lease = await leaseOf(c, d);
    return c.body(null, lease && !lease.held ? 409 : 204);
  });

  app.post('/content/:kind/:id/release', async (c) => {
    const no = await guard(c, 'content.read', await formOf(c));
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    await releaseLease(db, editorOf(c.var.session!), d.key);
    return c.redirect('/admin/content?done=released', 303);
  });
}
