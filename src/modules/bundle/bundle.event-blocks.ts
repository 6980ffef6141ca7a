import type { Doc, HistEvent } from '../content/content.schema.ts';
import { listedEvents, selectEvents } from '../content/content.events.ts';
import type { Problems } from './bundle.problems.ts';

// Rules of the blocks that list events (chronologies, and maps by date with
// their day-by-day table): a by-date map's context events, and the rule that
// a block never repeats what another block of the same document shows — the
// liberation told four times in one theme is what a visitor scrolled through.

/** Checks one document's event blocks; `file` is its structure file. A missing event is said with every other reference (content.references.ts). */
export function checkEventBlocks(d: Doc, file: string, all: readonly HistEvent[], p: Problems): void {
  const D = { entity: d.kind, id: d.id } as const;
  const byId = new Map(all.map((e) => [e.id, e]));
  const listedBy = new Map<string, string>(); // event id → the block that lists it first
  d.blocks.forEach((b, i) => {
    const B = (f?: string) => ({ ...D, field: `blocks[${i}]${f ? `.${f}` : ''}` });
    if (b.kind === 'map' && b.context_events?.length) {
      if (!b.by_date) p.add('needs_field', file, `map "${b.id}": context_events needs by_date (they are listed in the day-by-day table)`, B('context_events'));
      const selected = new Set(selectEvents(all, b).map((e) => e.id));
      b.context_events.forEach((id, j) => {
        const e = byId.get(id);
        if (!e) return;
        const day = e.date.start.slice(0, 10);
        if ((b.from && day < b.from) || (b.to && day > b.to)) {
          p.add('outside_range', file, `map "${b.id}": context event "${id}" (${day}) is outside the map's days (${b.from ?? '…'} to ${b.to ?? '…'})`, B(`context_events[${j}]`));
        }
        if (selected.has(id)) p.add('conflicting_fields', file, `map "${b.id}": event "${id}" is already on the map (its tag or events); it cannot be a context event too`, B(`context_events[${j}]`));
      });
    }
    const repeated = new Map<string, string[]>(); // earlier block → events this one repeats
    for (const e of listedEvents(all, b)) {
      const first = listedBy.get(e.id);
      if (first === undefined) listedBy.set(e.id, b.id);
      else if (first !== b.id) repeated.set(first, [...(repeated.get(first) ?? []), e.id]);
    }
    for (const [first, events] of repeated) {
      const shown = events.slice(0, 5).join(', ') + (events.length > 5 ? ` and ${events.length - 5} more` : '');
      p.add('block_repeats', file, `${b.kind} "${b.id}": lists ${events.length} event${events.length === 1 ? '' : 's'} that block "${first}" of this ${d.kind} already shows (${shown}); a block never repeats another: list each event once`, B());
    }
  });
}
