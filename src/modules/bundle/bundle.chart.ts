import type { Block, LocaleMap } from '../content/content.schema.ts';
import type { Problems, Where } from './bundle.problems.ts';

// Rules of a chart block beyond its schema: every label in the enabled
// languages (the default one required), series that exist, and parts and
// revisions that make sense (a part is within its bar, a revision is another
// figure of the same count).

type Chart = Extract<Block, { kind: 'chart' }>;
type CheckMap = (file: string, label: string, map: LocaleMap | undefined, required: boolean, where: Where & { field: string }) => void;

/** `title`: the chart's title in the default language, from the document's text file (`titleFile`), if it has one. */
export function checkChart(b: Chart, file: string, p: Problems, checkMap: CheckMap, B: (field?: string) => Where & { field: string }, title: { has: boolean; file: string; locale: string }): void {
  const what = `chart "${b.id}"`;
  // A chart is named by its title (the table's caption): screen readers announce it, lists of tables show it.
  if (!title.has) p.add('required', title.file, `${what}: title is required (it names the chart and its table)`, { ...B(), locale: title.locale, field: `blocks.${b.id}.title` });
  checkMap(file, `${what}: unit`, b.unit, true, B('unit'));
  const series = new Set<string>();
  (b.series ?? []).forEach((s, i) => {
    if (series.has(s.id)) p.add('duplicate_id', file, `${what}: series "${s.id}" is defined twice`, B(`series[${i}].id`));
    series.add(s.id);
    checkMap(file, `${what}: series "${s.id}" label`, s.label, true, B(`series[${i}].label`));
  });
  b.bars.forEach((bar, i) => {
    const at = (f: string) => B(`bars[${i}].${f}`);
    checkMap(file, `${what}: bar ${i + 1} label`, bar.label, true, at('label'));
    if (bar.series !== undefined && !series.has(bar.series)) p.add('unknown_reference', file, `${what}: bar ${i + 1} names series "${bar.series}", which the chart's series do not define`, at('series'));
    if (bar.part) {
      checkMap(file, `${what}: bar ${i + 1} part label`, bar.part.label, true, at('part.label'));
      if (bar.part.value > bar.value) p.add('conflicting_fields', file, `${what}: bar ${i + 1}: its part (${bar.part.value}) is larger than the bar (${bar.value})`, at('part.value'));
    }
    if (bar.revised) {
      checkMap(file, `${what}: bar ${i + 1} revised label`, bar.revised.label, true, at('revised.label'));
      if (bar.revised.value <= bar.value) p.add('conflicting_fields', file, `${what}: bar ${i + 1}: its revised figure (${bar.revised.value}) must be larger than the first (${bar.value}); give the later figure as the value otherwise`, at('revised.value'));
    }
  });
}
