import { chartFromForm } from './chart.ts';
import { Block, type BlockKind, type Content } from '../content/content.schema.ts';
import type { DocData } from './documents.ts';

// A document's structure as the editor changes it (issue 16): add a block,
// remove one, move one, change a block's settings (its media, events, places,
// tag, dates, layout, tone). Each function returns the new document state
// (never changes its argument); the state is validated with the bundle's own
// `Block` schema, and references are checked against the draft content so
// that a curator never saves a block naming something that does not exist.

/** The block kinds a curator can add in the editor: every kind. */
export const ADDABLE_KINDS = ['text', 'figure', 'gallery', 'quote', 'video', 'audio', 'chronology', 'map', 'chart', 'links', 'note'] as const satisfies readonly BlockKind[];
export type AddableKind = (typeof ADDABLE_KINDS)[number];

/** One setting of a block, as the form shows it. */
export type Setting =
  | { name: 'media'; type: 'one' | 'many'; of: 'image' | 'video' | 'audio' }
  | { name: 'events' | 'places' | 'context_events' | 'articles'; type: 'many' }
  | { name: 'tag' | 'lost_tag'; type: 'tag' }
  | { name: 'from' | 'to'; type: 'date' }
  | { name: 'layout'; type: 'enum'; values: readonly string[] }
  | { name: 'tone'; type: 'enum'; values: readonly string[] }
  | { name: 'by_date'; type: 'bool' };

export const SETTINGS: Record<BlockKind, readonly Setting[]> = {
  text: [],
  quote: [],
  note: [{ name: 'tone', type: 'enum', values: ['info', 'sources-disagree'] }],
  figure: [{ name: 'media', type: 'one', of: 'image' }, { name: 'layout', type: 'enum', values: ['full', 'margin'] }],
  gallery: [{ name: 'media', type: 'many', of: 'image' }, { name: 'layout', type: 'enum', values: ['full'] }],
  video: [{ name: 'media', type: 'one', of: 'video' }],
  audio: [{ name: 'media', type: 'one', of: 'audio' }],
  chronology: [{ name: 'events', type: 'many' }, { name: 'tag', type: 'tag' }, { name: 'from', type: 'date' }, { name: 'to', type: 'date' }],
  map: [
    { name: 'places', type: 'many' }, { name: 'events', type: 'many' }, { name: 'tag', type: 'tag' }, { name: 'from', type: 'date' }, { name: 'to', type: 'date' },
    { name: 'by_date', type: 'bool' }, { name: 'lost_tag', type: 'tag' }, { name: 'context_events', type: 'many' },
  ],
  chart: [],
  links: [{ name: 'articles', type: 'many' }],
};

export const isAddable = (k: string): k is AddableKind => (ADDABLE_KINDS as readonly string[]).includes(k);

/** A new block's id: its kind and the first free number ("text-3"). */
export function newBlockId(doc: DocData, kind: BlockKind): string {
  const taken = new Set(doc.blocks.map((b) => b.id));
  let n = 1;
  while (taken.has(`${kind}-${n}`)) n++;
  return `${kind}-${n}`;
}

export function moveBlock(doc: DocData, id: string, direction: 'up' | 'down'): DocData | undefined {
  const i = doc.blocks.findIndex((b) => b.id === id);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= doc.blocks.length) return undefined;
  const next = structuredClone(doc);
  [next.blocks[i], next.blocks[j]] = [next.blocks[j]!, next.blocks[i]!];
  return next;
}

/** `order` when it holds exactly the ids of `ids` (a new order of the same items), else undefined. */
export function permutation(ids: readonly string[], order: readonly string[]): string[] | undefined {
  if (order.length !== ids.length || new Set(order).size !== order.length || !order.every((id) => ids.includes(id))) return undefined;
  return [...order];
}

/** The document with its blocks in this order (the same blocks), or undefined. */
export function reorderBlocks(doc: DocData, order: readonly string[]): DocData | undefined {
  const ids = permutation(doc.blocks.map((b) => b.id), order);
  if (!ids) return undefined;
  const next = structuredClone(doc);
  next.blocks = ids.map((id) => next.blocks.find((b) => b.id === id)!);
  return next;
}

/** Without the block and its texts in every language. */
export function removeBlock(doc: DocData, id: string): DocData | undefined {
  if (!doc.blocks.some((b) => b.id === id)) return undefined;
  const next = structuredClone(doc);
  next.blocks = next.blocks.filter((b) => b.id !== id);
  for (const t of Object.values(next.texts)) delete t.blocks[id];
  return next;
}

export type SettingsResult = { ok: true; block: Block } | { ok: false; errors: Record<string, string> };

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');

/** Chosen ids in the order the block had them (a gallery's order is the curator's), new ones after, as listed. */
function keepOrder(ids: string[], was: unknown): string[] {
  const at = new Map((Array.isArray(was) ? (was as string[]) : []).map((id, i) => [id, i]));
  return ids.map((id, i) => ({ id, rank: at.get(id) ?? at.size + i })).sort((a, b) => a.rank - b.rank).map((x) => x.id);
}

/** The museum's languages, its default first. */
export const museumLocales = (c: Content): string[] => [c.museum.default_locale, ...c.museum.locales.filter((l) => l !== c.museum.default_locale)];

/** Whether a block kind has settings to change (a chart's are its numbers). */
export const hasSettings = (kind: BlockKind): boolean => kind === 'chart' || SETTINGS[kind].length > 0;

/** The ids a setting may name, from the draft content. */
export function optionsOf(content: Content, s: Setting): Set<string> {
  switch (s.name) {
    case 'media': return new Set(content.media.filter((m) => m.kind === (s as { of: string }).of).map((m) => m.id));
    case 'events': case 'context_events': return new Set(content.events.map((e) => e.id));
    case 'places': return new Set(content.places.map((p) => p.id));
    case 'articles': return new Set(content.docs.filter((d) => d.kind === 'article').map((d) => d.id));
    case 'tag': case 'lost_tag': return new Set(content.tags.map((t) => t.id));
    default: return new Set();
  }
}

/**
 * A block of this kind with the settings a form posted (values by setting name; lists as arrays), validated with the
 * bundle's `Block` schema and against the draft content's ids. `keep` is the block being changed: what the form
 * does not edit (a links block's external links) is kept. Errors are catalogue keys by setting name.
 */
export function blockFromForm(kind: BlockKind, id: string, form: Record<string, string | string[]>, content: Content, keep?: Block): SettingsResult {
  if (kind === 'chart') return chartFromForm(id, form, museumLocales(content), keep?.kind === 'chart' ? keep : undefined);
  const errors: Record<string, string> = {};
  const out: Record<string, unknown> = { id, kind };
  for (const s of SETTINGS[kind]) {
    const raw = form[s.name];
    const one = Array.isArray(raw) ? raw[0] : raw;
    if (s.type === 'many' || (s.type === 'one' && s.name === 'media')) {
      const ids = s.type === 'one' ? list(one) : list(raw);
      const known = optionsOf(content, s);
      if (ids.some((x) => !known.has(x))) errors[s.name] = 'admin.blocks.unknown';
      if (s.name === 'articles') continue;
      if (s.type === 'one') out[s.name] = ids[0];
      else if (ids.length) out[s.name] = keepOrder([...new Set(ids)], keep && (keep as Record<string, unknown>)[s.name]);
      else if (s.name === 'media') errors[s.name] = 'admin.blocks.chooseOne';
    } else if (s.type === 'tag') {
      if (!one) continue;
      if (!optionsOf(content, s).has(one)) errors[s.name] = 'admin.blocks.unknown';
      out[s.name] = one;
    } else if (s.type === 'date' || s.type === 'enum') {
      if (!one) continue;
      if (s.type === 'enum' && !s.values.includes(one)) errors[s.name] = 'admin.blocks.unknown';
      out[s.name] = one;
    } else if (one === 'on') out[s.name] = true;
  }
  if (kind === 'figure' || kind === 'video' || kind === 'audio') {
    if (out.media === undefined && !errors.media) errors.media = 'admin.blocks.chooseOne';
  }
  if (kind === 'links') {
    const articles = list(form.articles);
    const external = keep?.kind === 'links' ? keep.items.filter((i) => 'url' in i) : [];
    out.items = [...new Set(articles)].map((article) => ({ article })).concat(external as never[]);
    if (!(out.items as unknown[]).length) errors.articles = 'admin.blocks.chooseOne';
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  const parsed = Block.safeParse(Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? 'kind')] ??= i.path[0] === 'from' || i.path[0] === 'to' ? 'admin.blocks.badDate' : 'admin.blocks.invalid';
    return { ok: false, errors };
  }
  return { ok: true, block: parsed.data };
}

/** The document with a new block after the block `after` (undefined: first); its texts are written in the editor. */
export function addBlock(doc: DocData, block: Block, after: string | undefined): DocData {
  const next = structuredClone(doc);
  const i = after === undefined ? -1 : next.blocks.findIndex((b) => b.id === after);
  next.blocks.splice(i + 1, 0, block);
  return next;
}

export function replaceBlock(doc: DocData, block: Block): DocData {
  const next = structuredClone(doc);
  next.blocks = next.blocks.map((b) => (b.id === block.id ? block : b));
  return next;
}
