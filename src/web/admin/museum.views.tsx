import type { MessageKey } from '../../i18n/messages.ts';
import { MUSEUM_OPTIONS, type MuseumOption } from '../../modules/editorial/museum.ts';
import type { AdminPage } from './admin.views.tsx';
import { Csrf } from './content.views.tsx';

// The museum's settings beyond its texts (issue 16): its postal address, its
// look, whether media still to come are shown. Structure, not a language's
// text: for who may change structure.

export interface OptionsForm {
  values: Record<string, string>;
  errors: Record<string, string>;
  base: number;
}

const CHOICES: Partial<Record<MuseumOption, readonly string[]>> = { 'style.font': ['serif', 'sans'], pending_media: ['hide', 'show'] };

export function MuseumOptions({ page, csrf, f }: { page: AdminPage; csrf: string; f: OptionsForm }) {
  const { t } = page;
  const field = (path: MuseumOption) => {
    const id = `option-${path.replace('.', '-')}`;
    const error = f.errors[path];
    const described = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
    const common = { id, name: path, 'aria-describedby': described, ...(error ? { 'aria-invalid': 'true' } : {}) };
    const choices = CHOICES[path];
    return (
      <div class="field">
        <label for={id}>{t(`admin.museum.${path}` as MessageKey)}</label>
        {choices ? (
          <select {...common}>
            <option value="">{t('admin.blocks.default')}</option>
            {choices.map((c) => <option value={c} selected={f.values[path] === c}>{t(`admin.museum.${path}.${c}` as MessageKey)}</option>)}
          </select>
        ) : <input type="text" {...common} value={f.values[path] ?? ''} />}
        <p class="hint" id={`${id}-hint`}>{t(`admin.museum.${path}.hint` as MessageKey)}</p>
        {error && <p class="error" id={`${id}-error`}>{error}</p>}
      </div>
    );
  };
  const count = Object.keys(f.errors).length;
  return (
    <section aria-labelledby="options-title">
      <h2 id="options-title">{t('admin.museum.title')}</h2>
      {count > 0 && <p class="notice alert" role="alert">{t('admin.content.errors', { count })}</p>}
      <form method="post" action="/admin/content/museum/settings/options" class="editor" novalidate>
        <Csrf csrf={csrf} />
        <input type="hidden" name="base" value={String(f.base)} />
        {MUSEUM_OPTIONS.map(field)}
        <div class="actions"><button type="submit">{t('admin.museum.save')}</button></div>
      </form>
    </section>
  );
}
