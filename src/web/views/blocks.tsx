import { raw } from 'hono/html';
import type { Ctx, Localized } from '../../modules/site/site.context.ts';
import type { Block, Doc, HistEvent, Media } from '../../modules/content/content.schema.ts';
import { renderMarkdown } from '../../modules/site/markdown.ts';
import { formatEventDate, isoValue } from '../../shared/dates.ts';
import { FallbackNotice, L, LInline, Prose } from './components.tsx';

/** One block's translatable part in this page's language, with fallback. */
function blockText(ctx: Ctx, doc: Doc, blockId: string, field: 'body' | 'caption' | 'title' | 'source'): Localized | undefined {
  return ctx.docField(doc, (t) => t.blocks[blockId]?.[field]);
}

function mediaById(ctx: Ctx, id: string): Media | undefined {
  return ctx.c.media.find((m) => m.id === id);
}

function Placeholder({ ctx, media, label }: { ctx: Ctx; media: Media; label: string }) {
  const alt = ctx.tx(media.alt);
  return (
    <div class="placeholder">
      <p class="placeholder-label">{label}</p>
      {alt ? <p class="placeholder-desc"><span class="visually-hidden">{ctx.t('media.described')}{ctx.t('punct.colon')}</span><L v={alt} /></p> : null}
    </div>
  );
}

function Caption({ ctx, media, override }: { ctx: Ctx; media: Media; override?: Localized | undefined }) {
  const caption = override ?? ctx.tx(media.caption);
  const credit = ctx.tx(media.credit);
  return (
    <figcaption>
      <LInline v={caption} />
      {credit ? <> <span class="credit"><L v={credit} /></span></> : null}
      {media.rights ? <> <span class="rights">{media.rights}</span></> : null}
    </figcaption>
  );
}

function FigureMedia({ ctx, media, override }: { ctx: Ctx; media: Media; override?: Localized | undefined }) {
  const label = media.kind === 'video' ? ctx.t('media.placeholder.video') : media.kind === 'audio' ? ctx.t('media.placeholder.audio') : ctx.t('figure.placeholder');
  return (
    <figure class={`figure figure-${media.kind}`}>
      <Placeholder ctx={ctx} media={media} label={label} />
      <Caption ctx={ctx} media={media} override={override} />
    </figure>
  );
}

/** An event's date as people write it in the page's language, machine-readable too. */
export function EventTime({ ctx, event }: { ctx: Ctx; event: HistEvent }) {
  return <time datetime={isoValue(event.date)}>{formatEventDate(event.date, ctx.locale)}</time>;
}

export function EventList({ ctx, events, linkToTheme }: { ctx: Ctx; events: HistEvent[]; linkToTheme: boolean }) {
  return (
    <ol class="event-list">
      {events.map((e) => {
        const themes = linkToTheme ? e.themes.map((id) => ctx.c.docs.find((d) => d.kind === 'theme' && d.id === id)).filter((d) => d !== undefined) : [];
        const places = e.places.map((p) => ctx.c.places.find((x) => x.id === p)).filter((p) => p !== undefined);
        return (
          <li id={linkToTheme ? `event-${e.id}` : undefined}>
            <p class="event-date"><EventTime ctx={ctx} event={e} /></p>
            <div class="event-body">
              <p class="event-title"><L v={ctx.tx(e.title)} /></p>
              {e.description ? <p class="event-desc"><LInline v={ctx.tx(e.description)} /></p> : null}
              {places.length || themes.length ? (
                <p class="event-meta">
                  {places.length ? <span>{ctx.t(places.length > 1 ? 'chronology.places' : 'chronology.place')}{ctx.t('punct.colon')}{places.map((p, i) => <>{i ? ', ' : ''}<L v={ctx.tx(p.name)} /></>)}</span> : null}
                  {themes.length ? <span>{ctx.t(themes.length > 1 ? 'chronology.themes' : 'chronology.theme')}{ctx.t('punct.colon')}{themes.map((th, i) => <>{i ? ', ' : ''}<a href={ctx.docPath(th)} data-abs={ctx.absolute(ctx.docPath(th))}><L v={ctx.docTitle(th)} /></a></>)}</span> : null}
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export function sortEvents(events: HistEvent[], all: HistEvent[]): HistEvent[] {
  const pos = new Map(all.map((e, i) => [e.id, i]));
  return [...events].sort((a, b) => a.date.start.localeCompare(b.date.start) || (pos.get(a.id) ?? 0) - (pos.get(b.id) ?? 0));
}

function formatCoord(v: number, pos: string, neg: string): string {
  return `${Math.abs(v).toFixed(4)}° ${v >= 0 ? pos : neg}`;
}

/** `notices`: false when the whole page is a fallback and already says so once at the top. */
export function BlockView({ ctx, doc, block, notices = true }: { ctx: Ctx; doc: Doc; block: Block; notices?: boolean }) {
  const body = blockText(ctx, doc, block.id, 'body');
  const title = blockText(ctx, doc, block.id, 'title');
  switch (block.kind) {
    case 'text':
      return body ? <Prose ctx={ctx} v={body} notice={notices} /> : null;
    case 'quote': {
      const source = blockText(ctx, doc, block.id, 'source');
      return body ? (
        <figure class="quote">
          {notices ? <FallbackNotice ctx={ctx} lang={body.lang} /> : null}
          <blockquote lang={body.lang}>{raw(renderMarkdown(body.text))}</blockquote>
          {source ? <figcaption><span class="visually-hidden">{ctx.t('quote.source')}{ctx.t('punct.colon')}</span><LInline v={source} /></figcaption> : null}
        </figure>
      ) : null;
    }
    case 'note': {
      const sources = block.tone === 'sources-disagree';
      return body ? (
        <div class={`note${sources ? ' note-sources' : ''}`} role="note">
          <p class="note-title"><L v={title ?? { text: ctx.t(sources ? 'note.sourcesDisagree' : 'note.info') }} /></p>
          <Prose ctx={ctx} v={body} notice={notices} />
        </div>
      ) : null;
    }
    case 'figure':
    case 'video':
    case 'audio': {
      const m = mediaById(ctx, block.media);
      return m ? <FigureMedia ctx={ctx} media={m} override={blockText(ctx, doc, block.id, 'caption')} /> : null;
    }
    case 'gallery':
      return (
        <section class="gallery">
          {title ? <h2><L v={title} /></h2> : null}
          <div class="gallery-grid">
            {block.media.map((id) => mediaById(ctx, id)).filter((m) => m !== undefined).map((m) => <FigureMedia ctx={ctx} media={m} />)}
          </div>
        </section>
      );
    case 'chronology': {
      const events = sortEvents(ctx.c.events.filter((e) => block.events.includes(e.id)), ctx.c.events);
      return (
        <section class="chronology-block">
          <h2><L v={title ?? { text: ctx.t('chronology.title') }} /></h2>
          <EventList ctx={ctx} events={events} linkToTheme={false} />
        </section>
      );
    }
    case 'map': {
      const placeIds = new Set([...(block.places ?? []), ...ctx.c.events.filter((e) => block.events?.includes(e.id)).flatMap((e) => e.places)]);
      const places = ctx.c.places.filter((p) => placeIds.has(p.id));
      return (
        <section class="map-block">
          <h2><L v={title ?? { text: ctx.t('map.places') }} /></h2>
          <ul class="place-list">
            {places.map((p) => <li><L v={ctx.tx(p.name)} /> <span class="coords">{formatCoord(p.lat, 'N', 'S')}, {formatCoord(p.lon, 'E', 'W')}</span></li>)}
          </ul>
        </section>
      );
    }
    case 'links':
      return (
        <section class="links-block">
          <h2><L v={title ?? { text: ctx.t('links.title') }} /></h2>
          <ul>
            {block.items.map((it) => {
              if ('article' in it) {
                const a = ctx.c.docs.find((d) => d.kind === 'article' && d.id === it.article);
                if (!a) return null;
                const { texts, lang } = ctx.docTexts(a);
                return <li><a href={ctx.docPath(a)} data-abs={ctx.absolute(ctx.docPath(a))} lang={lang}>{texts.title}</a>{texts.summary ? <span lang={lang}> — {texts.summary}</span> : null}</li>;
              }
              return <li><a href={it.url}><L v={ctx.tx(it.label)} /></a></li>;
            })}
          </ul>
        </section>
      );
  }
}

export function Blocks({ ctx, doc, notices = true }: { ctx: Ctx; doc: Doc; notices?: boolean }) {
  return <>{doc.blocks.map((b) => <BlockView ctx={ctx} doc={doc} block={b} notices={notices} />)}</>;
}
