import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { langOf, type Ctx, type Localized } from '../site/site.context.ts';
import type { Doc } from '../../modules/content/content.schema.ts';
import { renderInline, renderMarkdown, type GlossaryMarking, type SectionEnv } from '../../modules/content/markdown.ts';
import { languageName } from '../../i18n/messages.ts';
import { isFiltered, type EventFilter } from '../../modules/content/content.events.ts';

// How a fallback shows (see docs/decisions/0008-visible-fallbacks.md): text in the
// default language carries its `lang` (screen readers switch voice) and a
// small visible mark "(in French)", hidden from screen readers; the page then
// says once, at the top, that some texts are not yet translated. A whole
// block shown in another language gets its own notice instead.

/** The visible mark after a fallback, in the page's language. */
function Mark({ ctx, lang }: { ctx: Ctx; lang: string }) {
  return <> <span class="fallback-mark" aria-hidden="true">{ctx.t('fallback.mark', { language: languageName(lang, ctx.locale) })}</span></>;
}

/** Text that may be a fallback: wrapped in an element carrying its language, and marked. */
export function L({ ctx, v }: { ctx: Ctx; v: Localized | undefined }) {
  if (!v) return null;
  if (!v.fallback) return <>{v.text}</>;
  ctx.fallbacks.inline += 1;
  return <><span lang={v.lang}>{v.text}</span><Mark ctx={ctx} lang={v.lang} /></>;
}

/** Inline Markdown (emphasis, links) that may be a fallback. */
export function LInline({ ctx, v }: { ctx: Ctx; v: Localized | undefined }) {
  if (!v) return null;
  const html = raw(renderInline(v.text));
  if (!v.fallback) return <>{html}</>;
  ctx.fallbacks.inline += 1;
  return <><span lang={v.lang}>{html}</span><Mark ctx={ctx} lang={v.lang} /></>;
}

/**
 * A sentence of the interface that names content ("{museum} has not yet
 * stated a licence"): each named text is rendered like any other, so a
 * fallback keeps its `lang` and mark inside the sentence.
 */
export function Sentence({ ctx, text, vars }: { ctx: Ctx; text: (slot: (name: string) => string) => string; vars: Record<string, Localized> }) {
  const SLOT = '\u0000';
  const order: string[] = [];
  const parts = text((name) => {
    order.push(name);
    return SLOT;
  }).split(SLOT);
  return <>{parts.map((p, i) => <>{p}{i < order.length ? <L ctx={ctx} v={vars[order[i]!]} /> : null}</>)}</>;
}

/** The notice before a block shown in another language (in the page's language, so outside the block's `lang`). */
export function FallbackNotice({ ctx, lang }: { ctx: Ctx; lang: string | undefined }) {
  if (!lang || lang === ctx.locale) return null;
  ctx.fallbacks.blocks += 1;
  return <p class="fallback-notice">{ctx.t('fallback.notice', { language: languageName(lang, ctx.locale) })}</p>;
}

/** Where the page's note goes (top of main); filled in once the whole page is rendered and its fallbacks are known. */
export const PAGE_NOTE_SLOT = '<!--parcours:fallback-note-->';

/** The page's one note about its inline fallbacks, or nothing. */
export function pageNote(ctx: Ctx): string {
  if (!ctx.fallbacks.inline) return '';
  const text = ctx.t('fallback.page', { language: languageName(ctx.def, ctx.locale) }).replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<p class="fallback-notice fallback-page">${text}</p>`;
}

/** The words of a section link around the section's title ("Link to the section “", "”"), in the page's language. */
export function sectionLinkWords(ctx: Ctx): { before: string; after: string } {
  const [before = '', after = ''] = ctx.t('section.link', { title: '\u0000' }).split('\u0000');
  return { before, after };
}

/** A section's heading, followed by a link to itself (the copy-link affordance; the script copies the address). */
export function SectionHeading({ ctx, id, text, level = 2 }: { ctx: Ctx; id: string; text: Localized; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  const { before, after } = sectionLinkWords(ctx);
  return (
    <div class="section-head">
      <H id={id}><L ctx={ctx} v={text} /></H>
      <a class="section-link" href={`#${id}`}><span aria-hidden="true">#</span><span class="visually-hidden">{before}{text.lang === ctx.locale ? text.text : <span lang={text.lang}>{text.text}</span>}{after}</span></a>
    </div>
  );
}

/**
 * A block of Markdown prose, marked with its language when it is a fallback;
 * `section`: its headings' anchors (the block's section id, the words of their links);
 * `glossary`: its glossary words marked (a theme's).
 */
export function Prose({ ctx, v, notice = true, section, glossary }: { ctx: Ctx; v: Localized; notice?: boolean; section?: SectionEnv['section']; glossary?: GlossaryMarking | undefined }) {
  return (
    <>
      {notice ? <FallbackNotice ctx={ctx} lang={langOf(v)} /> : null}
      <div class="prose" lang={langOf(v)}>
      {raw(labelTables(renderMarkdown(v.text, { ...(section ? { section } : {}), ...(glossary ? { glossary } : {}) }), ctx.t('table.label')))}
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
      <ul>{docs.map((d) => <li><a href={ctx.docPath(d)}><L ctx={ctx} v={ctx.docTitle(d)} /></a></li>)}</ul>
    </section>
  );
}

/** The years a theme's dated events span ("1918–1939", "1944"), from the read model's events by theme. */
function ThemePeriod({ ctx, theme }: { ctx: Ctx; theme: Doc }) {
  const events = ctx.index.eventsByTheme.get(theme.id);
  if (!events?.length) return null;
  const years = events.flatMap((e) => [e.date.start.slice(0, 4), (e.date.precision === 'range' ? e.date.end : e.date.start).slice(0, 4)]).sort();
  const from = years[0]!;
  const to = years.at(-1)!;
  return (
    <p class="theme-period">
      {from === to ? <time datetime={from}>{from}</time> : <><time datetime={from}>{from}</time>{ctx.t('period.to')}<time datetime={to}>{to}</time></>}
    </p>
  );
}

/** The themes of a visit as a sequence: number, period, title and summary, joined by a line; with `maps`, each theme's small map (themeMaps). */
export function ThemeList({ ctx, themes, headingLevel = 3, maps }: { ctx: Ctx; themes: Doc[]; headingLevel?: 2 | 3; maps?: Map<string, string> }) {
  return (
    <ol class="theme-list">
      {themes.map((th, i) => {
        const title = <a href={ctx.docPath(th)}><L ctx={ctx} v={ctx.docTitle(th)} /></a>;
        const summary = ctx.docField(th, (t) => t.summary);
        return (
          <li>
            <span class="theme-num" aria-hidden="true">{i + 1}</span>
            <div>
              <ThemePeriod ctx={ctx} theme={th} />
              {headingLevel === 2 ? <h2 class="theme-title">{title}</h2> : <h3 class="theme-title">{title}</h3>}
              {summary ? <p><LInline ctx={ctx} v={summary} /></p> : null}
              {th.blocks.length === 0 ? <p class="status">{ctx.t('theme.inPreparationShort')}</p> : null}
            </div>
            {maps?.has(th.id) ? <span class="theme-map">{raw(maps.get(th.id)!)}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}

/** A choice in a list: an option holds text only, so a fallback has its `lang` and the page's note, no mark. */
function Option({ ctx, value, selected, label }: { ctx: Ctx; value: string; selected: boolean; label: Localized }) {
  return <option value={value} selected={selected} lang={langOf(label)}>{ctx.attr(label)}</option>;
}

/** The filter form of the chronology and the map (GET: a filtered page has its own address). */
export function FilterForm({ ctx, action, filter, problems, shown, total }: { ctx: Ctx; action: string; filter: EventFilter; problems: string[]; shown: number; total: number }) {
  const themes = ctx.themesOf(ctx.index.primary.id);
  const tags = ctx.index.usedTags.map((id) => ({ id, label: ctx.tx(ctx.tag(id)?.label) ?? ctx.own(id) })).sort((a, b) => a.label.text.localeCompare(b.label.text, ctx.locale));
  const years = ctx.index.years;
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
            <select id="f-theme" name="theme"><option value="">{ctx.t('filter.all')}</option>{themes.map((th) => <Option ctx={ctx} value={th.id} selected={filter.theme === th.id} label={ctx.docTitle(th)} />)}</select></p>
          <p><label for="f-tag">{ctx.t('filter.tag')}</label>
            <select id="f-tag" name="tag"><option value="">{ctx.t('filter.all')}</option>{tags.map((t) => <Option ctx={ctx} value={t.id} selected={filter.tag === t.id} label={t.label} />)}</select></p>
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
