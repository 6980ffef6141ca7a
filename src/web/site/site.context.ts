import type { Content, Doc, DocTexts, HistEvent, LocaleMap, Media, Place, StoredFile, Tag, Visit } from '../../modules/content/content.schema.ts';
import { buildModel, type ContentModel } from '../../modules/content/content.model.ts';
import { translator, type Translate } from '../../i18n/messages.ts';
import { plainText } from '../../modules/content/markdown.ts';

// Everything a view needs to render one page in one language: the content,
// the UI messages, URL builders and translation lookups with fallback.

/**
 * A translatable text as a page shows it. Every lookup of content text goes
 * through Ctx and returns this, so no view can show a fallback without
 * knowing it: a fallback is rendered with its `lang` and a visible mark.
 */
export interface Localized {
  text: string;
  /** The language `text` is written in. */
  lang: string;
  /** True when the page's language has no text and `text` is the default language's. */
  fallback: boolean;
}

/** The `lang` attribute a piece of text needs: only where it differs from the page's. */
export function langOf(v: Localized | undefined): string | undefined {
  return v?.fallback ? v.lang : undefined;
}

/**
 * What one page has shown in another language. Views record each fallback as
 * they render it; the layout writes the page's single note from this.
 */
export class Fallbacks {
  /** Fallbacks shown inline (titles, names, captions, attributes): they need the page's note. */
  inline = 0;
  /** Fallbacks shown as whole blocks, each with its own notice. */
  blocks = 0;
}

export interface Assets {
  css: string;
  js: string;
  /** Content-hashed addresses of the site icon: SVG, ICO (16–48 px) and the 180 px touch icon. */
  icons: { svg: string; ico: string; touch: string };
}

/**
 * The read model of one content version, built once (indexContent) and shared
 * by every page of every language: the domain's maps and orders
 * (modules/content/content.model.ts) and what rendering memoizes per version,
 * such as the theme menu of each visit and language.
 */
export interface SiteIndex extends ContentModel {
  /** Documents by `${kind}/${id}` (the same map as `docs`). */
  docByKey: Map<string, Doc>;
  /** Rendered once per (visit, language), reused by every page: see views/theme-menu.tsx. */
  memo: Map<string, unknown>;
}

export function indexContent(c: Content): SiteIndex {
  const model = buildModel(c);
  return { ...model, docByKey: model.docs, memo: new Map() };
}

export class Ctx {
  readonly t: Translate;
  readonly def: string;
  /** This page's fallbacks; a fresh Ctx (forPage) starts a new page. */
  readonly fallbacks = new Fallbacks();
  /** The glossary entries whose first use this page has marked (views/glossary.tsx): only the first is. */
  readonly glossaryMarked = new Set<string>();
  constructor(
    readonly c: Content,
    readonly index: SiteIndex,
    readonly locale: string,
    readonly publicUrl: string,
    readonly assets: Assets,
  ) {
    this.t = translator(locale);
    this.def = c.museum.default_locale;
  }

  forLocale(locale: string): Ctx {
    return new Ctx(this.c, this.index, locale, this.publicUrl, this.assets);
  }

  /** The same language for another page: its fallbacks are counted afresh. */
  forPage(): Ctx {
    return this.forLocale(this.locale);
  }

  /** Interface text (already in the page's language) where a Localized is expected. */
  own(text: string): Localized {
    return { text, lang: this.locale, fallback: false };
  }

  /** A translatable value in this page's language, or the default language's, marked as a fallback. */
  tx(map: LocaleMap | undefined): Localized | undefined {
    if (!map) return undefined;
    const own = map[this.locale];
    if (own !== undefined) return this.own(own);
    const fb = map[this.def];
    return fb === undefined ? undefined : { text: fb, lang: this.def, fallback: this.locale !== this.def };
  }

  /**
   * Text for an attribute (alt, aria-label, an option's label…), where no mark
   * fits: the fallback is counted, so that the page's note says it; the caller
   * puts `langOf(v)` on the element when the attribute is its own.
   */
  attr(v: Localized | undefined): string {
    if (v?.fallback) this.fallbacks.inline += 1;
    return v?.text ?? '';
  }

  /**
   * Plain text for the head and JSON-LD (title, descriptions, structured
   * data), which no visitor reads on the page itself: no mark, no count.
   */
  plain(map: LocaleMap | undefined): string {
    return this.tx(map)?.text ?? '';
  }

  /** A document's texts in this language, or the default language's (for URLs; views show fields through docField). */
  docTexts(doc: Doc): { texts: DocTexts; lang?: string } {
    const own = doc.texts[this.locale];
    if (own) return { texts: own };
    const fb = doc.texts[this.def];
    if (!fb) throw new Error(`document ${doc.kind}/${doc.id} has no text in the default language`);
    return { texts: fb, lang: this.def };
  }

  /** The language a whole document falls back to, when it has no text at all in this page's language. */
  docFallback(doc: Doc): string | undefined {
    return doc.texts[this.locale] || this.locale === this.def ? undefined : this.def;
  }

  /** One field of a document's texts (title, lead, a block's caption…) in this language, or the default language's, marked. */
  docField(doc: Doc, pick: (t: DocTexts) => string | undefined): Localized | undefined {
    const own = doc.texts[this.locale];
    const v = own ? pick(own) : undefined;
    if (v !== undefined) return this.own(v);
    const base = doc.texts[this.def];
    const fb = base ? pick(base) : undefined;
    return fb === undefined ? undefined : { text: fb, lang: this.def, fallback: this.locale !== this.def };
  }

  docTitle(doc: Doc): Localized {
    const { texts, lang } = this.docTexts(doc);
    return lang ? { text: texts.title, lang, fallback: true } : this.own(texts.title);
  }

  museumName(): Localized {
    return this.tx(this.c.museum.short_name) ?? this.tx(this.c.museum.name) ?? this.own('');
  }

  // URLs -------------------------------------------------------------------
  home(): string {
    return `/${this.locale}/`;
  }
  visitPath(v: Visit): string {
    return `/${this.locale}/${v.slug[this.locale] ?? v.slug[this.def]}`;
  }
  docPath(d: Doc): string {
    const slug = this.docTexts(d).texts.slug;
    if (d.kind === 'theme') {
      const v = d.visit === undefined ? undefined : this.index.visits.get(d.visit);
      if (!v) throw new Error(`theme ${d.id} has no visit`);
      return `${this.visitPath(v)}/${slug}`;
    }
    if (d.kind === 'article') return `/${this.locale}/${this.t('route.articles')}/${slug}`;
    return `/${this.locale}/${slug}`;
  }
  chronologyPath(): string {
    return `/${this.locale}/${this.t('route.chronology')}`;
  }
  glossaryPath(): string {
    return `/${this.locale}/${this.t('route.glossary')}`;
  }
  mapPath(): string {
    return `/${this.locale}/${this.t('route.map')}`;
  }
  placePath(p: Place): string {
    return `/${this.locale}/${this.t('route.places')}/${p.id}`;
  }
  mediaPath(m: Media): string {
    return `/${this.locale}/media/${m.id}`;
  }
  absolute(path: string): string {
    return `${this.publicUrl}${path}`;
  }

  /** What import stored for a bundle path, if the item has a file. */
  stored(path: string | undefined): StoredFile | undefined {
    return path === undefined ? undefined : this.c.files?.[path];
  }
  media(id: string): Media | undefined {
    return this.index.media.get(id);
  }
  /** A media item's name: its Dublin Core title, or else the first sentence of its caption. */
  mediaTitle(m: Media): Localized {
    const title = this.tx(m.title);
    if (title) return title;
    const caption = this.tx(m.caption);
    if (!caption) return this.own(m.id);
    const plain = plainText(caption.text);
    const first = /^(.+?[.!?…])(\s|$)/.exec(plain)?.[1] ?? plain;
    return { ...caption, text: first.replace(/[.]$/, '') };
  }
  /** The documents whose blocks show a media item, in site order. */
  docsShowing(m: Media): Doc[] {
    return this.index.docsShowing.get(m.id) ?? [];
  }

  themesOf(visitId: string): Doc[] {
    return this.index.themesByVisit.get(visitId) ?? [];
  }
  visitOf(theme: Doc): Visit | undefined {
    return theme.visit === undefined ? undefined : this.index.visits.get(theme.visit);
  }
  aboutPage(): Doc | undefined {
    return this.index.about;
  }
  /** A theme's position in its visit (1 for the first), 0 when it is in none. */
  themeNumber(theme: Doc): number {
    return (this.index.themeIndex.get(theme.id) ?? -1) + 1;
  }
  theme(id: string): Doc | undefined {
    return this.index.docs.get(`theme/${id}`);
  }
  article(id: string): Doc | undefined {
    return this.index.docs.get(`article/${id}`);
  }
  place(id: string): Place | undefined {
    return this.index.places.get(id);
  }
  /** The places with these ids that exist, in the order given. */
  placesOf(ids: readonly string[]): Place[] {
    return ids.map((id) => this.index.places.get(id)).filter((p) => p !== undefined);
  }
  tag(id: string): Tag | undefined {
    return this.index.tags.get(id);
  }
  /** The events that happened at a place, in chronology order. */
  eventsAt(p: Place): HistEvent[] {
    return this.index.eventsAtPlaceSorted.get(p.id) ?? [];
  }
}
