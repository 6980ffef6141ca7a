import type { Context, Hono } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import { can, type Action } from '../../modules/auth/policy.ts';
import type { CurrentSession } from '../../modules/auth/sessions.service.ts';
import type { Content, HistEvent, Media, Place } from '../../modules/content/content.schema.ts';
import { VISIT_TEXTS } from '../../modules/editorial/maps.ts';
import { keyOf, type DocData, type VisitData } from '../../modules/editorial/documents.ts';
import {
  discardDraft, documentState, draftVersion, heads, type DocumentState, loadDraftContent, publish, readRevision, restoreRevision, saveDraft, unpublish, type Editor, type SaveResult,
} from '../../modules/editorial/editorial.service.ts';
import { mergeFields, type Fields } from '../../modules/editorial/fields.ts';
import { openLease, releaseLease, type LockAnswer } from '../../modules/editorial/lock.ts';
import { leaseRoutes } from './lease.routes.tsx';
import { historyRoutes } from './history.routes.tsx';
import { optionsOf } from '../../modules/editorial/museum.ts';
import { MuseumOptions } from './museum.views.tsx';
import { permutation } from '../../modules/editorial/blocks.ts';
import { renderMarkdown } from '../../modules/content/markdown.ts';
import { csrfTokenOf } from './admin.http.ts';
import { blocksRoutes, OrderList } from './blocks.routes.tsx';
import type { AdminPage } from './admin.views.tsx';
import { TextsPage, VisitPage } from './texts.views.tsx';
import { inMap, MAP_SPECS, modelOf, problemLink, statusOf, titleIn, type TextModel } from './content.models.ts';
import { commentsRoutes } from './comments.routes.tsx';
import type { CommentsData } from './comments.views.tsx';
import { comments } from '../../modules/editorial/comments.ts';
import { ContentListPage, editHref, type ListGroup, EditorPage, type Conflict, type ListedDoc, type PublishProblem } from './content.views.tsx';

// /admin/content (docs/admin.md, decision 0022): the documents, the editor of
// a theme, article or page (every language side by side), a visit's order of
// themes, history and restore, publishing. Every route asks the policy; a
// translator's save is refused when it changes a language not theirs.

export type ContentEnv = { Variables: { page: AdminPage; session: CurrentSession | undefined; token: string | undefined } };
type Env = ContentEnv;

export interface ContentTools {
  db: Db;
  now: () => Date;
  guard: (c: Context<Env>, action: Action, form?: Record<string, string>) => Promise<Response | undefined>;
  formOf: (c: Context) => Promise<Record<string, string>>;
  render: (c: Context, node: JSX.Element, status?: number) => Promise<Response>;
  refused: (c: Context<Env>, key: MessageKey) => Promise<Response>;
  notFound: (c: Context<Env>) => Promise<Response>;
  /** The site has a new content version from this process (AdminDeps.published). */
  published: () => void;
}

const EDITABLE = ['theme', 'article', 'page'] as const;
const Kind = z.enum([...EDITABLE, 'visit', 'museum', 'media', 'event', 'place']);
const Id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(200);
const Base = z.coerce.number().int().min(0).max(1_000_000_000);
const Message = z.string().trim().max(300).optional().transform((s) => s || undefined);
const NamedKind = z.enum(['media', 'event', 'place']);
type NamedKind = z.infer<typeof NamedKind>;
const Done = z.enum(['saved', 'unchanged', 'published', 'unpublished', 'discarded', 'restored', 'moved', 'added', 'removed', 'changed', 'stale', 'released', 'taken', 'commented', 'commentRefused', 'resolved', 'submitted', 'publishStale']).optional().catch(undefined);
const MoveForm = z.object({ theme: Id, direction: z.enum(['up', 'down']) });

const editorOf = (s: CurrentSession): Editor => ({ id: s.user.id, email: s.user.email });

/** What a refused post leaves to show on a document's page. */
export type Shown = {
  fields?: Fields; errors?: Record<string, string>; conflict?: Conflict; base?: number; message?: string | undefined; status?: number;
  /** The museum's address and look as posted, with their errors (catalogue keys). */
  options?: { values: Record<string, string>; errors: Record<string, string> };
};

export function contentRoutes(app: Hono<Env>, tools: ContentTools): void {
  const { db, now, guard, formOf, render, refused, notFound, published } = tools;

  const localesOrder = (c: Content, admin: string) => [c.museum.default_locale, ...c.museum.locales.filter((l) => l !== c.museum.default_locale)].sort((a, b) => (a === c.museum.default_locale ? -1 : b === c.museum.default_locale ? 1 : a === admin ? -1 : b === admin ? 1 : 0));
  const noticeOf = (c: Context<Env>) => {
    const done = Done.parse(c.req.query('done'));
    return done ? c.var.page.t(`admin.content.done.${done}`) : undefined;
  };

  const listPage = async (c: Context<Env>, extra: { problems?: PublishProblem[]; notice?: string | undefined; status?: number } = {}) => {
    const { page, session, token } = c.var;
    // Read first: "publish all" then refuses if anything was saved after what this page shows.
    const seen = await draftVersion(db);
    const content = await loadDraftContent(db);
    if (!content) return refused(c, 'admin.content.empty');
    const byKey = new Map((await heads(db)).map((h) => [h.key, h]));
    const order = [page.locale, content.museum.default_locale];
    const listed = (key: string, texts: Record<string, { title?: string }>, id: string): ListedDoc => {
      const h = byKey.get(key);
      return { key, title: titleIn(texts, order) ?? id, status: statusOf(h), updatedAt: h?.updatedAt ?? '' };
    };
    const named = (kind: NamedKind) => {
      const items: { id: string; label: Record<string, string> | undefined }[] = kind === 'media'
        ? content.media.map((m) => ({ id: m.id, label: m.title ?? m.caption }))
        : kind === 'event' ? content.events.map((e) => ({ id: e.id, label: e.title })) : content.places.map((p) => ({ id: p.id, label: p.name }));
      return items.map((x) => listed(keyOf(kind, x.id), Object.fromEntries(Object.entries(x.label ?? {}).map(([l, title]) => [l, { title }])), x.id));
    };
    // Media, events and places (their texts: alt text, captions, titles) each have a page of their own: ?list=media…
    const only = NamedKind.optional().catch(undefined).parse(c.req.query('list'));
    const groups: ListGroup[] = only ? [{ title: page.t(`admin.content.group.${only}`), docs: named(only) }] : content.visits.map((v) => ({
      title: titleIn(Object.fromEntries(Object.entries(v.title).map(([l, title]) => [l, { title }])), order) ?? v.id,
      visitKey: keyOf('visit', v.id),
      docs: content.docs.filter((d) => d.kind === 'theme' && d.visit === v.id).map((d) => listed(keyOf('theme', d.id), d.texts, d.id)),
    }));
    if (!only) {
      for (const kind of ['article', 'page'] as const) {
        const docs = content.docs.filter((d) => d.kind === kind);
        if (docs.length) groups.push({ title: page.t(`admin.content.group.${kind}`), docs: docs.map((d) => listed(keyOf(kind, d.id), d.texts, d.id)) });
      }
    }
    const lists = NamedKind.options.map((kind) => {
      const docs = named(kind);
      return { kind, title: page.t(`admin.content.group.${kind}`), count: docs.length, drafts: docs.filter((d) => d.status !== 'published').length };
    });
    const drafts = [...byKey.values()].filter((h) => h.draft !== null).length;
    return render(c, <ContentListPage page={page} csrf={csrfTokenOf(token!)} groups={groups} lists={lists} only={only} drafts={drafts} seen={seen} canPublish={can(session!.user, 'content.publish')} problems={extra.problems ?? []} notice={extra.notice ?? noticeOf(c)} />, extra.status ?? 200);
  };

  app.get('/content', async (c) => (await guard(c, 'content.read')) ?? listPage(c));

  const publishAnswer = async (c: Context<Env>, keys: string[] | undefined, back: string, form: Record<string, string>) => {
    // What the page showed: the document's draft, or the whole content's draft version; a save since refuses the publish.
    const draft = Base.safeParse(form.draft);
    const seen = keys ? (draft.success ? { draft: draft.data } : {}) : (form.seen ? { version: form.seen.slice(0, 40) } : {});
    const r = await publish(db, now(), editorOf(c.var.session!), keys, seen);
    if (!r.ok && r.stale) return c.redirect(`${back}?done=publishStale`, 303);
    if (r.ok && r.version) published();
    // Published: this editor is done with those documents, and others opening them are no longer told they are editing.
    if (r.ok) for (const key of r.published) await releaseLease(db, editorOf(c.var.session!), key);
    if (r.ok) return c.redirect(`${back}?done=${r.published.length ? 'published' : 'unchanged'}`, 303);
    return listPage(c, { problems: r.problems.map(problemLink), notice: c.var.page.t('admin.content.refusedPublish'), status: 409 });
  };

  app.post('/content/publish', async (c) => {
    const form = await formOf(c);
    return (await guard(c, 'content.publish', form)) ?? publishAnswer(c, undefined, '/admin/content', form);
  });

  /** The document's title in this language, else the museum's, else its id. */
  const titleOf = (d: Opened, locale: string): string => {
    const order = [locale, d.museum.default_locale];
    const data = d.state.current.data;
    if (d.kind === 'museum') return inMap((data as Content['museum']).name, order) ?? d.id;
    if (d.kind === 'media') return inMap((data as Media).title ?? (data as Media).caption, order) ?? d.id;
    if (d.kind === 'event') return inMap((data as HistEvent).title, order) ?? d.id;
    if (d.kind === 'place') return inMap((data as Place).name, order) ?? d.id;
    if (d.kind === 'visit') return inMap((data as VisitData).title, order) ?? d.id;
    return titleIn((data as DocData).texts, order) ?? d.id;
  };

  /** The editor's lease on a document it opens (a reader takes none); undefined when not editable. */
  const leaseOf = async (c: Context<Env>, d: Opened, takeOver = false) => {
    const user = c.var.session!.user;
    const edits = d.museum.locales.some((l) => can(user, 'content.edit', { locale: l }));
    return edits ? openLease(db, now(), editorOf(c.var.session!), d.key, { takeOver }) : undefined;
  };

  /** The document a path names, with the museum's languages; undefined: a 404. */
  const docOf = async (c: Context<Env>): Promise<OpenedDoc | undefined> => {
    const kind = Kind.safeParse(c.req.param('kind'));
    const id = Id.safeParse(c.req.param('id'));
    if (!kind.success || !id.success) return undefined;
    // The museum's settings are one document, at /admin/content/museum/settings.
    if (kind.data === 'museum' && id.data !== 'settings') return undefined;
    const key = keyOf(kind.data, id.data);
    const state = await documentState(db, key);
    const museum = await documentState(db, 'museum');
    if (!state || !museum) return undefined;
    const m = museum.current.data as Content['museum'];
    return { kind: kind.data, id: id.data, key, state, museum: m };
  };
  type Opened = OpenedDoc;

  /** What a save left to show: the fields as typed, errors (catalogue keys), someone else's version. */

  /** The form's frame for any document: its languages (the museum's first), which this person may edit, the errors in their language. */
  const formState = (c: Context<Env>, d: Opened, model: TextModel, opts: Shown) => {
    const { page, session } = c.var;
    const all = localesOrder({ museum: d.museum } as Content, page.locale);
    const editable = new Set(all.filter((l) => can(session!.user, 'content.edit', { locale: l })));
    // Who edits only some languages (a translator) sees those, beside the source: the museum's default language.
    const locales = editable.size === all.length ? all : all.filter((l) => l === d.museum.default_locale || editable.has(l));
    const t = page.t;
    return {
      locales,
      editable,
      fields: opts.fields ?? model.fieldsOf(d.state.current.data, locales),
      base: opts.base ?? d.state.current.number,
      status: statusOf(d.state.head),
      errors: Object.fromEntries(Object.entries(opts.errors ?? {}).map(([k, v]) => [k, t(v as MessageKey)])),
      conflict: opts.conflict,
      message: opts.message,
      can: { publish: can(session!.user, 'content.publish'), structure: can(session!.user, 'content.structure') },
    };
  };

  const show = async (c: Context<Env>, d: Opened, opts: Shown = {}): Promise<Response> => {
    const { page, session, token } = c.var;
    const csrf = csrfTokenOf(token!);
    const title = titleOf(d, page.locale);
    const lease = await leaseOf(c, d);
    const f = formState(c, d, modelOf(d), opts);
    const status = opts.status ?? 200;
    const notes: CommentsData = {
      list: await comments(db, d.key), action: editHref(d.key), revision: d.state.current.number,
      canWrite: can(session!.user, 'content.comment'), canResolve: can(session!.user, 'content.structure'),
    };
    const spec = MAP_SPECS[d.kind];
    if (spec && d.kind !== 'visit') {
      const t = page.t;
      const legend = t(d.kind === 'museum' ? 'admin.texts.museumLegend' : `admin.texts.legend.${d.kind as 'media' | 'event' | 'place'}`);
      const intro = d.kind === 'media' ? t('admin.texts.mediaIntro') : undefined;
      const options = d.kind === 'museum' && f.can.structure ? {
        values: opts.options?.values ?? optionsOf(d.state.current.data as Content['museum']),
        errors: Object.fromEntries(Object.entries(opts.options?.errors ?? {}).map(([k, v]) => [k, t(v as MessageKey)])),
        base: d.state.current.number,
      } : undefined;
      return render(c, (
        <TextsPage page={page} csrf={csrf} docKey={d.key} title={title} legend={legend} intro={intro} texts={{ ...f, spec }} notice={noticeOf(c)} lease={lease} comments={notes} preview={d.kind === 'museum' ? '/admin/preview/' : undefined}>
          {options && <MuseumOptions page={page} csrf={csrf} f={options} />}
        </TextsPage>
      ), status);
    }
    if (d.kind === 'visit') {
      const visit = d.state.current.data as VisitData;
      const content = await loadDraftContent(db);
      const order = [page.locale, d.museum.default_locale];
      const themes = visit.themes.map((id) => ({ id, title: titleIn(content?.docs.find((x) => x.kind === 'theme' && x.id === id)?.texts, order) ?? id }));
      return render(c, <VisitPage page={page} csrf={csrf} visitKey={d.key} title={title} themes={themes} texts={{ ...f, spec: VISIT_TEXTS }} canMove={can(session!.user, 'content.structure')} notice={noticeOf(c)} lease={lease} comments={notes} />, status);
    }
    const review = { requested: d.state.head.review, canSubmit: f.editable.size > 0 && d.state.head.draft !== null };
    return render(c, <EditorPage page={page} csrf={csrf} docKey={d.key} doc={d.state.current.data as DocData} title={title} {...f} notice={noticeOf(c)} lease={lease} comments={notes} review={review} />, status);
  };

  app.get('/content/:kind/:id', async (c) => {
    const no = await guard(c, 'content.read');
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    return show(c, d);
  });

  app.post('/content/:kind/:id', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.read', form);
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    // Only who may edit some language of the museum saves texts (a reviewer's post changes nothing, whatever it holds).
    if (!d.museum.locales.some((l) => can(c.var.session!.user, 'content.edit', { locale: l }))) return refused(c, 'admin.refused.role');
    const model = modelOf(d);
    const base = Base.safeParse(form.base);
    if (!base.success) return notFound(c);
    const message = Message.safeParse(form.message);
    const msg = message.success ? message.data : undefined;
    const posted: Fields = {};
    for (const [name, value] of Object.entries(form)) {
      const locale = model.localeOf(name);
      if (locale && d.museum.locales.includes(locale)) posted[name] = value;
    }
    // The form was made from revision `base`: what this person changed is judged against it.
    const baseRevision = base.data === d.state.current.number ? d.state.current : await readRevision(db, d.key, base.data);
    if (!baseRevision) return notFound(c);
    const was = model.fieldsOf(baseRevision.data, d.museum.locales);
    const mine = Object.keys(posted).filter((n) => (posted[n] ?? '').replace(/\r\n?/g, '\n').trim() !== (was[n] ?? '').trim());
    // Every language changed must be one this person may edit: a translator's other languages are refused, not ignored.
    const user = c.var.session!.user;
    if (!mine.every((n) => can(user, 'content.edit', { locale: model.localeOf(n)! }))) return refused(c, 'admin.refused.role');
    if (!mine.length) return c.redirect(`${editHref(d.key)}?done=unchanged`, 303);
    const changed = Object.fromEntries(mine.map((n) => [n, posted[n]!]));
    const applied = model.apply(baseRevision.data, changed, d.museum.default_locale);
    if (!applied.ok) return show(c, d, { fields: { ...model.fieldsOf(d.state.current.data, d.museum.locales), ...posted }, errors: applied.errors, base: base.data, message: msg, status: 400 });
    const r: SaveResult = await saveDraft(db, now(), editorOf(c.var.session!), d.key, base.data, applied.data, msg);
    if (r.ok) return c.redirect(`${editHref(d.key)}?done=${r.unchanged ? 'unchanged' : 'saved'}`, 303);
    if (r.reason === 'not_found') return notFound(c);
    // Someone saved meanwhile: nothing was written. The form comes back with their version merged with these changes.
    const theirs = model.fieldsOf(r.current.data, d.museum.locales);
    const { merged, conflicts } = mergeFields(was, theirs, changed);
    const fresh = await docOf(c);
    if (!fresh) return notFound(c);
    return show(c, fresh, { fields: merged, base: r.current.number, conflict: { email: r.current.email, at: r.current.createdAt, theirs, conflicts }, message: msg, status: 409 });
  });


  app.post('/content/:kind/:id/publish', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.publish', form);
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    return publishAnswer(c, [d.key], editHref(d.key), form);
  });

  app.post('/content/:kind{theme|article|page}/:id/unpublish', async (c) => {
    const no = await guard(c, 'content.publish', await formOf(c));
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    const r = await unpublish(db, now(), editorOf(c.var.session!), d.key);
    if (r.ok && r.version) published();
    if (r.ok) return c.redirect(`${editHref(d.key)}?done=unpublished`, 303);
    return listPage(c, { problems: r.problems.map(problemLink), notice: c.var.page.t('admin.content.refusedUnpublish'), status: 409 });
  });

  const afterWrite = (c: Context<Env>, key: string, r: SaveResult, done: string) => {
    if (r.ok) return c.redirect(`${editHref(key)}?done=${done}`, 303);
    if (r.reason === 'not_found') return notFound(c);
    return c.redirect(`${editHref(key)}?done=stale`, 303);
  };

  /** A POST that changes a document: its form (CSRF-checked), the policy's answer, the document, the form's base; or the refusal. */
  const posted = async (c: Context<Env>, action: Action): Promise<Response | { form: Record<string, string>; d: Opened; base: number }> => {
    const form = await formOf(c);
    const no = await guard(c, action, form);
    if (no) return no;
    const d = await docOf(c);
    const base = Base.safeParse(form.base);
    if (!d || !base.success) return notFound(c);
    return { form, d, base: base.data };
  };

  app.post('/content/:kind/:id/discard', async (c) => {
    const p = await posted(c, 'content.structure');
    if (p instanceof Response) return p;
    return afterWrite(c, p.d.key, await discardDraft(db, now(), editorOf(c.var.session!), p.d.key, p.base), 'discarded');
  });

  app.post('/content/:kind/:id/restore', async (c) => {
    const p = await posted(c, 'content.structure');
    if (p instanceof Response) return p;
    const revision = Base.safeParse(p.form.revision);
    if (!revision.success) return notFound(c);
    return afterWrite(c, p.d.key, await restoreRevision(db, now(), editorOf(c.var.session!), p.d.key, revision.data, p.base), 'restored');
  });

  app.post('/content/:kind{visit}/:id/move', async (c) => {
    const p = await posted(c, 'content.structure');
    if (p instanceof Response) return p;
    const { d } = p;
    const parsed = MoveForm.safeParse(p.form);
    if (d.kind !== 'visit' || !parsed.success) return notFound(c);
    const visit = structuredClone(d.state.current.data as VisitData);
    const i = visit.themes.indexOf(parsed.data.theme);
    const j = parsed.data.direction === 'up' ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= visit.themes.length) return notFound(c);
    [visit.themes[i], visit.themes[j]] = [visit.themes[j]!, visit.themes[i]!];
    return afterWrite(c, d.key, await saveDraft(db, now(), editorOf(c.var.session!), d.key, p.base, visit), 'moved');
  });

  // The visit's themes in a new order at once (the admin's script, after a drag and drop).
  app.post('/content/:kind{visit}/:id/order', async (c) => {
    const p = await posted(c, 'content.structure');
    if (p instanceof Response) return p;
    const visit = p.d.state.current.data as VisitData;
    const themes = p.d.kind === 'visit' ? permutation(visit.themes, OrderList.parse(p.form.order)) : undefined;
    if (!themes) return notFound(c);
    return afterWrite(c, p.d.key, await saveDraft(db, now(), editorOf(c.var.session!), p.d.key, p.base, { ...visit, themes }), 'moved');
  });

  // A Markdown text as the site renders it, for the editor's live preview (the site's renderer: no raw HTML).
  app.post('/content/markdown', async (c) => {
    const form = await formOf(c);
    const no = await guard(c, 'content.read', form);
    if (no) return no;
    return c.html(renderMarkdown((form.text ?? '').slice(0, 20_000)));
  });

  const shared = { docOf, noticeOf, editorOf, titleOf, posted, leaseOf, show, afterWrite };
  blocksRoutes(app, tools, shared);
  commentsRoutes(app, tools, shared);
  leaseRoutes(app, tools, shared);
  historyRoutes(app, tools, shared);
}

/** What the structure's routes share with the editor's. */
export interface ContentShared {
  docOf: (c: Context<ContentEnv>) => Promise<OpenedDoc | undefined>;
  noticeOf: (c: Context<ContentEnv>) => string | undefined;
  editorOf: (s: CurrentSession) => Editor;
  titleOf: (d: OpenedDoc, locale: string) => string;
  posted: (c: Context<ContentEnv>, action: Action) => Promise<Response | { form: Record<string, string>; d: OpenedDoc; base: number }>;
  /** The editor's lease on a document it opens (takeOver: from whoever holds it); undefined when this person edits nothing. */
  leaseOf: (c: Context<ContentEnv>, d: OpenedDoc, takeOver?: boolean) => Promise<LockAnswer | undefined>;
  /** A document's page, with what a refused post leaves to show. */
  show: (c: Context<ContentEnv>, d: OpenedDoc, opts?: Shown) => Promise<Response>;
  /** The answer to a write: back to the document saying what was done, or that it was stale. */
  afterWrite: (c: Context<ContentEnv>, key: string, r: SaveResult, done: string) => Response | Promise<Response>;
}

/** A document as a route opened it. */
export interface OpenedDoc {
  kind: z.infer<typeof Kind>;
  id: string;
  key: string;
  state: DocumentState;
  museum: Content['museum'];
}
