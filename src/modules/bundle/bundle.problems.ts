import type { ErrorProblem } from '../../shared/errors.ts';
import type { Pos } from './bundle.yaml.ts';

// What is wrong with a bundle, as data: a stable code, what it is about (the
// entity, its id, the field, the language), where it is written (file, line,
// column) and the sentence a curator reads. The CLI prints formatProblem(p);
// an editor puts the message beside its field; tests assert the code.

/** Every code a bundle problem can carry. Stable: tests and the coming editor rely on them; add, never rename. */
export const PROBLEM_CODES = [
  // Files and folders
  'not_a_folder', 'bad_path', 'file_missing', 'file_unreadable', 'outside_bundle', 'symbolic_link', 'not_a_file',
  'file_too_large', 'file_empty', 'file_name', 'not_utf8', 'control_character', 'orphan_text',
  // YAML and Markdown
  'yaml_syntax', 'yaml_unreadable', 'front_matter', 'text_outside_section', 'unknown_section', 'duplicate_section',
  'empty_section', 'missing_section', 'foreign_image',
  // One file's fields
  'schema', 'required', 'unknown_field', 'not_applicable', 'unsupported_version', 'needs_version_2', 'position_too_large',
  // Rules across files
  'unknown_reference', 'unknown_block', 'wrong_media_kind', 'duplicate_id', 'duplicate_slug', 'reserved_slug',
  'duplicate_position', 'duplicate_locale', 'duplicate_file', 'unknown_locale', 'missing_default_locale',
  'ui_not_translated', 'no_visit', 'primary_visit', 'needs_field', 'conflicting_fields', 'date_order',
  'outside_range', 'block_repeats',
  'tag_not_carried', 'unused_tag', 'missing_alt', 'missing_captions', 'missing_transcript', 'missing_source',
  'external_url', 'no_subject_layer', 'low_contrast',
  // Glossary
  'duplicate_term', 'reserved_id',
  // Map layers (GeoJSON)
  'geojson_syntax', 'geojson_type', 'geojson_size', 'geo_geometry', 'geo_shape', 'geo_label', 'geo_extent',
  // Media files
  'media_type', 'media_damaged', 'image_too_large', 'webvtt', 'media_role',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** What a problem can be about: the museum (bundle.yaml) or an entry of the content. */
export const PROBLEM_ENTITIES = ['museum', 'visit', 'theme', 'article', 'page', 'media', 'place', 'event', 'tag', 'layer', 'glossary'] as const;
export type ProblemEntity = (typeof PROBLEM_ENTITIES)[number];

export interface Problem extends ErrorProblem {
  code: ProblemCode;
  /** The sentence after the file's name, as the CLI prints it (labels such as `place "valence": lat:` included). */
  message: string;
  /** The bundle path of the file (e.g. `places.yaml`, `visits/` for a folder). */
  file?: string;
  line?: number;
  column?: number;
  entity?: ProblemEntity;
  id?: string;
  /** The value's path inside its entry as the file writes it: `lat`, `name.fr`, `blocks[2].media`. */
  field?: string;
  locale?: string;
  /**
   * Where the printed text gives the line: after the message, "(line 3, column 5)" (the default);
   * at its start, "line 3: …" ('start'); or inside the message, which says it itself ('message').
   */
  placement?: 'start' | 'message';
}

/** Everything about a problem but its code, file and message. */
export type Where = Omit<Problem, 'code' | 'file' | 'message'>;

/** Characters that would let a problem message rewrite the terminal or reorder its text: shown as \u escapes. */
const UNSAFE_IN_MESSAGE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const MAX_MESSAGE = 2000;
const MAX_NAME = 200;

const safe = (text: string) => text.replace(UNSAFE_IN_MESSAGE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
const clip = (text: string, max: number) => {
  const s = safe(text);
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

/** A problem, with its texts made safe to print and bounded, and without the fields it does not know. */
export function problem(code: ProblemCode, file: string | undefined, message: string, where: Where & { at?: Pos | undefined } = {}): Problem {
  const { at, ...rest } = where;
  const p: Problem = { code, message: clip(message, MAX_MESSAGE) };
  if (file !== undefined) p.file = clip(file, MAX_MESSAGE);
  const known = { ...rest, ...(at ? { line: at.line, column: at.column } : {}) };
  for (const [k, v] of Object.entries(known) as [keyof Where, Where[keyof Where]][]) {
    if (v === undefined) continue;
    (p as unknown as Record<string, unknown>)[k] = typeof v === 'string' && k !== 'entity' && k !== 'placement' ? clip(v, MAX_NAME) : v;
  }
  return p;
}

/** The problem as one line, exactly as `parcours check` and `parcours import` print it. */
export function formatProblem(p: Problem): string {
  const file = p.file !== undefined ? `${p.file}: ` : '';
  let text: string;
  if (p.line === undefined || p.placement === 'message') text = `${file}${p.message}`;
  else if (p.placement === 'start') text = `${file}line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}: ${p.message}`;
  else text = `${file}${p.message} (line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''})`;
  text = safe(text);
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** The problems of one reading of a bundle: every reader records into it instead of throwing, so one run reports everything. */
export class Problems {
  readonly list: Problem[] = [];
  /** Files that exist but could not be read or parsed: their cause is reported once, never again as "missing". */
  readonly failed = new Set<string>();
  add(code: ProblemCode, file: string, message: string, where: Where & { at?: Pos | undefined } = {}): void {
    this.list.push(problem(code, file, message, where));
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}
