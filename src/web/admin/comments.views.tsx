import type { Comment } from '../../modules/editorial/comments.ts';
import { dateOf, type AdminPage } from './admin.views.tsx';
import { CSRF_FIELD } from './admin.http.ts';

// A document's comments (issue 16): what reviewers and colleagues said of
// its draft, the open ones first, each with the revision it was written on;
// a form to add one; resolved ones kept below, folded.

export interface CommentsData {
  list: Comment[];
  /** The document's page, where the forms post (…/comments). */
  action: string;
  revision: number;
  canWrite: boolean;
  canResolve: boolean;
}

function Item({ page, csrf, c, d }: { page: AdminPage; csrf: string; c: Comment; d: CommentsData }) {
  const { t } = page;
  const date = dateOf(page);
  return (
    <li class="comment">
      <p class="hint">
        {t('admin.comments.by', { email: c.email, n: c.revision ?? '?' })} · <time datetime={c.createdAt}>{date(c.createdAt)}</time>
        {c.resolvedAt && <> · {t('admin.comments.resolvedBy', { email: c.resolvedBy ?? '' })}</>}
      </p>
      <p class="comment-body">{c.body}</p>
      {d.canResolve && !c.resolvedAt && (
        <form method="post" action={`${d.action}/comments/${c.id}/resolve`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <button type="submit" class="quiet">{t('admin.comments.resolve')}</button>
        </form>
      )}
    </li>
  );
}

export function Comments({ page, csrf, d }: { page: AdminPage; csrf: string; d: CommentsData }) {
  const { t } = page;
  const open = d.list.filter((c) => !c.resolvedAt);
  const resolved = d.list.filter((c) => c.resolvedAt);
  return (
    <section class="comments" id="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{t('admin.comments.title', { count: open.length })}</h2>
      {open.length === 0 && <p>{t('admin.comments.none')}</p>}
      {open.length > 0 && <ol>{open.map((c) => <Item page={page} csrf={csrf} c={c} d={d} />)}</ol>}
      {resolved.length > 0 && (
        <details>
          <summary>{t('admin.comments.resolved', { count: resolved.length })}</summary>
          <ol>{resolved.map((c) => <Item page={page} csrf={csrf} c={c} d={d} />)}</ol>
        </details>
      )}
      {d.canWrite && (
        <form method="post" action={`${d.action}/comments`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="revision" value={String(d.revision)} />
          <div class="field">
            <label for="comment-body">{t('admin.comments.add')}</label>
            <textarea id="comment-body" name="body" rows={3} maxlength={2000} aria-describedby="comment-hint"></textarea>
            <p class="hint" id="comment-hint">{t('admin.comments.hint')}</p>
          </div>
          <div class="actions"><button type="submit">{t('admin.comments.send')}</button></div>
        </form>
      )}
    </section>
  );
}
