import { lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { parseYaml, type Pos, type Yaml } from './bundle.yaml.ts';

export { check, formatPath, parseYaml, type Pos, type Yaml } from './bundle.yaml.ts';

// Low-level reading of bundle files. Every function records problems as
// "<file>: <field>: <reason>" strings instead of throwing, so that one import
// run reports everything that is wrong at once.

/** Characters that would let a problem message rewrite the terminal or reorder its text: shown as \u escapes. */
const UNSAFE_IN_MESSAGE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const MAX_MESSAGE = 2000;

export class Problems {
  readonly list: string[] = [];
  /** Files that exist but could not be read or parsed: their cause is reported once, never again as "missing". */
  readonly failed = new Set<string>();
  add(file: string, message: string, at?: Pos): void {
    let text = `${file}: ${message}${at ? ` (line ${at.line}, column ${at.column})` : ''}`;
    text = text.replace(UNSAFE_IN_MESSAGE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    this.list.push(text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text);
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** A value from the bundle quoted in a message: short, so that a huge key or id cannot flood the report. */
export function quote(value: unknown, max = 60): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `"${s.length > max ? `${s.slice(0, max)}…` : s}"`;
}

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface PathProblem {
  code: 'bad_path' | 'missing' | 'outside' | 'unreadable';
  message: string;
}

/** A bundle path as the format writes them: relative, forward slashes, no "." or ".." or empty segment, no drive letter. */
export function isPlainRelative(rel: string): boolean {
  return rel.length > 0 && !/[\\\0:]/.test(rel) && !rel.startsWith('/') && rel.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

const within = (real: string, realRoot: string) => real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);

/**
 * Resolves a path of the bundle to the real file it names, or says why it
 * cannot be read. A symbolic link (the file itself or any folder on the way,
 * e.g. `themes` or `media/ext`) may point elsewhere inside the bundle, never
 * outside it: a bundle from someone else must not publish the importing
 * machine's files. Every reader of bundle files goes through this.
 */
export function insideBundle(root: string, rel: string): string | PathProblem {
  if (!isPlainRelative(rel)) return { code: 'bad_path', message: 'is not a path inside the bundle (relative, with "/" between folders, no ".." and no drive letter)' };
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return { code: 'missing', message: 'the bundle folder is missing' };
  }
  let real: string;
  try {
    real = realpathSync(join(root, rel));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const link = firstLink(root, rel);
      if (link) return { code: 'missing', message: `is missing (the symbolic link "${link}" leads nowhere)` };
      return { code: 'missing', message: 'file is missing' };
    }
    if (code === 'ELOOP') return { code: 'unreadable', message: 'cannot be read (symbolic links that loop)' };
    return { code: 'unreadable', message: `cannot be read (${code ?? String(e)})` };
  }
  if (!within(real, realRoot)) {
    const link = firstLink(root, rel, realRoot) ?? rel;
    const which = link === rel ? 'is a symbolic link' : `is inside "${link}", a symbolic link`;
    return { code: 'outside', message: `${which} that leads outside the bundle; copy the file into the bundle instead` };
  }
  return real;
}

/** The first component of `rel` that is a symbolic link (leading outside `realRoot` when given). */
function firstLink(root: string, rel: string, realRoot?: string): string | undefined {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    try {
      if (!lstatSync(join(root, prefix)).isSymbolicLink()) continue;
    } catch {
      return undefined;
    }
    if (!realRoot) return prefix;
    try {
      if (!within(realpathSync(join(root, prefix)), realRoot)) return prefix;
    } catch {
      return prefix;
    }
  }
  return undefined;
}

/** The sorted names in a folder of the bundle; an absent folder is empty, one that cannot be listed is a problem. */
export function listDir(root: string, rel: string, problems: Problems): string[] {
  const where = `${rel}/`;
  const real = insideBundle(root, rel);
  if (typeof real !== 'string') {
    if (real.code === 'missing' && real.message === 'file is missing') return [];
    problems.add(where, real.code === 'missing' ? real.message : real.message.replace('copy the file', 'copy the folder'));
    problems.failed.add(where);
    return [];
  }
  try {
    if (!statSync(real).isDirectory()) {
      problems.add(where, 'is not a folder');
      problems.failed.add(where);
      return [];
    }
    return readdirSync(real).sort();
  } catch (e) {
    problems.add(where, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    problems.failed.add(where);
    return [];
  }
}

/** True when the bundle has something at `rel` (a file, a folder or a link). */
export function existsInBundle(root: string, rel: string): boolean {
  try {
    lstatSync(join(root, rel));
    return true;
  } catch {
    return false;
  }
}

// C0 controls but tab, LF and CR; DEL; C1 controls (often text decoded with the wrong encoding).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const CONTROL_NAMES: Record<number, string> = { 0: 'NUL', 0x1b: 'ESC', 0x7f: 'DEL' };

/** The first control character of a text as a problem message with its line and column, or undefined. */
export function controlCharacterProblem(text: string): string | undefined {
  const matches = [...text.matchAll(CONTROL)];
  const first = matches[0];
  if (!first) return undefined;
  const before = text.slice(0, first.index);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const column = first.index - before.lastIndexOf('\n');
  const code = first[0].charCodeAt(0);
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}${CONTROL_NAMES[code] ? ` (${CONTROL_NAMES[code]})` : ''}`;
  const more = matches.length > 1 ? ` and ${matches.length - 1} more` : '';
  return `line ${line}, column ${column}: contains the control character ${name}${more}, which text files must not hold (it is invisible in most editors; delete it)`;
}

export function readText(root: string, rel: string, problems: Problems): string | undefined {
  const real = insideBundle(root, rel);
  if (typeof real !== 'string') {
    problems.add(rel, real.message);
    if (real.code !== 'missing') problems.failed.add(rel);
    return undefined;
  }
  const fail = (message: string) => {
    problems.add(rel, message);
    problems.failed.add(rel);
    return undefined;
  };
  try {
    // A folder, a FIFO (reading it would wait forever) or a device is not a bundle file.
    const st = statSync(real);
    if (!st.isFile()) return fail(st.isDirectory() ? 'is a folder, not a file' : 'is not a regular file');
    if (st.size > MAX_FILE_BYTES) return fail(`file is too large (${st.size} bytes; at most ${MAX_FILE_BYTES})`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(real)).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const control = controlCharacterProblem(text);
    return control ? fail(control) : text;
  } catch (e) {
    if (e instanceof TypeError) return fail('is not valid UTF-8 text');
    return fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export interface MarkdownFile {
  frontMatter: Yaml | undefined;
  /** `line`: the "::: id" marker's line; `bodyLine`: the line of the body's first line (after leading blank lines). */
  sections: { id: string; body: string; line: number; bodyLine: number }[];
}

const MARKER = /^:::\s+([^\s]+)\s*$/;

/** Splits a locale Markdown file into its YAML front matter and its `::: id` sections. */
export function parseMarkdownFile(text: string, file: string, problems: Problems): MarkdownFile | undefined {
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '---') {
    problems.add(file, 'front matter is missing (the file must start with a line "---")');
    return undefined;
  }
  const end = lines.indexOf('---', 1);
  if (end < 0) {
    problems.add(file, 'front matter is not closed (a second line "---" is missing)');
    return undefined;
  }
  const frontMatter = parseYaml(lines.slice(1, end).join('\n'), file, problems, 1);
  if (!frontMatter) return undefined;
  const sections: MarkdownFile['sections'] = [];
  let current: { id: string; lines: string[]; line: number } | undefined;
  const flush = () => {
    if (!current) return;
    const blank = current.lines.findIndex((l) => l.trim() !== '');
    sections.push({ id: current.id, body: current.lines.join('\n').trim(), line: current.line, bodyLine: current.line + 1 + Math.max(blank, 0) });
  };
  for (let i = end + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = MARKER.exec(line);
    if (m) {
      flush();
      current = { id: m[1] ?? '', lines: [], line: i + 1 };
    } else if (current) {
      current.lines.push(line);
    } else if (line.trim() !== '') {
      problems.add(file, `line ${i + 1}: text before the first "::: block-id" marker`);
      return undefined;
    }
  }
  flush();
  return { frontMatter, sections };
}
