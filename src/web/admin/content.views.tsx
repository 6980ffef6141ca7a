import type { MessageKey } from '../../i18n/messages.ts';
import { languageName } from '../../i18n/messages.ts';
import type { DocData } from '../../modules/editorial/documents.ts';
import { BLOCK_TEXT_FIELDS, blockFields, DOC_TEXT_FIELDS, fieldId, fieldName, requiredText, type BlockTextField, type Fields, type FieldName } from '../../modules/editorial/fields.ts';
import type { FieldChange } from '../../modules/editorial/diff.ts';
import type { RevisionInfo } from '../../modules/editorial/editorial.service.ts';
import type { LockAnswer } from '../../modules/editorial/lock.ts';
import { CSRF_FIELD } from './admin.http.ts';
import { Comments, type CommentsData } from './comments.views.tsx';
import { dateOf, Layout, Notice, timeOf, type AdminPage } from './admin.views.tsx';
import { ReviewBox, type ReviewState } from './review.views.tsx';

// The editor's pages (docs/admin.md, "Editing the visit"): the list of
// documents, a document's texts in every language side by side, a visit's
// order of themes, a document's history with what each revision changed.
// Server-rendered forms without script, like the rest of the admin.

export type DocStatus = 'published' | 'draft' | 'new' | 'unpublished';

export interface ListedDoc {
  key: string;
  title: string;
  status: DocStatus;
  updatedAt: string;
}

export interface PublishProblem {
  message: string;
  href?: string | undefined;
}

export const Csrf = ({ csrf }: { csrf: string }) => <input type="hidden" name={CSRF_FIELD} value={csrf} />;

export const Status = ({ page, status }: { page: AdminPage; status: DocStatus }) =>
  <span class={`status status-${status}`}>{page.t(`admin.content.status.${status}`)}</span>;

/** A document's page in the admin (the museum's settings have a path of their own). */
export const editHref = (key: string) => (key === 'museum' ? '/admin/content/museum/settings' : `/admin/content/${key}`);

export function ContentNav({ page, current }: { page: AdminPage; current?: 'content' }) {
  const { t } = page;
  return (
    <nav aria-label={t('admin.nav.label')} class="admin-nav">
      <ul>
        <li><a href="/admin">{t('admin.home.title')}</a></li>
        <li><a href="/admin/content" {...(current === 'content' ? { 'aria-current': 'page' } : {})}>{t('admin.nav.content')}</a></li>
      </ul>
    </nav>
  );
}

function ProblemList({ page, problems }: { page: AdminPage; problems: PublishProblem[] }) {
  if (!problems.length) return null;
  return (
    <section class="problems" aria-labelledby="problems-title">
      <h2 id="problems-title">{page.t('admin.content.problems', { count: problems.length })}</h2>
      <ul>{problems.map((p) => <li>{p.href ? <a href={p.href}>{p.message}</a> : p.message}</li>)}</ul>
    </section>
  );
}

/** A list of documents on the content page: a visit's themes (with its page), the articles, the pages; or media… alone. */
export interface ListGroup {
  title: string;
  visitKey?: string;
  docs: ListedDoc[];
}

export function ContentListPage({ page, csrf, groups, lists, only, drafts, seen, canPublish, problems = [], notice }: {
  page: AdminPage; csrf: string; groups: ListGroup[]; lists: { kind: string; title: string; count: number; drafts: number }[]; only?: string | undefined;
  drafts: number; seen: string; canPublish: boolean;
  problems?: PublishProblem[]; notice?: string | undefined;
}) {
  const { t } = page;
  const date = dateOf(page);
  return (
    <Layout page={page} title={t('admin.content.title')} signedIn={{ csrf }} wide>
      <ContentNav page={page} current="content" />
      <Notice text={notice} alert={problems.length > 0} />
      <ProblemList page={page} problems={problems} />
      <p><a href={editHref('museum')}>{t('admin.texts.museum')}</a> · <a href="/admin/preview/">{t('admin.content.previewHome')}</a> · <a href="/admin/preview">{t('admin.content.share')}</a></p>
      <div class="actions">
        <p>{t('admin.content.drafts', { count: drafts })}</p>
        {canPublish && drafts > 0 && (
          <form method="post" action="/admin/content/publish">
            <Csrf csrf={csrf} />
            <input type="hidden" name="seen" value={seen} />
            <button type="submit">{t('admin.content.publishAll', { count: drafts })}</button>
          </form>
        )}
      </div>
      {groups.map((g, i) => {
        const table = (
          <div class="table">
            <table aria-labelledby={`group-${i}`}>
              <thead><tr><th scope="col">{t('admin.content.document')}</th><th scope="col">{t('admin.content.state')}</th><th scope="col">{t('admin.content.changed')}</th></tr></thead>
              <tbody>
                {g.docs.map((d) => (
                  <tr>
                    <td data-label={t('admin.content.document')}><a href={editHref(d.key)}>{d.title}</a></td>
                    <td data-label={t('admin.content.state')}><Status page={page} status={d.status} /></td>
                    <td data-label={t('admin.content.changed')}><time datetime={d.updatedAt}>{date(d.updatedAt)}</time></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
        return (
          <section aria-labelledby={`group-${i}`}>
            <h2 id={`group-${i}`}>{g.title}</h2>
            {g.visitKey && <p><a href={editHref(g.visitKey)}>{t('admin.content.order')}</a></p>}
            {table}
          </section>
        );
      })}
      {only ? <p><a href="/admin/content">{t('admin.content.backToList')}</a></p> : (
        <section aria-labelledby="lists-title">
          <h2 id="lists-title">{t('admin.content.lists')}</h2>
          <ul>
            {lists.map((l) => <li><a href={`/admin/content?list=${l.kind}`}>{l.title}</a> ({l.drafts ? t('admin.content.listCountDrafts', { count: l.count, drafts: l.drafts }) : l.count})</li>)}
          </ul>
        </section>
      )}
    </Layout>
  );
}

/** A field's label, for people: "Title", "Block 3 (text), text (Markdown)" (the dashboard's links say it too). */
export const fieldLabel = (page: AdminPage, f: FieldName, doc: { blocks: readonly { id: string; kind: string }[] }): string => {
  const { t } = page;
  if (!f.block) return t(`admin.content.field.${f.field}` as MessageKey);
  const n = doc.blocks.findIndex((b) => b.id === f.block) + 1;
  const kind = doc.blocks[n - 1]?.kind ?? 'text';
  return t('admin.content.blockField', { n, kind: t(`admin.content.kind.${kind}` as MessageKey), field: t(`admin.content.field.${f.field}` as MessageKey) });
};

const LONG = new Set(['summary', 'lead', 'body', 'caption']);

/** One field in one language: editable, or shown as the source beside the one being translated. */
export function TextField({ page, id, name, label, locale, long, minRows = 3, markdown = false, value, wanted, editable, error, theirs }: {
  page: AdminPage; id: string; name: string; label: string; locale: string; long: boolean; minRows?: number; markdown?: boolean; value: string; wanted: boolean; editable: boolean;
  error?: string | undefined; theirs?: string | undefined;
}) {
  const { t } = page;
  // Missing: a text the page needs, or one written in another language and not yet in this one.
  const state = value.trim() !== '' ? 'done' : wanted ? 'missing' : 'optional';
  const described = [`${id}-state`, error ? `${id}-error` : '', theirs !== undefined ? `${id}-theirs` : ''].filter(Boolean).join(' ');
  const common = { id, name, 'aria-describedby': described, ...(error ? { 'aria-invalid': 'true' } : {}), ...(editable ? {} : { readonly: true }) };
  // With the admin's script, a Markdown field shows the text as the site renders it (src/web/admin/admin.script.ts).
  const preview = markdown ? { 'data-markdown': '/admin/content/markdown', 'data-preview-label': t('admin.content.markdownPreview') } : {};
  const rows = long ? Math.min(24, Math.max(minRows, Math.ceil(value.length / 70) + value.split('\n').length)) : 3;
  return (
    <div class={`field${theirs !== undefined ? ' conflict' : ''}`} lang={locale}>
      <label for={id}>{`${label} (${languageName(locale, page.locale)})`}</label>
      <p class={`field-state ${state}`} id={`${id}-state`} lang={page.locale}>{t(`admin.content.${state}`)}</p>
      {long ? <textarea {...common} {...preview} rows={rows}>{value}</textarea> : <input type="text" {...common} value={value} />}
      {error && <p class="error" id={`${id}-error`} lang={page.locale}>{error}</p>}
      {theirs !== undefined && (
        <div class="theirs" id={`${id}-theirs`} lang={page.locale}>
          <p><strong>{t('admin.conflict.theirs')}</strong></p>
          <p class="theirs-text" lang={locale}>{theirs === '' ? t('admin.conflict.empty') : theirs}</p>
        </div>
      )}
    </div>
  );
}

/** Who else has the document open (the soft lock), or that this editor took it over. */
export function LeaseNotice({ page, csrf, docKey, lease }: { page: AdminPage; csrf: string; docKey: string; lease: LockAnswer | undefined }) {
  const { t } = page;
  const time = timeOf(page);
  if (!lease) return null;
  if (lease.held) {
    return (
      <div class="lease" data-renew={`${editHref(docKey)}/renew`}>
        <p class="hint">{t('admin.lock.yours', { time: time(lease.until) })}</p>
        <form method="post" action={`${editHref(docKey)}/release`}>
          <Csrf csrf={csrf} />
          <button type="submit" class="quiet">{t('admin.lock.release')}</button>
        </form>
      </div>
    );
  }
  return (
    <section class="notice lease-other" aria-labelledby="lease-title">
      <h2 id="lease-title">{t('admin.lock.otherTitle', { email: lease.holder.email })}</h2>
      <p>{t('admin.lock.otherText', { time: time(lease.holder.until) })}</p>
      <form method="post" action={`${editHref(docKey)}/lock`}>
        <Csrf csrf={csrf} />
        <button type="submit">{t('admin.lock.takeOver')}</button>
      </form>
    </section>
  );
}

/** Publish, take off the site, discard the draft: as the policy allows and the document's state makes sense. */
export function DocActions({ page, csrf, action, status, base, can, unpublish = false }: {
  page: AdminPage; csrf: string; action: string; status: DocStatus; base: number; can: { publish: boolean; structure: boolean }; unpublish?: boolean;
}) {
  const { t } = page;
  return (
    <div class="actions">
      {can.publish && status !== 'published' && (
        <form method="post" action={`${action}/publish`}>
          <Csrf csrf={csrf} />
          <input type="hidden" name="draft" value={String(base)} />
          <button type="submit">{t('admin.content.publishOne')}</button>
        </form>
      )}
      {unpublish && can.publish && (status === 'published' || status === 'draft') && (
        <form method="post" action={`${action}/unpublish`}>
          <Csrf csrf={csrf} />
          <button type="submit" class="quiet">{t('admin.content.unpublish')}</button>
        </form>
      )}
      {can.structure && status === 'draft' && (
        <form method="post" action={`${action}/discard`}>
          <Csrf csrf={csrf} />
          <input type="hidden" name="base" value={String(base)} />
          <button type="submit" class="quiet">{t('admin.content.discard')}</button>
        </form>
      )}
    </div>
  );
}

/** Why a save wrote nothing: fields to correct, or someone else's save meanwhile (theirs is shown beside each field). */
export function SaveNotices({ page, errors, conflict }: { page: AdminPage; errors: number; conflict?: Conflict | undefined }) {
  const { t } = page;
  const count = conflict?.conflicts.length ?? 0;
  return (
    <>
      {errors > 0 && <p class="notice alert" role="alert">{t('admin.content.errors', { count: errors })}</p>}
      {conflict && (
        <section class="notice alert conflict-intro" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{t('admin.conflict.title')}</h2>
          <p>{t('admin.conflict.text', { email: conflict.email ?? t('admin.history.cli'), date: dateOf(page)(conflict.at) })}</p>
          {/* A sentence per case: no field changed by both (theirs is merged in, no field shows two versions), one, several. */}
          <p>{t(count === 0 ? 'admin.conflict.none' : count === 1 ? 'admin.conflict.one' : 'admin.conflict.many', { count })}</p>
        </section>
      )}
    </>
  );
}

export interface Conflict {
  email: string | null;
  at: string;
  theirs: Fields;
  conflicts: string[];
}

export function EditorPage({ page, csrf, docKey, doc, title, locales, editable, fields, base, status, errors = {}, conflict, notice, can, message, lease, comments, review }: {
  page: AdminPage; csrf: string; docKey: string; doc: DocData; title: string; locales: string[]; editable: ReadonlySet<string>; lease?: LockAnswer | undefined;
  comments?: CommentsData | undefined;
  fields: Fields; base: number; status: DocStatus; errors?: Record<string, string>; conflict?: Conflict | undefined; notice?: string | undefined;
  can: { publish: boolean; structure: boolean }; message?: string | undefined; review?: ReviewState | undefined;
}) {
  const { t } = page;
  const action = editHref(docKey);
  const rows: FieldName[][] = [];
  const row = (make: (locale: string) => FieldName) => rows.push(locales.map(make));
  for (const field of DOC_TEXT_FIELDS) row((locale) => ({ locale, field }));
  const blockRows: { id: string; n: number; kind: string; fields: FieldName[][] }[] = doc.blocks.map((b, i) => ({
    id: b.id, n: i + 1, kind: b.kind,
    fields: blockFields(doc, b.id).map((field) => locales.map((locale) => ({ locale, field, block: b.id }))),
  }));
  const errorCount = Object.keys(errors).length;
  const cell = (f: FieldName) => {
    const name = fieldName(f);
    const theirs = conflict?.conflicts.includes(name) ? (conflict.theirs[name] ?? '') : undefined;
    const kind = f.block ? doc.blocks.find((b) => b.id === f.block)?.kind : undefined;
    const required = kind ? requiredText(kind, f.field as BlockTextField) : f.field === 'title' || f.field === 'slug';
    const wanted = required || locales.some((l) => (fields[fieldName({ ...f, locale: l })] ?? '').trim() !== '');
    const value = fields[name] ?? '';
    return <TextField page={page} id={fieldId(f)} name={name} label={fieldLabel(page, f, doc)} locale={f.locale} long={LONG.has(f.field)} minRows={f.field === 'body' ? 6 : 3} markdown={f.field === 'body'} value={value} wanted={wanted} editable={editable.has(f.locale)} error={errors[name]} theirs={theirs} />;
  };
  return (
    <Layout page={page} title={title} signedIn={{ csrf }} wide>
      <ContentNav page={page} />
      <p class="doc-meta"><Status page={page} status={status} /> <a href={`${action}/blocks`}>{t('admin.blocks.link', { count: doc.blocks.length })}</a> <a href={`${action}/history`}>{t('admin.history.link')}</a> <a href={`${action}/preview`}>{t('admin.content.preview')}</a></p>
      <LeaseNotice page={page} csrf={csrf} docKey={docKey} lease={lease} />
      <Notice text={notice} />
      <ReviewBox page={page} csrf={csrf} action={action} state={review} />
      <SaveNotices page={page} errors={errorCount} conflict={conflict} />
      <form method="post" action={action} class="editor" novalidate>
        <Csrf csrf={csrf} />
        <input type="hidden" name="base" value={String(base)} />
        <fieldset class={`texts cols-${Math.min(locales.length, 4)}`}>
          <legend>{t('admin.content.texts')}</legend>
          {rows.map((r) => <div class="row">{r.map(cell)}</div>)}
        </fieldset>
        {blockRows.map((b) => b.fields.length > 0 && (
          <fieldset class={`texts block cols-${Math.min(locales.length, 4)}`} id={`block-${b.id}`}>
            <legend>{t('admin.content.block', { n: b.n, kind: t(`admin.content.kind.${b.kind}` as MessageKey) })}</legend>
            {b.fields.map((r) => <div class="row">{r.map(cell)}</div>)}
          </fieldset>
        ))}
        <div class="field">
          <label for="message">{t('admin.content.message')}</label>
          <input type="text" id="message" name="message" maxlength={300} value={message ?? ''} aria-describedby="message-hint" />
          <p class="hint" id="message-hint">{t('admin.content.messageHint')}</p>
        </div>
        <div class="actions"><button type="submit">{t('admin.content.save')}</button></div>
      </form>
      <DocActions page={page} csrf={csrf} action={action} status={status} base={base} can={can} unpublish />
      {comments && <Comments page={page} csrf={csrf} d={comments} />}
    </Layout>
  );
}

/** A change's field, for people: "Title (English)", "Block 3 · Text (French)", "Order of themes". */
function changeLabel(page: AdminPage, path: string[], doc: DocData | undefined): string {
  const { t } = page;
  const [top, locale, a, b, c] = path;
  if (top === 'texts' && locale) {
    if (a === 'blocks' && b && c && doc && (BLOCK_TEXT_FIELDS as readonly string[]).includes(c)) {
      return `${fieldLabel(page, { locale, field: c as FieldName['field'], block: b }, doc)} (${languageName(locale, page.locale)})`;
    }
    if (a && (DOC_TEXT_FIELDS as readonly string[]).includes(a)) return `${t(`admin.content.field.${a}` as MessageKey)} (${languageName(locale, page.locale)})`;
  }
  if (top === 'themes' && path.length === 1) return t('admin.order.title');
  if (top === 'blocks') return t('admin.history.structure', { path: path.slice(1).join(' · ') });
  // Language maps of other documents (name.fr, intro.en): the field and its language.
  if (path.length === 2 && locale && /^[a-z]{2,3}(-[A-Z]{2})?$/.test(locale)) return `${top} (${languageName(locale, page.locale)})`;
  return path.join(' · ');
}

function Change({ page, change, doc }: { page: AdminPage; change: FieldChange; doc: DocData | undefined }) {
  const { t } = page;
  return (
    <div class="change">
      <p class="change-label"><strong>{changeLabel(page, change.path, doc)}</strong></p>
      {change.words ? (
        <p class="words">{change.words.map((w) => (w.added ? <ins>{w.value}</ins> : w.removed ? <del>{w.value}</del> : w.value))}</p>
      ) : (
        <dl class="before-after">
          <dt>{t('admin.history.before')}</dt><dd>{change.before ?? <em>{t('admin.conflict.empty')}</em>}</dd>
          <dt>{t('admin.history.after')}</dt><dd>{change.after ?? <em>{t('admin.conflict.empty')}</em>}</dd>
        </dl>
      )}
    </div>
  );
}

export interface HistoryItem extends RevisionInfo {
  changes: FieldChange[];
  published: boolean;
  draft: boolean;
}

export function HistoryPage({ page, csrf, docKey, title, items, doc, current, canRestore, notice }: {
  page: AdminPage; csrf: string; docKey: string; title: string; items: HistoryItem[]; doc: DocData | undefined; current: number; canRestore: boolean; notice?: string | undefined;
}) {
  const { t } = page;
  const date = dateOf(page);
  return (
    <Layout page={page} title={t('admin.history.title', { title })} signedIn={{ csrf }} wide>
      <ContentNav page={page} />
      <p><a href={editHref(docKey)}>{t('admin.history.back')}</a></p>
      <Notice text={notice} />
      <ol class="history" reversed>
        {items.map((r) => (
          <li id={`revision-${r.number}`}>
            <h2>{t('admin.history.revision', { n: r.number })}
              {r.published && <span class="status status-published">{t('admin.content.status.published')}</span>}
              {r.draft && <span class="status status-draft">{t('admin.content.status.draft')}</span>}
            </h2>
            <p class="hint">{t(`admin.history.source.${r.source}`, { email: r.email ?? t('admin.history.cli'), n: (r.message ?? '').replace(/^#/, '') })} · <time datetime={r.createdAt}>{date(r.createdAt)}</time></p>
            {r.message && r.source === 'save' && <p class="message">{r.message}</p>}
            {r.changes.length ? r.changes.slice(0, 50).map((c) => <Change page={page} change={c} doc={doc} />) : <p>{t('admin.history.noChange')}</p>}
            {r.changes.length > 50 && <p class="hint">{t('admin.history.more', { count: r.changes.length - 50 })}</p>}
            {canRestore && r.number !== current && (
              <form method="post" action={`${editHref(docKey)}/restore`}>
                <Csrf csrf={csrf} />
                <input type="hidden" name="revision" value={String(r.number)} />
                <input type="hidden" name="base" value={String(current)} />
                <button type="submit" class="quiet">{t('admin.history.restore', { n: r.number })}</button>
              </form>
            )}
          </li>
        ))}
      </ol>
    </Layout>
  );
}
