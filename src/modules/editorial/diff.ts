import { diffWords } from 'diff';

// What a revision changed, field by field, for people: each leaf of the
// document's JSON is a field with a path (`texts.fr.title`,
// `texts.en.blocks.intro.body`, `themes`), compared as text; a changed text is
// also given word by word. Labels come from the path (views/diff: the catalogue).

export interface FieldChange {
  path: string[];
  before: string | undefined;
  after: string | undefined;
  /** Word by word: kept, removed and added runs (texts only). */
  words?: { value: string; added?: boolean; removed?: boolean }[];
}

/** Leaves of a JSON value by path; lists of plain values (ids, theme order) are one leaf, shown joined. */
function leaves(v: unknown, path: string[], out: Map<string, { path: string[]; value: string }>): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) out.set(path.join('\u0000'), { path, value: v.join(', ') });
    else v.forEach((x, i) => leaves(x, [...path, typeof x === 'object' && x && 'id' in x ? String((x as { id: unknown }).id) : String(i)], out));
    return;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out);
    return;
  }
  out.set(path.join('\u0000'), { path, value: String(v) });
}

/** The fields that differ between two states of a document (undefined: the document did not exist), in the later one's order. */
export function diffStates(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, { path: string[]; value: string }>();
  const b = new Map<string, { path: string[]; value: string }>();
  leaves(before, [], a);
  leaves(after, [], b);
  const keys = [...b.keys(), ...[...a.keys()].filter((k) => !b.has(k))];
  const out: FieldChange[] = [];
  for (const k of keys) {
    const was = a.get(k)?.value;
    const now = b.get(k)?.value;
    if (was === now) continue;
    const change: FieldChange = { path: (b.get(k) ?? a.get(k))!.path, before: was, after: now };
    if (was !== undefined && now !== undefined && (was.length > 40 || now.length > 40)) change.words = diffWords(was, now);
    out.push(change);
  }
  return out;
}
