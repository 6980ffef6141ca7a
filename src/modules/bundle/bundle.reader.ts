import { statSync } from 'node:fs';
import { z } from 'zod';
import * as S from '../content/content.schema.ts';
import type { Content, Doc, DocKind, DocTexts } from '../content/content.schema.ts';
import { check, existsInBundle, listDir, parseMarkdownFile, parseYaml, readText, type Yaml } from './bundle.files.ts';
import { Problems, problem, type Problem, type ProblemEntity, type Where } from './bundle.problems.ts';
import { validateContent, type Broken, type RefKind } from './bundle.validate.ts';
import { mediaRefs } from '../media/media.import.ts';
import { readLayers } from './bundle.geo.ts';
import { markdownImages } from '../content/markdown.ts';

export const BUNDLE_FORMAT = 'parcours-bundle';
/** Version 2 added media files (images, video, audio and their tracks under media/). */
export const SUPPORTED_VERSIONS = [1, 2] as const;
export const CURRENT_VERSION = 2;

const Header = z.strictObject({
  format: z.literal(BUNDLE_FORMAT, { error: `must be "${BUNDLE_FORMAT}"` }),
  version: z.number().int(),
  museum: z.unknown(), // checked on its own below, so that its problems read "museum.<field>"
});

export interface ReadResult {
  content?: Content;
  problems: Problem[];
}

const MAX_POSITION = 9999;

const DOC_DIRS: { dir: string; kind: DocKind; numbered: boolean }[] = [
  { dir: 'themes', kind: 'theme', numbered: true },
  { dir: 'articles', kind: 'article', numbered: false },
  { dir: 'pages', kind: 'page', numbered: false },
];

/** Entries that exist but failed their own checks: their problems are reported, references to them are not reported again. */
function brokenSet(broken: Broken, kind: RefKind): Set<string> | undefined {
  const b = broken[kind];
  if (b === 'all') return undefined;
  return (broken[kind] = b ?? new Set());
}

/** Reads and validates a whole bundle directory. Never throws for bad content. */
export function readBundle(root: string): ReadResult {
  const problems = new Problems();
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) return { problems: [problem('not_a_folder', root, 'is not a directory')] };
  const broken: Broken = { texts: new Set() };
  const header = readHeader(root, problems);
  const visits = readVisits(root, problems, broken);
  const docs = DOC_DIRS.flatMap((d) => readDocs(root, d.dir, d.kind, d.numbered, problems, broken));
  const media = readList(root, 'media.yaml', S.Media, 'media', problems, broken);
  const places = readList(root, 'places.yaml', S.Place, 'place', problems, broken);
  const events = readList(root, 'events.yaml', S.HistEvent, 'event', problems, broken);
  const tags = readList(root, 'tags.yaml', S.Tag, 'tag', problems, broken);
  const layerEntries = readList(root, 'layers.yaml', S.GeoLayer, 'layer', problems, broken);
  const glossary = readList(root, 'glossary.yaml', S.GlossaryEntry, 'glossary', problems, broken);
  const layers = readLayers(root, layerEntries, problems);
  for (const l of layerEntries) if (!layers.some((x) => x.id === l.id)) brokenSet(broken, 'layer')?.add(l.id);
  if (!header) return { problems: problems.list };
  if (header.version < 2) {
    for (const m of media) {
      if (mediaRefs([m]).length) problems.add('needs_version_2', 'media.yaml', `media "${m.id}": media files need bundle version 2 (set "version: 2" in bundle.yaml)`, { entity: 'media', id: m.id });
    }
    if (layerEntries.length) problems.add('needs_version_2', 'layers.yaml', 'map layers need bundle version 2 (set "version: 2" in bundle.yaml)');
  }
  const content: Content = { museum: header.museum, visits, docs, media, places, events, layers, tags, glossary };
  validateContent(content, problems, broken);
  return problems.empty ? { content, problems: [] } : { problems: problems.list };
}

function readHeader(root: string, problems: Problems): { museum: S.Museum; version: number } | undefined {
  const text = readText(root, 'bundle.yaml', problems);
  if (text === undefined) return undefined;
  const y = parseYaml(text, 'bundle.yaml', problems);
  if (!y) return undefined;
  const header = check(Header, y.value, 'bundle.yaml', problems, { at: y.at });
  if (!header) return undefined;
  if (!(SUPPORTED_VERSIONS as readonly number[]).includes(header.version)) {
    problems.add('unsupported_version', 'bundle.yaml', `version: ${header.version} is not supported (this Parcours reads versions ${SUPPORTED_VERSIONS.join(' and ')})`, { field: 'version', at: y.at(['version']) });
    return undefined;
  }
  const museum = check(S.Museum, header.museum, 'bundle.yaml', problems, { prefix: 'museum.', at: (p, k) => y.at(['museum', ...p], k), where: { entity: 'museum' } });
  return museum && { museum, version: header.version };
}

/** Reads a YAML file and checks it against a schema; undefined (with its problems recorded) when it cannot be used. */
function readYaml<T>(root: string, file: string, schema: z.ZodType<T>, problems: Problems, where: Where): T | undefined {
  const text = readText(root, file, problems, where);
  if (text === undefined) return undefined;
  const y = parseYaml(text, file, problems, 0, where);
  if (!y) return undefined;
  return check(schema, y.value ?? {}, file, problems, { at: y.at, where });
}

function readVisits(root: string, problems: Problems, broken: Broken): S.Visit[] {
  const out: S.Visit[] = [];
  const names = listDir(root, 'visits', problems);
  if (problems.failed.has('visits/')) broken.visit = 'all';
  for (const name of names) {
    const file = `visits/${name}`;
    const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/.exec(name);
    if (!m) {
      problems.add('file_name', file, 'unexpected file name (expected <visit-id>.yaml)', { entity: 'visit' });
      continue;
    }
    const v = readYaml(root, file, S.Visit, problems, { entity: 'visit', id: m[1] ?? '' });
    if (v) out.push({ id: m[1] ?? '', ...v });
    else brokenSet(broken, 'visit')?.add(m[1] ?? '');
  }
  return out;
}

function readDocs(root: string, dir: string, kind: DocKind, numbered: boolean, problems: Problems, broken: Broken): Doc[] {
  const names = listDir(root, dir, problems);
  const refKind = kind === 'theme' ? 'theme' : kind === 'article' ? 'article' : undefined;
  if (problems.failed.has(`${dir}/`) && refKind) broken[refKind] = 'all';
  const structRe = numbered ? /^(\d{2,})-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/ : /^()([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/;
  const localeRe = numbered ? /^(\d{2,})-([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]{2,3}(?:-[A-Z]{2})?)\.md$/ : /^()([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]{2,3}(?:-[A-Z]{2})?)\.md$/;
  const docs: Doc[] = [];
  const byBase = new Map<string, Doc>();
  const invalid = new Set<string>(); // structure files with problems: their locale files are not judged again
  const expected = numbered ? '<NN>-<id>.yaml or <NN>-<id>.<locale>.md' : '<id>.yaml or <id>.<locale>.md';
  for (const name of names) {
    const m = structRe.exec(name);
    if (!m) continue;
    const file = `${dir}/${name}`;
    const where: Where = { entity: kind, id: m[2] ?? '' };
    const st = readYaml(root, file, S.DocStructure, problems, where);
    if (!st) {
      invalid.add(name.slice(0, -'.yaml'.length));
      if (refKind) brokenSet(broken, refKind)?.add(m[2] ?? '');
      continue;
    }
    const doc: Doc = { kind, id: m[2] ?? '', position: numbered ? Number(m[1]) : docs.length, blocks: st.blocks, texts: {} };
    // 99999999999999999999-x.yaml would be position 1e20: beyond what the database stores as an integer.
    if (doc.position > MAX_POSITION) problems.add('position_too_large', file, `position ${m[1]} is too large (at most ${MAX_POSITION})`, where);
    if (st.visit !== undefined) doc.visit = st.visit;
    if (kind === 'theme' && st.visit === undefined) problems.add('required', file, 'visit: is required (the id of the visit this theme belongs to)', { ...where, field: 'visit' });
    if (kind !== 'theme' && st.visit !== undefined) problems.add('not_applicable', file, 'visit: only themes belong to a visit', { ...where, field: 'visit' });
    if (docs.some((d) => d.id === doc.id)) problems.add('duplicate_id', file, `${kind} id "${doc.id}" is used by two files`, where);
    docs.push(doc);
    byBase.set(name.slice(0, -'.yaml'.length), doc);
  }
  for (const name of names) {
    const file = `${dir}/${name}`;
    if (structRe.test(name)) continue;
    const m = localeRe.exec(name);
    if (!m) {
      problems.add('file_name', file, `unexpected file name (expected ${expected})`, { entity: kind });
      continue;
    }
    const base = name.slice(0, -`.${m[3]}.md`.length);
    const doc = byBase.get(base);
    if (invalid.has(base)) continue;
    if (!doc) {
      problems.add('orphan_text', file, `has no structure file ${dir}/${base}.yaml`, { entity: kind, id: m[2] ?? '', locale: m[3] ?? '' });
      continue;
    }
    const texts = readDocTexts(root, file, doc, m[3] ?? '', problems);
    if (texts) doc.texts[m[3] ?? ''] = texts;
    else broken.texts?.add(`${kind}/${doc.id}/${m[3]}`);
  }
  return docs;
}

function readDocTexts(root: string, file: string, doc: Doc, locale: string, problems: Problems): DocTexts | undefined {
  const where: Where = { entity: doc.kind, id: doc.id, locale };
  const text = readText(root, file, problems, where);
  if (text === undefined) return undefined;
  const md = parseMarkdownFile(text, file, problems, where);
  if (!md?.frontMatter) return undefined;
  const { value, at } = md.frontMatter;
  const fm = check(S.DocFrontMatter, value ?? {}, file, problems, { at, where });
  if (!fm) return undefined;
  const blocks: DocTexts['blocks'] = {};
  for (const [id, t] of Object.entries(fm.blocks ?? {})) blocks[id] = { ...t };
  for (const s of md.sections) {
    const block = doc.blocks.find((b) => b.id === s.id);
    // A section is the body of its block: its field is blocks.<id>.body, as in the front matter.
    const at = { ...where, field: `blocks.${s.id}.body`, line: s.line, placement: 'start' } as const;
    if (!block) {
      problems.add('unknown_section', file, `section "${s.id}" does not match any block of the structure file`, at);
      continue;
    }
    if (!S.SECTION_KINDS.has(block.kind)) {
      problems.add('not_applicable', file, `${block.kind} "${s.id}" has no text section (only text, quote and note blocks do)`, at);
      continue;
    }
    const entry = (blocks[s.id] ??= {});
    if (entry.body !== undefined) problems.add('duplicate_section', file, `section "${s.id}" appears twice`, at);
    if (s.body === '') problems.add('empty_section', file, `section "${s.id}" is empty`, at);
    const img = markdownImages(s.body)[0];
    if (img) problems.add('foreign_image', file, `section "${s.id}": ${S.imageProblem(img.src)}`, { ...at, line: s.bodyLine + img.line });
    entry.body = s.body;
  }
  const out: DocTexts = { title: fm.title, slug: fm.slug, blocks };
  if (fm.summary !== undefined) out.summary = fm.summary;
  if (fm.lead !== undefined) out.lead = fm.lead;
  return out;
}

/** The id of a list entry, when it is one: anything else (a map, a huge string) is named by its position instead. */
const entryId = (item: unknown): string | undefined => {
  const id = typeof item === 'object' && item !== null && 'id' in item ? (item as { id: unknown }).id : undefined;
  return typeof id === 'string' && id.length <= 100 && /^[\p{L}\p{N} ._-]+$/u.test(id) ? id : undefined;
};

function readList<T extends { id: string }>(root: string, file: string, schema: z.ZodType<T>, noun: RefKind & ProblemEntity, problems: Problems, broken: Broken): T[] {
  if (!existsInBundle(root, file)) return [];
  const all = () => {
    broken[noun] = 'all';
    return [];
  };
  const text = readText(root, file, problems, { entity: noun });
  if (text === undefined) return all();
  const y: Yaml | undefined = parseYaml(text, file, problems, 0, { entity: noun });
  if (!y) return all();
  const raw = y.value ?? [];
  if (!Array.isArray(raw)) {
    problems.add('schema', file, `must be a list of ${noun} entries (each starting with "- id: …")`, { entity: noun, at: y.at([]) });
    problems.failed.add(file);
    return all();
  }
  const out: T[] = [];
  raw.forEach((item, i) => {
    const id = entryId(item);
    const v = check(schema, item, file, problems, {
      prefix: id ? `${noun} "${id}": ` : `[${i}].`, at: (p, k) => y.at([i, ...p], k), where: { entity: noun, ...(id ? { id } : {}) }, path: id ? [] : [i],
    });
    if (!v) {
      // Without a usable id, any reference might have meant this entry.
      if (id) brokenSet(broken, noun)?.add(id);
      else broken[noun] = 'all';
      return;
    }
    if (out.some((o) => o.id === v.id)) problems.add('duplicate_id', file, `${noun} "${v.id}": id is used twice`, { entity: noun, id: v.id, field: 'id', at: y.at([i, 'id']) });
    out.push(v);
  });
  return out;
}
