import type { Content, Doc, LocaleMap, Media, StoredFile } from '../content/content.schema.ts';
import { mediaIdsOf } from '../content/content.schema.ts';
import { fullUrl, imageServiceUrl, mediaManifestUrl, themeManifestUrl, variantUrl, widthAtLeast } from './media.urls.ts';
import { TILE_SIZE } from './media.types.ts';
import { translator } from '../../i18n/messages.ts';

// IIIF Presentation API 3 manifests: one per stored image, one per theme
// listing its images as canvases in page order. Labels and metadata are
// language maps, so any IIIF viewer shows them in the visitor's language.
// https://iiif.io/api/presentation/3.0/

export const PRESENTATION_CONTEXT = 'http://iiif.io/api/presentation/3/context.json';
export const IMAGE_CONTEXT = 'http://iiif.io/api/image/3/context.json';
export const MANIFEST_TYPE = `application/ld+json;profile="${PRESENTATION_CONTEXT}"`;
export const INFO_TYPE = `application/ld+json;profile="${IMAGE_CONTEXT}"`;

type LangMap = Record<string, string[]>;
const lang = (m: LocaleMap | undefined): LangMap | undefined => (m ? Object.fromEntries(Object.entries(m).map(([l, v]) => [l, [v]])) : undefined);
const none = (v: string): LangMap => ({ none: [v] });

/** Only images with stored derivatives become canvases. */
export function isIiifImage(m: Media | undefined, c: Content): m is Media & { file: string } {
  return m?.kind === 'image' && m.file !== undefined && c.files?.[m.file]?.widths !== undefined;
}

/**
 * IIIF `rights` takes only Creative Commons and RightsStatements.org URIs, in
 * their http form; another licence (e.g. Etalab's) stays in the metadata.
 */
export function iiifRights(license: string | undefined): string | undefined {
  if (!license) return undefined;
  const m = /^https?:\/\/(creativecommons\.org|rightsstatements\.org)(\/.*)$/.exec(license);
  return m ? `http://${m[1]}${m[2]}` : undefined;
}

function labelOf(m: Media): LangMap {
  return lang(m.title) ?? lang(m.caption) ?? none(m.id);
}

/** The Dublin Core fields as IIIF metadata pairs; labels in every site language. */
function metadata(c: Content, m: Media): { label: LangMap; value: LangMap }[] {
  const label = (key: Parameters<ReturnType<typeof translator>>[0]) => Object.fromEntries(c.museum.locales.map((l) => [l, [translator(l)(key)]]));
  const rows: { label: LangMap; value: LangMap }[] = [];
  const add = (key: Parameters<ReturnType<typeof translator>>[0], value: LangMap | undefined) => {
    if (value) rows.push({ label: label(key), value });
  };
  add('dc.creator', m.creator ? none(m.creator) : undefined);
  add('dc.date', m.date ? none(m.date) : undefined);
  add('dc.description', lang(m.description ?? m.alt));
  add('dc.subject', lang(m.subject));
  add('dc.source', m.source ? none(m.source) : undefined);
  add('dc.rights', m.rights ? none(m.rights) : undefined);
  add('dc.license', m.license ? none(m.license) : undefined);
  add('dc.identifier', m.identifier ? none(m.identifier) : undefined);
  add('dc.credit', lang(m.credit));
  return rows;
}

function canvas(base: string, manifestId: string, m: Media, f: StoredFile, locale: string) {
  const canvasId = `${manifestId.replace(/\/manifest\.json$/, '')}/canvas/${m.id}`;
  const width = f.width ?? 0;
  const height = f.height ?? 0;
  const thumbWidth = widthAtLeast(f, 320);
  return {
    id: canvasId,
    type: 'Canvas',
    label: labelOf(m),
    width,
    height,
    thumbnail: [{ id: `${base}${variantUrl(f, thumbWidth, 'jpg')}`, type: 'Image', format: 'image/jpeg', width: thumbWidth, height: Math.round((height * thumbWidth) / Math.max(1, width)) }],
    homepage: [{ id: `${base}/${locale}/media/${m.id}`, type: 'Text', label: labelOf(m), format: 'text/html' }],
    items: [{
      id: `${canvasId}/page`,
      type: 'AnnotationPage',
      items: [{
        id: `${canvasId}/page/painting`,
        type: 'Annotation',
        motivation: 'painting',
        target: canvasId,
        body: {
          id: `${base}${fullUrl(f)}`,
          type: 'Image',
          format: 'image/jpeg',
          width,
          height,
          service: [{ id: `${base}${imageServiceUrl(f)}`, type: 'ImageService3', profile: 'level0' }],
        },
      }],
    }],
  };
}

function common(c: Content, base: string) {
  const name = c.museum.name;
  return {
    provider: [{ id: `${base}/`, type: 'Agent', label: lang(name), homepage: [{ id: `${base}/`, type: 'Text', label: lang(name), format: 'text/html' }] }],
  };
}

/** The manifest of one image, or undefined if the item has no stored image. */
export function mediaManifest(c: Content, m: Media, base: string): object | undefined {
  if (!isIiifImage(m, c)) return undefined;
  const f = c.files?.[m.file];
  if (!f) return undefined;
  const id = `${base}${mediaManifestUrl(m.id)}`;
  const credit = m.credit;
  const out: Record<string, unknown> = {
    '@context': PRESENTATION_CONTEXT,
    id,
    type: 'Manifest',
    label: labelOf(m),
    summary: lang(m.caption),
    metadata: metadata(c, m),
    requiredStatement: { label: Object.fromEntries(c.museum.locales.map((l) => [l, [translator(l)('dc.credit')]])), value: lang(credit) },
  };
  const rights = iiifRights(m.license);
  if (rights) out.rights = rights;
  Object.assign(out, common(c, base));
  out.homepage = [{ id: `${base}/${c.museum.default_locale}/media/${m.id}`, type: 'Text', label: labelOf(m), format: 'text/html' }];
  out.items = [canvas(base, id, m, f, c.museum.default_locale)];
  return out;
}

/** The manifest of a theme: its stored images as canvases, in the order the page shows them. */
export function themeManifest(c: Content, theme: Doc, base: string): object | undefined {
  const images = [...new Set(mediaIdsOf(theme))].map((id) => c.media.find((m) => m.id === id)).filter((m) => isIiifImage(m, c));
  if (!images.length) return undefined;
  const id = `${base}${themeManifestUrl(theme.id)}`;
  const title = Object.fromEntries(Object.entries(theme.texts).map(([l, t]) => [l, [t.title]]));
  const summary = Object.fromEntries(Object.entries(theme.texts).filter(([, t]) => t.summary).map(([l, t]) => [l, [t.summary ?? '']]));
  return {
    '@context': PRESENTATION_CONTEXT,
    id,
    type: 'Manifest',
    label: title,
    ...(Object.keys(summary).length ? { summary } : {}),
    requiredStatement: {
      label: Object.fromEntries(c.museum.locales.map((l) => [l, [translator(l)('dc.credit')]])),
      value: lang(c.museum.name),
    },
    ...common(c, base),
    items: images.map((m) => canvas(base, id, m, c.files![m.file]!, c.museum.default_locale)),
  };
}

/** info.json of an image's level-0 tiles, with its public id (sharp wrote a placeholder id). */
export function imageInfo(stored: string, base: string, hash: string): string {
  const info = JSON.parse(stored) as Record<string, unknown>;
  info.id = `${base}/iiif/image/${hash}`;
  info['@context'] = IMAGE_CONTEXT;
  info.tiles ??= [{ width: TILE_SIZE, scaleFactors: [1] }];
  return JSON.stringify(info);
}
