import { stringify } from 'yaml';
import type { Content, Doc } from '../content/content.schema.ts';
import { SECTION_KINDS } from '../content/content.schema.ts';
import { BUNDLE_FORMAT, CURRENT_VERSION } from './bundle.reader.ts';
import { docFile } from './bundle.validate.ts';

// Serialises content as a bundle: a map of relative path → file text. The
// output is canonical (fixed key order, no line folding), so that exporting
// twice gives identical bytes.

const y = (v: unknown) => stringify(v, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });

/** Drops undefined fields so that they do not appear as `null` in YAML. */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function writeBundle(c: Content): Map<string, string> {
  const files = new Map<string, string>();
  const m = c.museum;
  files.set('bundle.yaml', y({
    format: BUNDLE_FORMAT,
    version: CURRENT_VERSION,
    museum: clean({
      id: m.id, default_locale: m.default_locale, locales: m.locales, name: m.name, short_name: m.short_name,
      intro: m.intro, about_site: m.about_site, address: m.address ? clean(m.address) : undefined, credits: m.credits,
      data_licence: m.data_licence, pending_media: m.pending_media, style: m.style ? clean({ ...m.style }) : undefined,
    }),
  }));
  for (const v of c.visits) {
    files.set(`visits/${v.id}.yaml`, y({ primary: v.primary, title: v.title, slug: v.slug, summary: v.summary }));
  }
  for (const d of c.docs) writeDoc(d, files);
  if (c.media.length) files.set('media.yaml', y(c.media.map((x) => clean({ ...x }))));
  if (c.places.length) files.set('places.yaml', y(c.places.map((x) => clean({ ...x }))));
  if (c.tags.length) files.set('tags.yaml', y(c.tags.map((t) => ({ id: t.id, label: t.label }))));
  if (c.layers.length) {
    files.set('layers.yaml', y(c.layers.map(({ data: _data, ...x }) => clean({ ...x }))));
    for (const l of c.layers) files.set(l.file, `${JSON.stringify(l.data)}\n`);
  }
  if (c.glossary.length) files.set('glossary.yaml', y(c.glossary.map((g) => clean({ id: g.id, term: g.term, abbreviation: g.abbreviation, definition: g.definition }))));
  if (c.events.length) files.set('events.yaml', y(c.events.map((e) => clean({ ...e, date: clean({ ...e.date }) }))));
  return files;
}

function writeDoc(d: Doc, files: Map<string, string>): void {
  files.set(docFile(d), y(clean({ visit: d.visit, blocks: d.blocks.map((b) => clean({ ...b })) })));
  for (const [locale, t] of Object.entries(d.texts)) {
    const short: Record<string, object> = {};
    for (const b of d.blocks) {
      const bt = t.blocks[b.id];
      if (!bt) continue;
      const { body: _body, ...rest } = bt;
      const fields = clean(rest);
      if (Object.keys(fields).length) short[b.id] = fields;
    }
    const front = y(clean({
      title: t.title, slug: t.slug, summary: t.summary, lead: t.lead,
      blocks: Object.keys(short).length ? short : undefined,
    }));
    const sections = d.blocks
      .filter((b) => SECTION_KINDS.has(b.kind) && t.blocks[b.id]?.body !== undefined)
      .map((b) => `::: ${b.id}\n${t.blocks[b.id]?.body ?? ''}\n`);
    files.set(docFile(d, locale), `---\n${front}---\n${sections.length ? `\n${sections.join('\n')}` : ''}`);
  }
}
