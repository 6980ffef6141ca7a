import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import * as S from '../content/content.schema.ts';
import type { Content, Doc, DocKind, DocTexts } from '../content/content.schema.ts';
import { Problems, check, listDir, parseMarkdownFile, parseYaml, readText } from './bundle.files.ts';
import { validateContent } from './bundle.validate.ts';
import { mediaRefs } from '../media/media.import.ts';
import { readLayers } from './bundle.geo.ts';

export const BUNDLE_FORMAT = 'parcours-bundle';
/** Version 2 added media files (images, video, audio and their tracks under media/). */
export const SUPPORTED_VERSIONS = [1, 2] as const;
export const CURRENT_VERSION = 2;

const Header = z.strictObject({
  format: z.literal(BUNDLE_FORMAT, { error: `must be "${BUNDLE_FORMAT}"` }),
  version: z.number().int(),
  museum: z.unknown(),
});

export interface ReadResult {
  content?: Content;
  problems: string[];
}

const DOC_DIRS: { dir: string; kind: DocKind; numbered: boolean }[] = [
  { dir: 'themes', kind: 'theme', numbered: true },
  { dir: 'articles', kind: 'article', numbered: false },
  { dir: 'pages', kind: 'page', numbered: false },
];

/** Reads and validates a whole bundle directory. Never throws for bad content. */
export function readBundle(root: string): ReadResult {
  const problems = new Problems();
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    return { problems: [`${root}: is not a directory`] };
  }
  const header = readHeader(root, problems);
  const visits = readVisits(root, problems);
  const docs = DOC_DIRS.flatMap((d) => readDocs(root, d.dir, d.kind, d.numbered, problems));
  // Entries present but invalid: their own problems are reported; references to them are not reported again as missing.
  const broken = { media: new Set<string>(), place: new Set<string>(), event: new Set<string>() };
  const media = readList(root, 'media.yaml', S.Media, 'media', problems, broken.media);
  const places = readList(root, 'places.yaml', S.Place, 'place', problems, broken.place);
  const events = readList(root, 'events.yaml', S.HistEvent, 'event', problems, broken.event);
  const tags = readList(root, 'tags.yaml', S.Tag, 'tag', problems);
  const layers = readLayers(root, readList(root, 'layers.yaml', S.GeoLayer, 'layer', problems), problems);
  if (!header) return { problems: problems.list };
  if (header.version < 2) {
    for (const m of media) {
      if (mediaRefs([m]).length) problems.add('media.yaml', `media "${m.id}": media files need bundle version 2 (set "version: 2" in bundle.yaml)`);
    }
    if (layers.length) problems.add('layers.yaml', 'map layers need bundle version 2 (set "version: 2" in bundle.yaml)');
  }
  const content: Content = { museum: header.museum, visits, docs, media, places, events, layers, tags };
  validateContent(content, problems, broken);
  return problems.empty ? { content, problems: [] } : { problems: problems.list };
}

function readHeader(root: string, problems: Problems): { museum: S.Museum; version: number } | undefined {
  const text = readText(root, 'bundle.yaml', problems);
  if (text === undefined) return undefined;
  const raw = parseYaml(text, 'bundle.yaml', problems);
  const header = check(Header, raw, 'bundle.yaml', problems);
  if (!header) return undefined;
  if (!(SUPPORTED_VERSIONS as readonly number[]).includes(header.version)) {
    problems.add('bundle.yaml', `version: ${header.version} is not supported (this Parcours reads versions ${SUPPORTED_VERSIONS.join(' and ')})`);
    return undefined;
  }
  const museum = check(S.Museum, header.museum, 'bundle.yaml', problems, 'museum.');
  return museum && { museum, version: header.version };
}

function readVisits(root: string, problems: Problems): S.Visit[] {
  const out: S.Visit[] = [];
  for (const name of listDir(root, 'visits')) {
    const file = `visits/${name}`;
    const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/.exec(name);
    if (!m) {
      problems.add(file, 'unexpected file name (expected <visit-id>.yaml)');
      continue;
    }
    const text = readText(root, file, problems);
    if (text === undefined) continue;
    const v = check(S.Visit, parseYaml(text, file, problems), file, problems);
    if (v) out.push({ id: m[1] ?? '', ...v });
  }
  return out;
}

function readDocs(root: string, dir: string, kind: DocKind, numbered: boolean, problems: Problems): Doc[] {
  const names = listDir(root, dir);
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
    const text = readText(root, file, problems);
    if (text === undefined) continue;
    const st = check(S.DocStructure, parseYaml(text, file, problems) ?? {}, file, problems);
    if (!st) {
      invalid.add(name.slice(0, -'.yaml'.length));
      continue;
    }
    const doc: Doc = { kind, id: m[2] ?? '', position: numbered ? Number(m[1]) : docs.length, blocks: st.blocks, texts: {} };
    if (st.visit !== undefined) doc.visit = st.visit;
    if (kind === 'theme' && st.visit === undefined) problems.add(file, 'visit: is required (the id of the visit this theme belongs to)');
    if (kind !== 'theme' && st.visit !== undefined) problems.add(file, 'visit: only themes belong to a visit');
    if (docs.some((d) => d.id === doc.id)) problems.add(file, `${kind} id "${doc.id}" is used by two files`);
    docs.push(doc);
    byBase.set(name.slice(0, -'.yaml'.length), doc);
  }
  for (const name of names) {
    const file = `${dir}/${name}`;
    if (structRe.test(name)) continue;
    const m = localeRe.exec(name);
    if (!m) {
      problems.add(file, `unexpected file name (expected ${expected})`);
      continue;
    }
    const base = name.slice(0, -`.${m[3]}.md`.length);
    const doc = byBase.get(base);
    if (invalid.has(base)) continue;
    if (!doc) {
      problems.add(file, `has no structure file ${dir}/${base}.yaml`);
      continue;
    }
    const texts = readDocTexts(root, file, doc, problems);
    if (texts) doc.texts[m[3] ?? ''] = texts;
  }
  return docs;
}

function readDocTexts(root: string, file: string, doc: Doc, problems: Problems): DocTexts | undefined {
  const text = readText(root, file, problems);
  if (text === undefined) return undefined;
  const md = parseMarkdownFile(text, file, problems);
  if (!md) return undefined;
  const fm = check(S.DocFrontMatter, md.frontMatter ?? {}, file, problems);
  if (!fm) return undefined;
  const blocks: DocTexts['blocks'] = {};
  for (const [id, t] of Object.entries(fm.blocks ?? {})) blocks[id] = { ...t };
  for (const s of md.sections) {
    const block = doc.blocks.find((b) => b.id === s.id);
    if (!block) {
      problems.add(file, `line ${s.line}: section "${s.id}" does not match any block of the structure file`);
      continue;
    }
    if (!S.SECTION_KINDS.has(block.kind)) {
      problems.add(file, `line ${s.line}: ${block.kind} "${s.id}" has no text section (only text, quote and note blocks do)`);
      continue;
    }
    const entry = (blocks[s.id] ??= {});
    if (entry.body !== undefined) problems.add(file, `line ${s.line}: section "${s.id}" appears twice`);
    if (s.body === '') problems.add(file, `line ${s.line}: section "${s.id}" is empty`);
    entry.body = s.body;
  }
  const out: DocTexts = { title: fm.title, slug: fm.slug, blocks };
  if (fm.summary !== undefined) out.summary = fm.summary;
  if (fm.lead !== undefined) out.lead = fm.lead;
  return out;
}

function readList<T extends { id: string }>(root: string, file: string, schema: z.ZodType<T>, noun: string, problems: Problems, broken?: Set<string>): T[] {
  if (!existsSync(`${root}/${file}`)) return [];
  const text = readText(root, file, problems);
  if (text === undefined) return [];
  const raw = parseYaml(text, file, problems) ?? [];
  if (!Array.isArray(raw)) {
    problems.add(file, `must be a list of ${noun} entries`);
    return [];
  }
  const out: T[] = [];
  raw.forEach((item, i) => {
    const id = typeof item === 'object' && item && 'id' in item ? String((item as { id: unknown }).id) : undefined;
    const v = check(schema, item, file, problems, id ? `${noun} "${id}": ` : `[${i}].`);
    if (!v) {
      if (id) broken?.add(id);
      return;
    }
    if (out.some((o) => o.id === v.id)) problems.add(file, `${noun} "${v.id}": id is used twice`);
    out.push(v);
  });
  return out;
}
