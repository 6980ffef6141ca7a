import { lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { parseYaml, type Yaml } from './bundle.yaml.ts';
import type { ProblemCode, Problems, Where } from './bundle.problems.ts';

export { check, parseYaml, type Yaml } from './bundle.yaml.ts';
export { Problems } from './bundle.problems.ts';

// Low-level reading of bundle files. Every function records problems (see
// bundle.problems.ts) instead of throwing, so that one import run reports
// everything that is wrong at once.

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface PathProblem {
  code: 'bad_path' | 'file_missing' | 'outside_bundle' | 'file_unreadable';
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
    return { code: 'file_missing', message: 'the bundle folder is missing' };
  }
  let real: string;
  try {
    real = realpathSync(join(root, rel));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const link = firstLink(root, rel);
      if (link) return { code: 'file_missing', message: `is missing (the symbolic link "${link}" leads nowhere)` };
      return { code: 'file_missing', message: 'file is missing' };
    }
    if (code === 'ELOOP') return { code: 'file_unreadable', message: 'cannot be read (symbolic links that loop)' };
    return { code: 'file_unreadable', message: `cannot be read (${code ?? String(e)})` };
  }
  if (!within(real, realRoot)) {
    const link = firstLink(root, rel, realRoot) ?? rel;
    const which = link === rel ? 'is a symbolic link' : `is inside "${link}", a symbolic link`;
    return { code: 'outside_bundle', message: `${which} that leads outside the bundle; copy the file into the bundle instead` };
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
    if (real.code === 'file_missing' && real.message === 'file is missing') return [];
    problems.add(real.code, where, real.code === 'file_missing' ? real.message : real.message.replace('copy the file', 'copy the folder'));
    problems.failed.add(where);
    return [];
  }
  try {
    if (!statSync(real).isDirectory()) {
      problems.add('not_a_folder', where, 'is not a folder');
      problems.failed.add(where);
      return [];
    }
    return readdirSync(real).sort();
  } catch (e) {
    problems.add('file_unreadable', where, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
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
export function controlCharacterProblem(text: string): { message: string; line: number; column: number } | undefined {
  const matches = [...text.matchAll(CONTROL)];
  const first = matches[0];
  if (!first) return undefined;
  const before = text.slice(0, first.index);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const column = first.index - before.lastIndexOf('\n');
  const code = first[0].charCodeAt(0);
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}${CONTROL_NAMES[code] ? ` (${CONTROL_NAMES[code]})` : ''}`;
  const more = matches.length > 1 ? ` and ${matches.length - 1} more` : '';
  return { line, column, message: `contains the control character ${name}${more}, which text files must not hold (it is invisible in most editors; delete it)` };
}

/** Reads a text file of the bundle; `where` says what it holds (its entity, id, locale) for the problems. */
export function readText(root: string, rel: string, problems: Problems, where: Where = {}): string | undefined {
  const real = insideBundle(root, rel);
  if (typeof real !== 'string') {
    problems.add(real.code, rel, real.message, where);
    if (real.code !== 'file_missing') problems.failed.add(rel);
    return undefined;
  }
  const fail = (code: ProblemCode, message: string, more: Where = {}) => {
    problems.add(code, rel, message, { ...where, ...more });
    problems.failed.add(rel);
    return undefined;
  };
  try {
    // A folder, a FIFO (reading it would wait forever) or a device is not a bundle file.
    const st = statSync(real);
    if (!st.isFile()) return fail('not_a_file', st.isDirectory() ? 'is a folder, not a file' : 'is not a regular file');
    if (st.size > MAX_FILE_BYTES) return fail('file_too_large', `file is too large (${st.size} bytes; at most ${MAX_FILE_BYTES})`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(real)).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const control = controlCharacterProblem(text);
    return control ? fail('control_character', control.message, { line: control.line, column: control.column, placement: 'start' }) : text;
  } catch (e) {
    if (e instanceof TypeError) return fail('not_utf8', 'is not valid UTF-8 text');
    return fail('file_unreadable', `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export interface MarkdownFile {
  frontMatter: Yaml | undefined;
  /** `line`: the "::: id" marker's line; `bodyLine`: the line of the body's first line (after leading blank lines). */
  sections: { id: string; body: string; line: number; bodyLine: number }[];
}

const MARKER = /^:::\s+([^\s]+)\s*$/;

/** Splits a locale Markdown file into its YAML front matter and its `::: id` sections. */
export function parseMarkdownFile(text: string, file: string, problems: Problems, where: Where = {}): MarkdownFile | undefined {
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '---') {
    problems.add('front_matter', file, 'front matter is missing (the file must start with a line "---")', where);
    return undefined;
  }
  const end = lines.indexOf('---', 1);
  if (end < 0) {
    problems.add('front_matter', file, 'front matter is not closed (a second line "---" is missing)', where);
    return undefined;
  }
  const frontMatter = parseYaml(lines.slice(1, end).join('\n'), file, problems, 1, where);
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
      problems.add('text_outside_section', file, 'text before the first "::: block-id" marker', { ...where, line: i + 1, placement: 'start' });
      return undefined;
    }
  }
  flush();
  return { frontMatter, sections };
}
