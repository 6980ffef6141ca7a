import MarkdownIt from 'markdown-it';
import bracketedSpans from 'markdown-it-bracketed-spans';
import attrs from 'markdown-it-attrs';
import type { GlossaryFinder } from './content.glossary.ts';

// CommonMark without raw HTML: tags written in content are shown as text,
// never interpreted. Links are allowed only to http(s), mailto and relative URLs.
const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });
md.validateLink = (url: string) => /^(https?:|mailto:|\/|#|\.\.?\/)/i.test(url.trim()) || !/^[a-z][a-z0-9+.-]*:/i.test(url.trim());

// Tables are part of the curator's toolbox (e.g. an organisation chart).
md.enable('table');

// A fragment in another language is marked the Pandoc way, so that screen
// readers switch voice: [« La Libération de la Drôme »]{lang=fr}. Only the
// `lang` attribute is accepted, with a language-tag value.
// The plugin is CommonJS whose types describe an ES default export; at run time
// the default import is the plugin function itself.
md.use(bracketedSpans as unknown as (md: InstanceType<typeof MarkdownIt>) => void).use(attrs, { allowedAttributes: ['lang'], allowedAttributeValues: [/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/] });

// Headings inside content start at h2 (the page title is the only h1); a stray
// "# Heading" is demoted rather than creating a second h1.
md.core.ruler.push('demote_h1', (state) => {
  for (const tok of state.tokens) {
    if ((tok.type === 'heading_open' || tok.type === 'heading_close') && tok.tag === 'h1') tok.tag = 'h2';
  }
});

// Tables scroll on their own on narrow screens instead of widening the page.
md.renderer.rules.table_open = () => '<div class="table-scroll" tabindex="0"><table>\n';
md.renderer.rules.table_close = () => '</table></div>\n';

type Token = ReturnType<typeof md.parse>[number];

/**
 * Section anchors: with `section` in the render's env, the headings of the
 * piece of Markdown get ids (the first one `section.id`, the others
 * `${section.id}-2`, `-3`…), and each is followed by a link to itself, the
 * affordance a reader copies to cite the section (its words, in the page's
 * language, name the section for a screen reader; the "#" is decoration).
 */
export interface SectionEnv {
  /**
   * `label`: the link's words around the heading's (before, after), in
   * `label.lang` when that is not the text's own language (a fallback text
   * keeps the page's words in the page's language, the heading in its own).
   */
  section?: { id: string; label: { before: string; after: string; lang?: string | undefined }; textLang?: string | undefined };
  headingCount?: number;
}
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const HEADING_LEVELS = new Set(['h2', 'h3']);

/** The id the n-th heading (0-based) of a section gets. */
export const sectionHeadingId = (id: string, n: number): string => (n === 0 ? id : `${id}-${n + 1}`);

md.renderer.rules.heading_open = (tokens, i, options, e, self) => {
  const env = (e ?? {}) as SectionEnv;
  const tok = tokens[i]!;
  if (env.section && HEADING_LEVELS.has(tok.tag)) {
    const n = env.headingCount ?? 0;
    env.headingCount = n + 1;
    tok.attrSet('id', sectionHeadingId(env.section.id, n));
    return `<div class="section-head">${self.renderToken(tokens, i, options)}`;
  }
  return self.renderToken(tokens, i, options);
};
md.renderer.rules.heading_close = (tokens, i, options, e, self) => {
  const env = (e ?? {}) as SectionEnv;
  const open = tokens.slice(0, i).findLast((t) => t.type === 'heading_open');
  const id = open?.attrGet('id');
  if (!env.section || !open || !id || !HEADING_LEVELS.has(open.tag)) return self.renderToken(tokens, i, options);
  const text = plainText(tokens[i - 1]?.content ?? '');
  const { label, textLang } = env.section;
  const own = (s: string) => escapeHtml(s);
  const words = label.lang ? `${own(label.before)}<span lang="${own(textLang ?? '')}">${own(text)}</span>${own(label.after)}` : own(`${label.before}${text}${label.after}`);
  return `${self.renderToken(tokens, i, options).trimEnd()}<a class="section-link" href="#${own(String(id))}"><span aria-hidden="true">#</span><span class="visually-hidden"${label.lang ? ` lang="${own(label.lang)}"` : ''}>${words}</span></a></div>\n`;
};

/** The text of each heading of a piece of Markdown (h2 and h3, demoted h1 included), for a page's contents. */
export function markdownHeadings(src: string): { level: number; text: string }[] {
  const tokens = md.parse(src, {});
  const out: { level: number; text: string }[] = [];
  tokens.forEach((t, i) => {
    const tag = t.tag === 'h1' ? 'h2' : t.tag;
    if (t.type === 'heading_open' && HEADING_LEVELS.has(tag)) out.push({ level: Number(tag.slice(1)), text: plainText(tokens[i + 1]?.content ?? '') });
  });
  return out;
}

/**
 * The first use of each glossary entry, marked as a link to its entry (an
 * abbreviation in an <abbr> with its expansion): `finder` finds the words of
 * the text's language, `marked` holds the entries already marked on the page
 * (shared by the page's texts, so only the first use is marked), `href` and
 * `title` give each mark its link and an abbreviation its expansion. Never in
 * a heading, a link or code. Everything written comes from the bundle and is
 * escaped here.
 */
export interface GlossaryMarking {
  finder: GlossaryFinder;
  marked: Set<string>;
  href: (id: string) => string;
  title: (id: string) => string | undefined;
}

md.core.ruler.push('glossary', (state) => {
  const g = (state.env as { glossary?: GlossaryMarking } | undefined)?.glossary;
  if (!g) return;
  let heading = 0;
  for (const tok of state.tokens) {
    if (tok.type === 'heading_open') heading += 1;
    else if (tok.type === 'heading_close') heading -= 1;
    else if (tok.type === 'inline' && heading === 0 && tok.children) tok.children = markGlossary(tok.children, g, (type, nesting) => new state.Token(type, '', nesting));
  }
});

function markGlossary(children: Token[], g: GlossaryMarking, token: (type: string, nesting: -1 | 0 | 1) => Token): Token[] {
  const out: Token[] = [];
  let link = 0;
  for (const t of children) {
    if (t.type === 'link_open') link += 1;
    if (t.type === 'link_close') link -= 1;
    if (t.type !== 'text' || link > 0) {
      out.push(t);
      continue;
    }
    const text = t.content;
    let pos = 0;
    for (let hit = g.finder.find(text, 0, g.marked); hit; hit = g.finder.find(text, pos, g.marked)) {
      g.marked.add(hit.id);
      if (hit.index > pos) out.push(Object.assign(token('text', 0), { content: text.slice(pos, hit.index) }));
      const open = token('glossary_open', 1);
      open.attrSet('href', g.href(hit.id));
      const title = hit.abbreviation ? g.title(hit.id) : undefined;
      if (title !== undefined) open.meta = { title };
      out.push(open, Object.assign(token('text', 0), { content: text.slice(hit.index, hit.index + hit.length) }), Object.assign(token('glossary_close', -1), { meta: open.meta as unknown }));
      pos = hit.index + hit.length;
    }
    if (pos === 0) out.push(t);
    else if (pos < text.length) out.push(Object.assign(token('text', 0), { content: text.slice(pos) }));
  }
  return out;
}

const esc = md.utils.escapeHtml;
md.renderer.rules.glossary_open = (tokens, idx) => {
  const t = tokens[idx]!;
  const title = (t.meta as { title?: string } | null)?.title;
  return `<a class="glossary-link" href="${esc(String(t.attrGet('href') ?? ''))}">${title !== undefined ? `<abbr title="${esc(title)}">` : ''}`;
};
md.renderer.rules.glossary_close = (tokens, idx) => `${(tokens[idx]!.meta as { title?: string } | null)?.title !== undefined ? '</abbr>' : ''}</a>`;

/**
 * The images a piece of Markdown would show (`![alt](url)`, reference images
 * too), with the 0-based line of each within `src`. Raw HTML is never rendered,
 * so an `<img>` tag is text, not an image.
 */
export function markdownImages(src: string, inline = false): { src: string; line: number }[] {
  if (!src.includes('![')) return [];
  const out: { src: string; line: number }[] = [];
  const walk = (tokens: Token[], line: number) => {
    for (const t of tokens) {
      const here = t.map?.[0] ?? line;
      if (t.type === 'image') out.push({ src: String(t.attrGet('src') ?? ''), line: here });
      if (t.children) walk(t.children, here);
    }
  };
  walk(inline ? md.parseInline(src, {}) : md.parse(src, {}), 0);
  return out;
}

/** Markdown as HTML; with `section`, its headings get anchors (SectionEnv); with `glossary`, the first use of each entry is marked (GlossaryMarking). */
export function renderMarkdown(src: string, env: SectionEnv & { glossary?: GlossaryMarking | undefined } = {}): string {
  return md.render(src, env as Record<string, unknown>);
}

export function renderInline(src: string): string {
  return md.renderInline(src);
}

/** Plain text of inline Markdown, for meta descriptions and titles. */
export function plainText(src: string): string {
  return src.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\[([^\]]*)\]\{[^}]*\}/g, '$1').replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}
