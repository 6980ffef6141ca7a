import { CSRF_FIELD } from './admin.http.ts';
import { dateOf, type AdminPage } from './admin.views.tsx';

// A draft's review request on the editor's page (docs/admin.md, "Dashboard"):
// since when it waits and who asked, or the button that asks.

export interface ReviewState {
  /** The draft waits for review: since when, asked by whom. */
  requested: { at: string; email: string | null } | null;
  /** This person may ask (they edit a language, and there is a draft). */
  canSubmit: boolean;
}

export function ReviewBox({ page, csrf, action, state }: { page: AdminPage; csrf: string; action: string; state: ReviewState | undefined }) {
  if (!state) return null;
  const { t } = page;
  if (state.requested) {
    const { at, email } = state.requested;
    return <p class="review waiting">{t('admin.review.waiting', { date: dateOf(page)(at), email: email ?? t('admin.history.cli') })}</p>;
  }
  if (!state.canSubmit) return null;
  return (
    <form method="post" action={`${action}/submit`} class="review">
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <button type="submit" class="quiet" aria-describedby="review-hint">{t('admin.review.submit')}</button>
      <p class="hint" id="review-hint">{t('admin.review.hint')}</p>
    </form>
  );
}
