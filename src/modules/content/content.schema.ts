import { z } from 'zod';

// The content model. These schemas validate content bundles and are the source
// of the domain types used by import, export and rendering.

export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2})?$/;

export const Id = z.string().regex(ID_PATTERN, 'must be lowercase letters, digits and single hyphens');
export const Slug = z.string().max(120).regex(ID_PATTERN, 'must be lowercase letters, digits and single hyphens');
export const Locale = z.string().regex(LOCALE_PATTERN, 'must be a language code such as "fr" or "en"');
const Text = z.string().trim().min(1, 'must not be empty').max(20_000);
export const LocaleMap = z.record(Locale, Text);
export type LocaleMap = z.infer<typeof LocaleMap>;

export const Address = z.strictObject({
  street: Text.optional(),
  postal_code: z.coerce.string().max(20).optional(),
  locality: Text.optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "FR"').optional(),
});
export type Address = z.infer<typeof Address>;

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
const LinkItem = z.union([
  z.strictObject({ article: Id }),
  z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000), label: LocaleMap }),
]);
export type LinkItem = z.infer<typeof LinkItem>;

export const Block = z.discriminatedUnion('kind', [
  z.strictObject({ id: Id, kind: z.literal('text') }),
  z.strictObject({ id: Id, kind: z.literal('figure'), media: Id }),
  z.strictObject({ id: Id, kind: z.literal('gallery'), media: IdList.min(1) }),
  z.strictObject({ id: Id, kind: z.literal('quote') }),
  z.strictObject({ id: Id, kind: z.literal('video'), media: Id }),
  z.strictObject({ id: Id, kind: z.literal('audio'), media: Id }),
  z.strictObject({ id: Id, kind: z.literal('chronology'), events: IdList.min(1) }),
  z.strictObject({ id: Id, kind: z.literal('map'), places: IdList.optional(), events: IdList.optional() }),
  z.strictObject({ id: Id, kind: z.literal('links'), items: z.array(LinkItem).min(1) }),
  z.strictObject({ id: Id, kind: z.literal('note'), tone: z.enum(['info', 'sources-disagree']).optional() }),
], { error: (iss) => (iss.code === 'invalid_union' ? 'unknown block kind (expected text, figure, gallery, quote, video, audio, chronology, map, links or note)' : undefined) });
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

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real calendar date');
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

export const Place = z.strictObject({
  id: Id,
  kind: z.enum(['town', 'village', 'site', 'bridge', 'museum', 'camp', 'region', 'other']),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  name: LocaleMap,
  description: LocaleMap.optional(),
});
export type Place = z.infer<typeof Place>;

const MediaDate = z.union([z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD'), z.number().int()]).transform(String);
export const Media = z.strictObject({
  id: Id,
  kind: z.enum(['image', 'video', 'audio']),
  file: z.string().max(300).optional(),
  width: z.number().int().positive().max(100_000).optional(),
  height: z.number().int().positive().max(100_000).optional(),
  alt: LocaleMap.optional(),
  caption: LocaleMap,
  credit: LocaleMap,
  rights: Text.max(500).optional(),
  source: Text.max(1000).optional(),
  date: MediaDate.optional(),
});
export type Media = z.infer<typeof Media>;

/** A whole museum site: what a bundle holds and what the database stores. */
export interface Content {
  museum: Museum;
  visits: Visit[];
  docs: Doc[];
  media: Media[];
  places: Place[];
  events: HistEvent[];
}
