import type { Ctx, Localized } from '../site/site.context.ts';
import type { GlossaryEntry } from '../../modules/content/content.schema.ts';
import { GlossaryFinder, sortGlossary } from '../../modules/content/content.glossary.ts';
import type { GlossaryMarking } from '../../modules/content/markdown.ts';
import { Breadcrumb, L, LInline } from './components.tsx';

// The glossary page, and the marking of a glossary's words in a theme's texts.

/** An entry's abbreviation in the page's language (the one for every language, or this language's, or the default's). */
function abbreviation(ctx: Ctx, e: GlossaryEntry): Localized | undefined {
  return typeof e.abbreviation === 'string' ? ctx.own(e.abbreviation) : ctx.tx(e.abbreviation);
}

/** What an entry is listed under: its abbreviation when it has one ("FFI" is looked up as FFI), else its term. */
function headword(ctx: Ctx, e: GlossaryEntry): string {
  return (abbreviation(ctx, e) ?? ctx.tx(e.term))?.text ?? e.id;
}

/** The entries in the page's order (sorted once per language and content version). */
export function glossaryInOrder(ctx: Ctx): GlossaryEntry[] {
  const key = `glossary-order/${ctx.locale}`;
  let entries = ctx.index.memo.get(key) as GlossaryEntry[] | undefined;
  if (!entries) ctx.index.memo.set(key, (entries = sortGlossary(ctx.c.glossary, (e) => headword(ctx, e), ctx.locale)));
  return entries;
}

export function GlossaryPage({ ctx }: { ctx: Ctx }) {
  const entries = glossaryInOrder(ctx);
  return (
    <>
      <Breadcrumb ctx={ctx} items={[{ label: ctx.t('nav.home'), href: ctx.home() }, { label: ctx.t('glossary.title') }]} />
      <h1>{ctx.t('glossary.title')}</h1>
      <p class="lead">{ctx.t('glossary.intro')}</p>
      <dl class="glossary">
        {entries.map((e) => {
          const abbr = abbreviation(ctx, e);
          const term = ctx.tx(e.term);
          return (
            <div class="glossary-entry">
              <dt id={e.id}>
                {abbr ? (
                  <>
                    {/* The expansion as a title only in the page's language: an attribute cannot say it is in another (it follows, marked, anyway). */}
                    <abbr title={term && !term.fallback ? term.text : undefined}><L ctx={ctx} v={abbr} /></abbr>
                    {term && term.text !== abbr.text ? <span class="glossary-expansion"> — <L ctx={ctx} v={term} /></span> : null}
                  </>
                ) : <L ctx={ctx} v={term} />}
              </dt>
              <dd><LInline ctx={ctx} v={ctx.tx(e.definition)} /></dd>
            </div>
          );
        })}
      </dl>
    </>
  );
}

/**
 * The marking of a theme's texts in one language (`lang`, that of the text):
 * links to the entries on this page's glossary, in the page's language, and
 * the page's set of entries already marked. Undefined without a glossary.
 */
export function glossaryMarking(ctx: Ctx, lang: string): GlossaryMarking | undefined {
  if (!ctx.c.glossary.length) return undefined;
  const key = `glossary-finder/${lang}`;
  let finder = ctx.index.memo.get(key) as GlossaryFinder | undefined;
  if (!finder) ctx.index.memo.set(key, (finder = new GlossaryFinder(ctx.c.glossary, lang)));
  const byId = ctx.index.glossary;
  const page = ctx.glossaryPath();
  return {
    finder,
    marked: ctx.glossaryMarked,
    href: (id) => `${page}#${id}`,
    // The expansion in the text's language, as the abbreviation is read in it; none in another language
    // (an attribute cannot say it is): the link leads to the entry, where the fallback is shown and marked.
    title: (id) => byId.get(id)?.term[lang],
  };
}
