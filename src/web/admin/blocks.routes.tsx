import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { MessageKey } from '../../i18n/messages.ts';
import { can } from '../../modules/auth/policy.ts';
import type { Block, Content } from '../../modules/content/content.schema.ts';
import { addBlock, blockFromForm, hasSettings, isAddable, moveBlock, museumLocales, reorderBlocks, newBlockId, optionsOf, removeBlock, replaceBlock, SETTINGS, type Setting } from '../../modules/editorial/blocks.ts';
import type { DocData } from '../../modules/editorial/documents.ts';
import { chartValues } from '../../modules/editorial/chart.ts';
import { loadDraftContent, saveDraft, type SaveResult } from '../../modules/editorial/editorial.service.ts';
import { csrfTokenOf } from './admin.http.ts';
import { BlockSettingsPage, BlocksPage, type ListedBlock, type Option, type SettingValues } from './blocks.views.tsx';
import type { ContentEnv, ContentShared, ContentTools } from './content.routes.tsx';

// /admin/content/<kind>/<id>/blocks: a document's structure (issue 16). Every
// change is a draft saved from the revision the form was made from, like a
// text's: a stale form changes nothing. Structure needs `content.structure`
// (not a translator's); reading it, `content.read`.

const BlockId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(200);
const MoveForm = z.object({ block: BlockId, direction: z.enum(['up', 'down']) });
/** A posted order, "id,id,…": an unreadable one is an empty list, which no document's blocks match. */
export const OrderList = z.string().max(100_000).transform((s) => s.split(',')).pipe(z.array(BlockId).max(1000)).catch([]);

type Ctx = Context<ContentEnv>;

/** A label in the admin's language, else the museum's, else the id. */
const labelIn = (m: Record<string, string> | undefined, order: string[], id: string) => {
  for (const l of order) if (m?.[l]) return m[l]!;
  return id;
};

function optionLists(content: Content, settings: readonly Setting[], order: string[]): Record<string, Option[]> {
  const out: Record<string, Option[]> = {};
  for (const s of settings) {
    const ids = optionsOf(content, s);
    let opts: Option[] = [];
    if (s.name === 'media') opts = content.media.filter((m) => ids.has(m.id)).map((m) => ({ id: m.id, label: labelIn(m.title ?? m.caption, order, m.id) }));
    else if (s.name === 'events' || s.name === 'context_events') opts = content.events.map((e) => ({ id: e.id, label: `${e.date.start} — ${labelIn(e.title, order, e.id)}` }));
    else if (s.name === 'places') opts = content.places.map((p) => ({ id: p.id, label: labelIn(p.name, order, p.id) }));
    else if (s.name === 'articles') opts = content.docs.filter((d) => d.kind === 'article').map((d) => ({ id: d.id, label: labelIn(Object.fromEntries(Object.entries(d.texts).map(([l, x]) => [l, x.title])), order, d.id) }));
    else if (s.type === 'tag') opts = content.tags.map((x) => ({ id: x.id, label: labelIn(x.label, order, x.id) }));
    out[s.name] = opts;
  }
  return out;
}

/** What a posted form says of each setting: checkboxes `pick.<setting>.<id>` become lists; a chart's fields as they are. */
function postedValues(form: Record<string, string>, kind: Block['kind']): SettingValues {
  if (kind === 'chart') return Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('chart.')));
  const settings = SETTINGS[kind];
  const out: SettingValues = {};
  for (const s of settings) {
    if (s.type === 'many') {
      const prefix = `pick.${s.name}.`;
      out[s.name] = Object.keys(form).filter((k) => k.startsWith(prefix) && form[k] === '1').map((k) => k.slice(prefix.length));
    } else if (form[s.name] !== undefined) out[s.name] = form[s.name]!;
  }
  return out;
}

/** A block's current settings, as the form shows them. */
function valuesOf(b: Block): SettingValues {
  const out: SettingValues = {};
  for (const [k, v] of Object.entries(b)) {
    if (k === 'id' || k === 'kind') continue;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v;
    else if (typeof v === 'string') out[k] = v;
    else if (v === true) out[k] = 'on';
  }
  if (b.kind === 'links') out.articles = b.items.flatMap((i) => ('article' in i ? [i.article] : []));
  return out;
}

/** A block for the list: the start of its text, or its media's title. */
function summaryOf(doc: DocData, b: Block, content: Content | undefined, order: string[]): string {
  const texts = order.map((l) => doc.texts[l]?.blocks[b.id]).find((x) => x && (x.body || x.title || x.caption));
  const text = texts?.body ?? texts?.title ?? texts?.caption;
  const media = 'media' in b ? content?.media.find((m) => m.id === (Array.isArray(b.media) ? b.media[0] : b.media)) : undefined;
  // A text's first paragraph or heading, without its Markdown marks.
  const first = text?.split(/\n\s*\n/).find((p) => p.trim() !== '');
  const s = (first ?? (media ? labelIn(media.title ?? media.caption, order, media.id) : '')).replace(/[#*_>`[\]]/g, '').replace(/\s+/g, ' ').trim();
  return s.length > 90 ? `${s.slice(0, 89)}…` : s;
}

export function blocksRoutes(app: Hono<ContentEnv>, tools: ContentTools, shared: ContentShared): void {
  const { db, now, guard, render, notFound } = tools;
  const { docOf, noticeOf, editorOf, titleOf, posted } = shared;
  const path = '/content/:kind{theme|article|page}/:id/blocks';

  /** After a change: the structure (or, with `hash`, the editor at that block), saying what was done. */
  const saved = (c: Ctx, key: string, r: SaveResult, done: string, hash?: string) => {
    if (r.ok) return c.redirect(`/admin/content/${key}${hash ? '' : '/blocks'}?done=${r.unchanged ? 'unchanged' : done}${hash ? `#${hash}` : ''}`, 303);
    if (r.reason === 'not_found') return notFound(c);
    return stale(c, key);
  };
  /** The form was made from an older revision: nothing is done, the blocks page says so and shows the current ones. */
  const stale = (c: Ctx, key: string) => c.redirect(`/admin/content/${key}/blocks?done=stale`, 303);

  app.get(path, async (c) => {
    const no = await guard(c, 'content.read');
    if (no) return no;
    const d = await docOf(c);
    if (!d) return notFound(c);
    const { page, session, token } = c.var;
    const doc = d.state.current.data as DocData;
    const order = [page.locale, d.museum.default_locale];
    const content = await loadDraftContent(db);
    const blocks: ListedBlock[] = doc.blocks.map((b) => ({ id: b.id, kind: b.kind, summary: summaryOf(doc, b, content, order), hasSettings: hasSettings(b.kind) }));
    return render(c, <BlocksPage page={page} csrf={csrfTokenOf(token!)} docKey={d.key} title={titleOf(d, page.locale)} blocks={blocks} base={d.state.current.number} canChange={can(session!.user, 'content.structure')} notice={noticeOf(c)} />);
  });

  /** A structural change: the form's base, the document as it was then, and the new state from `change`. */
  const change = async (c: Ctx, make: (doc: DocData, form: Record<string, string>) => DocData | undefined, done: string) => {
    const p = await posted(c, 'content.structure');
    if (p instanceof Response) return p;
    const { d, base } = p;
    if (base !== d.state.current.number) return stale(c, d.key);
    const next = make(d.state.current.data as DocData, p.form);
    if (!next) return notFound(c);
    return saved(c, d.key, await saveDraft(db, now(), editorOf(c.var.session!), d.key, base, next), done);
  };

  app.post(`${path}/move`, (c) => change(c, (doc, form) => {
    const p = MoveForm.safeParse(form);
    return p.success ? moveBlock(doc, p.data.block, p.data.direction) : undefined;
  }, 'moved'));

  // A new order of every block at once (the admin's script, after a drag and drop).
  app.post(`${path}/order`, (c) => change(c, (doc, form) => reorderBlocks(doc, OrderList.parse(form.order)), 'moved'));

  app.post(`${path}/remove`, (c) => change(c, (doc, form) => {
    const p = BlockId.safeParse(form.block);
    return p.success ? removeBlock(doc, p.data) : undefined;
  }, 'removed'));

  /** The settings form of a new block (kind and place from the query or the form) or of an existing one. */
  const settingsPage = async (c: Ctx, d: NonNullable<Awaited<ReturnType<typeof docOf>>>, o: { kind: Block['kind']; block?: string; after?: string | undefined; values: SettingValues; errors?: Record<string, string>; status?: number }) => {
    const { page, token } = c.var;
    const content = await loadDraftContent(db);
    if (!content) return notFound(c);
    const settings = SETTINGS[o.kind];
    const t = page.t;
    const errors = Object.fromEntries(Object.entries(o.errors ?? {}).map(([k, v]) => [k, t(v as MessageKey)]));
    return render(c, (
      <BlockSettingsPage page={page} csrf={csrfTokenOf(token!)} docKey={d.key} title={titleOf(d, page.locale)} kind={o.kind} block={o.block} after={o.after}
        settings={settings} values={o.values} options={optionLists(content, settings, [page.locale, d.museum.default_locale])} errors={errors} base={d.state.current.number}
        chartLocales={o.kind === 'chart' ? museumLocales(content) : undefined} />
    ), o.status ?? 200);
  };

  app.get(`${path}/new`, async (c) => {
    const no = await guard(c, 'content.structure');
    if (no) return no;
    const d = await docOf(c);
    const kind = c.req.query('kind') ?? '';
    const after = c.req.query('after') || undefined;
    const doc = d?.state.current.data as DocData | undefined;
    if (!d || !isAddable(kind) || (after !== undefined && !doc!.blocks.some((b) => b.id === after))) return notFound(c);
    return settingsPage(c, d, { kind, after, values: kind === 'chart' ? chartValues(undefined, museumLocales({ museum: d.museum } as Content)) : {} });
  });

  app.post(`${path}/new`, async (c) => {
    const p = await posted(c, 'content.structure');
    if (p instanceof Response) return p;
    const { d, form, base } = p;
    const kind = form.kind ?? '';
    const after = form.after || undefined;
    const doc = d.state.current.data as DocData;
    if (!isAddable(kind) || (after !== undefined && !doc.blocks.some((b) => b.id === after))) return notFound(c);
    if (base !== d.state.current.number) return stale(c, d.key);
    const content = await loadDraftContent(db);
    if (!content) return notFound(c);
    const values = postedValues(form, kind);
    const id = newBlockId(doc, kind);
    const made = blockFromForm(kind, id, values, content);
    if (!made.ok) return settingsPage(c, d, { kind, after, values, errors: made.errors, status: 400 });
    const r = await saveDraft(db, now(), editorOf(c.var.session!), d.key, base, addBlock(doc, made.block, after));
    return saved(c, d.key, r, 'added', `block-${id}`);
  });

  const blockOf = (d: NonNullable<Awaited<ReturnType<typeof docOf>>>, id: string) => {
    const p = BlockId.safeParse(id);
    return p.success ? (d.state.current.data as DocData).blocks.find((b) => b.id === p.data) : undefined;
  };

  app.get(`${path}/:block`, async (c) => {
    const no = await guard(c, 'content.structure');
    if (no) return no;
    const d = await docOf(c);
    const b = d && blockOf(d, c.req.param('block'));
    if (!d || !b || !hasSettings(b.kind)) return notFound(c);
    return settingsPage(c, d, { kind: b.kind, block: b.id, values: b.kind === 'chart' ? chartValues(b, museumLocales({ museum: d.museum } as Content)) : valuesOf(b) });
  });

  app.post(`${path}/:block`, async (c) => {
    const p = await posted(c, 'content.structure');
    if (p instanceof Response) return p;
    const { d, form, base } = p;
    const b = blockOf(d, c.req.param('block'));
    if (!b || !hasSettings(b.kind)) return notFound(c);
    if (base !== d.state.current.number) return stale(c, d.key);
    const content = await loadDraftContent(db);
    if (!content) return notFound(c);
    const values = postedValues(form, b.kind);
    const made = blockFromForm(b.kind, b.id, values, content, b);
    if (!made.ok) return settingsPage(c, d, { kind: b.kind, block: b.id, values, errors: made.errors, status: 400 });
    const r = await saveDraft(db, now(), editorOf(c.var.session!), d.key, base, replaceBlock(d.state.current.data as DocData, made.block));
    return saved(c, d.key, r, 'changed');
  });
}
