import type { Content, HistEvent } from '../content/content.schema.ts';
import type { Translate } from '../../i18n/messages.ts';

// Filters of the chronology and the map, from the query string:
//   ?theme=<theme id>&tag=<tag id>&from=<YYYY[-MM[-DD]]>&to=<YYYY[-MM[-DD]]>
// Other parameters are ignored (a shared link with tracking parameters still
// works); a known parameter with a bad value is a problem the page explains.

export interface EventFilter {
  theme?: string;
  tag?: string;
  from?: string;
  to?: string;
}

export const FILTER_KEYS = ['theme', 'tag', 'from', 'to'] as const;
const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

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

const lower = (v: string) => (v.length === 4 ? `${v}-01-01` : v.length === 7 ? `${v}-01` : v);
const upper = (v: string) => (v.length === 4 ? `${v}-12-31` : v.length === 7 ? `${v}-31` : v);

export function parseFilter(params: URLSearchParams, c: Content, t: Translate): { filter: EventFilter; problems: string[] } {
  const filter: EventFilter = {};
  const problems: string[] = [];
  const one = (k: string) => {
    const all = params.getAll(k).map((v) => v.trim()).filter((v) => v !== '');
    if (all.length > 1) problems.push(t('filter.problem.twice', { name: k }));
    return all[0];
  };
  const theme = one('theme');
  if (theme !== undefined) {
    if (c.docs.some((d) => d.kind === 'theme' && d.id === theme)) filter.theme = theme;
    else problems.push(t('filter.problem.theme', { value: theme.slice(0, 80) }));
  }
  const tag = one('tag');
  if (tag !== undefined) {
    if (c.events.some((e) => e.tags.includes(tag))) filter.tag = tag;
    else problems.push(t('filter.problem.tag', { value: tag.slice(0, 80) }));
  }
  for (const k of ['from', 'to'] as const) {
    const v = one(k);
    if (v === undefined) continue;
    if (DATE.test(v)) filter[k] = v;
    else problems.push(t('filter.problem.date', { name: k, value: v.slice(0, 40) }));
  }
  if (filter.from && filter.to && lower(filter.from) > upper(filter.to)) problems.push(t('filter.problem.reversed', { from: filter.from, to: filter.to }));
  return { filter, problems };
}

export const isFiltered = (f: EventFilter): boolean => FILTER_KEYS.some((k) => f[k] !== undefined);

export function applyFilter(events: HistEvent[], f: EventFilter): HistEvent[] {
  return events.filter((e) => {
    if (f.theme && !e.themes.includes(f.theme)) return false;
    if (f.tag && !e.tags.includes(f.tag)) return false;
    const [lo, hi] = eventSpan(e);
    if (f.from && hi < lower(f.from)) return false;
    if (f.to && lo > upper(f.to)) return false;
    return true;
  });
}

/** The filter as a query string, keys in a fixed order (also the cache key). */
export function filterQuery(f: EventFilter): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k] !== undefined) q.set(k, f[k] ?? '');
  return q.toString();
}
