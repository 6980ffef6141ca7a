import type { Block, HistEvent } from './content.schema.ts';

// Rules about events that pages, open data and structured data share: their
// order, which ones a block or a filter selects, which ones happened at a
// place, and how a place's state changes over the events of a "by date" map.

/** Events in chronology order: by start date, then in the order the content lists them. */
export function sortEvents(events: readonly HistEvent[], all: readonly HistEvent[]): HistEvent[] {
  const pos = new Map(all.map((e, i) => [e.id, i]));
  return [...events].sort((a, b) => a.date.start.localeCompare(b.date.start) || (pos.get(a.id) ?? 0) - (pos.get(b.id) ?? 0));
}

/** The events that happened at a place, in the order the content lists them. */
export function eventsAt(events: readonly HistEvent[], placeId: string): HistEvent[] {
  return events.filter((e) => e.places.includes(placeId));
}

/** The events of every place at once (each in content order), for what lists all places: one pass, not one per place. */
export function eventsByPlace(events: readonly HistEvent[]): Map<string, HistEvent[]> {
  const out = new Map<string, HistEvent[]>();
  for (const e of events) {
    for (const p of new Set(e.places)) {
      const list = out.get(p);
      if (list) list.push(e);
      else out.set(p, [e]);
    }
  }
  return out;
}

/** What a map or chronology block selects. */
export type EventSelection = Pick<Extract<Block, { kind: 'map' }>, 'events' | 'tag' | 'from' | 'to'> & { lost_tag?: string | undefined };

/** The events a block selects, in chronology order: its listed events, and those carrying its tag (or its lost tag) within its dates. */
export function selectEvents(all: readonly HistEvent[], b: EventSelection): HistEvent[] {
  const inRange = (e: HistEvent) => (!b.from || e.date.start >= b.from) && (!b.to || e.date.start <= b.to);
  const tagged = (e: HistEvent) => (b.tag !== undefined && e.tags.includes(b.tag)) || (b.lost_tag !== undefined && e.tags.includes(b.lost_tag));
  return sortEvents(all.filter((e) => b.events?.includes(e.id) || (tagged(e) && inRange(e))), all);
}

/** The events a block lists as text: a chronology's, or a by-date map's table (its events and its context events). */
export function listedEvents(all: readonly HistEvent[], b: Block): HistEvent[] {
  if (b.kind === 'chronology') return selectEvents(all, b);
  if (b.kind === 'map' && b.by_date) {
    const context = new Set(b.context_events ?? []);
    const selected = selectEvents(all, b);
    const seen = new Set(selected.map((e) => e.id));
    return sortEvents([...selected, ...all.filter((e) => context.has(e.id) && !seen.has(e.id))], all);
  }
  return [];
}

/** A place's changes of state, in date order: reached (+) or lost again (−). */
export type Change = { date: string; reached: boolean };

/**
 * Each place's changes of state over the selected events. An event with the
 * lost tag loses its places; any other selected event reaches them. Two
 * events on the same day count once, the later in the chronology winning.
 */
export function placeChanges(events: readonly HistEvent[], lostTag: string | undefined): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const e of events) {
    const reached = !(lostTag !== undefined && e.tags.includes(lostTag));
    const date = e.date.start.slice(0, 10);
    for (const p of e.places) {
      const list = out.get(p) ?? [];
      const last = list[list.length - 1];
      if (last && last.date === date) last.reached = reached;
      else if (!last || last.reached !== reached) list.push({ date, reached });
      out.set(p, list);
    }
  }
  return out;
}

/** Whether a place is reached at the end of a day, from its changes. */
export function reachedOn(changes: readonly Change[], day: string): boolean {
  let state = false;
  for (const c of changes) if (c.date <= day) state = c.reached;
  return state;
}

/** A filter of the chronology and the map (the query string's ?theme=&tag=&from=&to=, once checked). */
export interface EventFilter {
  theme?: string;
  tag?: string;
  from?: string;
  to?: string;
}

export const FILTER_KEYS = ['theme', 'tag', 'from', 'to'] as const;

/** The first and last day an event covers, as YYYY-MM-DD strings. */
export function eventSpan(e: HistEvent): [string, string] {
  const d = e.date;
  switch (d.precision) {
    case 'year': return [`${d.start}-01-01`, `${d.start}-12-31`];
    case 'month': return [`${d.start}-01`, `${d.start}-31`];
    case 'range': return [d.start, d.end];
    case 'night': return [d.start, d.start];
    default: return [d.start, d.start];
  }
}

/** The first and last day a filter bound (YYYY, YYYY-MM or YYYY-MM-DD) can mean. */
export const lowerBound = (v: string): string => (v.length === 4 ? `${v}-01-01` : v.length === 7 ? `${v}-01` : v);
export const upperBound = (v: string): string => (v.length === 4 ? `${v}-12-31` : v.length === 7 ? `${v}-31` : v);

export const isFiltered = (f: EventFilter): boolean => FILTER_KEYS.some((k) => f[k] !== undefined);

export function applyFilter(events: readonly HistEvent[], f: EventFilter): HistEvent[] {
  return events.filter((e) => {
    if (f.theme && !e.themes.includes(f.theme)) return false;
    if (f.tag && !e.tags.includes(f.tag)) return false;
    const [lo, hi] = eventSpan(e);
    if (f.from && hi < lowerBound(f.from)) return false;
    if (f.to && lo > upperBound(f.to)) return false;
    return true;
  });
}
