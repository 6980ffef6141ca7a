import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import { can, type Actor } from '../../modules/auth/policy.ts';
import type { CurrentSession } from '../../modules/auth/sessions.service.ts';
import type { Content } from '../../modules/content/content.schema.ts';
import { documentState } from '../../modules/editorial/editorial.service.ts';
import { keyOf, parseKey, PART_KINDS, type PartKind } from '../../modules/editorial/documents.ts';
import { fieldId, type FieldName } from '../../modules/editorial/fields.ts';
import { draftHealth, requestReview, workLists } from '../../modules/editorial/workflow.ts';
import type { ContentTools } from './content.routes.tsx';
import { MessagePage, type AdminPage } from './admin.views.tsx';
import { csrfTokenOf } from './admin.http.ts';
import type { DashboardData, WorkItem } from './dashboard.views.tsx';

// The workflow's routes (docs/admin.md, "Dashboard"): submitting a draft for
// review, and the dashboard's data for the home page — what each role can
// act on: the drafts to whom edits, the review queue and the last publishes
// to all staff, the translation gaps of the languages one edits, media and
// broken references to whom changes the structure.

type Env = { Variables: { page: AdminPage; session: CurrentSession | undefined; token: string | undefined } };

const Kind = z.enum(['theme', 'article', 'page']);
const Id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(200);
/** The kinds of document the editor has a page for. */
const EDITED = new Set<PartKind>(['theme', 'article', 'page', 'visit']);
/** How many drafts the home lists (the content list has them all), and documents per publish. */
const DRAFTS_SHOWN = 25;
const PUBLISHED_SHOWN = 5;
/** A publish's documents, those the editor has first (in the order of PART_KINDS). */
const rank = (key: string) => PART_KINDS.indexOf(parseKey(key)?.kind ?? 'order') + (EDITED.has(parseKey(key)?.kind ?? 'order') ? 0 : PART_KINDS.length);

const editorHref = (kind: PartKind, id: string, field?: FieldName) =>
  (EDITED.has(kind) ? `/admin/content/${keyOf(kind, id)}${field ? `#${fieldId(field)}` : ''}` : undefined);

export async function dashboardFor(db: Db, user: Actor, page: AdminPage): Promise<DashboardData | undefined> {
  const health = await draftHealth(db);
  if (!health) return undefined;
  const { drafts, publications } = await workLists(db);
  const def = health.defaultLocale;
  const mine = [def, ...health.languages.map((l) => l.locale)].filter((l) => can(user, 'content.edit', { locale: l }));
  const order = [page.locale, def];
  const titleOf = (key: string): string => {
    const k = parseKey(key);
    const t = health.titles[key];
    const found = order.map((l) => t?.[l]).find(Boolean) ?? Object.values(t ?? {})[0];
    return found ?? (k && k.kind !== k.id ? k.id : page.t(`admin.dashboard.kind.${(k?.kind ?? 'order')}`));
  };
  const item = (key: string, by: string | null, at: string, saved?: WorkItem['saved']): WorkItem => {
    const k = parseKey(key) ?? { kind: 'order' as const, id: key };
    return { key, kind: k.kind, title: titleOf(key), href: editorHref(k.kind, k.id), by, at, ...(saved ? { saved } : {}) };
  };
  const waiting = drafts.filter((d) => d.review).sort((a, b) => (a.review!.at < b.review!.at ? -1 : 1));
  const data: DashboardData = {
    review: waiting.map((d) => item(d.key, d.review!.email, d.review!.at, { by: d.savedBy, at: d.savedAt })),
    published: publications.map((p) => {
      const keys = [...p.keys].sort((a, b) => rank(a) - rank(b));
      return { by: p.by, at: p.at, docs: keys.slice(0, PUBLISHED_SHOWN).map((key) => item(key, p.by, p.at)), more: Math.max(0, keys.length - PUBLISHED_SHOWN) };
    }),
  };
  if (mine.length) {
    data.drafts = { items: drafts.slice(0, DRAFTS_SHOWN).map((d) => item(d.key, d.savedBy, d.savedAt)), more: Math.max(0, drafts.length - DRAFTS_SHOWN) };
    const structure = can(user, 'content.structure');
    data.health = {
      languages: health.languages.filter((l) => mine.includes(l.locale)).map((l) => ({
        ...l,
        docs: l.docs.map((d) => ({
          ...d, title: titleOf(keyOf(d.kind, d.id)), href: editorHref(d.kind, d.id, d.missing[0]),
          fields: d.missing.map((f) => ({ ...f, href: editorHref(d.kind, d.id, f)! })),
        })),
      })),
      media: health.media.filter((m) => mine.includes(m.locale)).map((m) => ({ ...m, title: titleOf(keyOf('media', m.id)) })),
      references: structure
        ? health.references.map((r) => ({ ...r, title: r.owner.kind === 'event' ? page.t('admin.health.event', { title: titleOf(keyOf('event', r.owner.id)) }) : titleOf(keyOf(r.owner.kind, r.owner.id)), href: r.owner.kind === 'event' ? undefined : editorHref(r.owner.kind, r.owner.id, r.field) }))
        : undefined,
    };
  }
  return data;
}

export function workflowRoutes(app: Hono<Env>, tools: ContentTools): void {
  const { db, now, guard, formOf, render, refused, notFound } = tools;

  app.post('/content/:kind/:id/submit', async (c: Context<Env>) => {
    const no = await guard(c, 'content.read', await formOf(c));
    if (no) return no;
    const kind = Kind.safeParse(c.req.param('kind'));
    const id = Id.safeParse(c.req.param('id'));
    const museum = await documentState(db, 'museum');
    if (!kind.success || !id.success || !museum) return notFound(c);
    // Whoever edits a language of the document may say its draft is ready; a reviewer may not.
    const user = c.var.session!.user;
    if (!(museum.current.data as Content['museum']).locales.some((locale) => can(user, 'content.edit', { locale }))) return refused(c, 'admin.refused.role');
    const key = keyOf(kind.data, id.data);
    const r = await requestReview(db, now(), { id: user.id, email: user.email }, key);
    if (r.ok) return c.redirect(`/admin/content/${key}?done=submitted`, 303);
    if (r.reason === 'not_found') return notFound(c);
    const { page, token } = c.var;
    return render(c, <MessagePage page={page} title={page.t('admin.review.noDraftTitle')} text={page.t('admin.review.noDraft')} signedIn={{ csrf: csrfTokenOf(token!) }} />, 409);
  });
}
