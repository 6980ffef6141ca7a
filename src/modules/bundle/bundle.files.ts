import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';

// Low-level reading of bundle files. Every function records problems as
// "<file>: <field>: <reason>" strings instead of throwing, so that one import
// run reports everything that is wrong at once.

export class Problems {
  readonly list: string[] = [];
  add(file: string, message: string): void {
    this.list.push(`${file}: ${message}`);
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export function listDir(root: string, rel: string): string[] {
  try {
    return readdirSync(join(root, rel)).sort();
  } catch {
    return [];
  }
}

export function readText(root: string, rel: string, problems: Problems): string | undefined {
  const path = join(root, rel);
  try {
    const st = statSync(path);
    if (!st.isFile()) {
      problems.add(rel, 'is not a file');
      return undefined;
    }
    if (st.size > MAX_FILE_BYTES) {
      problems.add(rel, `file is too large (${st.size} bytes; at most ${MAX_FILE_BYTES})`);
      return undefined;
    }
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
    return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') problems.add(rel, 'file is missing');
    else if (e instanceof TypeError) problems.add(rel, 'is not valid UTF-8 text');
    else problems.add(rel, `cannot be read (${code ?? String(e)})`);
    return undefined;
  }
}

export function parseYaml(text: string, file: string, problems: Problems, lineOffset = 0): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const line = err.linePos?.[0]?.line;
      problems.add(file, `YAML syntax error${line ? ` at line ${line + lineOffset}` : ''}: ${err.message.split('\n')[0]}`);
    }
    return undefined;
  }
  try {
    return doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    // e.g. "Excessive alias count": a YAML alias bomb is reported, not thrown.
    problems.add(file, `YAML cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
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

export function check<T>(schema: z.ZodType<T>, value: unknown, file: string, problems: Problems, prefix = ''): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const where = formatPath(issue.path);
    const label = [prefix, where].filter(Boolean).join('');
    const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    problems.add(file, label ? `${label}: ${message}` : message);
  }
  return undefined;
}

export interface MarkdownFile {
  frontMatter: unknown;
  sections: { id: string; body: string; line: number }[];
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
  const sections: MarkdownFile['sections'] = [];
  let current: { id: string; lines: string[]; line: number } | undefined;
  const flush = () => {
    if (current) sections.push({ id: current.id, body: current.lines.join('\n').trim(), line: current.line });
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
