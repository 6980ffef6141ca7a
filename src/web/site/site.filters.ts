import type { FilterVocabulary } from './routes.ts';
import { FILTER_KEYS, lowerBound, upperBound, type EventFilter } from '../../modules/content/content.events.ts';
import type { Translate } from '../../i18n/messages.ts';

// Filters of the chronology and the map, from the query string:
//   ?theme=<theme id>&tag=<tag id>&from=<YYYY[-MM[-DD]]>&to=<YYYY[-MM[-DD]]>
// Other parameters are ignored (a shared link with tracking parameters still
// works); a known parameter with a bad value is a problem the page explains.
// What a filter selects is a rule of the content (content.events.ts).

const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** `known`: the theme ids and tags of the content (the route index holds them: no content aggregate needed). */
export function parseFilter(params: URLSearchParams, known: FilterVocabulary, t: Translate): { filter: EventFilter; problems: string[] } {
  const filter: EventFilter = {};
  const problems: string[] = [];
  const one = (k: string) => {
    const all = params.getAll(k).map((v) => v.trim()).filter((v) => v !== '');
    if (all.length > 1) problems.push(t('filter.problem.twice', { name: k }));
    return all[0];
  };
  const theme = one('theme');
  if (theme !== undefined) {
    if (known.themes.has(theme)) filter.theme = theme;
    else problems.push(t('filter.problem.theme', { value: theme.slice(0, 80) }));
  }
  const tag = one('tag');
  if (tag !== undefined) {
    if (known.tags.has(tag)) filter.tag = tag;
    else problems.push(t('filter.problem.tag', { value: tag.slice(0, 80) }));
  }
  for (const k of ['from', 'to'] as const) {
    const v = one(k);
    if (v === undefined) continue;
    if (DATE.test(v)) filter[k] = v;
    else problems.push(t('filter.problem.date', { name: k, value: v.slice(0, 40) }));
  }
  if (filter.from && filter.to && lowerBound(filter.from) > upperBound(filter.to)) problems.push(t('filter.problem.reversed', { from: filter.from, to: filter.to }));
  return { filter, problems };
}

/** The filter as a query string, keys in a fixed order (also the cache key). */
export function filterQuery(f: EventFilter): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k] !== undefined) q.set(k, f[k] ?? '');
  return q.toString();
}
