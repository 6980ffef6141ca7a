import { languageName, type MessageKey } from '../../i18n/messages.ts';
import { barRows, QUALIFIERS } from '../../modules/editorial/chart.ts';
import type { AdminPage } from './admin.views.tsx';

// A chart block's numbers in its settings form (issue 16): what they count,
// per language, then each bar — its label per language, its value, how it is
// known. Empty rows at the end add bars; a bar emptied is removed.

type Values = Record<string, string | string[]>;

function Input({ page, name, label, values, errors, number = false }: { page: AdminPage; name: string; label: string; values: Values; errors: Record<string, string>; number?: boolean }) {
  const id = `setting-${name.replace(/\./g, '-')}`;
  const error = errors[name];
  const v = values[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input type="text" id={id} name={name} value={(Array.isArray(v) ? v[0] : v) ?? ''} {...(number ? { inputmode: 'decimal' } : {})}
        {...(error ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {})} />
      {error && <p class="error" id={`${id}-error`} lang={page.locale}>{error}</p>}
    </div>
  );
}

export function ChartFields({ page, locales, values, errors }: { page: AdminPage; locales: readonly string[]; values: Values; errors: Record<string, string> }) {
  const { t } = page;
  const lang = (l: string) => languageName(l, page.locale);
  const rows = Math.max(1, barRows(values));
  const cols = `texts cols-${Math.min(Math.max(locales.length, 2), 4)}`;
  return (
    <>
      <fieldset class={cols}>
        <legend>{t('admin.chart.unit')}</legend>
        <div class="row">{locales.map((l) => <Input page={page} name={`chart.unit.${l}`} label={`${t('admin.chart.unitLabel')} (${lang(l)})`} values={values} errors={errors} />)}</div>
      </fieldset>
      {Array.from({ length: rows }, (_, i) => (
        <fieldset class={cols}>
          <legend>{t('admin.chart.bar', { n: i + 1 })}</legend>
          <div class="row">{locales.map((l) => <Input page={page} name={`chart.bar.${i}.label.${l}`} label={`${t('admin.chart.label')} (${lang(l)})`} values={values} errors={errors} />)}</div>
          <div class="row">
            <Input page={page} name={`chart.bar.${i}.value`} label={t('admin.chart.value')} values={values} errors={errors} number />
            <div class="field">
              <label for={`setting-chart-bar-${i}-qualifier`}>{t('admin.chart.qualifier')}</label>
              <select id={`setting-chart-bar-${i}-qualifier`} name={`chart.bar.${i}.qualifier`}>
                <option value="">{t('admin.chart.qualifier.exact')}</option>
                {QUALIFIERS.filter((q) => q !== 'exact').map((q) => <option value={q} selected={values[`chart.bar.${i}.qualifier`] === q}>{t(`admin.chart.qualifier.${q}` as MessageKey)}</option>)}
              </select>
            </div>
          </div>
        </fieldset>
      ))}
      <p class="hint">{t('admin.chart.hint')}</p>
    </>
  );
}
