import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Ctx, Localized } from '../../modules/site/site.context.ts';
import type { Doc } from '../../modules/content/content.schema.ts';
import { renderInline, renderMarkdown } from '../../modules/site/markdown.ts';
import { languageName } from '../../i18n/messages.ts';
import { isFiltered, type EventFilter } from '../../modules/site/site.filters.ts';

/** Text that may be a fallback: wrapped in an element carrying its language. */
export function L({ v }: { v: Localized | undefined }) {
  if (!v) return null;
  return v.lang ? <span lang={v.lang}>{v.text}</span> : <>{v.text}</>;
}

/** Inline Markdown (emphasis, links) that may be a fallback. */
export function LInline({ v }: { v: Localized | undefined }) {
  if (!v) return null;
  const html = raw(renderInline(v.text));
  return v.lang ? <span lang={v.lang}>{html}</span> : <>{html}</>;
}

export function FallbackNotice({ ctx, lang }: { ctx: Ctx; lang: string | undefined }) {
  if (!lang) return null;
  return <p class="fallback-notice">{ctx.t('fallback.notice', { language: languageName(lang, ctx.locale) })}</p>;
}

/** A block of Markdown prose, marked with its language when it is a fallback. */
export function Prose({ ctx, v, notice = true }: { ctx: Ctx; v: Localized; notice?: boolean }) {
  // The notice is in the page's language, so it stands outside the element
  // that carries the fallback text's language.
  return (
    <>
      {notice ? <FallbackNotice ctx={ctx} lang={v.lang} /> : null}
      <div class="prose" lang={v.lang}>
      {raw(labelTables(renderMarkdown(v.text), ctx.t('table.label')))}
      </div>
    </>
  );
}

/** Gives each scrollable table wrapper a region role and a name in the page's language. */
function labelTables(html: string, label: string): string {
  const safe = label.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return html.replaceAll('<div class="table-scroll" tabindex="0">', `<div class="table-scroll" tabindex="0" role="region" aria-label="${safe}">`);
}

export interface Crumb {
  label: Child;
  href?: string;
}

export function Breadcrumb({ ctx, items }: { ctx: Ctx; items: Crumb[] }) {
  return (
    <nav class="breadcrumb" aria-label={ctx.t('breadcrumb')}>
      <ol>
        {items.map((c, i) => (
          <li>{c.href && i < items.length - 1 ? <a href={c.href}>{c.label}</a> : <span aria-current="page">{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/** The numbered list of a visit's themes with their one-line summaries. */
/** A titled section linking to documents (the themes that tell a place, the documents that show a media item); nothing when there are none. */
export function DocLinks({ ctx, id, title, docs }: { ctx: Ctx; id: string; title: string; docs: Doc[] }) {
  if (!docs.length) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul>{docs.map((d) => <li><a href={ctx.docPath(d)}><L v={ctx.docTitle(d)} /></a></li>)}</ul>
    </section>
  );
}

export function ThemeList({ ctx, themes, headingLevel = 3 }: { ctx: Ctx; themes: Doc[]; headingLevel?: 2 | 3 }) {
  return (
    <ol class="theme-list">
      {themes.map((th, i) => {
        const { texts, lang } = ctx.docTexts(th);
        const title = <a href={ctx.docPath(th)} lang={lang}>{texts.title}</a>;
        return (
          <li>
            <span class="theme-num" aria-hidden="true">{i + 1}</span>
            <div>
              {headingLevel === 2 ? <h2 class="theme-title">{title}</h2> : <h3 class="theme-title">{title}</h3>}
              {texts.summary ? <p lang={lang}>{raw(renderInline(texts.summary))}</p> : null}
              {th.blocks.length === 0 ? <p class="status">{ctx.t('theme.inPreparationShort')}</p> : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** The filter form of the chronology and the map (GET: a filtered page has its own address). */
export function FilterForm({ ctx, action, filter, problems, shown, total }: { ctx: Ctx; action: string; filter: EventFilter; problems: string[]; shown: number; total: number }) {
  const themes = ctx.c.docs.filter((d) => d.kind === 'theme' && d.visit === ctx.index.primary.id).sort((a, b) => a.position - b.position);
  const used = new Set(ctx.c.events.flatMap((e) => e.tags));
  const tags = [...used].map((id) => ({ id, label: ctx.s(ctx.c.tags.find((t) => t.id === id)?.label) || id })).sort((a, b) => a.label.localeCompare(b.label, ctx.locale));
  const years = [...new Set(ctx.c.events.map((e) => e.date.start.slice(0, 4)))].sort();
  const year = (v: string | undefined) => v?.slice(0, 4);
  return (
    <>
      {problems.length ? (
        <div class="filter-problems" role="alert">
          <p>{ctx.t('filter.problems')}</p>
          <ul>{problems.map((p) => <li>{p}</li>)}</ul>
        </div>
      ) : null}
      <form class="filters" method="get" action={action}>
        <fieldset>
          <legend>{ctx.t('filter.legend')}</legend>
          <p><label for="f-theme">{ctx.t('filter.theme')}</label>
            <select id="f-theme" name="theme"><option value="">{ctx.t('filter.all')}</option>{themes.map((th) => <option value={th.id} selected={filter.theme === th.id}>{ctx.docTitle(th).text}</option>)}</select></p>
          <p><label for="f-tag">{ctx.t('filter.tag')}</label>
            <select id="f-tag" name="tag"><option value="">{ctx.t('filter.all')}</option>{tags.map((t) => <option value={t.id} selected={filter.tag === t.id}>{t.label}</option>)}</select></p>
          <p><label for="f-from">{ctx.t('filter.from')}</label>
            <select id="f-from" name="from"><option value="">{ctx.t('filter.anyYear')}</option>{years.map((y) => <option value={y} selected={year(filter.from) === y}>{String(Number(y))}</option>)}</select></p>
          <p><label for="f-to">{ctx.t('filter.to')}</label>
            <select id="f-to" name="to"><option value="">{ctx.t('filter.anyYear')}</option>{years.map((y) => <option value={y} selected={year(filter.to) === y}>{String(Number(y))}</option>)}</select></p>
          <p class="filters-actions"><button type="submit" class="button">{ctx.t('filter.apply')}</button>
            {isFiltered(filter) ? <a href={action}>{ctx.t('filter.clear')}</a> : null}</p>
        </fieldset>
      </form>
      {isFiltered(filter) ? <p class="filter-status" role="status">{ctx.t('filter.showing', { count: shown, total })}{shown === 0 ? ` ${ctx.t('filter.none')}` : ''}</p> : null}
    </>
  );
}
