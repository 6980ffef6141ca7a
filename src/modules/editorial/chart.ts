import { Block, type ChartBar } from '../content/content.schema.ts';

// A chart block's settings as a form (issue 16): what the numbers count, per
// language, and up to 30 bars, each with its label per language, its value
// and how it is known. Fields are named `chart.unit.<locale>`,
// `chart.bar.<n>.label.<locale>`, `chart.bar.<n>.value`, `chart.bar.<n>.qualifier`;
// a bar left empty is dropped. What the form does not edit (a bar's series,
// part and revised figures, the chart's series) is kept from the block as it
// was, bar by bar. Checked with the bundle's Block schema.

type ChartBlock = Extract<Block, { kind: 'chart' }>;
export const MAX_BARS = 30;
export const QUALIFIERS = ['exact', 'about', 'at_least'] as const;

/** The form's values of a chart (every bar, then `extra` empty rows to add bars). */
export function chartValues(b: ChartBlock | undefined, locales: readonly string[], extra = 3): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of locales) out[`chart.unit.${l}`] = b?.unit[l] ?? '';
  const bars = b?.bars ?? [];
  for (let i = 0; i < Math.min(MAX_BARS, bars.length + extra); i++) {
    const bar = bars[i];
    for (const l of locales) out[`chart.bar.${i}.label.${l}`] = bar?.label[l] ?? '';
    out[`chart.bar.${i}.value`] = bar ? String(bar.value) : '';
    out[`chart.bar.${i}.qualifier`] = bar?.qualifier ?? '';
  }
  return out;
}

/** How many bar rows a form of these values shows. */
export const barRows = (values: Record<string, string | string[]>): number =>
  Object.keys(values).filter((k) => /^chart\.bar\.\d+\.value$/.test(k)).length;

export type ChartResult = { ok: true; block: ChartBlock } | { ok: false; errors: Record<string, string> };

/** The chart a form describes; `locales`: the museum's, its default first. */
export function chartFromForm(id: string, form: Record<string, string | string[]>, locales: readonly string[], keep?: ChartBlock): ChartResult {
  const get = (k: string) => {
    const v = form[k];
    return ((Array.isArray(v) ? v[0] : v) ?? '').trim();
  };
  const errors: Record<string, string> = {};
  const unit = Object.fromEntries(locales.map((l) => [l, get(`chart.unit.${l}`)]).filter(([, v]) => v !== ''));
  const bars: ChartBar[] = [];
  const rowOf: number[] = [];
  for (let i = 0; i < MAX_BARS; i++) {
    const label = Object.fromEntries(locales.map((l) => [l, get(`chart.bar.${i}.label.${l}`)]).filter(([, v]) => v !== ''));
    const raw = get(`chart.bar.${i}.value`);
    if (!Object.keys(label).length && raw === '') continue;
    const value = Number(raw.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.'));
    if (raw === '' || !Number.isFinite(value)) errors[`chart.bar.${i}.value`] = 'admin.chart.badValue';
    const bar: ChartBar = { ...(keep?.bars[i] ?? {}), label, value };
    const q = get(`chart.bar.${i}.qualifier`);
    if (q && (QUALIFIERS as readonly string[]).includes(q)) bar.qualifier = q as ChartBar['qualifier'];
    else delete bar.qualifier;
    bars.push(bar);
    rowOf.push(i);
  }
  if (!bars.length) errors['chart.bar.0.value'] ??= 'admin.chart.noBar';
  // The museum's default language (first) is needed wherever a text is given, as in a bundle.
  const def = locales[0]!;
  if (!unit[def]) errors[`chart.unit.${def}`] = 'admin.field.required';
  bars.forEach((b, k) => { if (!b.label[def]) errors[`chart.bar.${rowOf[k]}.label.${def}`] ??= 'admin.field.required'; });
  if (Object.keys(errors).length) return { ok: false, errors };
  const parsed = Block.safeParse({ id, kind: 'chart', unit, ...(keep?.series ? { series: keep.series } : {}), bars });
  if (parsed.success) return { ok: true, block: parsed.data as ChartBlock };
  for (const i of parsed.error.issues) {
    const [top, n, field, locale] = i.path.map(String);
    const row = rowOf[Number(n)] ?? 0;
    const name = top === 'unit' ? `chart.unit.${n ?? locales[0]}`
      : field === 'label' ? `chart.bar.${row}.label.${locale ?? locales[0]}`
      : `chart.bar.${row}.value`;
    errors[name] ??= top === 'unit' || field === 'label' ? 'admin.chart.badText' : 'admin.chart.badValue';
  }
  return { ok: false, errors };
}
