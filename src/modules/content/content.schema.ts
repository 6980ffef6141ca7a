import { z } from 'zod';
import { HEX_COLOUR } from '../../shared/contrast.ts';
import { markdownImages } from './markdown.ts';

// The content model. These schemas validate content bundles and are the source
// of the domain types used by import, export and rendering.

export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2})?$/;

export const Id = z.string().regex(ID_PATTERN, 'must be lowercase letters, digits and single hyphens');
export const Slug = z.string().max(120).regex(ID_PATTERN, 'must be lowercase letters, digits and single hyphens');
export const Locale = z.string().regex(LOCALE_PATTERN, 'must be a language code such as "fr" or "en"');
// C0 controls but tab, LF and CR; DEL; C1 controls. A YAML escape ("\0", "\x1b") could otherwise put them in a text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const INVISIBLE = /^[\s\p{Cf}\p{Z}]+$/u;
/** Why a piece of Markdown cannot be published as written, or undefined. */
export function textProblem(s: string, inline = true): string | undefined {
  if (CONTROL.test(s)) return 'contains a control character (an invisible character such as NUL or ESC, perhaps from a "\\0" or "\\x1b" escape); remove it';
  if (INVISIBLE.test(s)) return 'must not be empty (it holds only invisible characters)';
  const img = markdownImages(s, inline)[0];
  return img ? imageProblem(img.src) : undefined;
}
/** Markdown images are refused: the CSP lets pages show only the site's own images, and media get alt text, credits and sizes from media.yaml. */
export function imageProblem(src: string): string {
  return `shows the image ${JSON.stringify(src.slice(0, 120))}, which visitors would not see: images come only from the bundle's media. Add it to media.yaml and show it with a figure block`;
}
const Text = z.string().trim().min(1, 'must not be empty').max(20_000).superRefine((s, ctx) => {
  const problem = textProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export const LocaleMap = z.record(Locale, Text);
export type LocaleMap = z.infer<typeof LocaleMap>;

export const Address = z.strictObject({
  street: Text.optional(),
  // Text only: unquoted, 02100 would be read as the number 2100 and {a: 1} would be shown as "[object Object]".
  postal_code: z.string({ error: 'must be text in quotes, such as "26100"' }).trim().min(1, 'must not be empty').max(20).regex(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, 'must be letters, digits, spaces and hyphens, such as "26100"').optional(),
  locality: Text.optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "FR"').optional(),
});
export type Address = z.infer<typeof Address>;

/**
 * Whether the museum has granted the licence of its open data ("confirmed", the
 * default when the field is absent) or it is only proposed (by the people who
 * compiled the data, say) and waits for the museum's word. A field, not a YAML
 * comment: an export keeps it, and the site shows it to every reader.
 */
export const LICENCE_STATUSES = ['confirmed', 'proposed'] as const;
/** The licence of the open data (places and events): a short name, the URL of its text, and its status. */
export const DataLicence = z.strictObject({
  name: Text.max(100),
  url: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the licence text' }).max(500),
  status: z.enum(LICENCE_STATUSES, { error: 'must be "confirmed" (the museum grants it) or "proposed" (awaiting the museum\'s confirmation)' }).optional(),
});
export type DataLicence = z.infer<typeof DataLicence>;
/** A licence counts as granted unless it is marked as only proposed. */
export const licenceGranted = (l: DataLicence): boolean => l.status !== 'proposed';

const Colour = z.string().regex(HEX_COLOUR, 'must be a colour written #rrggbb, such as "#1d5c45"');
/**
 * How the museum's site looks (docs/design.md): its colour (links, buttons,
 * the current theme, the map's markers) in the light and the dark scheme, and
 * the typeface of its text. The colours must read at WCAG AA on the site's
 * backgrounds (bundle.validate checks it); without accent_dark, the dark
 * scheme's is derived from accent.
 */
export const MuseumStyle = z.strictObject({
  accent: Colour.optional(),
  accent_dark: Colour.optional(),
  font: z.enum(['serif', 'sans']).optional(),
});
export type MuseumStyle = z.infer<typeof MuseumStyle>;

export const Museum = z.strictObject({
  id: Id,
  default_locale: Locale,
  locales: z.array(Locale).min(1).max(20),
  name: LocaleMap,
  short_name: LocaleMap.optional(),
  intro: LocaleMap,
  about_site: LocaleMap,
  address: Address.optional(),
  credits: LocaleMap.optional(),
  /** The licence of the places and events downloads; without one, the site says none is stated. */
  data_licence: DataLicence.optional(),
  /**
   * A media item named in the content but with no file yet (a photograph the
   * museum has still to supply): hidden from visitors (the default), or shown
   * as a "to come" notice with its description. Never a page of its own.
   */
  pending_media: z.enum(['hide', 'show']).optional(),
  style: MuseumStyle.optional(),
});
export type Museum = z.infer<typeof Museum>;

export const Visit = z.strictObject({
  primary: z.boolean().default(false),
  title: LocaleMap,
  slug: z.record(Locale, Slug),
  summary: LocaleMap,
});
export type Visit = z.infer<typeof Visit> & { id: string };

const IdList = z.array(Id).max(1000);
/** A real calendar date YYYY-MM-DD (not 1944-02-30): the one rule for events, blocks and media. */
const IsoDate = z.string({ error: 'must be a date YYYY-MM-DD' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real calendar date');
const LinkItem = z.union([
  z.strictObject({ article: Id }),
  z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000), label: LocaleMap }),
]);
export type LinkItem = z.infer<typeof LinkItem>;

/** A number a chart shows: a count, never negative, never absurd. */
const ChartValue = z.number().finite().min(0).max(1_000_000_000);
/** One bar of a chart: what it counts (per language) and how many. */
const ChartBar = z.strictObject({
  label: LocaleMap,
  value: ChartValue,
  /** How the number is known: exactly (the default), about (a round figure, "≈"), or at least (a lower bound, "≥"). */
  qualifier: z.enum(['exact', 'about', 'at_least']).optional(),
  /** A second kind of thing counted (arrivals beside residents): drawn apart, and named by the chart's legend. */
  series: Id.optional(),
  /** A part of the number (285 of the 543 did not return): darker, with what it counts. */
  part: z.strictObject({ value: ChartValue, label: LocaleMap }).optional(),
  /** A later figure of the same count (869, later 888): the bar goes on to it, hatched, with what it is. */
  revised: z.strictObject({ value: ChartValue, label: LocaleMap }).optional(),
});
export type ChartBar = z.infer<typeof ChartBar>;

export const Block = z.discriminatedUnion('kind', [
  z.strictObject({ id: Id, kind: z.literal('text') }),
  // layout (a theme on wide screens, docs/bundle-format.md): full, across the text and its margin; margin, a small figure beside the text before it.
  z.strictObject({ id: Id, kind: z.literal('figure'), media: Id, layout: z.enum(['full', 'margin']).optional() }),
  z.strictObject({ id: Id, kind: z.literal('gallery'), media: IdList.min(1), layout: z.literal('full').optional() }),
  z.strictObject({ id: Id, kind: z.literal('quote') }),
  z.strictObject({ id: Id, kind: z.literal('video'), media: Id }),
  z.strictObject({ id: Id, kind: z.literal('audio'), media: Id }),
  z.strictObject({
    id: Id, kind: z.literal('chronology'), events: IdList.min(1).optional(),
    /** Events carrying this tag, between from and to when given (YYYY-MM-DD), join the listed ones. */
    tag: Id.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  }),
  z.strictObject({
    id: Id, kind: z.literal('map'), places: IdList.optional(), events: IdList.optional(),
    /** Events carrying this tag (between from and to, when given) put their places on the map. */
    tag: Id.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    /** Show the places day by day: a dated table, and with script a date slider over the map. */
    by_date: z.boolean().optional(),
    /** With by_date: events carrying this tag (within from and to) lose their places again, until a later event with `tag` (a town retaken). */
    lost_tag: Id.optional(),
    /** With by_date: other events of those days (a bombing, a battle, a parade), listed in the day-by-day table on their day; they change no place on the map. */
    context_events: IdList.optional(),
  }),
  z.strictObject({
    id: Id, kind: z.literal('chart'),
    /** What the numbers count, per language ("personnes", "people"): the table's column heading. */
    unit: LocaleMap,
    /** The second kinds of thing counted that bars may name (`series`), each with its label for the legend. */
    series: z.array(z.strictObject({ id: Id, label: LocaleMap })).max(4).optional(),
    bars: z.array(ChartBar).min(1).max(30),
  }),
  z.strictObject({ id: Id, kind: z.literal('links'), items: z.array(LinkItem).min(1) }),
  z.strictObject({ id: Id, kind: z.literal('note'), tone: z.enum(['info', 'sources-disagree']).optional() }),
], { error: (iss) => (iss.code === 'invalid_union' ? 'unknown block kind (expected text, figure, gallery, quote, video, audio, chronology, map, chart, links or note)' : undefined) });
export type Block = z.infer<typeof Block>;
export type BlockKind = Block['kind'];
/** Block kinds whose main text is a Markdown section of the locale file. */
export const SECTION_KINDS: ReadonlySet<BlockKind> = new Set(['text', 'quote', 'note']);

export const DocStructure = z.strictObject({
  visit: Id.optional(),
  blocks: z.array(Block).max(500).default([]),
});

export const BlockTexts = z.strictObject({
  caption: Text.optional(),
  title: Text.optional(),
  source: Text.optional(),
});
export type BlockTexts = z.infer<typeof BlockTexts> & { body?: string };

export const DocFrontMatter = z.strictObject({
  title: Text.max(300),
  slug: Slug,
  summary: Text.max(500).optional(),
  lead: Text.max(3000).optional(),
  blocks: z.record(Id, BlockTexts).optional(),
});

export type DocKind = 'theme' | 'article' | 'page';
export interface DocTexts {
  title: string;
  slug: string;
  summary?: string;
  lead?: string;
  blocks: Record<string, BlockTexts>;
}
export interface Doc {
  kind: DocKind;
  id: string;
  visit?: string;
  position: number;
  blocks: Block[];
  texts: Record<string, DocTexts>;
}

/**
 * A media item the content names but that has no file yet (and no video
 * hosted elsewhere): an editorial to-do, not public content. It has no page,
 * manifest or citation; a figure showing it is left out, or shown as a "to
 * come" notice when the museum asks for them (museum.pending_media: show).
 */
export function isPending(m: Media): boolean {
  return m.file === undefined && m.external === undefined;
}

/** The ids of the media a document shows (figures, galleries, players), in page order. */
export function mediaIdsOf(doc: Doc): string[] {
  return doc.blocks.flatMap((b) => ('media' in b ? (Array.isArray(b.media) ? b.media : [b.media]) : []));
}

const YearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM');
const Year = z.union([z.string().regex(/^\d{4}$/), z.number().int().min(1).max(9999)]).transform((v) => String(v).padStart(4, '0'));

export const EventDate = z.discriminatedUnion('precision', [
  z.strictObject({ precision: z.literal('day'), start: IsoDate }),
  z.strictObject({ precision: z.literal('night'), start: IsoDate }),
  z.strictObject({ precision: z.literal('month'), start: YearMonth }),
  z.strictObject({ precision: z.literal('year'), start: Year }),
  z.strictObject({ precision: z.literal('range'), start: IsoDate, end: IsoDate }).refine((d) => d.end > d.start, 'end must be after start'),
], { error: (iss) => (iss.code === 'invalid_union' ? 'precision must be day, night, month, year or range' : undefined) });
export type EventDate = z.infer<typeof EventDate>;

export const HistEvent = z.strictObject({
  id: Id,
  date: EventDate,
  places: IdList.default([]),
  themes: IdList.default([]),
  tags: IdList.default([]),
  title: LocaleMap,
  description: LocaleMap.optional(),
});
export type HistEvent = z.infer<typeof HistEvent>;

export const PLACE_PRECISIONS = ['exact', 'approximate'] as const;
export const Place = z.strictObject({
  id: Id,
  kind: z.enum(['town', 'village', 'site', 'bridge', 'museum', 'camp', 'region', 'other']),
  lat: z.number({ error: 'latitude must be a number of degrees' }).min(-90, 'latitude must be between -90 and 90 degrees').max(90, 'latitude must be between -90 and 90 degrees'),
  lon: z.number({ error: 'longitude must be a number of degrees' }).min(-180, 'longitude must be between -180 and 180 degrees').max(180, 'longitude must be between -180 and 180 degrees'),
  /** How far the coordinates can be trusted: exact (the default: a surveyed point or a town centre) or approximate (an estimate). */
  precision: z.enum(PLACE_PRECISIONS, { error: 'precision must be exact or approximate' }).optional(),
  name: LocaleMap,
  description: LocaleMap.optional(),
  /**
   * What the place was, in a phrase (« camp de concentration », « camp de
   * transit »), shown instead of its kind's generic word; lower case, as inside
   * a sentence.
   */
  kind_label: LocaleMap.optional(),
});
export type Place = z.infer<typeof Place>;
/** Whether a place's coordinates are an estimate (absent precision means exact). */
export const isApproximate = (p: Pick<Place, 'precision'>): boolean => p.precision === 'approximate';

// The same calendar rule as events: a year, a real month, or a real day (2026, 1940-06, 1944-08-30).
const MediaDate = z.union([z.string(), z.number().int().min(1).max(9999).transform((v) => String(v).padStart(4, '0'))], { error: 'must be a date: YYYY, YYYY-MM or YYYY-MM-DD' })
  .refine((s) => /^\d{4}(-(0[1-9]|1[0-2]))?$/.test(s) || IsoDate.safeParse(s).success, 'must be a real date: YYYY, YYYY-MM or YYYY-MM-DD (1944-02-30 does not exist)');
/** A file of the bundle, under media/: the only place media files may come from. */
export const MEDIA_PATH_PATTERN = /^media\/([a-z0-9][a-z0-9._-]{0,150}\/)*[a-zA-Z0-9][a-zA-Z0-9._-]{0,150}\.[a-z0-9]{2,5}$/;
export const MediaPath = z.string().max(300).regex(MEDIA_PATH_PATTERN, 'must be a file under media/ such as media/photo.jpg (letters, digits, dot, hyphen, underscore)')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..' || s.startsWith('.')), 'must not contain hidden or parent folders');
const PathPerLocale = z.record(Locale, MediaPath);
export const EXTERNAL_PROVIDERS = ['peertube', 'youtube', 'vimeo'] as const;
export const External = z.strictObject({
  provider: z.enum(EXTERNAL_PROVIDERS),
  url: z.url({ protocol: /^https$/ }).max(2000),
});
export type External = z.infer<typeof External>;

export const Media = z.strictObject({
  id: Id,
  kind: z.enum(['image', 'video', 'audio']),
  /** The original: an image, an MP4/WebM video or an audio file. */
  file: MediaPath.optional(),
  /** Other encodings of the same video or audio (e.g. WebM beside MP4). */
  sources: z.array(MediaPath).max(4).optional(),
  poster: MediaPath.optional(),
  captions: PathPerLocale.optional(),
  chapters: PathPerLocale.optional(),
  transcript: PathPerLocale.optional(),
  external: External.optional(),
  width: z.number().int().positive().max(100_000).optional(),
  height: z.number().int().positive().max(100_000).optional(),
  // Dublin Core
  title: LocaleMap.optional(),
  creator: Text.max(500).optional(),
  date: MediaDate.optional(),
  description: LocaleMap.optional(),
  subject: LocaleMap.optional(),
  identifier: Text.max(300).optional(),
  rights: Text.max(500).optional(),
  license: z.url({ protocol: /^https?$/ }).max(500).optional(),
  source: Text.max(1000).optional(),
  // Shown with the item
  alt: LocaleMap.optional(),
  caption: LocaleMap,
  credit: LocaleMap,
});
export type Media = z.infer<typeof Media>;

/** What import learned about one stored file of the bundle (by its bundle path). */
export interface StoredFile {
  /** sha256 of the original bytes, hex: the file's name in the media store. */
  hash: string;
  mime: string;
  bytes: number;
  width?: number;
  height?: number;
  /** Image widths that have AVIF, WebP and JPEG derivatives, ascending. */
  widths?: number[];
  /** A tiny blurred WebP as a data: URL, shown while the image loads. */
  placeholder?: string;
  /** Text files (captions, transcripts) are kept in the database. */
  text?: string;
}

/** A map layer: a GeoJSON file of the bundle, under geo/, drawn under the places. */
export const LAYER_ROLES = ['subject', 'context', 'line'] as const;
export const GeoLayer = z.strictObject({
  id: Id,
  file: z.string().max(300).regex(/^geo\/[a-z0-9][a-z0-9._-]{0,150}\.(geo)?json$/, 'must be a .geojson file under geo/ such as geo/rivers.geojson'),
  /** subject: the area the maps are about (filled, and what the map is fitted to); context: neighbours (grey); line: rivers, roads. */
  role: z.enum(LAYER_ROLES),
  name: LocaleMap.optional(),
  /** The feature property holding each feature's label; "{locale}" is replaced by the page's language (e.g. name_{locale}). */
  label_property: z.string().regex(/^[A-Za-z0-9_{}-]{1,60}$/).optional(),
  credit: LocaleMap,
});
export type GeoLayer = z.infer<typeof GeoLayer> & { data: GeoFeatureCollection };

/** The GeoJSON a layer holds once read: a FeatureCollection of polygons and lines. */
export interface GeoFeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: Record<string, unknown> | null; geometry: { type: 'Polygon' | 'MultiPolygon' | 'LineString' | 'MultiLineString'; coordinates: unknown } }[];
}

/** A tag's label in each language, for the filters (tags.yaml). */
export const Tag = z.strictObject({ id: Id, label: LocaleMap });
export type Tag = z.infer<typeof Tag>;

/**
 * A glossary entry (glossary.yaml): a term, its abbreviation when it has one
 * (one for every language, or one per language) and a short definition. Term
 * and abbreviation are plain text: the site finds them in the themes' texts.
 */
const GlossaryWord = z.string().trim().min(1, 'must not be empty').max(120).superRefine((s, ctx) => {
  if (CONTROL.test(s) || /[\n\r\t]/.test(s)) ctx.addIssue({ code: 'custom', message: 'must be one line of text, without control characters' });
  else if (INVISIBLE.test(s)) ctx.addIssue({ code: 'custom', message: 'must not be empty (it holds only invisible characters)' });
  else if (!/[\p{L}\p{N}]/u.test(s)) ctx.addIssue({ code: 'custom', message: 'must contain a letter or a digit' });
});
export const GlossaryEntry = z.strictObject({
  id: Id,
  term: z.record(Locale, GlossaryWord),
  /** One abbreviation for every language ("FFI"), or one per language ({fr: STO, en: STO}). */
  abbreviation: z.union([GlossaryWord, z.record(Locale, GlossaryWord)], { error: 'must be text ("FFI") or a text per language ({fr: …, en: …})' }).optional(),
  /** Inline Markdown, a few sentences. */
  definition: z.record(Locale, Text.max(1500)),
});
export type GlossaryEntry = z.infer<typeof GlossaryEntry>;
/** A whole museum site: what a bundle holds and what the database stores. */
export interface Content {
  museum: Museum;
  visits: Visit[];
  docs: Doc[];
  media: Media[];
  places: Place[];
  events: HistEvent[];
  /** Map layers, in drawing order (bundle version 2). */
  layers: GeoLayer[];
  /** Labels of event tags; a tag without one is shown by its id. */
  tags: Tag[];
  /** Terms and their definitions (glossary.yaml), in file order; empty when the bundle has none. */
  glossary: GlossaryEntry[];
  /** Stored files by bundle path; filled by import, read back with the content. */
  files?: Record<string, StoredFile>;
}
