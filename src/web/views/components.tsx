import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Ctx, Localized } from '../../modules/site/site.context.ts';
import type { Doc } from '../../modules/content/content.schema.ts';
import { renderInline, renderMarkdown } from '../../modules/site/markdown.ts';
import { languageName } from '../../i18n/messages.ts';

/** Text that may be a fallback: wrapped in an element carrying its language. */
export function L({ v }: { v: Localized | undefined }) {
  if (!v) return null;
  return v.lang ? <span lang={v.lang}>{v.text}</span> : <>{v.text}</>;
}

/** Inline Markdown (emphasis, links) that may be a fallback. */
export function LInline({ v }: { v: Localized | undefined }) {
  if (!v) return null;
  const html = raw(renderInline(v.text));
  return v.lang ? <span lang={v.lang}>{html}</span> : <>{html}</>;
}

export function FallbackNotice({ ctx, lang }: { ctx: Ctx; lang: string | undefined }) {
  if (!lang) return null;
  return <p class="fallback-notice">{ctx.t('fallback.notice', { language: languageName(lang, ctx.locale) })}</p>;
}

/** A block of Markdown prose, marked with its language when it is a fallback. */
export function Prose({ ctx, v, notice = true }: { ctx: Ctx; v: Localized; notice?: boolean }) {
  // The notice is in the page's language, so it stands outside the element
  // that carries the fallback text's language.
  return (
    <>
      {notice ? <FallbackNotice ctx={ctx} lang={v.lang} /> : null}
      <div class="prose" lang={v.lang}>
      {raw(labelTables(renderMarkdown(v.text), ctx.t('table.label')))}
      </div>
    </>
  );
}

/** Gives each scrollable table wrapper a region role and a name in the page's language. */
function labelTables(html: string, label: string): string {
  const safe = label.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return html.replaceAll('<div class="table-scroll" tabindex="0">', `<div class="table-scroll" tabindex="0" role="region" aria-label="${safe}">`);
}

export interface Crumb {
  label: Child;
  href?: string;
}

export function Breadcrumb({ ctx, items }: { ctx: Ctx; items: Crumb[] }) {
  return (
    <nav class="breadcrumb" aria-label={ctx.t('breadcrumb')}>
      <ol>
        {items.map((c, i) => (
          <li>{c.href && i < items.length - 1 ? <a href={c.href}>{c.label}</a> : <span aria-current="page">{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/** The numbered list of a visit's themes with their one-line summaries. */
export function ThemeList({ ctx, themes, headingLevel = 3 }: { ctx: Ctx; themes: Doc[]; headingLevel?: 2 | 3 }) {
  return (
    <ol class="theme-list">
      {themes.map((th, i) => {
        const { texts, lang } = ctx.docTexts(th);
        const title = <a href={ctx.docPath(th)} lang={lang}>{texts.title}</a>;
        return (
          <li>
            <span class="theme-num" aria-hidden="true">{i + 1}</span>
            <div>
              {headingLevel === 2 ? <h2 class="theme-title">{title}</h2> : <h3 class="theme-title">{title}</h3>}
              {texts.summary ? <p lang={lang}>{raw(renderInline(texts.summary))}</p> : null}
              {th.blocks.length === 0 ? <p class="status">{ctx.t('theme.inPreparationShort')}</p> : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
