import type { Content, Doc, DocTexts, LocaleMap, Media, Place, StoredFile, Visit } from '../content/content.schema.ts';
import { mediaIdsOf } from '../content/content.schema.ts';
import { translator, type Translate } from '../../i18n/messages.ts';
import { plainText } from './markdown.ts';

// Everything a view needs to render one page in one language: the content,
// the UI messages, URL builders and translation lookups with fallback.

export interface Localized {
  text: string;
  /** Set when the text is a fallback in another language: the page marks it with `lang`. */
  lang?: string;
}

export interface Assets {
  css: string;
  js: string;
  /** Content-hashed addresses of the site icon: SVG, ICO (16–48 px) and the 180 px touch icon. */
  icons: { svg: string; ico: string; touch: string };
}

export interface SiteIndex {
  themesByVisit: Map<string, Doc[]>;
  primary: Visit;
  docByKey: Map<string, Doc>;
}

export function indexContent(c: Content): SiteIndex {
  const themesByVisit = new Map<string, Doc[]>();
  for (const v of c.visits) {
    themesByVisit.set(v.id, c.docs.filter((d) => d.kind === 'theme' && d.visit === v.id).sort((a, b) => a.position - b.position));
  }
  const primary = c.visits.find((v) => v.primary) ?? c.visits[0];
  if (!primary) throw new Error('content has no visit');
  return { themesByVisit, primary, docByKey: new Map(c.docs.map((d) => [`${d.kind}/${d.id}`, d])) };
}

export class Ctx {
  readonly t: Translate;
  readonly def: string;
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

  /** A translatable value in this page's language, or the default language marked as a fallback. */
  tx(map: LocaleMap | undefined): Localized | undefined {
    if (!map) return undefined;
    const own = map[this.locale];
    if (own !== undefined) return { text: own };
    const fb = map[this.def];
    return fb === undefined ? undefined : { text: fb, lang: this.def };
  }

  /** Plain string (for attributes and titles) with fallback. */
  s(map: LocaleMap | undefined): string {
    return this.tx(map)?.text ?? '';
  }

  docTexts(doc: Doc): { texts: DocTexts; lang?: string } {
    const own = doc.texts[this.locale];
    if (own) return { texts: own };
    const fb = doc.texts[this.def];
    if (!fb) throw new Error(`document ${doc.kind}/${doc.id} has no text in the default language`);
    return { texts: fb, lang: this.def };
  }

  /** One field of a document's texts (lead, a block's caption…) in this language, or the default language's, marked. */
  docField(doc: Doc, pick: (t: DocTexts) => string | undefined): Localized | undefined {
    const own = doc.texts[this.locale];
    const v = own ? pick(own) : undefined;
    if (v !== undefined) return { text: v };
    const base = doc.texts[this.def];
    const fb = base ? pick(base) : undefined;
    return fb === undefined ? undefined : this.locale === this.def ? { text: fb } : { text: fb, lang: this.def };
  }

  docTitle(doc: Doc): Localized {
    const { texts, lang } = this.docTexts(doc);
    return lang ? { text: texts.title, lang } : { text: texts.title };
  }

  museumName(): string {
    return this.s(this.c.museum.short_name) || this.s(this.c.museum.name);
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
      const v = this.c.visits.find((x) => x.id === d.visit);
      if (!v) throw new Error(`theme ${d.id} has no visit`);
      return `${this.visitPath(v)}/${slug}`;
    }
    if (d.kind === 'article') return `/${this.locale}/${this.t('route.articles')}/${slug}`;
    return `/${this.locale}/${slug}`;
  }
  chronologyPath(): string {
    return `/${this.locale}/${this.t('route.chronology')}`;
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
    return this.c.media.find((m) => m.id === id);
  }
  /** A media item's name: its Dublin Core title, or else the first sentence of its caption. */
  mediaTitle(m: Media): Localized {
    const title = this.tx(m.title);
    if (title) return title;
    const caption = this.tx(m.caption);
    if (!caption) return { text: m.id };
    const plain = plainText(caption.text);
    const first = /^(.+?[.!?…])(\s|$)/.exec(plain)?.[1] ?? plain;
    return { ...caption, text: first.replace(/[.]$/, '') };
  }
  /** The documents whose blocks show a media item, in site order. */
  docsShowing(m: Media): Doc[] {
    return this.c.docs.filter((d) => mediaIdsOf(d).includes(m.id));
  }

  themesOf(visitId: string): Doc[] {
    return this.index.themesByVisit.get(visitId) ?? [];
  }
  visitOf(theme: Doc): Visit | undefined {
    return this.c.visits.find((v) => v.id === theme.visit);
  }
  aboutPage(): Doc | undefined {
    return this.c.docs.find((d) => d.kind === 'page');
  }
}
