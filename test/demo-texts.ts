import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Content, Doc } from '../src/modules/content/content.schema.ts';

// Every text of a bundle that a visitor can read, with where it comes from and
// its language: what the demo's voice and wording rules are checked against.

export interface VisitorText {
  /** e.g. "theme liberation/department-date body", "event lib-nyons description". */
  where: string;
  locale: string;
  text: string;
}

const push = (out: VisitorText[], where: string, map: Record<string, string> | undefined) => {
  for (const [locale, text] of Object.entries(map ?? {})) out.push({ where, locale, text: text.replace(/\u00a0|\u202f/g, ' ') });
};

/** Titles, summaries, leads and every block's words of a document, per language. */
export function docTexts(d: Doc, only?: (kind: string) => boolean): VisitorText[] {
  const out: VisitorText[] = [];
  for (const [locale, t] of Object.entries(d.texts)) {
    const one = (field: string, text: string | undefined) => {
      if (text) out.push({ where: `${d.kind} ${d.id} ${field}`, locale, text: text.replace(/\u00a0|\u202f/g, ' ') });
    };
    if (!only) {
      one('title', t.title);
      one('summary', t.summary);
      one('lead', t.lead);
    }
    for (const b of d.blocks) {
      if (only && !only(b.kind)) continue;
      const bt = t.blocks[b.id];
      for (const f of ['body', 'title', 'caption', 'source'] as const) one(`${b.id} ${f}`, bt?.[f]);
    }
  }
  return out;
}

export function visitorTexts(c: Content): VisitorText[] {
  const out: VisitorText[] = [];
  const m = c.museum;
  for (const f of ['name', 'short_name', 'intro', 'about_site', 'credits'] as const) push(out, `museum ${f}`, m[f]);
  for (const v of c.visits) for (const f of ['title', 'summary'] as const) push(out, `visit ${v.id} ${f}`, v[f]);
  for (const d of c.docs) out.push(...docTexts(d));
  for (const e of c.events) for (const f of ['title', 'description'] as const) push(out, `event ${e.id} ${f}`, e[f]);
  for (const p of c.places) for (const f of ['name', 'description'] as const) push(out, `place ${p.id} ${f}`, p[f]);
  for (const x of c.media) for (const f of ['title', 'description', 'alt', 'caption', 'credit'] as const) push(out, `media ${x.id} ${f}`, x[f]);
  for (const t of c.tags) push(out, `tag ${t.id}`, t.label);
  return out;
}

/** Every text file of a bundle (YAML, Markdown, WebVTT), by its path in the bundle. */
export function bundleFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|md|vtt)$/.test(e.name)) files.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** Texts matching a pattern, said as "where (locale): …the match…", for an assertion message. */
export function offending(texts: VisitorText[], pattern: RegExp): string[] {
  return texts.flatMap((t) => {
    const m = pattern.exec(t.text);
    return m ? [`${t.where} (${t.locale}): …${t.text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}…`] : [];
  });
}
