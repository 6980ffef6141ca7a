import { raw } from 'hono/html';
import { langOf, type Ctx, type Localized } from '../site/site.context.ts';
import { isPending, type Media, type StoredFile } from '../../modules/content/content.schema.ts';
import { renderMarkdown } from '../../modules/content/markdown.ts';
import { embedOf } from '../../modules/media/media.external.ts';
import { fullUrl, imageServiceUrl, mediaManifestUrl, originalUrl, trackUrl, variantUrl, widthAtLeast } from '../../modules/media/media.urls.ts';
import { languageName } from '../../i18n/messages.ts';
import { Breadcrumb, DocLinks, FallbackNotice, L, LInline } from './components.tsx';

// How media items appear: responsive images with a blurred placeholder,
// video and audio players with captions and transcripts, click-to-load
// facades for videos hosted elsewhere, honest placeholders for items the
// museum has yet to supply, and each item's own page.

/** The width an image takes in the text column (see main and .figure in site.css); media pages use the same column. */
const FIGURE_SIZES = '(min-width: 48rem) 44rem, calc(100vw - 2rem)';
/** A figure set across a theme's text and margin (from 76rem: site.css), or small in the margin. */
const FIGURE_SIZES_BY_LAYOUT = {
  full: '(min-width: 96rem) 66rem, (min-width: 76rem) 56rem, (min-width: 48rem) 44rem, calc(100vw - 2rem)',
  margin: '(min-width: 76rem) 22rem, (min-width: 48rem) 44rem, calc(100vw - 2rem)',
} as const;
const PAGE_SIZES = FIGURE_SIZES;

export function formatBytes(ctx: Ctx, bytes: number): string {
  const [unit, n] = bytes >= 1024 * 1024 ? ['megabyte', bytes / 1024 / 1024] as const : ['kilobyte', Math.max(1, Math.round(bytes / 1024))] as const;
  return new Intl.NumberFormat(ctx.locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(n);
}

const formatLabel = (mime: string) => ({ 'video/mp4': 'MP4', 'video/webm': 'WebM', 'audio/mpeg': 'MP3', 'audio/mp4': 'M4A', 'audio/ogg': 'Ogg' } as Record<string, string>)[mime] ?? mime;

/** `<picture>` with AVIF, WebP and JPEG at every stored width, and the tiny placeholder beneath. */
export function Picture({ ctx, file, alt, sizes, lazy }: { ctx: Ctx; file: StoredFile; alt: Localized | undefined; sizes: string; lazy: boolean }) {
  const widths = file.widths ?? [];
  const set = (fmt: 'avif' | 'webp' | 'jpg') => widths.map((w) => `${variantUrl(file, w, fmt)} ${w}w`).join(', ');
  const fallback = widthAtLeast(file, 960);
  return (
    <span class="picture">
      {file.placeholder ? <img class="picture-placeholder" src={file.placeholder} alt="" width={file.width} height={file.height} /> : null}
      <picture>
        <source type="image/avif" srcset={set('avif')} sizes={sizes} />
        <source type="image/webp" srcset={set('webp')} sizes={sizes} />
        <img src={variantUrl(file, fallback, 'jpg')} srcset={set('jpg')} sizes={sizes} width={file.width} height={file.height}
          alt={ctx.attr(alt)} lang={langOf(alt)} loading={lazy ? 'lazy' : undefined} decoding="async" />
      </picture>
    </span>
  );
}

function Placeholder({ ctx, media }: { ctx: Ctx; media: Media }) {
  const label = media.kind === 'video' ? ctx.t('media.placeholder.video') : media.kind === 'audio' ? ctx.t('media.placeholder.audio') : ctx.t('figure.placeholder');
  const alt = ctx.tx(media.alt);
  return (
    <div class="placeholder">
      <p class="placeholder-label">{label}</p>
      {alt ? <p class="placeholder-desc"><span class="visually-hidden">{ctx.t('media.described')}{ctx.t('punct.colon')}</span><L ctx={ctx} v={alt} /></p> : null}
    </div>
  );
}

function Caption({ ctx, media, override, details }: { ctx: Ctx; media: Media; override?: Localized | undefined; details: boolean }) {
  const caption = override ?? ctx.tx(media.caption);
  const credit = ctx.tx(media.credit);
  return (
    <figcaption>
      <LInline ctx={ctx} v={caption} />
      {credit ? <> <span class="credit"><L ctx={ctx} v={credit} /></span></> : null}
      {details && !isPending(media) ? <> <a class="media-details" href={ctx.mediaPath(media)}>{ctx.t('media.details')}</a></> : null}
    </figcaption>
  );
}

/** Zoom (with script), full-size image (always): what a reader can do with an image. */
function ImageActions({ ctx, media, file }: { ctx: Ctx; media: Media; file: StoredFile }) {
  const title = ctx.mediaTitle(media);
  return (
    <p class="media-actions" data-zoom={`${imageServiceUrl(file)}/info.json`} data-zoom-title={ctx.attr(title)} data-zoom-lang={langOf(title)}>
      <a href={fullUrl(file)}>{ctx.t('media.full', { width: file.width ?? 0, height: file.height ?? 0, size: formatBytes(ctx, file.bytes) })}</a>
    </p>
  );
}

function Transcript({ ctx, media }: { ctx: Ctx; media: Media }) {
  // The transcript map names files; the text is what import stored for the one chosen.
  const path = ctx.tx(media.transcript);
  const text = ctx.stored(path?.text)?.text;
  if (!path || !text) return null;
  return (
    <details class="transcript" open>
      <summary>{ctx.t('media.transcript')}</summary>
      <FallbackNotice ctx={ctx} lang={langOf(path)} />
      <div class="prose" lang={langOf(path)}>{raw(renderMarkdown(text))}</div>
    </details>
  );
}

function Tracks({ ctx, media }: { ctx: Ctx; media: Media }) {
  const tracks: unknown[] = [];
  // The page's language first and showing; the others can be chosen in the player.
  const order = (m: Record<string, string> | undefined) => Object.entries(m ?? {}).sort(([a], [b]) => Number(b === ctx.locale) - Number(a === ctx.locale));
  for (const [l, p] of order(media.captions)) {
    const f = ctx.stored(p);
    if (f) tracks.push(<track kind="captions" src={trackUrl(f)} srclang={l} label={languageName(l)} default={l === ctx.locale} />);
  }
  for (const [l, p] of order(media.chapters)) {
    const f = ctx.stored(p);
    if (f && l === ctx.locale) tracks.push(<track kind="chapters" src={trackUrl(f)} srclang={l} />);
  }
  return <>{tracks}</>;
}

function Player({ ctx, media, file }: { ctx: Ctx; media: Media; file: StoredFile }) {
  const files = [file, ...(media.sources ?? []).map((s) => ctx.stored(s)).filter((f) => f !== undefined)];
  const sources = files.map((f) => <source src={originalUrl(f)} type={f.mime} />);
  const download = (
    <p class="media-download">
      <a href={originalUrl(file)} download>{ctx.t('media.download', { kind: ctx.t(media.kind === 'video' ? 'media.kind.video' : 'media.kind.audio'), format: formatLabel(file.mime), size: formatBytes(ctx, file.bytes) })}</a>
    </p>
  );
  const name = ctx.mediaTitle(media);
  const title = ctx.attr(name);
  if (media.kind === 'audio') {
    return (
      <>
        <audio controls preload="metadata" aria-label={title} lang={langOf(name)}>{sources}<Tracks ctx={ctx} media={media} /></audio>
        {download}
      </>
    );
  }
  const poster = ctx.stored(media.poster);
  return (
    <>
      <video controls preload="metadata" playsinline aria-label={title} lang={langOf(name)}
        poster={poster ? variantUrl(poster, widthAtLeast(poster, 960), 'jpg') : undefined}
        width={poster?.width} height={poster?.height}>
        {sources}
        <Tracks ctx={ctx} media={media} />
      </video>
      {download}
    </>
  );
}

function ExternalFacade({ ctx, media }: { ctx: Ctx; media: Media }) {
  const e = media.external ? embedOf(media.external) : undefined;
  if (!e || typeof e === 'string') return <Placeholder ctx={ctx} media={media} />;
  // The frame's name mixes the interface's words and the title: counted for the page's note.
  const title = ctx.attr(ctx.mediaTitle(media));
  const poster = ctx.stored(media.poster);
  return (
    <div class="facade" data-embed={e.src} data-embed-title={ctx.t('media.external.frame', { title })}>
      {poster ? <img class="facade-poster" src={variantUrl(poster, widthAtLeast(poster, 960), 'jpg')} alt="" width={poster.width} height={poster.height} loading="lazy" /> : null}
      <div class="facade-body">
        <p class="facade-notice">{ctx.t('media.external.notice', { host: e.hostName })}</p>
        <p class="facade-actions">
          <button type="button" class="button facade-play" hidden>{ctx.t('media.external.play')}</button>
          <a href={e.watch} rel="noopener noreferrer external">{ctx.t('media.external.watch', { host: e.hostName })}</a>
        </p>
      </div>
    </div>
  );
}

/** The item itself, as large as the column allows: picture, player, facade or placeholder. */
function MediaBody({ ctx, media, sizes, lazy }: { ctx: Ctx; media: Media; sizes: string; lazy: boolean }) {
  const file = ctx.stored(media.file);
  if (media.kind === 'image' && file?.widths) {
    return (
      <>
        <Picture ctx={ctx} file={file} alt={ctx.tx(media.alt)} sizes={sizes} lazy={lazy} />
        <ImageActions ctx={ctx} media={media} file={file} />
      </>
    );
  }
  if (media.kind !== 'image' && file) return <Player ctx={ctx} media={media} file={file} />;
  if (media.external) return <ExternalFacade ctx={ctx} media={media} />;
  return <Placeholder ctx={ctx} media={media} />;
}

/** A figure in a document: the item, its caption and credit, a link to its page; the transcript under a player. */
export function MediaFigure({ ctx, media, override, lazy, layout }: { ctx: Ctx; media: Media; override?: Localized | undefined; lazy: boolean; layout?: 'full' | 'margin' | undefined }) {
  const figure = (
    <figure class={`figure figure-${media.kind}${layout ? ` figure--${layout}` : ''}`}>
      <MediaBody ctx={ctx} media={media} sizes={layout ? FIGURE_SIZES_BY_LAYOUT[layout] : FIGURE_SIZES} lazy={lazy} />
      <Caption ctx={ctx} media={media} override={override} details={true} />
    </figure>
  );
  // The transcript follows the figure (a figure's caption must be its first or last child).
  return media.kind === 'image' ? figure : <div class="figure-group">{figure}<Transcript ctx={ctx} media={media} /></div>;
}

/** The dialog the zoom island opens, in the page's language (cloned by script, inert without it). */
export function ZoomTemplate({ ctx }: { ctx: Ctx }) {
  return (
    <template id="zoom-dialog">
      <dialog class="zoom-dialog" aria-labelledby="zoom-title">
        <div class="zoom-bar">
          <h2 id="zoom-title" class="zoom-title">{ctx.t('zoom.title')}</h2>
          <button type="button" data-zoom-action="in">{ctx.t('zoom.in')}</button>
          <button type="button" data-zoom-action="out">{ctx.t('zoom.out')}</button>
          <button type="button" data-zoom-action="home">{ctx.t('zoom.home')}</button>
          <button type="button" data-zoom-action="close" class="zoom-close">{ctx.t('zoom.close')}</button>
        </div>
        <div class="zoom-viewer" role="application" aria-roledescription={ctx.t('zoom.title')} aria-describedby="zoom-help"></div>
        <p class="zoom-status" aria-live="polite" data-loading={ctx.t('zoom.loading')} data-error={ctx.t('zoom.error')} data-level={ctx.t('zoom.level', { percent: '{percent}' })}></p>
        <p id="zoom-help" class="zoom-help">{ctx.t('zoom.help')}</p>
      </dialog>
      <span data-zoom-button>{ctx.t('media.zoom')}</span>
    </template>
  );
}

/** Whether a page shows at least one zoomable image (and so needs the zoom template). */
export function hasZoomable(ctx: Ctx, mediaIds: string[]): boolean {
  return mediaIds.some((id) => {
    const m = ctx.media(id);
    return m?.kind === 'image' && ctx.stored(m.file)?.widths !== undefined;
  });
}

function Row({ label, children }: { label: string; children: unknown }) {
  if (children === undefined || children === null || children === '') return null;
  return <><dt>{label}</dt><dd>{children}</dd></>;
}

/**
 * "Creator, « Title », date. Museum, URL" in the page's language conventions.
 * A citation is copied as it is: fallbacks carry their `lang` but no mark (the page's note says it).
 */
export function Citation({ ctx, media }: { ctx: Ctx; media: Media }) {
  const quote = ctx.locale.startsWith('fr') ? ['« ', ' »'] : ctx.locale.startsWith('de') ? ['„', '“'] : ['“', '”'];
  const part = (v: Localized) => (v.fallback ? <span lang={v.lang}>{ctx.attr(v)}</span> : v.text);
  const who = media.creator !== undefined ? ctx.own(media.creator) : ctx.tx(media.credit);
  const parts = [who?.text ? part(who) : null, <>{quote[0]}{part(ctx.mediaTitle(media))}{quote[1]}</>, media.date ?? null].filter((p) => p !== null);
  return (
    <p class="citation">
      {parts.map((p, i) => <>{i ? ', ' : ''}{p}</>)}. {part(ctx.tx(ctx.c.museum.name) ?? ctx.own(''))}, {ctx.absolute(ctx.mediaPath(media))}
    </p>
  );
}

export function MediaPage({ ctx, media }: { ctx: Ctx; media: Media }) {
  const title = ctx.mediaTitle(media);
  const file = ctx.stored(media.file);
  const docs = ctx.docsShowing(media);
  const typeKey = media.kind === 'video' ? 'dc.type.video' : media.kind === 'audio' ? 'dc.type.audio' : 'dc.type.image';
  const image = media.kind === 'image' && file?.widths ? file : undefined;
  return (
    <article class="media-page">
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: <L ctx={ctx} v={title} /> }]} />
      <h1><L ctx={ctx} v={title} /></h1>
      <figure class={`figure figure-wide figure-${media.kind}`}>
        <MediaBody ctx={ctx} media={media} sizes={PAGE_SIZES} lazy={false} />
        <Caption ctx={ctx} media={media} details={false} />
      </figure>
      {media.kind !== 'image' ? <Transcript ctx={ctx} media={media} /> : null}
      <DocLinks ctx={ctx} id="shown-in" title={ctx.t('media.page.shownIn')} docs={docs} />
      <section aria-labelledby="about-item">
        <h2 id="about-item">{ctx.t('media.page.about')}</h2>
        <dl class="metadata">
          <Row label={ctx.t('dc.title')}><L ctx={ctx} v={title} /></Row>
          <Row label={ctx.t('dc.creator')}>{media.creator}</Row>
          <Row label={ctx.t('dc.date')}>{media.date}</Row>
          <Row label={ctx.t('dc.description')}>{media.description ? <LInline ctx={ctx} v={ctx.tx(media.description)} /> : media.alt ? <L ctx={ctx} v={ctx.tx(media.alt)} /> : undefined}</Row>
          <Row label={ctx.t('dc.subject')}>{media.subject ? <L ctx={ctx} v={ctx.tx(media.subject)} /> : undefined}</Row>
          <Row label={ctx.t('dc.source')}>{media.source}</Row>
          <Row label={ctx.t('dc.credit')}><L ctx={ctx} v={ctx.tx(media.credit)} /></Row>
          <Row label={ctx.t('dc.rights')}>{media.rights}</Row>
          <Row label={ctx.t('dc.license')}>{media.license ? <a href={media.license} rel="license">{media.license}</a> : undefined}</Row>
          <Row label={ctx.t('dc.identifier')}>{media.identifier}</Row>
          <Row label={ctx.t('dc.type')}>{ctx.t(typeKey)}</Row>
          <Row label={ctx.t('dc.format')}>{file ? `${file.mime.split(';')[0]}, ${formatBytes(ctx, file.bytes)}` : undefined}</Row>
          <Row label={ctx.t('dc.dimensions')}>{file?.width && file.height ? ctx.t('dc.dimensionsValue', { width: file.width, height: file.height }) : undefined}</Row>
        </dl>
      </section>
      <section aria-labelledby="cite">
        <h2 id="cite">{ctx.t('media.page.cite')}</h2>
        <Citation ctx={ctx} media={media} />
      </section>
      {image ? <p><a href={mediaManifestUrl(media.id)} type="application/ld+json">{ctx.t('media.page.iiif')}</a></p> : null}
      {image ? <ZoomTemplate ctx={ctx} /> : null}
    </article>
  );
}
