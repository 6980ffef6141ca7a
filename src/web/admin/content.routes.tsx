import type { Context, Hono } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import { can, type Action } from '../../modules/auth/policy.ts';
import type { CurrentSession } from '../../modules/auth/sessions.service.ts';
import type { Problem } from '../../modules/bundle/bundle.problems.ts';
import type { Content } from '../../modules/content/content.schema.ts';
import { diffStates } from '../../modules/editorial/diff.ts';
import { keyOf, type DocData, type VisitData } from '../../modules/editorial/documents.ts';
import {
  discardDraft, documentState, heads, history, loadDraftContent, publish, readRevision, restoreRevision, saveDraft, type Editor, type Head, type SaveResult,
} from '../../modules/editorial/editorial.service.ts';
import { applyFields, DOC_TEXT_FIELDS, fieldId, fieldsOf, mergeFields, parseFieldName, type Fields } from '../../modules/editorial/fields.ts';
import { csrfTokenOf } from './admin.http.ts';
import type { AdminPage } from './admin.views.tsx';
import { ContentListPage, EditorPage, HistoryPage, VisitOrderPage, type DocStatus, type HistoryItem, type ListedDoc, type PublishProblem } from './content.views.tsx';

// /admin/content (docs/admin.md, decision 0022): the documents, the editor of
// a theme, article or page (every language side by side), a visit's order of
// themes, history and restore, publishing. Every route asks the policy; a
// translator's save is refused when it changes a language not theirs.

type Env = { Variables: { page: AdminPage; session: CurrentSession | undefined; token: string | undefined } };

export interface ContentTools {
  db: Db;
  now: () => Date;
  guard: (c: Context<Env>, action: Action, form?: Record<string, string>) => Promise<Response | undefined>;
  formOf: (c: Context) => Promise<Record<string, string>>;
  render: (c: Context, node: JSX.Element, status?: number) => Promise<Response>;
  refused: (c: Context<Env>, key: MessageKey) => Promise<Response>;
  notFound: (c: Context<Env>) => Promise<Response>;
}

const EDITABLE = ['theme', 'article', 'page'] as const;
const Kind = z.enum([...EDITABLE, 'visit']);
const Id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(200);
const Base = z.coerce.number().int().min(0).max(1_000_000_000);
const Message = z.string().trim().max(300).optional().transform((s) => s || undefined);
const Done = z.enum(['saved', 'unchanged', 'published', 'discarded', 'restored', 'moved', 'submitted']).optional().catch(undefined);
const MoveForm = z.object({ base: Base, theme: Id, direction: z.enum(['up', 'down']) });
const RestoreForm = z.object({ base: Base, revision: Base });

const editorOf = (s: CurrentSession): Editor => ({ id: s.user.id, email: s.user.email });

const titleIn = (texts: Record<string, { title?: string }> | undefined, locales: string[]): string | undefined => {
  for (const l of locales) if (texts?.[l]?.title) return texts[l]!.title;
  return undefined;
};

function statusOf(h: Head | undefined): DocStatus {
  if (!h) return 'published';
  if (h.published === null) return h.draft === null ? 'unpublished' : 'new';
  return h.draft === null ? 'published' : 'draft';
}

/** A publish problem as a line, and a link to the field when the editor has it. */
function problemLink(p: Problem): PublishProblem {
  const message = `${p.file ? `${p.file}: ` : ''}${p.message}`;
  if (!p.entity || !p.id || !(['theme', 'article', 'page'] as const).includes(p.entity as 'theme')) return { message };
  const field = (DOC_TEXT_FIELDS as readonly string[]).includes(p.field ?? '') && p.locale ? `#${fieldId({ locale: p.locale, field: p.field as 'title' })}` : '';
  return { message, href: `/admin/content/${p.entity}/${p.id}${field}` };
}

export function contentRoutes(app: Hono<Env>, tools: ContentTools): void {
  const { db, now, guard, formOf, render, refused, notFound } = tools;

  const localesOrder = (c: Content, admin: string) => [c.museum.default_locale, ...c.museum.locales.filter((l) => l !== c.museum.default_locale)].sort((a, b) => (a === c.museum.default_locale ? -1 : b === c.museum.default_locale ? 1 : a === admin ? -1 : b === admin ? 1 : 0));
  const noticeOf = (c: Context<Env>) => {
    const done = Done.parse(c.req.query('done'));
    return done ? c.var.page.t(`admin.content.done.${done}`) : undefined;
  };

  const listPage = async (c: Context<Env>, extra: { problems?: PublishProblem[]; notice?: string | undefined; status?: number } = {}) => {
    const { page, session, token } = c.var;
    const content = await loadDraftContent(db);
    if (!content) return refused(c, 'admin.content.empty');
    const byKey = new Map((await heads(db)).map((h) => [h.key, h]));
    const order = [page.locale, content.museum.default_locale];
    const listed = (key: string, texts: Record<string, { title?: string }>, id: string): ListedDoc => {
      const h = byKey.get(key);
      return { key, title: titleIn(texts, order) ?? id, status: statusOf(h), updatedAt: h?.updatedAt ?? '' };
    };
    const groups: { title: string; visitKey?: string; docs: ListedDoc[] }[] = content.visits.map((v) => ({
      title: titleIn(Object.fromEntries(Object.entries(v.title).map(([l, title]) => [l, { title }])), order) ?? v.id,
      visitKey: keyOf('visit', v.id),
      docs: content.docs.filter((d) => d.kind === 'theme' && d.visit === v.id).map((d) => listed(keyOf('theme', d.id), d.texts, d.id)),
    }));
    for (const kind of ['article', 'page'] as const) {
      const docs = content.docs.filter((d) => d.kind === kind);
      if (docs.length) groups.push({ title: page.t(`admin.content.group.${kind}`), docs: docs.map((d) => listed(keyOf(kind, d.id), d.texts, d.id)) });
    }
    const drafts = [...byKey.values()].filter((h) => h.draft !== null).length;
    return render(c, <ContentListPage page={page} csrf={csrfTokenOf(token!)} groups={groups} drafts={drafts} canPublish={can(session!.user, 'content.publish')} problems={extra.problems ?? []} notice={extra.notice ?? noticeOf(c)} />, extra.status ?? 200);
  };

  app.get('/content', async (c) => (await guard(c, 'content.read')) ?? listPage(c));

  const publishAnswer = async (c: Context<Env>, keys: string[] | undefined, back: string) => {
    const r = await publish(db, now(), editorOf(c.var.session!), keys);
    if (r.ok) return c.redirect(`${back}?done=published`, 303);
    return listPage(c, { problems: r.problems.map(problemLink), notice: c.var.page.t('admin.content.refusedPublish'), status: 409 });
  };

  app.post('/content/publish', async (c) => (await guard(c, 'content.publish', await formOf(c))) ?? publishAnswer(c, undefined, '/admin/content'));

  /** The document a path names, with the museum's languages; undefined: a 404. */
  const docOf = async (c: Context<Env>) => {
    const kind = Kind.safeParse(c.req.param('kind'));
    const id = Id.safeParse(c.req.param('id'));
    if (!kind.success || !id.success) return undefined;
    const key = keyOf(kind.data, id.data);
    const state = await documentState(db, key);
    const museum = await documentState(db, 'museum');
    if (!state || !museum) return undefined;
    const m = museum.current.data as Content['museum'];
    return { kind: kind.data, id: id.data, key, state, museum: m };
  };

  const editorPage = async (c: Context<Env>, d: NonNullable<Awaited<ReturnType<typeof docOf>>>, opts: { fields?: Fields; errors?: Record<string, string>; conflict?: Parameters<typeof EditorPage>[0]['conflict']; base?: number; message?: string | undefined; status?: number } = {}) => {
    const { page, session, token } = c.var;
    const doc = d.state.current.data as DocData;
    const content = { museum: d.museum } as Content;
    const locales = localesOrder(content, page.locale);
    const editable = new Set(locales.filter((l) => can(session!.user, 'content.edit', { locale: l })));
    const t = page.t;
    const errors = Object.fromEntries(Object.entries(opts.errors ?? {}).map(([k, v]) => [k, t(v as MessageKey)]));
    const title = titleIn(doc.texts, [page.locale, d.museum.default_locale]) ?? d.id;
    return render(c, (
      <EditorPage
        page={page} csrf={csrfTokenOf(token!)} docKey={d.key} doc={doc} title={title} locales={locales} editable={editable}
        fields={opts.fields ?? fieldsOf(doc, locales)} base={opts.base ?? d.state.current.number} status={statusOf(d.state.head)} errors={errors}
        conflict={opts.conflict} notice={noticeOf(c)} message={opts.message}
        can={{ publish: can(session!.user, 'content.publish'), structure: can(session!.user, 'content.structure') }}
        review={{ requested: d.state.head.review, canSubmit: editable.size > 0 && d.state.head.draft !== null }}
      />
    ), opts.status ?? 200);
  };

  const visitPage = async (c: Context<Env>, d: NonNullable<Awaited<ReturnType<typeof docOf>>>) => {
    const { page, session, token } = c.var;
    const visit = d.state.current.data as VisitData;
    const content = await loadDraftContent(db);
    const order = [page.locale, d.museum.default_locale];
    const themes = visit.themes.map((id) => ({ id, title: titleIn(content?.docs.find((x) => x.kind === 'theme' && x.id === id)?.texts, order) ?? id }));
    const title = titleIn(Object.fromEntries(Object.entries(visit.title).map(([l, title]) => [l, { title }])), order) ?? d.id;
    return render(c, <VisitOrderPage page={page} csrf={csrfTokenOf(token!)} visitKey={d.key} title={title} themes={themes} base={d.state.current.number} canMove={can(session!.user, 'content.structure')} notice={noticeOf(c)} />);
  };

  app.get('/content/:kind/:id', async (c) => {
    const no = await guard(c, 'content.read');
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    return d.kind === 'visit' ? visitPage(c, d) : editorPage(c, d);
  });

  app.post('/content/:kind/:id', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.read', form);
    if (no) return no;
    const d = await docOf(c);
    if (!d || d.kind === 'visit') return notFound(c);
    const base = Base.safeParse(form.base);
    if (!base.success) return c.text('Bad request', 400);
    const message = Message.safeParse(form.message);
    const posted: Fields = {};
    for (const [name, value] of Object.entries(form)) if (parseFieldName(name) && d.museum.locales.includes(parseFieldName(name)!.locale)) posted[name] = value;
    // The form was made from revision `base`: what this person changed is judged against it.
    const baseRevision = base.data === d.state.current.number ? d.state.current : await readRevision(db, d.key, base.data);
    if (!baseRevision) return notFound(c);
    const baseDoc = baseRevision.data as DocData;
    const mine = Object.keys(posted).filter((n) => (posted[n] ?? '').replace(/\r\n?/g, '\n').trim() !== (fieldsOf(baseDoc, [parseFieldName(n)!.locale])[n] ?? '').trim());
    // Every language changed must be one this person may edit: a translator's other languages are refused, not ignored.
    const user = c.var.session!.user;
    if (!mine.every((n) => can(user, 'content.edit', { locale: parseFieldName(n)!.locale }))) return refused(c, 'admin.refused.role');
    const changed = Object.fromEntries(mine.map((n) => [n, posted[n]!]));
    const applied = applyFields(baseDoc, changed, d.museum.default_locale);
    if (!applied.ok) return editorPage(c, d, { fields: { ...fieldsOf(d.state.current.data as DocData, d.museum.locales), ...posted }, errors: applied.errors, base: base.data, message: message.data, status: 400 });
    const r: SaveResult = await saveDraft(db, now(), editorOf(c.var.session!), d.key, base.data, applied.doc, message.success ? message.data : undefined);
    if (r.ok) return c.redirect(`/admin/content/${d.key}?done=${r.unchanged ? 'unchanged' : 'saved'}`, 303);
    if (r.reason === 'not_found') return notFound(c);
    // Someone saved meanwhile: nothing was written. The form comes back with their version merged with these changes.
    const locales = d.museum.locales;
    const theirs = fieldsOf(r.current.data as DocData, locales);
    const { merged, conflicts } = mergeFields(fieldsOf(baseDoc, locales), theirs, changed);
    const fresh = await docOf(c);
    if (!fresh) return notFound(c);
    return editorPage(c, fresh, { fields: merged, base: r.current.number, conflict: { email: r.current.email, at: r.current.createdAt, theirs, conflicts }, message: message.success ? message.data : undefined, status: 409 });
  });

  app.post('/content/:kind/:id/publish', async (c) => {
    const no = await guard(c, 'content.publish', await formOf(c));
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    return publishAnswer(c, [d.key], `/admin/content/${d.key}`);
  });

  const afterWrite = (c: Context<Env>, key: string, r: SaveResult, done: string) => {
    if (r.ok) return c.redirect(`/admin/content/${key}?done=${done}`, 303);
    if (r.reason === 'not_found') return notFound(c);
    return c.redirect(`/admin/content/${key}?conflict=1`, 303);
  };

  app.post('/content/:kind/:id/discard', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.structure', form);
    if (no) return no;
    const d = await docOf(c);
    const base = Base.safeParse(form.base);
    if (!d || !base.success) return notFound(c);
    return afterWrite(c, d.key, await discardDraft(db, now(), editorOf(c.var.session!), d.key, base.data), 'discarded');
  });

  app.post('/content/:kind/:id/restore', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.structure', form);
    if (no) return no;
    const d = await docOf(c);
    const parsed = RestoreForm.safeParse(form);
    if (!d || !parsed.success) return notFound(c);
    return afterWrite(c, d.key, await restoreRevision(db, now(), editorOf(c.var.session!), d.key, parsed.data.revision, parsed.data.base), 'restored');
  });

  app.post('/content/:kind{visit}/:id/move', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.structure', form);
    if (no) return no;
    const d = await docOf(c);
    const parsed = MoveForm.safeParse(form);
    if (!d || d.kind !== 'visit' || !parsed.success) return notFound(c);
    const visit = structuredClone(d.state.current.data as VisitData);
    const i = visit.themes.indexOf(parsed.data.theme);
    const j = parsed.data.direction === 'up' ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= visit.themes.length) return notFound(c);
    [visit.themes[i], visit.themes[j]] = [visit.themes[j]!, visit.themes[i]!];
    return afterWrite(c, d.key, await saveDraft(db, now(), editorOf(c.var.session!), d.key, parsed.data.base, visit), 'moved');
  });

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
    const doc = d.kind === 'visit' ? undefined : (d.state.current.data as DocData);
    const title = d.kind === 'visit'
      ? (titleIn(Object.fromEntries(Object.entries((d.state.current.data as VisitData).title).map(([l, title]) => [l, { title }])), [page.locale, d.museum.default_locale]) ?? d.id)
      : (titleIn(doc!.texts, [page.locale, d.museum.default_locale]) ?? d.id);
    return render(c, <HistoryPage page={page} csrf={csrfTokenOf(token!)} docKey={d.key} title={title} items={items} doc={doc} current={d.state.current.number} canRestore={can(session!.user, 'content.structure')} notice={noticeOf(c)} />);
  });
}
