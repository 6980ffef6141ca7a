import MarkdownIt from 'markdown-it';
import bracketedSpans from 'markdown-it-bracketed-spans';
import attrs from 'markdown-it-attrs';

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

export function renderMarkdown(src: string): string {
  return md.render(src);
}

export function renderInline(src: string): string {
  return md.renderInline(src);
}

/** Plain text of inline Markdown, for meta descriptions and titles. */
export function plainText(src: string): string {
  return src.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\[([^\]]*)\]\{[^}]*\}/g, '$1').replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}
