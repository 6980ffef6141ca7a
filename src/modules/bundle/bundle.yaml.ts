import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Node, type YAMLError } from 'yaml';
import type { z } from 'zod';
import type { ProblemCode, Problems, Where } from './bundle.problems.ts';

// YAML files of a bundle: parsed strictly (YAML 1.2 core schema whatever the
// file's directives, no tags beyond the core ones, unique keys), with every
// problem placed at its line and column.

export interface Pos {
  line: number;
  column: number;
}

/** A parsed YAML file: its value, and where a path into it (e.g. [3, "date", "start"]) is written. */
export interface Yaml {
  value: unknown;
  /** The position of the node at `path` (or of its nearest existing parent); with `key`, of that key in the map at `path`. */
  at(path: readonly PropertyKey[], key?: string): Pos | undefined;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What the yaml package says, in words a curator can act on. */
function explain(err: YAMLError, text: string, lineOffset: number): string {
  const source = text.slice(err.pos[0], Math.max(err.pos[1], err.pos[0] + 1)).split('\n')[0] ?? '';
  switch (err.code) {
    case 'DUPLICATE_KEY': {
      const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(err.pos[0]))?.[1]?.trim().replace(/^["']|["']$/g, '') ?? source;
      return `the key "${key.slice(0, 60)}" appears twice in the same map (keep one)`;
    }
    case 'TAG_RESOLVE_FAILED':
      return `the tag ${source.split(/\s/)[0]?.slice(0, 40) ?? ''} is not used in bundles (write the value as plain text)`;
    case 'MULTIPLE_DOCS':
      return 'the file holds several YAML documents (a line "---" in the middle); a bundle file holds one';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      // The parser stops at the field before a line indented too far: name that line.
      const lines = text.slice(0, err.pos[0]).split('\n').length;
      const [here, next] = text.split('\n').slice(lines - 1, lines + 1).map((l) => /^ */.exec(l)?.[0].length ?? 0);
      const hint = next !== undefined && here !== undefined && next > here ? ` (line ${lines + 1 + lineOffset} is indented further than the line above it)` : '';
      return `${err.message.split('\n')[0]}${hint}`;
    }
    case 'BAD_DIRECTIVE':
      return 'unknown "%" directive (remove the line)';
    default:
      // The parser records a stack overflow on absurd nesting as an error: say what it means.
      if (/call stack|stack overflow/i.test(err.message)) return 'the values are nested too deeply';
      return err.message.split('\n')[0] ?? err.message;
  }
}

/** The yaml package's messages about indentation rarely say "tab": say it when a tab indents the line or the one before. */
function tabHint(text: string, line: number, lineOffset: number): string {
  const lines = text.split('\n');
  for (const n of [line, line - 1]) if (/^ *\t/.test(lines[n - 1] ?? '')) return ` (line ${n + lineOffset} is indented with a tab; YAML indents with spaces only)`;
  return '';
}

/**
 * Parses one YAML file. A file with syntax errors reports only its first error,
 * with its line and column and the number of errors after it (most of which
 * follow from the first), and yields nothing: its content is not judged further.
 */
export function parseYaml(text: string, file: string, problems: Problems, lineOffset = 0, where: Where = {}): Yaml | undefined {
  const lineCounter = new LineCounter();
  const failed = (code: ProblemCode, message: string, more: Where = {}) => {
    problems.add(code, file, message, { ...where, ...more });
    problems.failed.add(file);
    return undefined;
  };
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, schema: 'core', resolveKnownTags: false, lineCounter });
  } catch (e) {
    return failed('yaml_unreadable', `YAML cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const pos = (offset: number): Pos => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + lineOffset, column: p.col };
  };
  const errors: { offset: number; message: string }[] = [...doc.errors, ...doc.warnings].map((e) => ({ offset: e.pos[0], message: explain(e, text, lineOffset) }));
  // A list or a map used as a key would become "[object Object]"-like text in JavaScript.
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (key && !isScalar(key) && key.range) errors.push({ offset: key.range[0], message: 'a key must be a plain name, not a list or a map' });
    },
    // A "\ud800" escape makes half a character, which no page can show (it becomes "�").
    Scalar(_, node) {
      if (typeof node.value === 'string' && !node.value.isWellFormed() && node.range) errors.push({ offset: node.range[0], message: 'this text contains half a character (a lone "\\uD800"-style escape); write the whole character' });
    },
  });
  if (errors.length > 0) {
    errors.sort((a, b) => a.offset - b.offset);
    const first = errors[0]!;
    const at = pos(first.offset);
    const more = errors.length > 1 ? `; ${plural(errors.length - 1, 'more error')} after it, probably caused by this one: fix it and check again` : '';
    return failed('yaml_syntax', `YAML syntax error at line ${at.line}, column ${at.column}: ${first.message}${tabHint(text, at.line - lineOffset, lineOffset)}${more}`, { line: at.line, column: at.column, placement: 'message' });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    // e.g. "Excessive alias count": a YAML alias bomb is reported, not thrown.
    return failed('yaml_unreadable', `YAML cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const at = (path: readonly PropertyKey[], key?: string): Pos | undefined => {
    let node: unknown = doc.contents;
    let found = node as Node | null;
    for (const k of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(k));
        if (!pair) break;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof k === 'number') {
        node = node.items[k];
        if (!node) break;
      } else break;
      found = node as Node;
    }
    if (key !== undefined && isMap(found)) {
      const pair = found.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair) found = pair.key as Node;
    }
    return found?.range ? pos(found.range[0]) : undefined;
  };
  return { value, at };
}

/** Formats a zod issue path such as ["blocks", 2, "media"] as `blocks[2].media`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function found(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map of fields';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return String(v);
}

const EXPECTED: Record<string, string> = {
  string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list',
  object: 'a map of fields', record: 'a map (e.g. one entry per language)', literal: 'a fixed value',
};

const REQUIRED = 'is required';

/** Messages for zod's generic issues, naming what was found; a schema's own message wins. */
const friendly: z.core.$ZodErrorMap = (iss) => {
  if (iss.input === undefined && (iss.code === 'invalid_type' || iss.code === 'invalid_value')) return REQUIRED;
  if (iss.code === 'invalid_type') return `must be ${EXPECTED[iss.expected] ?? iss.expected} (found ${found(iss.input)})`;
  if (iss.code === 'invalid_value' && iss.values.length > 1) return `must be one of ${iss.values.map(String).join(', ')} (found ${found(iss.input)})`;
  if (iss.code === 'too_big') {
    const n = String(iss.maximum);
    if (iss.origin === 'string') return `is too long (at most ${n} characters)`;
    if (iss.origin === 'array') return `has too many items (at most ${n})`;
    if (iss.origin === 'number') return `must be at most ${n}`;
  }
  if (iss.code === 'too_small') {
    const n = String(iss.minimum);
    if (iss.origin === 'array') return `needs at least ${n} item${n === '1' ? '' : 's'}`;
    if (iss.origin === 'number') return `must be at least ${n}`;
  }
  if (iss.code === 'invalid_key') return 'has a key that is not allowed here';
  return undefined;
};

export interface CheckContext {
  /** Text before each issue's path in the messages: `place "valence": `, `museum.`, `[3].`. */
  prefix?: string;
  /** Locates a path of the value in its YAML file. */
  at?: (path: readonly PropertyKey[], key?: string) => Pos | undefined;
  /** What the value is: its entity, id and locale. */
  where?: Where;
  /** The value's own path inside its entity, before each issue's path in `field` (e.g. [3] for an entry without an id). */
  path?: readonly PropertyKey[];
}

/**
 * Validates a value against a schema, recording each issue as a problem
 * "<file>: <prefix><path>: <message> (line, column)" with its field: `schema`,
 * or `required` for a missing value and `unknown_field` for a key the schema
 * does not know (its field is that key).
 */
export function check<T>(schema: z.ZodType<T>, value: unknown, file: string, problems: Problems, ctx: CheckContext = {}): T | undefined {
  const { prefix = '', at, where = {}, path = [] } = ctx;
  const r = schema.safeParse(value, { error: friendly });
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const shown = formatPath(issue.path);
    const label = shown ? `${prefix}${shown}` : prefix.replace(/(: |\.)$/, '');
    const unknown = issue.code === 'unrecognized_keys';
    const message = unknown ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k.length > 60 ? `${k.slice(0, 60)}…` : k}"`).join(', ')}` : issue.message;
    const code: ProblemCode = unknown ? 'unknown_field' : issue.message === REQUIRED ? 'required' : 'schema';
    const field = formatPath([...path, ...issue.path, ...(unknown && issue.keys[0] !== undefined ? [issue.keys[0]] : [])]);
    problems.add(code, file, label ? `${label}: ${message}` : message, {
      ...where, ...(field ? { field } : {}), at: at?.(issue.path, unknown ? issue.keys[0] : undefined),
    });
  }
  return undefined;
}
