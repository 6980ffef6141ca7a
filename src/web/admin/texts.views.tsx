import type { Child } from 'hono/jsx';
import type { MessageKey } from '../../i18n/messages.ts';
import type { LockAnswer } from '../../modules/editorial/lock.ts';
import type { MapSpec } from '../../modules/editorial/maps.ts';
import type { Fields } from '../../modules/editorial/fields.ts';
import { Layout, Notice, type AdminPage } from './admin.views.tsx';
import { Comments, type CommentsData } from './comments.views.tsx';
import { ContentNav, Csrf, DocActions, editHref, LeaseNotice, SaveNotices, Status, TextField, type Conflict, type DocStatus } from './content.views.tsx';

// The pages of the documents whose texts are language maps: a visit (its
// title, address and summary, and the order of its themes) and the museum's
// settings (its name, introduction, about text, credits). Every language
// side by side, like a theme's editor.

export interface TextsForm {
  spec: MapSpec;
  locales: string[];
  editable: ReadonlySet<string>;
  fields: Fields;
  base: number;
  status: DocStatus;
  errors: Record<string, string>;
  conflict?: Conflict | undefined;
  message?: string | undefined;
  can: { publish: boolean; structure: boolean };
}

/** The texts of a language-map document as a form: one row a field, one column a language. */
function MapTexts({ page, csrf, docKey, legend, f }: { page: AdminPage; csrf: string; docKey: string; legend: string; f: TextsForm }) {
  const { t } = page;
  const row = (name: string) => f.locales.map((locale) => {
    const field = `${locale}.${name}`;
    const value = f.fields[field] ?? '';
    const wanted = f.spec.required.has(name) || f.locales.some((l) => (f.fields[`${l}.${name}`] ?? '').trim() !== '');
    const theirs = f.conflict?.conflicts.includes(field) ? (f.conflict.theirs[field] ?? '') : undefined;
    return <TextField page={page} id={`field-${locale}-${name}`} name={field} label={t(`admin.texts.field.${name}` as MessageKey)} locale={locale} long={f.spec.long.has(name)} value={value} wanted={wanted} editable={f.editable.has(locale)} error={f.errors[field]} theirs={theirs} />;
  });
  return (
    <>
      <SaveNotices page={page} errors={Object.keys(f.errors).length} conflict={f.conflict} />
      <form method="post" action={editHref(docKey)} class="editor" novalidate>
        <Csrf csrf={csrf} />
        <input type="hidden" name="base" value={String(f.base)} />
        <fieldset class={`texts cols-${Math.min(f.locales.length, 4)}`}>
          <legend>{legend}</legend>
          {f.spec.names.map((n) => <div class="row">{row(n)}</div>)}
        </fieldset>
        <div class="field">
          <label for="message">{t('admin.content.message')}</label>
          <input type="text" id="message" name="message" maxlength={300} value={f.message ?? ''} aria-describedby="message-hint" />
          <p class="hint" id="message-hint">{t('admin.content.messageHint')}</p>
        </div>
        <div class="actions"><button type="submit">{t('admin.content.save')}</button></div>
      </form>
      <DocActions page={page} csrf={csrf} action={editHref(docKey)} status={f.status} base={f.base} can={f.can} />
    </>
  );
}

function Head({ page, csrf, docKey, status, lease, notice, preview }: {
  page: AdminPage; csrf: string; docKey: string; status: DocStatus; lease: LockAnswer | undefined; notice: string | undefined; preview?: string | undefined;
}) {
  return (
    <>
      <ContentNav page={page} />
      <p class="doc-meta"><Status page={page} status={status} /> <a href={`${editHref(docKey)}/history`}>{page.t('admin.history.link')}</a>{preview && <> <a href={preview}>{page.t('admin.content.preview')}</a></>}</p>
      <LeaseNotice page={page} csrf={csrf} docKey={docKey} lease={lease} />
      <Notice text={notice} />
    </>
  );
}

export function VisitPage({ page, csrf, visitKey, title, themes, texts, canMove, notice, lease, comments }: {
  page: AdminPage; csrf: string; visitKey: string; title: string; themes: { id: string; title: string }[]; texts: TextsForm; canMove: boolean;
  notice?: string | undefined; lease?: LockAnswer | undefined; comments?: CommentsData | undefined;
}) {
  const { t } = page;
  const move = (id: string, dir: 'up' | 'down', label: string, n: number) => (
    <form method="post" action={`${editHref(visitKey)}/move`}>
      <Csrf csrf={csrf} />
      <input type="hidden" name="base" value={String(texts.base)} />
      <input type="hidden" name="theme" value={id} />
      <input type="hidden" name="direction" value={dir} />
      <button type="submit" class="quiet" aria-label={t(dir === 'up' ? 'admin.order.upLabel' : 'admin.order.downLabel', { title: themes[n]!.title })}>{label}</button>
    </form>
  );
  return (
    <Layout page={page} title={title} signedIn={{ csrf }} wide>
      <Head page={page} csrf={csrf} docKey={visitKey} status={texts.status} lease={lease} notice={notice} preview={`${editHref(visitKey)}/preview`} />
      <h2 id="order-title">{t('admin.order.title')}</h2>
      <ol class="order" aria-labelledby="order-title" {...(canMove ? { 'data-reorder': `${editHref(visitKey)}/order`, 'data-base': String(texts.base) } : {})}>
        {themes.map((th, i) => (
          <li data-id={th.id}>
            <span class="order-n">{i + 1}</span>
            <a href={editHref(`theme/${th.id}`)}>{th.title}</a>
            {canMove && <div class="row-actions">
              {i > 0 && move(th.id, 'up', t('admin.order.up'), i)}
              {i < themes.length - 1 && move(th.id, 'down', t('admin.order.down'), i)}
            </div>}
          </li>
        ))}
      </ol>
      <h2>{t('admin.texts.visit')}</h2>
      <MapTexts page={page} csrf={csrf} docKey={visitKey} legend={t('admin.texts.visitLegend')} f={texts} />
      {comments && <Comments page={page} csrf={csrf} d={comments} />}
    </Layout>
  );
}

/** The page of a document that is only language maps: the museum's settings, a media item, an event, a place. */
export function TextsPage({ page, csrf, docKey, title, legend, texts, notice, lease, comments, preview, intro, children }: {
  page: AdminPage; csrf: string; docKey: string; title: string; legend: string; texts: TextsForm; notice?: string | undefined; lease?: LockAnswer | undefined;
  comments?: CommentsData | undefined; preview?: string | undefined; intro?: string | undefined; children?: Child;
}) {
  return (
    <Layout page={page} title={title} signedIn={{ csrf }} wide>
      <Head page={page} csrf={csrf} docKey={docKey} status={texts.status} lease={lease} notice={notice} preview={preview} />
      {intro && <p class="hint intro">{intro}</p>}
      <MapTexts page={page} csrf={csrf} docKey={docKey} legend={legend} f={texts} />
      {children}
      {comments && <Comments page={page} csrf={csrf} d={comments} />}
    </Layout>
  );
}
