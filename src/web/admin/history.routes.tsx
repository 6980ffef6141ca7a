import type { Hono } from 'hono';
import { can } from '../../modules/auth/policy.ts';
import type { Content } from '../../modules/content/content.schema.ts';
import { diffStates } from '../../modules/editorial/diff.ts';
import type { DocData } from '../../modules/editorial/documents.ts';
import { history, readRevision, saveDraft } from '../../modules/editorial/editorial.service.ts';
import { applyOptions } from '../../modules/editorial/museum.ts';
import { csrfTokenOf } from './admin.http.ts';
import type { ContentEnv, ContentShared, ContentTools } from './content.routes.tsx';
import { editHref, HistoryPage, type HistoryItem } from './content.views.tsx';

// A document's history (every revision, what it changed, restore), and the
// museum's settings that are not texts (its address and look): routes of the
// content pages, apart so that each file stays readable.

export function historyRoutes(app: Hono<ContentEnv>, tools: ContentTools, shared: ContentShared): void {
  const { db, now, guard, render, notFound } = tools;
  const { docOf, noticeOf, titleOf, editorOf, posted, show, afterWrite } = shared;

  app.get('/content/:kind/:id/history', async (c) => {
    const no = await guard(c, 'content.read');
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    const { page, session, token } = c.var;
    const revisions = await history(db, d.key);
    const byNumber = new Map(revisions.map((r) => [r.number, r]));
    const items: HistoryItem[] = [];
    for (const r of revisions) {
      const before = r.base === null ? undefined : (byNumber.get(r.base) ?? (await readRevision(db, d.key, r.base)));
      items.push({ ...r, changes: diffStates(before?.data, r.data), published: d.state.head.published === r.number, draft: d.state.head.draft === r.number });
    }
    const doc = (['theme', 'article', 'page'] as string[]).includes(d.kind) ? (d.state.current.data as DocData) : undefined;
    const title = titleOf(d, page.locale);
    return render(c, <HistoryPage page={page} csrf={csrfTokenOf(token!)} docKey={d.key} title={title} items={items} doc={doc} current={d.state.current.number} canRestore={can(session!.user, 'content.structure')} notice={noticeOf(c)} />);
  });

  // The museum's address and look (not texts: structure).
  app.post('/content/:kind{museum}/:id{settings}/options', async (c) => {
    const p = await posted(c, 'content.structure');
    if (p instanceof Response) return p;
    if (p.base !== p.d.state.current.number) return c.redirect(`${editHref(p.d.key)}?done=stale`, 303);
    const r = applyOptions(p.d.state.current.data as Content['museum'], p.form);
    if (!r.ok) return show(c, p.d, { options: { values: p.form, errors: r.errors }, status: 400 });
    return afterWrite(c, p.d.key, await saveDraft(db, now(), editorOf(c.var.session!), p.d.key, p.base, r.museum), 'saved');
  });

}
