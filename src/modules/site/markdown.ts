import MarkdownIt from 'markdown-it';

// CommonMark without raw HTML: tags written in content are shown as text,
// never interpreted. Links are allowed only to http(s), mailto and relative URLs.
const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });
md.validateLink = (url: string) => /^(https?:|mailto:|\/|#|\.\.?\/)/i.test(url.trim()) || !/^[a-z][a-z0-9+.-]*:/i.test(url.trim());

// Tables are part of the curator's toolbox (e.g. an organisation chart).
md.enable('table');

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

export function renderMarkdown(src: string): string {
  return md.render(src);
}

export function renderInline(src: string): string {
  return md.renderInline(src);
}

/** Plain text of inline Markdown, for meta descriptions and titles. */
export function plainText(src: string): string {
  return src.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}
