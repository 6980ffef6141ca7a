import { raw } from 'hono/html';
import { langOf, type Ctx } from '../site/site.context.ts';
import type { Doc, HistEvent, Visit } from '../../modules/content/content.schema.ts';
import { formatEventDate } from '../../shared/dates.ts';
import { renderInline } from '../../modules/content/markdown.ts';
import { Blocks, EventList, EventTime, sectionsOf, type Section } from './blocks.tsx';
import { applyFilter, type EventFilter } from '../../modules/content/content.events.ts';
import { selectIn } from '../../modules/content/content.model.ts';
import { mediaIdsOf } from '../../modules/content/content.schema.ts';
import { isIiifImage } from '../../modules/media/media.iiif.ts';
import { themeManifestUrl } from '../../modules/media/media.urls.ts';
import { Breadcrumb, FallbackNotice, FilterForm, L, LInline, SectionHeading, ThemeList } from './components.tsx';
import { MENU_FULL_MAX } from './theme-menu.tsx';
import { themeMaps } from './map-common.tsx';
import { languageName } from '../../i18n/messages.ts';

export function HomePage({ ctx }: { ctx: Ctx }) {
  const m = ctx.c.museum;
  const visit = ctx.index.primary;
  const themes = ctx.themesOf(visit.id);
  const first = themes[0];
  const about = ctx.aboutPage();
  const otherVisits = ctx.index.otherVisits;
  return (
    <>
      <div class="hero">
        <h1><L ctx={ctx} v={ctx.tx(m.name)} /></h1>
        <p class="intro"><LInline ctx={ctx} v={ctx.tx(m.intro)} /></p>
        {first ? <p><a class="button" href={ctx.docPath(first)}>{ctx.t('home.start')}</a></p> : null}
      </div>
      <section aria-labelledby="home-themes">
        <h2 id="home-themes">{ctx.t('home.themes')}</h2>
        <ThemeList ctx={ctx} themes={themes} maps={themes.length <= MENU_FULL_MAX ? themeMaps(ctx, themes) : undefined} />
      </section>
      {otherVisits.map((v) => (
        <section aria-labelledby={`visit-${v.id}`}>
          <h2 id={`visit-${v.id}`}><a href={ctx.visitPath(v)}><L ctx={ctx} v={ctx.tx(v.title)} /></a></h2>
          <p><LInline ctx={ctx} v={ctx.tx(v.summary)} /></p>
        </section>
      ))}
      <section class="practical" aria-labelledby="home-practical">
        <h2 id="home-practical">{ctx.t('home.practical')}</h2>
        <div class="practical-grid">
          {m.address ? (
            <div>
              <h3>{ctx.t('home.address')}</h3>
              <address>
                <L ctx={ctx} v={ctx.tx(m.name)} /><br />
                {m.address.street ? <>{m.address.street}<br /></> : null}
                {[m.address.postal_code, m.address.locality].filter(Boolean).join(' ')}
                {m.address.country ? <><br />{new Intl.DisplayNames([ctx.locale], { type: 'region' }).of(m.address.country)}</> : null}
              </address>
            </div>
          ) : null}
          <div>
            <h3>{ctx.t('home.site')}</h3>
            <p><LInline ctx={ctx} v={ctx.tx(m.about_site)} /></p>
            {about ? <p><a href={ctx.docPath(about)}>{ctx.t('home.more')}</a></p> : null}
          </div>
        </div>
      </section>
    </>
  );
}

export function VisitPage({ ctx, visit }: { ctx: Ctx; visit: Visit }) {
  const themes = ctx.themesOf(visit.id);
  return (
    <>
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: <L ctx={ctx} v={ctx.tx(visit.title)} /> }]} />
      <h1><L ctx={ctx} v={ctx.tx(visit.title)} /></h1>
      <p class="lead"><LInline ctx={ctx} v={ctx.tx(visit.summary)} /> <span class="count">({ctx.t('visit.themeCount', { count: themes.length })})</span></p>
      {/* A small map per theme, where the visit is not a long one (a thousand of them would weigh a megabyte). */}
      <ThemeList ctx={ctx} themes={themes} headingLevel={2} maps={themes.length <= MENU_FULL_MAX ? themeMaps(ctx, themes) : undefined} />
    </>
  );
}

export function ThemePage({ ctx, theme, visit }: { ctx: Ctx; theme: Doc; visit: Visit }) {
  const themes = ctx.themesOf(visit.id);
  const i = ctx.themeNumber(theme) - 1;
  const prev = themes[i - 1];
  const next = themes[i + 1];
  const title = ctx.docTitle(theme);
  const lang = ctx.docFallback(theme);
  const all = ctx.index.eventsByTheme.get(theme.id) ?? [];
  // Events the theme already lists in its blocks (chronologies, the table of a map by date) are not listed twice.
  const inBlocks = new Set(theme.blocks.flatMap((b) => (b.kind === 'chronology' || (b.kind === 'map' && b.by_date)
    ? [...selectIn(ctx.index, b).map((e) => e.id), ...(b.kind === 'map' ? b.context_events ?? [] : [])] : [])));
  const events = all.filter((e) => !inBlocks.has(e.id));
  const chronologyLink = <p><a href={`${ctx.chronologyPath()}#period-${theme.id}`}>{ctx.t('theme.seeChronology')}</a></p>;
  const sections = sectionsOf(ctx, theme);
  const eventsHeading = ctx.own(ctx.t('theme.events'));
  if (events.length) sections.push({ id: 'theme-events', text: eventsHeading });
  return (
    <article class="theme">
      <Breadcrumb ctx={ctx} items={[
        { label: ctx.t('nav.home'), href: ctx.home() },
        { label: <L ctx={ctx} v={ctx.tx(visit.title)} />, href: ctx.visitPath(visit) },
        { label: <>{ctx.t('theme.positionShort', { n: i + 1 })}{ctx.t('punct.colon')}<L ctx={ctx} v={title} /></> },
      ]} />
      <header class="doc-header">
        <p class="kicker">{ctx.t('theme.position', { n: i + 1, total: themes.length })}</p>
        <DocHeading ctx={ctx} doc={theme} />
      </header>
      <div class="theme-layout">
      <ThemeContents ctx={ctx} sections={sections} next={next} />
      <div class="theme-body">
      {theme.blocks.length === 0 ? <p class="in-preparation">{ctx.t('theme.inPreparation')}</p> : <Blocks ctx={ctx} doc={theme} notices={!lang} />}
      {mediaIdsOf(theme).some((id) => isIiifImage(ctx.media(id), ctx.c)) ? <p class="iiif-link"><a href={themeManifestUrl(theme.id)} type="application/ld+json">{ctx.t('media.page.themeIiif')}</a></p> : null}
      {events.length ? (
        <section class="theme-events" aria-labelledby="theme-events">
          <SectionHeading ctx={ctx} id="theme-events" text={eventsHeading} />
          <ul>
            {events.map((e) => <li><EventTime ctx={ctx} event={e} />{ctx.t('punct.colon')}<a href={`${ctx.chronologyPath()}#event-${e.id}`}><L ctx={ctx} v={ctx.tx(e.title)} /></a></li>)}
          </ul>
          {chronologyLink}
        </section>
      ) : all.length ? chronologyLink : null}
      <nav class="pager" aria-label={ctx.t('theme.pager')}>
        {prev ? <a class="pager-prev" rel="prev" href={ctx.docPath(prev)}><span class="pager-label">{ctx.t('theme.previous')}</span> <L ctx={ctx} v={ctx.docTitle(prev)} /></a> : <span></span>}
        {next ? <a class="pager-next" rel="next" href={ctx.docPath(next)}><span class="pager-label">{ctx.t('theme.next')}</span> <L ctx={ctx} v={ctx.docTitle(next)} /></a> : <span></span>}
      </nav>
      {next ? null : <VisitEnd ctx={ctx} visit={visit} />}
      {/* Shown by the script that makes the keys work (keys.ts), and never on a touch screen (site.css). */}
      <p class="key-hint" hidden>{ctx.t('theme.keys')}</p>
      </div>
      </div>
    </article>
  );
}

/**
 * A theme's contents, under its opening: its sections (each heading links
 * there), and the next theme, so that a reader need not scroll to the end to
 * go on. On wide screens it is a column of its own that stays in view.
 */
function ThemeContents({ ctx, sections, next }: { ctx: Ctx; sections: Section[]; next: Doc | undefined }) {
  if (sections.length < 2 && !next) return null;
  return (
    <nav class="theme-contents" aria-labelledby="theme-contents-title">
      <h2 id="theme-contents-title" class="contents-title">{ctx.t('theme.contents')}</h2>
      {sections.length >= 2 ? (
        <ol>
          {sections.map((s) => <li><a href={`#${s.id}`}>{s.text.lang === ctx.locale ? s.text.text : <span lang={s.text.lang}>{s.text.text}</span>}</a></li>)}
        </ol>
      ) : null}
      <p class="contents-next">
        {next
          ? <a href={ctx.docPath(next)}><span class="pager-label">{ctx.t('theme.next')}</span> <L ctx={ctx} v={ctx.docTitle(next)} /></a>
          : <a href="#visit-end">{ctx.t('visit.end.title')}</a>}
      </p>
    </nav>
  );
}

/** The end of the visit: what to see next (the chronology, the map, the articles, the museum), not a dead end. */
function VisitEnd({ ctx, visit }: { ctx: Ctx; visit: Visit }) {
  const about = ctx.aboutPage();
  const articles = [...ctx.index.themesLinkingArticle.keys()].map((id) => ctx.article(id)).filter((a) => a !== undefined);
  const summary = (d: Doc) => ctx.docField(d, (t) => t.summary);
  return (
    <section class="visit-end" aria-labelledby="visit-end">
      <h2 id="visit-end">{ctx.t('visit.end.title')}</h2>
      <p class="pager-end">{ctx.t('theme.end')} {ctx.t('visit.end.intro')}</p>
      <ul class="visit-end-links">
        <li><a href={ctx.chronologyPath()}>{ctx.t('nav.chronology')}</a> — {ctx.t('visit.end.chronology')}</li>
        {ctx.c.places.length ? <li><a href={ctx.mapPath()}>{ctx.t('nav.map')}</a> — {ctx.t('visit.end.map')}</li> : null}
        {articles.map((a) => {
          const s = summary(a);
          return <li><a href={ctx.docPath(a)}><L ctx={ctx} v={ctx.docTitle(a)} /></a>{s ? <> — <LInline ctx={ctx} v={s} /></> : null}</li>;
        })}
        {about ? <li><a href={ctx.docPath(about)}><L ctx={ctx} v={ctx.docTitle(about)} /></a> — {ctx.t('visit.end.museum')}</li> : null}
        <li><a href={ctx.visitPath(visit)}>{ctx.t('theme.backToVisit')}</a></li>
      </ul>
    </section>
  );
}

/**
 * A document's title and lead. A document with no text at all in this
 * language is shown whole in the default language: one notice under its
 * title says so, and its blocks carry no notice of their own.
 */
function DocHeading({ ctx, doc }: { ctx: Ctx; doc: Doc }) {
  const lang = ctx.docFallback(doc);
  const title = ctx.docTitle(doc);
  const lead = ctx.docField(doc, (t) => t.lead);
  return (
    <>
      <h1 lang={langOf(title)}>{title.text}</h1>
      <FallbackNotice ctx={ctx} lang={lang ?? langOf(lead)} />
      {lead ? <p class="lead" lang={langOf(lead)}>{raw(renderInline(lead.text))}</p> : null}
    </>
  );
}

export function DocPage({ ctx, doc }: { ctx: Ctx; doc: Doc }) {
  const lang = ctx.docFallback(doc);
  const related = doc.kind === 'article'
    ? ctx.index.themesLinkingArticle.get(doc.id) ?? []
    : [];
  return (
    <article class={doc.kind}>
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: <L ctx={ctx} v={ctx.docTitle(doc)} /> }]} />
      <header class="doc-header">
        {doc.kind === 'article' ? <p class="kicker">{ctx.t('article.kicker')}</p> : null}
        <DocHeading ctx={ctx} doc={doc} />
      </header>
      <Blocks ctx={ctx} doc={doc} notices={!lang} />
      {related.length ? (
        <section class="related" aria-labelledby="related">
          <h2 id="related">{ctx.t('article.relatedThemes')}</h2>
          <ul>{related.map((th) => <li><a href={ctx.docPath(th)}><L ctx={ctx} v={ctx.docTitle(th)} /></a></li>)}</ul>
        </section>
      ) : null}
    </article>
  );
}

/** Items grouped by a key, in the order the keys first appear; each group keeps the items' order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

export function ChronologyPage({ ctx, filter = {}, problems = [] }: { ctx: Ctx; filter?: EventFilter; problems?: string[] }) {
  const events = applyFilter(ctx.index.chronology, filter);
  // Grouped once by year, then by month: each event is read a fixed number of times.
  const byYear = groupBy(events, (e) => e.date.start.slice(0, 4));
  const years = [...byYear.keys()];
  // The first event of each theme carries the anchor a theme links to (…#period-<theme>).
  const firstOfTheme = new Map<string, string>();
  for (const e of events) for (const th of e.themes) if (!firstOfTheme.has(th)) firstOfTheme.set(th, e.id);
  const anchors = new Map<string, string[]>();
  const total = ctx.c.events.length;
  for (const [th, id] of firstOfTheme) anchors.set(id, [...(anchors.get(id) ?? []), th]);
  return (
    <>
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: ctx.t('chronology.title') }]} />
      <h1>{ctx.t('chronology.title')}</h1>
      <p class="lead">{ctx.t('chronology.intro')}</p>
      {total ? <FilterForm ctx={ctx} action={ctx.chronologyPath()} filter={filter} problems={problems} shown={events.length} total={total} /> : null}
      {total === 0 ? <p>{ctx.t('chronology.empty')}</p> : null}
      {years.length > 1 ? <DensityStrip ctx={ctx} byYear={byYear} years={years} /> : null}
      {years.map((y) => {
        const inYear = byYear.get(y) ?? [];
        const yearOnly = inYear.filter((e) => e.date.precision === 'year');
        const byMonth = groupBy(inYear.filter((e) => e.date.precision !== 'year'), (e) => e.date.start.slice(0, 7));
        const months = [...byMonth.keys()];
        return (
          <section class="year" aria-labelledby={`year-${y}`}>
            <h2 id={`year-${y}`}>{String(Number(y))}</h2>
            {yearOnly.length ? <EventList ctx={ctx} events={yearOnly} linkToTheme={true} periodAnchors={anchors} /> : null}
            {/* A year is a region of the page; its months are headings in it, not 40 more regions for a screen reader's list. */}
            {months.map((m) => (
              <section class="month">
                <h3 id={`month-${m}`}>{formatEventDate({ precision: 'month', start: m }, ctx.locale)}</h3>
                <EventList ctx={ctx} events={byMonth.get(m) ?? []} linkToTheme={true} periodAnchors={anchors} />
              </section>
            ))}
          </section>
        );
      })}
    </>
  );
}

/**
 * A strip of bars, one per year, as tall as the year has events: each a link
 * to that year. A run of three or more years without events is folded into
 * one narrow gap, so that a lone early event (1918) does not squeeze the
 * years the visit is about. Columns are HTML (labels at the text's size, the
 * strip as wide as the column); each bar is a small SVG, since the CSP allows
 * no inline style to set a height. On phones, where fourteen columns would be
 * too narrow to tap, the same list shows as rows (year, bar, count) in two
 * columns; hence a vertical and a horizontal bar, one shown by CSS.
 */
function DensityStrip({ ctx, byYear, years }: { ctx: Ctx; byYear: Map<string, HistEvent[]>; years: string[] }) {
  const first = Number(years[0]);
  const last = Number(years[years.length - 1]);
  const all = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const counts = new Map(all.map((y) => [y, byYear.get(String(y).padStart(4, '0'))?.length ?? 0]));
  const max = Math.max(1, ...counts.values());
  const h = 60;
  type Col = { year: number; n: number } | { gap: [number, number] };
  const cols: Col[] = [];
  for (let i = 0; i < all.length; i += 1) {
    const year = all[i]!;
    let j = i;
    while (j < all.length && !counts.get(all[j]!)) j += 1;
    if (j - i >= 3) {
      cols.push({ gap: [year, all[j - 1]!] });
      i = j - 1;
    } else cols.push({ year, n: counts.get(year) ?? 0 });
  }
  return (
    <nav class="density" aria-label={ctx.t('chronology.density')}>
      <ol class="density-strip">
        {cols.map((c) => {
          if ('gap' in c) return <li class="density-gap" aria-hidden="true" title={`${c.gap[0]}–${c.gap[1]}`}>…</li>;
          const label = ctx.t(c.n === 1 ? 'chronology.yearOne' : 'chronology.yearCount', { year: String(c.year), count: c.n });
          const bh = c.n ? Math.max(3, Math.round((c.n / max) * h)) : 0;
          const inner = (
            <>
              {/* One bar, standing here; turned on its side where the strip becomes a list (site.css). */}
              <svg class="density-svg" viewBox={`0 0 ${h} ${h}`} preserveAspectRatio="none" aria-hidden="true"><rect class="density-bar" x="6" y={h - bh} width="48" height={bh} /></svg>
              <span class="density-year">{String(c.year)}</span><span class="visually-hidden">{ctx.t('punct.colon')}</span>
              {/* The count is seen on phones only, but heard everywhere: the link's name is "1944: 53 events". */}
              <span class="density-count">{String(c.n)}</span><span class="visually-hidden"> {ctx.t(c.n === 1 ? 'chronology.eventUnit' : 'chronology.eventsUnit')}</span>
            </>
          );
          return <li class="density-col">{c.n ? <a href={`#year-${c.year}`} title={label}>{inner}</a> : inner}</li>;
        })}
      </ol>
    </nav>
  );
}
export function ErrorPage({ ctx, title, text, showThemes }: { ctx: Ctx; title: string; text: string; showThemes: boolean }) {
  const themes = ctx.themesOf(ctx.index.primary.id);
  return (
    <>
      <h1>{title}</h1>
      <p class="lead">{text}</p>
      <p><a href={ctx.home()}>{ctx.t('nav.home')}</a></p>
      {showThemes ? (
        <section aria-labelledby="err-themes">
          <h2 id="err-themes">{ctx.t('notFound.themes')}</h2>
          {/* A large visit is not listed whole on every error page: its visit page lists it. */}
          {themes.length > MENU_FULL_MAX
            ? <p><a href={ctx.visitPath(ctx.index.primary)}>{ctx.t('nav.allThemes', { count: themes.length })}</a></p>
            : <ThemeList ctx={ctx} themes={themes} />}
        </section>
      ) : null}
      {ctx.c.museum.locales.length > 1 ? (
        <section aria-labelledby="err-langs">
          <h2 id="err-langs">{ctx.t('notFound.languages')}</h2>
          <ul>{ctx.c.museum.locales.map((l) => <li><a href={`/${l}/`} hreflang={l} lang={l}>{languageName(l)}</a></li>)}</ul>
        </section>
      ) : null}
    </>
  );
}
