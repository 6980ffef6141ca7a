import { raw } from 'hono/html';
import { langOf, type Ctx, type Localized } from '../site/site.context.ts';
import type { Block, Doc, HistEvent } from '../../modules/content/content.schema.ts';
import { mediaIdsOf } from '../../modules/content/content.schema.ts';
import { MediaFigure, ZoomTemplate, hasZoomable } from './media.tsx';
import { MapBlock } from './map-block.tsx';
import { ChartBlock } from './chart-block.tsx';
import { glossaryMarking } from './glossary.tsx';
import { selectIn } from '../../modules/content/content.model.ts';
import { markdownHeadings, renderMarkdown, sectionHeadingId } from '../../modules/content/markdown.ts';
import { formatEventDate, isoValue } from '../../shared/dates.ts';
import { FallbackNotice, L, LInline, Prose, SectionHeading, sectionLinkWords } from './components.tsx';

/** One block's translatable part in this page's language, with fallback. */
function blockText(ctx: Ctx, doc: Doc, blockId: string, field: 'body' | 'caption' | 'title' | 'source'): Localized | undefined {
  return ctx.docField(doc, (t) => t.blocks[blockId]?.[field]);
}

/** Ids the page itself uses, which a block's section must not take. */
const RESERVED_IDS = new Set(['main', 'theme-menu', 'theme-events', 'theme-contents', 'theme-contents-title', 'visit-end', 'zoom-dialog', 'zoom-title', 'zoom-help']);

/**
 * The id of a block's section heading: what a teacher links to
 * (…/videos#romans-film), the same in every language, since block ids are.
 */
export function sectionId(block: Block): string {
  if (block.kind === 'map') return `map-${block.id}-heading`;
  if (block.kind === 'chart') return `chart-${block.id}-title`;
  return RESERVED_IDS.has(block.id) || /^(event|period|map|chart|section)-/.test(block.id) ? `section-${block.id}` : block.id;
}

/** A section's entry in a page's contents: where it starts and its heading. */
export interface Section {
  id: string;
  text: Localized;
}

/** The sections of a document, in page order: each heading of level 2, of text blocks and of titled blocks. */
export function sectionsOf(ctx: Ctx, doc: Doc): Section[] {
  const out: Section[] = [];
  for (const b of doc.blocks) {
    const title = blockText(ctx, doc, b.id, 'title');
    switch (b.kind) {
      case 'text': {
        const body = blockText(ctx, doc, b.id, 'body');
        if (!body) break;
        markdownHeadings(body.text).forEach((h, n) => {
          if (h.level === 2 && h.text) out.push({ id: sectionHeadingId(sectionId(b), n), text: { ...body, text: h.text } });
        });
        break;
      }
      case 'map':
        out.push({ id: sectionId(b), text: title ?? ctx.own(ctx.t('map.places')) });
        break;
      case 'chronology':
        out.push({ id: sectionId(b), text: title ?? ctx.own(ctx.t('chronology.title')) });
        break;
      case 'links':
        out.push({ id: sectionId(b), text: title ?? ctx.own(ctx.t('links.title')) });
        break;
      case 'chart':
      case 'gallery':
        if (title) out.push({ id: sectionId(b), text: title });
        break;
      default:
        break;
    }
  }
  return out;
}

/** The Markdown env that gives a text block's headings their ids and links. */
function sectionEnv(ctx: Ctx, block: Block, body: Localized) {
  // A fallback text is in its own language (its container says so): the link's words keep the page's.
  return { id: sectionId(block), label: { ...sectionLinkWords(ctx), lang: body.lang === ctx.locale ? undefined : ctx.locale }, textLang: body.lang };
}

/** An event's date as people write it in the page's language, machine-readable too. */
export function EventTime({ ctx, event, cls }: { ctx: Ctx; event: HistEvent; cls?: string }) {
  return <time class={cls} datetime={isoValue(event.date)}>{formatEventDate(event.date, ctx.locale)}</time>;
}

/**
 * Events as a list: date, title, description, places and (with linkToTheme) themes.
 * `anchors`: give each event its id (the chronology page, where themes link to);
 * without, each title links to the event on the chronology, in its context.
 * An item is flat (the date, then the title, description and places in the
 * second column: site.css), with no wrapper: the chronology has 117 of them.
 */
export function EventList({ ctx, events, linkToTheme, anchors = linkToTheme, periodAnchors }: { ctx: Ctx; events: HistEvent[]; linkToTheme: boolean; anchors?: boolean; periodAnchors?: Map<string, string[]> }) {
  return (
    <ol class="event-list">
      {events.map((e) => {
        const themes = linkToTheme ? e.themes.map((id) => ctx.theme(id)).filter((d) => d !== undefined) : [];
        const places = ctx.placesOf(e.places);
        return (
          <li id={anchors ? `event-${e.id}` : undefined}>
            {/* The first event of each theme: the anchor of its period, which names the theme's page (islands/period.ts marks the events linking to it). */}
            {periodAnchors?.get(e.id)?.map((th) => {
              const theme = ctx.theme(th);
              return <span id={`period-${th}`} class="period-anchor" data-theme-path={theme ? ctx.docPath(theme) : undefined}></span>;
            })}
            <EventTime ctx={ctx} event={e} cls="event-date" />
            <p class="event-title">{anchors ? <L ctx={ctx} v={ctx.tx(e.title)} /> : <a href={`${ctx.chronologyPath()}#event-${e.id}`}><L ctx={ctx} v={ctx.tx(e.title)} /></a>}</p>
            {e.description ? <p class="event-desc"><LInline ctx={ctx} v={ctx.tx(e.description)} /></p> : null}
            {places.length || themes.length ? (
              <p class="event-meta">
                {places.length ? <span>{ctx.t(places.length > 1 ? 'chronology.places' : 'chronology.place')}{ctx.t('punct.colon')}{places.map((p, i) => <>{i ? ', ' : ''}<a href={ctx.placePath(p)}><L ctx={ctx} v={ctx.tx(p.name)} /></a></>)}</span> : null}
                {themes.length ? <span>{ctx.t(themes.length > 1 ? 'chronology.themes' : 'chronology.theme')}{ctx.t('punct.colon')}{themes.map((th, i) => <>{i ? ', ' : ''}<a href={ctx.docPath(th)}><L ctx={ctx} v={ctx.docTitle(th)} /></a></>)}</span> : null}
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** `notices`: false when the whole page is a fallback and already says so once at the top. */
/** `eager`: the page's first media block, likely above the fold, is not lazy-loaded. */
export function BlockView({ ctx, doc, block, notices = true, eager = false }: { ctx: Ctx; doc: Doc; block: Block; notices?: boolean; eager?: boolean }) {
  const body = blockText(ctx, doc, block.id, 'body');
  const title = blockText(ctx, doc, block.id, 'title');
  switch (block.kind) {
    case 'text':
      return body ? <Prose ctx={ctx} v={body} notice={notices} section={sectionEnv(ctx, block, body)} glossary={doc.kind === 'theme' ? glossaryMarking(ctx, body.lang) : undefined} /> : null;
    case 'quote': {
      const source = blockText(ctx, doc, block.id, 'source');
      return body ? (
        <figure class="quote">
          {notices ? <FallbackNotice ctx={ctx} lang={langOf(body)} /> : null}
          <blockquote lang={langOf(body)}>{raw(renderMarkdown(body.text))}</blockquote>
          {source ? <figcaption><span class="visually-hidden">{ctx.t('quote.source')}{ctx.t('punct.colon')}</span><LInline ctx={ctx} v={source} /></figcaption> : null}
        </figure>
      ) : null;
    }
    case 'note': {
      const sources = block.tone === 'sources-disagree';
      return body ? (
        <div class={`note${sources ? ' note-sources' : ''}`} role="note">
          <p class="note-title"><L ctx={ctx} v={title ?? ctx.own(ctx.t(sources ? 'note.sourcesDisagree' : 'note.info'))} /></p>
          <Prose ctx={ctx} v={body} notice={notices} glossary={doc.kind === 'theme' ? glossaryMarking(ctx, body.lang) : undefined} />
        </div>
      ) : null;
    }
    case 'figure':
    case 'video':
    case 'audio': {
      const m = ctx.media(block.media);
      // A layout is for a theme's wide grid; elsewhere a figure stays in the text.
      const layout = block.kind === 'figure' && doc.kind === 'theme' ? block.layout : undefined;
      return m ? <MediaFigure ctx={ctx} media={m} override={blockText(ctx, doc, block.id, 'caption')} lazy={!eager} layout={layout} /> : null;
    }
    case 'gallery':
      return (
        <section class={block.layout && doc.kind === 'theme' ? `gallery gallery--${block.layout}` : 'gallery'}>
          {title ? <SectionHeading ctx={ctx} id={sectionId(block)} text={title} /> : null}
          <div class="gallery-grid">
            {block.media.map((id) => ctx.media(id)).filter((m) => m !== undefined).map((m, i) => <MediaFigure ctx={ctx} media={m} lazy={!eager || i > 0} />)}
          </div>
        </section>
      );
    case 'chronology': {
      const events = selectIn(ctx.index, block);
      return (
        <section class="chronology-block">
          <SectionHeading ctx={ctx} id={sectionId(block)} text={title ?? ctx.own(ctx.t('chronology.title'))} />
          <EventList ctx={ctx} events={events} linkToTheme={false} />
        </section>
      );
    }
    case 'map':
      return <MapBlock ctx={ctx} block={block} title={title} caption={blockText(ctx, doc, block.id, 'caption')} />;
    case 'chart':
      return <ChartBlock ctx={ctx} block={block} title={title} caption={blockText(ctx, doc, block.id, 'caption')} source={blockText(ctx, doc, block.id, 'source')} />;
    case 'links':
      return (
        <section class="links-block">
          <SectionHeading ctx={ctx} id={sectionId(block)} text={title ?? ctx.own(ctx.t('links.title'))} />
          <ul>
            {block.items.map((it) => {
              if ('article' in it) {
                const a = ctx.article(it.article);
                if (!a) return null;
                const summary = ctx.docField(a, (t) => t.summary);
                return <li><a href={ctx.docPath(a)} data-abs={ctx.absolute(ctx.docPath(a))}><L ctx={ctx} v={ctx.docTitle(a)} /></a>{summary ? <> — <LInline ctx={ctx} v={summary} /></> : null}</li>;
              }
              return <li><a href={it.url}><L ctx={ctx} v={ctx.tx(it.label)} /></a></li>;
            })}
          </ul>
        </section>
      );
  }
}

const MEDIA_KINDS = new Set(['figure', 'gallery', 'video', 'audio']);

/** Blocks a theme sets in the margin beside the text block they follow, on wide screens (site.css: .with-aside): notes, links and figures laid out `margin`. */
const inMargin = (b: Block): boolean => b.kind === 'note' || b.kind === 'links' || (b.kind === 'figure' && b.layout === 'margin');

/**
 * A theme's blocks, grouped for its wide-screen grid (the same order, the same
 * words, at every width): a text block and the notes and links that follow it
 * share a wrapper, so that they can stand in the margin beside its end (a
 * figure laid out `margin` too); a theme that ends with a text block (its
 * sources) marks it, so that its lists can run across the page's width. A
 * block that shows nothing (a media item without its file) is not counted: a
 * note after it stands beside the text before it.
 */
function themeGroups(ctx: Ctx, doc: Doc, notices: boolean, first: Block | undefined) {
  const shown = doc.blocks.map((b) => ({ b, view: BlockView({ ctx, doc, block: b, notices, eager: b === first }) })).filter((x) => x.view !== null);
  const out = [];
  for (let i = 0; i < shown.length; i++) {
    const { b, view } = shown[i]!;
    const aside = [];
    while (b.kind === 'text' && shown[i + 1] && inMargin(shown[i + 1]!.b)) aside.push(shown[++i]!.view);
    const last = i === shown.length - 1 && b.kind === 'text' && b === doc.blocks[doc.blocks.length - 1];
    out.push(aside.length ? <div class="with-aside"><div class="with-aside-text">{view}</div><div class="aside">{aside}</div></div> : last ? <div class="theme-end">{view}</div> : view);
  }
  return out;
}

export function Blocks({ ctx, doc, notices = true }: { ctx: Ctx; doc: Doc; notices?: boolean }) {
  const first = doc.blocks.find((b) => MEDIA_KINDS.has(b.kind));
  return (
    <>
      {doc.kind === 'theme' ? themeGroups(ctx, doc, notices, first) : doc.blocks.map((b) => <BlockView ctx={ctx} doc={doc} block={b} notices={notices} eager={b === first} />)}
      {hasZoomable(ctx, mediaIdsOf(doc)) ? <ZoomTemplate ctx={ctx} /> : null}
    </>
  );
}
