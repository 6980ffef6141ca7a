import type { Content, Doc, LocaleMap, Media } from '../content/content.schema.ts';
import { SECTION_KINDS } from '../content/content.schema.ts';
import { blockReferences, brokenReferences, eventReferences, missingAlt, type BrokenReference, type RefTarget } from '../content/content.references.ts';
import { hasCatalogue, reservedSegments, UI_LOCALES } from '../../i18n/messages.ts';
import type { ProblemCode, Problems, Where } from './bundle.problems.ts';
import { embedOf } from '../media/media.external.ts';
import { checkEventBlocks } from './bundle.event-blocks.ts';
import { checkChart } from './bundle.chart.ts';
import { checkGlossary } from './bundle.glossary.ts';
import { AA_TEXT, contrast, lowestContrast, PAGE_BACKGROUNDS } from '../../shared/contrast.ts';

const DIR = { theme: 'themes', article: 'articles', page: 'pages' } as const;

export function docFile(doc: Doc, locale?: string): string {
  const base = doc.kind === 'theme' ? `${String(doc.position).padStart(2, '0')}-${doc.id}` : doc.id;
  return `${DIR[doc.kind]}/${base}${locale ? `.${locale}.md` : '.yaml'}`;
}

export type RefKind = 'media' | 'place' | 'event' | 'theme' | 'article' | 'visit' | 'layer' | 'tag' | 'glossary';
/** Where the bundle keeps each kind of entry a reference can name. */
const REF_FILES: Record<RefTarget, string> = { media: 'media.yaml', event: 'events.yaml', place: 'places.yaml', article: 'articles/', theme: 'themes/' };
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
  const M = { entity: 'museum' } as const;
  if (!locales.has(def)) p.add('unknown_locale', 'bundle.yaml', `museum.default_locale: "${def}" is not one of museum.locales`, { ...M, field: 'default_locale', locale: def });
  if (new Set(museum.locales).size !== museum.locales.length) p.add('duplicate_locale', 'bundle.yaml', 'museum.locales: a language is listed twice', { ...M, field: 'locales' });
  // Pages would otherwise show interface text in another language under this lang attribute.
  for (const l of museum.locales) {
    if (!hasCatalogue(l)) p.add('ui_not_translated', 'bundle.yaml', `museum.locales: the interface is not translated into "${l}" yet (available: ${UI_LOCALES.join(', ')}); add a catalogue in src/i18n/messages.ts`, { ...M, field: 'locales', locale: l });
  }

  checkStyle(museum.style, p);

  /** A map of texts by language: only enabled languages, and (when required) the default one. `where.field` names the map. */
  const checkMap = (file: string, label: string, map: LocaleMap | undefined, required: boolean, where: Where & { field: string }) => {
    if (!map) return;
    for (const l of Object.keys(map)) if (!locales.has(l)) p.add('unknown_locale', file, `${label}: language "${l}" is not enabled in bundle.yaml`, { ...where, field: `${where.field}.${l}`, locale: l });
    if (required && map[def] === undefined) p.add('missing_default_locale', file, `${label}: the default language "${def}" is missing`, { ...where, field: `${where.field}.${def}`, locale: def });
  };
  for (const f of ['name', 'short_name', 'intro', 'about_site', 'credits'] as const) checkMap('bundle.yaml', `museum.${f}`, museum[f], true, { ...M, field: f });

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
  const exists = (target: RefTarget, id: string) => (target === 'media' ? unknown('media', id) : has(target, id));
  /** A reference that leads nowhere (content.references.ts), said as the bundle's files name things. */
  const reportReference = (file: string, owner: string, r: BrokenReference, where: Where) => {
    if (r.found) p.add('wrong_media_kind', file, `${owner}: media "${r.id}" is a ${r.found}, not a${r.mediaKind === 'image' ? 'n' : ''} ${r.mediaKind}`, { ...where, field: r.field });
    else p.add('unknown_reference', file, `${owner}: ${r.target} "${r.id}" does not exist in ${REF_FILES[r.target]}`, { ...where, field: r.field });
  };
  // With an event unread, a tag might be carried by it.
  const carried = (tag: string) => anyBroken('event') || c.events.some((e) => e.tags.includes(tag));

  // Visits: one primary, slugs present and unique per locale.
  if (c.visits.length === 0 && !anyBroken('visit')) p.add('no_visit', 'visits/', 'the bundle has no visit (add visits/<visit-id>.yaml)');
  const primaries = c.visits.filter((v) => v.primary);
  if (c.visits.length > 0 && primaries.length !== 1 && !(primaries.length === 0 && anyBroken('visit'))) p.add('primary_visit', 'visits/', `exactly one visit must have "primary: true" (found ${primaries.length})`, { entity: 'visit', field: 'primary' });
  const topSlugs = new Map<string, string>(); // `${locale}/${slug}` → owner
  const claimTop = (file: string, locale: string, slug: string, owner: string, where: Where) => {
    const key = `${locale}/${slug}`;
    if (reservedSegments(locale).includes(slug)) p.add('reserved_slug', file, `slug "${slug}" (${locale}) is reserved by the site`, where);
    const prev = topSlugs.get(key);
    if (prev) p.add('duplicate_slug', file, `slug "${slug}" (${locale}) is already used by ${prev}`, where);
    else topSlugs.set(key, owner);
  };
  for (const v of c.visits) {
    const file = `visits/${v.id}.yaml`;
    const V = { entity: 'visit', id: v.id } as const;
    checkMap(file, 'title', v.title, true, { ...V, field: 'title' });
    checkMap(file, 'summary', v.summary, true, { ...V, field: 'summary' });
    checkMap(file, 'slug', v.slug, false, { ...V, field: 'slug' });
    for (const l of locales) {
      const slug = v.slug[l];
      if (!slug) p.add('required', file, `slug: missing for "${l}" (every language needs its own URL)`, { ...V, field: `slug.${l}`, locale: l });
      else claimTop(file, l, slug, file, { ...V, field: `slug.${l}`, locale: l });
    }
  }

  // Themes: visit exists, positions unique per visit.
  const positions = new Map<string, string>();
  for (const d of c.docs.filter((x) => x.kind === 'theme')) {
    const T = { entity: 'theme', id: d.id } as const;
    if (d.visit && !has('visit', d.visit)) p.add('unknown_reference', docFile(d), `visit: "${d.visit}" does not exist in visits/`, { ...T, field: 'visit' });
    const key = `${d.visit}/${d.position}`;
    if (positions.has(key)) p.add('duplicate_position', docFile(d), `position ${d.position} is already used in visit "${d.visit}" by ${positions.get(key)}`, T);
    else positions.set(key, docFile(d));
  }

  const docSlugs = new Map<string, string>();
  for (const d of c.docs) validateDoc(d);

  function validateDoc(d: Doc): void {
    const file = docFile(d);
    const D = { entity: d.kind, id: d.id } as const;
    if (!d.texts[def] && !broken.texts?.has(`${d.kind}/${d.id}/${def}`)) p.add('file_missing', docFile(d, def), `file is missing (the default language "${def}" is required)`, { ...D, locale: def });
    const blockIds = new Set<string>();
    d.blocks.forEach((b, i) => {
      // Fields of a block are named by its position in the structure file, as the schema's problems are.
      const B = (f?: string) => ({ ...D, field: `blocks[${i}]${f ? `.${f}` : ''}` });
      if (blockIds.has(b.id)) p.add('duplicate_id', file, `block "${b.id}": id is used twice`, B('id'));
      blockIds.add(b.id);
      for (const r of brokenReferences(blockReferences(b, i), ids.media, exists)) reportReference(file, `${b.kind} "${b.id}"`, r, D);
      if (b.kind === 'chronology' || b.kind === 'map') {
        if (b.tag && !carried(b.tag)) p.add('tag_not_carried', file, `${b.kind} "${b.id}": no event in events.yaml carries the tag "${b.tag}"`, B('tag'));
        if (b.from && b.to && b.from > b.to) p.add('date_order', file, `${b.kind} "${b.id}": from (${b.from}) is after to (${b.to})`, B('from'));
      }
      if (b.kind === 'chronology' && !b.events?.length && !b.tag) p.add('needs_field', file, `chronology "${b.id}": needs events or a tag`, B());
      if (b.kind === 'map') {
        if (!b.places?.length && !b.events?.length && !b.tag) p.add('needs_field', file, `map "${b.id}": needs places, events or a tag`, B());
        if (b.by_date && !b.tag && !b.events?.length) p.add('needs_field', file, `map "${b.id}": by_date needs events (a tag or a list) to date the places`, B('by_date'));
        if (b.lost_tag) {
          if (!b.by_date || !b.tag) p.add('needs_field', file, `map "${b.id}": lost_tag needs by_date and a tag (the places are lost again after being reached)`, B('lost_tag'));
          else if (b.lost_tag === b.tag) p.add('conflicting_fields', file, `map "${b.id}": lost_tag must differ from tag`, B('lost_tag'));
          if (!carried(b.lost_tag)) p.add('tag_not_carried', file, `map "${b.id}": no event in events.yaml carries the lost_tag "${b.lost_tag}"`, B('lost_tag'));
        }
      }
      if (b.kind === 'chart') checkChart(b, file, p, checkMap, B, { has: !d.texts[def] || Boolean(d.texts[def].blocks[b.id]?.title), file: docFile(d, def), locale: def });
      if (b.kind === 'links') {
        b.items.forEach((it, j) => {
          if ('label' in it) checkMap(file, `links "${b.id}": label`, it.label, true, B(`items[${j}].label`));
        });
      }
    });
    checkEventBlocks(d, file, c.events, p);
    for (const [locale, t] of Object.entries(d.texts)) {
      const lf = docFile(d, locale);
      const L = { ...D, locale };
      if (!locales.has(locale)) {
        p.add('unknown_locale', lf, `language "${locale}" is not enabled in bundle.yaml`, L);
        continue;
      }
      if (d.kind !== 'page' && !t.summary) p.add('required', lf, 'summary: is required (one line shown in lists)', { ...L, field: 'summary' });
      for (const [bid, bt] of Object.entries(t.blocks)) {
        const b = d.blocks.find((x) => x.id === bid);
        if (!b) {
          p.add('unknown_block', lf, `block "${bid}": unknown block id (not in ${file})`, { ...L, field: `blocks.${bid}` });
          continue;
        }
        const allowed: Record<string, string[]> = {
          text: ['body'], quote: ['body', 'source'], note: ['body', 'title'], figure: ['caption'], video: ['caption'],
          audio: ['caption'], gallery: ['title'], chronology: ['title'], map: ['title', 'caption'], chart: ['title', 'caption', 'source'], links: ['title'],
        };
        for (const field of Object.keys(bt)) {
          if (!allowed[b.kind]?.includes(field)) p.add('not_applicable', lf, `${b.kind} "${bid}": field "${field}" does not apply to a ${b.kind} block`, { ...L, field: `blocks.${bid}.${field}` });
        }
        if (b.kind === 'quote' && bt.body && !bt.source) p.add('missing_source', lf, `quote "${bid}": source is missing (every quotation needs its source)`, { ...L, field: `blocks.${bid}.source` });
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
      // The field is the slug of the file that sets it: the default language's when this one has no translation.
      const S = { ...D, field: 'slug', locale: own ? locale : def };
      const slugKey = `${d.kind}/${locale}/${t.slug}`;
      if (docSlugs.has(slugKey)) p.add('duplicate_slug', lf, `slug "${t.slug}" is already used in "${locale}" by ${docSlugs.get(slugKey)}`, S);
      else docSlugs.set(slugKey, lf);
      if (d.kind === 'page') claimTop(lf, locale, t.slug, lf, S);
    }
    const dt = d.texts[def];
    if (dt) {
      for (const b of d.blocks) {
        if (SECTION_KINDS.has(b.kind) && !dt.blocks[b.id]?.body) p.add('missing_section', docFile(d, def), `${b.kind} "${b.id}": text is missing (add a section "::: ${b.id}")`, { ...D, locale: def, field: `blocks.${b.id}.body` });
      }
    }
  }

  // Media: images need alt text wherever they have a caption; captions and credits in the default language.
  for (const m of c.media) {
    const label = `media "${m.id}"`;
    const ME = { entity: 'media', id: m.id } as const;
    checkMap('media.yaml', `${label}: caption`, m.caption, true, { ...ME, field: 'caption' });
    checkMap('media.yaml', `${label}: credit`, m.credit, true, { ...ME, field: 'credit' });
    checkMap('media.yaml', `${label}: alt`, m.alt, false, { ...ME, field: 'alt' });
    for (const l of missingAlt(m, def)) {
      p.add('missing_alt', 'media.yaml', `${label}: alt text is missing for "${l}"${l === def ? '' : ' (the caption is translated, the alt text must be too)'}`, { ...ME, field: `alt.${l}`, locale: l });
    }
    for (const k of ['title', 'description', 'subject'] as const) checkMap('media.yaml', `${label}: ${k}`, m[k], false, { ...ME, field: k });
    checkMediaFiles(m, label, locales, (code, msg, where) => p.add(code, 'media.yaml', msg, { ...ME, ...where }));
  }
  const usedTags = new Set(c.events.flatMap((e) => e.tags));
  for (const t of c.tags) {
    checkMap('tags.yaml', `tag "${t.id}": label`, t.label, true, { entity: 'tag', id: t.id, field: 'label' });
    if (!usedTags.has(t.id) && !anyBroken('event')) p.add('unused_tag', 'tags.yaml', `tag "${t.id}": no event in events.yaml carries it`, { entity: 'tag', id: t.id });
  }
  const layerFiles = new Map<string, string>();
  for (const l of c.layers) {
    const LA = { entity: 'layer', id: l.id } as const;
    checkMap('layers.yaml', `layer "${l.id}": name`, l.name, false, { ...LA, field: 'name' });
    checkMap('layers.yaml', `layer "${l.id}": credit`, l.credit, true, { ...LA, field: 'credit' });
    const other = layerFiles.get(l.file);
    if (other) p.add('duplicate_file', 'layers.yaml', `layer "${l.id}": file ${l.file} is already layer "${other}"`, { ...LA, field: 'file' });
    layerFiles.set(l.file, l.id);
  }
  if (c.layers.length && !c.layers.some((l) => l.role === 'subject') && !anyBroken('layer')) p.add('no_subject_layer', 'layers.yaml', 'needs at least one layer with role "subject" (the area the maps are about)', { entity: 'layer', field: 'role' });
  checkGlossary(c.glossary, museum.locales, p, checkMap);
  for (const pl of c.places) {
    checkMap('places.yaml', `place "${pl.id}": name`, pl.name, true, { entity: 'place', id: pl.id, field: 'name' });
    checkMap('places.yaml', `place "${pl.id}": description`, pl.description, true, { entity: 'place', id: pl.id, field: 'description' });
    checkMap('places.yaml', `place "${pl.id}": kind_label`, pl.kind_label, true, { entity: 'place', id: pl.id, field: 'kind_label' });
  }
  for (const e of c.events) {
    const label = `event "${e.id}"`;
    const E = { entity: 'event', id: e.id } as const;
    checkMap('events.yaml', `${label}: title`, e.title, true, { ...E, field: 'title' });
    checkMap('events.yaml', `${label}: description`, e.description, true, { ...E, field: 'description' });
    for (const r of brokenReferences(eventReferences(e), ids.media, exists)) reportReference('events.yaml', label, r, E);
  }
}

/** Which files a media item may name, and the accessibility rule: every language gets captions and a transcript. */
function checkMediaFiles(m: Media, label: string, locales: Set<string>, add: (code: ProblemCode, msg: string, where: Where) => void): void {
  const av = m.kind === 'video' || m.kind === 'audio';
  if (!av) {
    for (const k of ['sources', 'poster', 'captions', 'chapters', 'transcript', 'external'] as const) {
      if (m[k] !== undefined) add('not_applicable', `${label}: ${k}: only video and audio items have ${k}`, { field: k });
    }
    return;
  }
  if (m.external && m.kind !== 'video') add('not_applicable', `${label}: external: only videos can be hosted elsewhere`, { field: 'external' });
  if (m.external && m.file) add('conflicting_fields', `${label}: has both a file and an external video; choose one`, { field: 'external' });
  if (m.external) {
    const e = embedOf(m.external);
    if (typeof e === 'string') add('external_url', `${label}: external: url ${e}`, { field: 'external.url' });
  }
  for (const k of ['captions', 'chapters', 'transcript'] as const) {
    for (const l of Object.keys(m[k] ?? {})) if (!locales.has(l)) add('unknown_locale', `${label}: ${k}: language "${l}" is not enabled in bundle.yaml`, { field: `${k}.${l}`, locale: l });
  }
  if (!m.file) {
    for (const k of ['sources', 'poster', 'captions', 'chapters'] as const) if (m[k] !== undefined) add('needs_field', `${label}: ${k}: needs a file to go with (add "file")`, { field: k });
    return;
  }
  const ext = (f: string) => f.slice(f.lastIndexOf('.'));
  const missing = (k: 'captions' | 'transcript') => [...locales].filter((l) => !m[k]?.[l]);
  if (m.kind === 'video') {
    const noCaptions = missing('captions');
    if (noCaptions.length) {
      add('missing_captions', `${label}: captions: missing for ${noCaptions.map((l) => `"${l}"`).join(', ')}. A video needs a WebVTT caption file in every language of the site, e.g. captions: { ${[...locales].map((l) => `${l}: ${m.file?.replace(/\.[^.]+$/, '')}.${l}.vtt`).join(', ')} }`, { field: 'captions', ...(noCaptions.length === 1 ? { locale: noCaptions[0] } : {}) });
    }
  }
  const noTranscript = missing('transcript');
  if (noTranscript.length) {
    add('missing_transcript', `${label}: transcript: missing for ${noTranscript.map((l) => `"${l}"`).join(', ')}. ${m.kind === 'video' ? 'A video' : 'An audio item'} needs a transcript (a Markdown file) in every language of the site`, { field: 'transcript', ...(noTranscript.length === 1 ? { locale: noTranscript[0] } : {}) });
  }
  if (m.sources?.some((s) => ext(s) === ext(m.file ?? ''))) add('conflicting_fields', `${label}: sources: another encoding must be another format than "file"`, { field: 'sources' });
}

/** The museum's colours read at AA where the site uses them: links on every background, white text on its buttons. */
function checkStyle(style: Content['museum']['style'], p: Problems): void {
  const where = (field: string) => ({ entity: 'museum' as const, field: `style.${field}` });
  const ratio = (n: number) => `${n.toFixed(2)}:1`;
  if (style?.accent) {
    const onPage = lowestContrast(style.accent, PAGE_BACKGROUNDS.light);
    if (onPage < AA_TEXT) p.add('low_contrast', 'bundle.yaml', `museum.style.accent "${style.accent}": links in this colour read at ${ratio(onPage)} on the page's backgrounds, less than the ${AA_TEXT}:1 that people with low vision need; choose a darker colour`, where('accent'));
    const onButton = contrast(style.accent, '#ffffff');
    if (onButton < AA_TEXT) p.add('low_contrast', 'bundle.yaml', `museum.style.accent "${style.accent}": the white text of the buttons reads at ${ratio(onButton)} on it, less than ${AA_TEXT}:1; choose a darker colour`, where('accent'));
  }
  if (style?.accent_dark) {
    const onDark = lowestContrast(style.accent_dark, PAGE_BACKGROUNDS.dark);
    if (onDark < AA_TEXT) p.add('low_contrast', 'bundle.yaml', `museum.style.accent_dark "${style.accent_dark}": links in this colour read at ${ratio(onDark)} on the dark scheme's backgrounds, less than ${AA_TEXT}:1; choose a lighter colour`, where('accent_dark'));
  }
}
