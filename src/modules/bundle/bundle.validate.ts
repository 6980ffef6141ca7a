import type { Content, Doc, LocaleMap, Media } from '../content/content.schema.ts';
import { SECTION_KINDS } from '../content/content.schema.ts';
import { hasCatalogue, reservedSegments, UI_LOCALES } from '../../i18n/messages.ts';
import type { Problems } from './bundle.files.ts';
import { embedOf } from '../media/media.external.ts';

const DIR = { theme: 'themes', article: 'articles', page: 'pages' } as const;

export function docFile(doc: Doc, locale?: string): string {
  const base = doc.kind === 'theme' ? `${String(doc.position).padStart(2, '0')}-${doc.id}` : doc.id;
  return `${DIR[doc.kind]}/${base}${locale ? `.${locale}.md` : '.yaml'}`;
}

export type RefKind = 'media' | 'place' | 'event' | 'theme' | 'article' | 'visit' | 'layer' | 'tag';
/**
 * What the reader could not use: per kind, the ids of entries that failed
 * their own checks, or 'all' when their whole file or folder failed (a YAML
 * syntax error, a folder that cannot be listed); and `texts`, the locale files
 * (`kind/id/locale`) that exist but failed. Their problems are already
 * reported: references to them are not reported again as missing.
 */
export type Broken = Partial<Record<RefKind, Set<string> | 'all'>> & { texts?: Set<string> };

/** Cross-file rules that a single schema cannot see: references, locales, uniqueness. */
export function validateContent(c: Content, p: Problems, broken: Broken = {}): void {
  const unknown = (kind: RefKind, id: string) => broken[kind] === 'all' || (broken[kind] as Set<string> | undefined)?.has(id) === true;
  const anyBroken = (kind: RefKind) => broken[kind] === 'all' || ((broken[kind] as Set<string> | undefined)?.size ?? 0) > 0;
  const { museum } = c;
  const locales = new Set(museum.locales);
  const def = museum.default_locale;
  if (!locales.has(def)) p.add('bundle.yaml', `museum.default_locale: "${def}" is not one of museum.locales`);
  if (new Set(museum.locales).size !== museum.locales.length) p.add('bundle.yaml', 'museum.locales: a language is listed twice');
  // Pages would otherwise show interface text in another language under this lang attribute.
  for (const l of museum.locales) {
    if (!hasCatalogue(l)) p.add('bundle.yaml', `museum.locales: the interface is not translated into "${l}" yet (available: ${UI_LOCALES.join(', ')}); add a catalogue in src/i18n/messages.ts`);
  }

  const checkMap = (file: string, label: string, map: LocaleMap | undefined, required: boolean) => {
    if (!map) return;
    for (const l of Object.keys(map)) if (!locales.has(l)) p.add(file, `${label}: language "${l}" is not enabled in bundle.yaml`);
    if (required && map[def] === undefined) p.add(file, `${label}: the default language "${def}" is missing`);
  };
  for (const f of ['name', 'short_name', 'intro', 'about_site', 'credits'] as const) checkMap('bundle.yaml', `museum.${f}`, museum[f], true);

  const ids = {
    visit: new Set(c.visits.map((v) => v.id)),
    theme: new Set(c.docs.filter((d) => d.kind === 'theme').map((d) => d.id)),
    article: new Set(c.docs.filter((d) => d.kind === 'article').map((d) => d.id)),
    media: new Map(c.media.map((m) => [m.id, m])),
    place: new Set(c.places.map((x) => x.id)),
    event: new Set(c.events.map((x) => x.id)),
  };
  // An entry that exists but failed its own checks is reported once, not again at each reference.
  const has = (kind: 'visit' | 'theme' | 'article' | 'place' | 'event', id: string) => ids[kind].has(id) || unknown(kind, id);
  // With an event unread, a tag might be carried by it.
  const carried = (tag: string) => anyBroken('event') || c.events.some((e) => e.tags.includes(tag));

  // Visits: one primary, slugs present and unique per locale.
  if (c.visits.length === 0 && !anyBroken('visit')) p.add('visits/', 'the bundle has no visit (add visits/<visit-id>.yaml)');
  const primaries = c.visits.filter((v) => v.primary);
  if (c.visits.length > 0 && primaries.length !== 1 && !(primaries.length === 0 && anyBroken('visit'))) p.add('visits/', `exactly one visit must have "primary: true" (found ${primaries.length})`);
  const topSlugs = new Map<string, string>(); // `${locale}/${slug}` → owner
  const claimTop = (file: string, locale: string, slug: string, owner: string) => {
    const key = `${locale}/${slug}`;
    if (reservedSegments(locale).includes(slug)) p.add(file, `slug "${slug}" (${locale}) is reserved by the site`);
    const prev = topSlugs.get(key);
    if (prev) p.add(file, `slug "${slug}" (${locale}) is already used by ${prev}`);
    else topSlugs.set(key, owner);
  };
  for (const v of c.visits) {
    const file = `visits/${v.id}.yaml`;
    checkMap(file, 'title', v.title, true);
    checkMap(file, 'summary', v.summary, true);
    checkMap(file, 'slug', v.slug, false);
    for (const l of locales) {
      const slug = v.slug[l];
      if (!slug) p.add(file, `slug: missing for "${l}" (every language needs its own URL)`);
      else claimTop(file, l, slug, file);
    }
  }

  // Themes: visit exists, positions unique per visit.
  const positions = new Map<string, string>();
  for (const d of c.docs.filter((x) => x.kind === 'theme')) {
    if (d.visit && !has('visit', d.visit)) p.add(docFile(d), `visit: "${d.visit}" does not exist in visits/`);
    const key = `${d.visit}/${d.position}`;
    if (positions.has(key)) p.add(docFile(d), `position ${d.position} is already used in visit "${d.visit}" by ${positions.get(key)}`);
    else positions.set(key, docFile(d));
  }

  const docSlugs = new Map<string, string>();
  for (const d of c.docs) validateDoc(d);

  function validateDoc(d: Doc): void {
    const file = docFile(d);
    if (!d.texts[def] && !broken.texts?.has(`${d.kind}/${d.id}/${def}`)) p.add(docFile(d, def), `file is missing (the default language "${def}" is required)`);
    const blockIds = new Set<string>();
    for (const b of d.blocks) {
      if (blockIds.has(b.id)) p.add(file, `block "${b.id}": id is used twice`);
      blockIds.add(b.id);
      const refMedia = (id: string, kind: string) => {
        const m = ids.media.get(id);
        if (!m && !unknown('media', id)) p.add(file, `${b.kind} "${b.id}": media "${id}" does not exist in media.yaml`);
        else if (m && m.kind !== kind) p.add(file, `${b.kind} "${b.id}": media "${id}" is a ${m.kind}, not a${kind === 'image' ? 'n' : ''} ${kind}`);
      };
      if (b.kind === 'figure') refMedia(b.media, 'image');
      if (b.kind === 'gallery') b.media.forEach((m) => refMedia(m, 'image'));
      if (b.kind === 'video') refMedia(b.media, 'video');
      if (b.kind === 'audio') refMedia(b.media, 'audio');
      if (b.kind === 'chronology' || b.kind === 'map') {
        for (const e of b.events ?? []) if (!has('event', e)) p.add(file, `${b.kind} "${b.id}": event "${e}" does not exist in events.yaml`);
      }
      if (b.kind === 'chronology' || b.kind === 'map') {
        if (b.tag && !carried(b.tag)) p.add(file, `${b.kind} "${b.id}": no event in events.yaml carries the tag "${b.tag}"`);
        if (b.from && b.to && b.from > b.to) p.add(file, `${b.kind} "${b.id}": from (${b.from}) is after to (${b.to})`);
      }
      if (b.kind === 'chronology' && !b.events?.length && !b.tag) p.add(file, `chronology "${b.id}": needs events or a tag`);
      if (b.kind === 'map') {
        for (const pl of b.places ?? []) if (!has('place', pl)) p.add(file, `map "${b.id}": place "${pl}" does not exist in places.yaml`);
        if (!b.places?.length && !b.events?.length && !b.tag) p.add(file, `map "${b.id}": needs places, events or a tag`);
        if (b.by_date && !b.tag && !b.events?.length) p.add(file, `map "${b.id}": by_date needs events (a tag or a list) to date the places`);
        if (b.lost_tag) {
          if (!b.by_date || !b.tag) p.add(file, `map "${b.id}": lost_tag needs by_date and a tag (the places are lost again after being reached)`);
          else if (b.lost_tag === b.tag) p.add(file, `map "${b.id}": lost_tag must differ from tag`);
          if (!carried(b.lost_tag)) p.add(file, `map "${b.id}": no event in events.yaml carries the lost_tag "${b.lost_tag}"`);
        }
      }
      if (b.kind === 'links') {
        for (const it of b.items) {
          if ('article' in it && !has('article', it.article)) p.add(file, `links "${b.id}": article "${it.article}" does not exist in articles/`);
          if ('label' in it) checkMap(file, `links "${b.id}": label`, it.label, true);
        }
      }
    }
    for (const [locale, t] of Object.entries(d.texts)) {
      const lf = docFile(d, locale);
      if (!locales.has(locale)) {
        p.add(lf, `language "${locale}" is not enabled in bundle.yaml`);
        continue;
      }
      if (d.kind !== 'page' && !t.summary) p.add(lf, 'summary: is required (one line shown in lists)');
      for (const [bid, bt] of Object.entries(t.blocks)) {
        const b = d.blocks.find((x) => x.id === bid);
        if (!b) {
          p.add(lf, `block "${bid}": unknown block id (not in ${file})`);
          continue;
        }
        const allowed: Record<string, string[]> = {
          text: ['body'], quote: ['body', 'source'], note: ['body', 'title'], figure: ['caption'], video: ['caption'],
          audio: ['caption'], gallery: ['title'], chronology: ['title'], map: ['title'], links: ['title'],
        };
        for (const field of Object.keys(bt)) {
          if (!allowed[b.kind]?.includes(field)) p.add(lf, `${b.kind} "${bid}": field "${field}" does not apply to a ${b.kind} block`);
        }
        if (b.kind === 'quote' && bt.body && !bt.source) p.add(lf, `quote "${bid}": source is missing (every quotation needs its source)`);
      }
    }
    // Every enabled language gets an address for the document: its own slug, or
    // the default language's when the translation is missing. Those effective
    // addresses must not collide, or one page would hide another.
    for (const locale of locales) {
      const own = d.texts[locale];
      const t = own ?? d.texts[def];
      if (!t) continue;
      const lf = own ? docFile(d, locale) : `${docFile(d, def)} (its slug also serves "${locale}", which has no translation yet)`;
      const slugKey = `${d.kind}/${locale}/${t.slug}`;
      if (docSlugs.has(slugKey)) p.add(lf, `slug "${t.slug}" is already used in "${locale}" by ${docSlugs.get(slugKey)}`);
      else docSlugs.set(slugKey, lf);
      if (d.kind === 'page') claimTop(lf, locale, t.slug, lf);
    }
    const dt = d.texts[def];
    if (dt) {
      for (const b of d.blocks) {
        if (SECTION_KINDS.has(b.kind) && !dt.blocks[b.id]?.body) p.add(docFile(d, def), `${b.kind} "${b.id}": text is missing (add a section "::: ${b.id}")`);
      }
    }
  }

  // Media: images need alt text wherever they have a caption; captions and credits in the default language.
  for (const m of c.media) {
    const label = `media "${m.id}"`;
    checkMap('media.yaml', `${label}: caption`, m.caption, true);
    checkMap('media.yaml', `${label}: credit`, m.credit, true);
    checkMap('media.yaml', `${label}: alt`, m.alt, false);
    if (m.kind === 'image') {
      if (!m.alt?.[def]) p.add('media.yaml', `${label}: alt text is missing for "${def}"`);
      for (const l of Object.keys(m.caption)) if (l !== def && !m.alt?.[l]) p.add('media.yaml', `${label}: alt text is missing for "${l}" (the caption is translated, the alt text must be too)`);
    }
    for (const k of ['title', 'description', 'subject'] as const) checkMap('media.yaml', `${label}: ${k}`, m[k], false);
    checkMediaFiles(m, label, locales, (msg) => p.add('media.yaml', msg));
  }
  const usedTags = new Set(c.events.flatMap((e) => e.tags));
  for (const t of c.tags) {
    checkMap('tags.yaml', `tag "${t.id}": label`, t.label, true);
    if (!usedTags.has(t.id) && !anyBroken('event')) p.add('tags.yaml', `tag "${t.id}": no event in events.yaml carries it`);
  }
  const layerFiles = new Map<string, string>();
  for (const l of c.layers) {
    checkMap('layers.yaml', `layer "${l.id}": name`, l.name, false);
    checkMap('layers.yaml', `layer "${l.id}": credit`, l.credit, true);
    const other = layerFiles.get(l.file);
    if (other) p.add('layers.yaml', `layer "${l.id}": file ${l.file} is already layer "${other}"`);
    layerFiles.set(l.file, l.id);
  }
  if (c.layers.length && !c.layers.some((l) => l.role === 'subject') && !anyBroken('layer')) p.add('layers.yaml', 'needs at least one layer with role "subject" (the area the maps are about)');
  for (const pl of c.places) {
    checkMap('places.yaml', `place "${pl.id}": name`, pl.name, true);
    checkMap('places.yaml', `place "${pl.id}": description`, pl.description, true);
  }
  for (const e of c.events) {
    const label = `event "${e.id}"`;
    checkMap('events.yaml', `${label}: title`, e.title, true);
    checkMap('events.yaml', `${label}: description`, e.description, true);
    for (const pl of e.places) if (!has('place', pl)) p.add('events.yaml', `${label}: place "${pl}" does not exist in places.yaml`);
    for (const th of e.themes) if (!has('theme', th)) p.add('events.yaml', `${label}: theme "${th}" does not exist in themes/`);
  }
}

/** Which files a media item may name, and the accessibility rule: every language gets captions and a transcript. */
function checkMediaFiles(m: Media, label: string, locales: Set<string>, add: (msg: string) => void): void {
  const av = m.kind === 'video' || m.kind === 'audio';
  if (!av) {
    for (const k of ['sources', 'poster', 'captions', 'chapters', 'transcript', 'external'] as const) {
      if (m[k] !== undefined) add(`${label}: ${k}: only video and audio items have ${k}`);
    }
    return;
  }
  if (m.external && m.kind !== 'video') add(`${label}: external: only videos can be hosted elsewhere`);
  if (m.external && m.file) add(`${label}: has both a file and an external video; choose one`);
  if (m.external) {
    const e = embedOf(m.external);
    if (typeof e === 'string') add(`${label}: external: url ${e}`);
  }
  for (const k of ['captions', 'chapters', 'transcript'] as const) {
    for (const l of Object.keys(m[k] ?? {})) if (!locales.has(l)) add(`${label}: ${k}: language "${l}" is not enabled in bundle.yaml`);
  }
  if (!m.file) {
    for (const k of ['sources', 'poster', 'captions', 'chapters'] as const) if (m[k] !== undefined) add(`${label}: ${k}: needs a file to go with (add "file")`);
    return;
  }
  const ext = (f: string) => f.slice(f.lastIndexOf('.'));
  const missing = (k: 'captions' | 'transcript') => [...locales].filter((l) => !m[k]?.[l]);
  if (m.kind === 'video') {
    const noCaptions = missing('captions');
    if (noCaptions.length) {
      add(`${label}: captions: missing for ${noCaptions.map((l) => `"${l}"`).join(', ')}. A video needs a WebVTT caption file in every language of the site, e.g. captions: { ${[...locales].map((l) => `${l}: ${m.file?.replace(/\.[^.]+$/, '')}.${l}.vtt`).join(', ')} }`);
    }
  }
  const noTranscript = missing('transcript');
  if (noTranscript.length) {
    add(`${label}: transcript: missing for ${noTranscript.map((l) => `"${l}"`).join(', ')}. ${m.kind === 'video' ? 'A video' : 'An audio item'} needs a transcript (a Markdown file) in every language of the site`);
  }
  if (m.sources?.some((s) => ext(s) === ext(m.file ?? ''))) add(`${label}: sources: another encoding must be another format than "file"`);
}
