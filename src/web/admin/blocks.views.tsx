import type { MessageKey } from '../../i18n/messages.ts';
import { ADDABLE_KINDS, type Setting } from '../../modules/editorial/blocks.ts';
import type { BlockKind } from '../../modules/content/content.schema.ts';
import { CSRF_FIELD } from './admin.http.ts';
import { Layout, Notice, type AdminPage } from './admin.views.tsx';
import { ChartFields } from './chart.views.tsx';

// The structure of a theme, article or page (issue 16): its blocks in order,
// each moved up or down, removed, or its settings changed (which media,
// events, places…); a new block added where the curator wants it. Forms
// without script; the texts of the blocks are written in the editor.

export interface ListedBlock {
  id: string;
  kind: BlockKind;
  /** What it shows, for people: the start of its text, or its media's title. */
  summary: string;
  hasSettings: boolean;
}

export interface Option {
  id: string;
  label: string;
}

const Csrf = ({ csrf }: { csrf: string }) => <input type="hidden" name={CSRF_FIELD} value={csrf} />;
const Base = ({ base }: { base: number }) => <input type="hidden" name="base" value={String(base)} />;
const kindName = (page: AdminPage, kind: string) => page.t(`admin.content.kind.${kind}` as MessageKey);

export function BlocksPage({ page, csrf, docKey, title, blocks, base, canChange, notice }: {
  page: AdminPage; csrf: string; docKey: string; title: string; blocks: ListedBlock[]; base: number; canChange: boolean; notice?: string | undefined;
}) {
  const { t } = page;
  const action = `/admin/content/${docKey}/blocks`;
  const small = (path: string, block: string, label: string, aria: string, extra?: Record<string, string>) => (
    <form method="post" action={`${action}/${path}`}>
      <Csrf csrf={csrf} /><Base base={base} />
      <input type="hidden" name="block" value={block} />
      {Object.entries(extra ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button type="submit" class="quiet" aria-label={aria}>{label}</button>
    </form>
  );
  return (
    <Layout page={page} title={t('admin.blocks.title', { title })} signedIn={{ csrf }} wide>
      <p><a href={`/admin/content/${docKey}`}>{t('admin.blocks.back')}</a></p>
      <Notice text={notice} />
      {blocks.length === 0 && <p>{t('admin.blocks.none')}</p>}
      <ol class="order blocks" aria-label={t('admin.blocks.list')} {...(canChange ? { 'data-reorder': `${action}/order`, 'data-base': String(base) } : {})}>
        {blocks.map((b, i) => {
          const name = { n: i + 1, kind: kindName(page, b.kind) };
          return (
            <li id={`block-${b.id}`} data-id={b.id}>
              <span class="order-n">{i + 1}</span>
              <span class="block-what"><strong>{kindName(page, b.kind)}</strong>{b.summary && <span class="hint"> — {b.summary}</span>}</span>
              <div class="row-actions">
                <a href={`/admin/content/${docKey}#block-${b.id}`} aria-label={t('admin.blocks.textsLabel', name)}>{t('admin.blocks.texts')}</a>
                {canChange && b.hasSettings && <a href={`${action}/${b.id}`} aria-label={t('admin.blocks.settingsLabel', name)}>{t('admin.blocks.settings')}</a>}
                {canChange && i > 0 && small('move', b.id, t('admin.order.up'), t('admin.blocks.upLabel', name), { direction: 'up' })}
                {canChange && i < blocks.length - 1 && small('move', b.id, t('admin.order.down'), t('admin.blocks.downLabel', name), { direction: 'down' })}
                {canChange && small('remove', b.id, t('admin.blocks.remove'), t('admin.blocks.removeLabel', name))}
              </div>
            </li>
          );
        })}
      </ol>
      {canChange && (
        <form method="get" action={`${action}/new`} class="add-block">
          <h2 id="add-title">{t('admin.blocks.add')}</h2>
          <div class="field">
            <label for="add-kind">{t('admin.blocks.kind')}</label>
            <select id="add-kind" name="kind">
              {ADDABLE_KINDS.map((k) => <option value={k}>{kindName(page, k)}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="add-after">{t('admin.blocks.where')}</label>
            <select id="add-after" name="after">
              <option value="">{t('admin.blocks.atStart')}</option>
              {blocks.map((b, i) => <option value={b.id} selected={i === blocks.length - 1}>{t('admin.blocks.after', { n: i + 1, kind: kindName(page, b.kind) })}</option>)}
            </select>
          </div>
          <div class="actions"><button type="submit">{t('admin.blocks.next')}</button></div>
        </form>
      )}
    </Layout>
  );
}

export type SettingValues = Record<string, string | string[]>;

/** One setting's control: a list of checkboxes, a choice, a date, a yes/no. */
function SettingField({ page, s, values, options, error }: { page: AdminPage; s: Setting; values: SettingValues; options: Option[]; error?: string | undefined }) {
  const { t } = page;
  const id = `setting-${s.name}`;
  const label = t(`admin.blocks.setting.${s.name}` as MessageKey);
  const v = values[s.name];
  const chosen = new Set(v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const err = error && <p class="error" id={`${id}-error`}>{error}</p>;
  const invalid = error ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {};
  if (s.type === 'many') {
    return (
      <fieldset class="field choices" id={id} {...(error ? { 'aria-describedby': `${id}-error` } : {})}>
        <legend>{label}</legend>
        {err}
        {options.length === 0 && <p class="hint">{t('admin.blocks.noOptions')}</p>}
        <ul>
          {/* What the block has first, in its order (a long list of events hides nothing chosen); the others after. */}
          {[...options.filter((o) => chosen.has(o.id)).sort((a, b) => [...chosen].indexOf(a.id) - [...chosen].indexOf(b.id)), ...options.filter((o) => !chosen.has(o.id))].map((o) => (
            <li><input type="checkbox" id={`${id}-${o.id}`} name={`pick.${s.name}.${o.id}`} value="1" checked={chosen.has(o.id)} /> <label for={`${id}-${o.id}`}>{o.label}</label></li>
          ))}
        </ul>
      </fieldset>
    );
  }
  if (s.type === 'bool') {
    return <div class="field check"><input type="checkbox" id={id} name={s.name} value="on" checked={chosen.has('on')} /> <label for={id}>{label}</label>{err}</div>;
  }
  if (s.type === 'date') {
    return <div class="field"><label for={id}>{label}</label><input type="date" id={id} name={s.name} value={[...chosen][0] ?? ''} {...invalid} />{err}</div>;
  }
  const choices: Option[] = s.type === 'enum'
    ? s.values.map((x) => ({ id: x, label: t(`admin.blocks.value.${s.name}.${x}` as MessageKey) }))
    : options;
  const optional = s.type !== 'one';
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={s.name} {...invalid}>
        {optional ? <option value="">{t(s.type === 'enum' ? 'admin.blocks.default' : 'admin.blocks.noneChosen')}</option> : <option value="">{t('admin.blocks.choose')}</option>}
        {choices.map((o) => <option value={o.id} selected={chosen.has(o.id)}>{o.label}</option>)}
      </select>
      {err}
    </div>
  );
}

export function BlockSettingsPage({ page, csrf, docKey, title, kind, block, after, settings, values, options, errors = {}, base, chartLocales }: {
  page: AdminPage; csrf: string; docKey: string; title: string; kind: BlockKind; block?: string | undefined; after?: string | undefined;
  settings: readonly Setting[]; values: SettingValues; options: Record<string, Option[]>; errors?: Record<string, string>; base: number;
  /** A chart's languages (the museum's, its default first): its settings are its numbers. */
  chartLocales?: readonly string[] | undefined;
}) {
  const { t } = page;
  const action = `/admin/content/${docKey}/blocks/${block ?? 'new'}`;
  const count = Object.keys(errors).length;
  return (
    <Layout page={page} title={t(block ? 'admin.blocks.editTitle' : 'admin.blocks.newTitle', { kind: kindName(page, kind), title })} signedIn={{ csrf }} wide>
      <p><a href={`/admin/content/${docKey}/blocks`}>{t('admin.blocks.backList')}</a></p>
      {count > 0 && <p class="notice alert" role="alert">{t('admin.content.errors', { count })}</p>}
      <form method="post" action={action} class="editor" novalidate>
        <Csrf csrf={csrf} /><Base base={base} />
        <input type="hidden" name="kind" value={kind} />
        {!block && <input type="hidden" name="after" value={after ?? ''} />}
        {chartLocales && <ChartFields page={page} locales={chartLocales} values={values} errors={errors} />}
        {settings.length === 0 && !chartLocales && <p>{t('admin.blocks.noSettings')}</p>}
        {settings.map((s) => <SettingField page={page} s={s} values={values} options={options[s.name] ?? []} error={errors[s.name]} />)}
        <div class="actions"><button type="submit">{t(block ? 'admin.blocks.saveSettings' : 'admin.blocks.create')}</button></div>
      </form>
    </Layout>
  );
}
