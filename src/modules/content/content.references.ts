import type { Block, BlockKind, Doc, HistEvent, Media } from './content.schema.ts';

// What the content's entries point at, as data: a block's media, events,
// places and articles, an event's places and themes. The bundle's rules
// report the references that lead nowhere (bundle.validate.ts), the admin's
// dashboard lists them beside the block that makes them: one list of
// references and one rule about them, so both always say the same.

export type RefTarget = 'media' | 'event' | 'place' | 'article' | 'theme';

export interface Reference {
  target: RefTarget;
  id: string;
  /** The value's path in its entry, as the structure file writes it: `blocks[2].media`, `places[0]`. */
  field: string;
  /** The block of a document that makes it, with its place among the document's blocks (from 0). */
  block?: { id: string; kind: BlockKind; index: number };
  /** The kind a media item must be (a figure shows an image). */
  mediaKind?: Media['kind'];
}

/** A reference that leads nowhere; `found`: the media item exists, but is of that other kind. */
export interface BrokenReference extends Reference {
  found?: Media['kind'];
}

/** The references of one block, in the order of its fields: media, events, context events, places, articles. */
export function blockReferences(b: Block, index: number): Reference[] {
  const at = { id: b.id, kind: b.kind, index };
  const ref = (target: RefTarget, id: string, field: string, mediaKind?: Media['kind']): Reference =>
    ({ target, id, field: `blocks[${index}].${field}`, block: at, ...(mediaKind ? { mediaKind } : {}) });
  switch (b.kind) {
    case 'figure': return [ref('media', b.media, 'media', 'image')];
    case 'gallery': return b.media.map((m, j) => ref('media', m, `media[${j}]`, 'image'));
    case 'video': case 'audio': return [ref('media', b.media, 'media', b.kind)];
    case 'chronology': return (b.events ?? []).map((e, j) => ref('event', e, `events[${j}]`));
    case 'map': return [
      ...(b.events ?? []).map((e, j) => ref('event', e, `events[${j}]`)),
      ...(b.context_events ?? []).map((e, j) => ref('event', e, `context_events[${j}]`)),
      ...(b.places ?? []).map((p, j) => ref('place', p, `places[${j}]`)),
    ];
    case 'links': return b.items.flatMap((it, j) => ('article' in it ? [ref('article', it.article, `items[${j}].article`)] : []));
    default: return [];
  }
}

export const docReferences = (d: Pick<Doc, 'blocks'>): Reference[] => d.blocks.flatMap(blockReferences);

export const eventReferences = (e: HistEvent): Reference[] => [
  ...e.places.map((id, i): Reference => ({ target: 'place', id, field: `places[${i}]` })),
  ...e.themes.map((id, i): Reference => ({ target: 'theme', id, field: `themes[${i}]` })),
];

/**
 * The references that lead nowhere: to an entry that does not exist, or to a media item of another kind than the
 * block shows. `exists` says whether an entry exists (the bundle's reader also counts one that failed its own checks,
 * reported already); `media` gives the media items by id.
 */
export function brokenReferences(refs: readonly Reference[], media: ReadonlyMap<string, Media>, exists: (target: RefTarget, id: string) => boolean): BrokenReference[] {
  const out: BrokenReference[] = [];
  for (const r of refs) {
    const m = r.target === 'media' ? media.get(r.id) : undefined;
    if (m) {
      if (r.mediaKind && m.kind !== r.mediaKind) out.push({ ...r, found: m.kind });
    } else if (!exists(r.target, r.id)) out.push(r);
  }
  return out;
}

/** Whether each kind of entry exists in the content, by id (what brokenReferences asks). */
export function existsIn(c: { docs: readonly Doc[]; media: readonly Media[]; events: readonly HistEvent[]; places: readonly { id: string }[] }): (target: RefTarget, id: string) => boolean {
  const ids: Record<RefTarget, Set<string>> = {
    media: new Set(c.media.map((m) => m.id)),
    event: new Set(c.events.map((e) => e.id)),
    place: new Set(c.places.map((p) => p.id)),
    article: new Set(c.docs.filter((d) => d.kind === 'article').map((d) => d.id)),
    theme: new Set(c.docs.filter((d) => d.kind === 'theme').map((d) => d.id)),
  };
  return (target, id) => ids[target].has(id);
}

/**
 * The languages in which an image must have alt text and has none: the default language always, and every other
 * language its caption is translated into (a visitor reading that caption would otherwise get the default's alt).
 */
export function missingAlt(m: Media, defaultLocale: string): string[] {
  if (m.kind !== 'image') return [];
  const out = m.alt?.[defaultLocale] ? [] : [defaultLocale];
  for (const l of Object.keys(m.caption)) if (l !== defaultLocale && !m.alt?.[l]) out.push(l);
  return out;
}
