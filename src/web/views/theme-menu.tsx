import { raw } from 'hono/html';
import type { Ctx } from '../site/site.context.ts';
import type { Visit } from '../../modules/content/content.schema.ts';
import { L } from './components.tsx';

// The theme menu in every page's header. Its items are rendered once per
// (visit, language) and kept in the content's index, with the fallbacks each
// shows, so that a page only joins strings and adds those counts to its own
// (its note "some texts are not yet translated" stays exact). A visit of more
// than MENU_FULL_MAX themes gets a compact menu: the current theme and its
// neighbours, numbered, and a link to the visit page, which lists them all;
// a large visit is not repeated in full on each of its pages.

/** Up to this many themes, the menu lists them all. */
export const MENU_FULL_MAX = 30;
/** In a compact menu, the themes shown before and after the current one (7 in all). */
export const MENU_NEIGHBOURS = 3;

interface MenuItem {
  id: string;
  /** The item as a string, and as the current page's item. */
  html: string;
  current: string;
  /** Inline fallbacks the item shows (its title in another language). */
  inline: number;
}

function toHtml(node: { toString(): string | Promise<string> }): string {
  const s = node.toString();
  if (s instanceof Promise) throw new Error('the theme menu must render synchronously');
  return String(s);
}

/** The visit's menu items in this language, rendered once per content version. */
function menuItems(ctx: Ctx, visit: Visit): MenuItem[] {
  const key = `theme-menu\u0000${visit.id}\u0000${ctx.locale}`;
  const known = ctx.index.memo.get(key) as MenuItem[] | undefined;
  if (known) return known;
  const items = ctx.themesOf(visit.id).map((th, i) => {
    const item = (c: Ctx, current: boolean) => toHtml(
      <li>
        <a href={c.docPath(th)} aria-current={current ? 'page' : undefined}>
          <span class="menu-num">{i + 1}</span> <L ctx={c} v={c.docTitle(th)} />
        </a>
      </li>,
    );
    const counted = ctx.forPage();
    const html = item(counted, false);
    return { id: th.id, html, current: item(ctx.forPage(), true), inline: counted.fallbacks.inline };
  });
  ctx.index.memo.set(key, items);
  return items;
}

/** The first and last index (inclusive) a compact menu shows around the current theme (or from the first). */
export function menuWindow(total: number, current: number): [number, number] {
  const size = Math.min(total, 2 * MENU_NEIGHBOURS + 1);
  const from = Math.max(0, Math.min(current - MENU_NEIGHBOURS, total - size));
  return [from, from + size - 1];
}

export function ThemeMenu({ ctx, visit, currentTheme, path }: { ctx: Ctx; visit: Visit; currentTheme: string | undefined; path: string }) {
  const items = menuItems(ctx, visit);
  const compact = items.length > MENU_FULL_MAX;
  const i = currentTheme === undefined ? undefined : ctx.index.themeIndex.get(currentTheme);
  const at = i !== undefined && items[i]?.id === currentTheme ? i : -1;
  const [from, to] = compact ? menuWindow(items.length, Math.max(0, at)) : [0, items.length - 1];
  let html = '';
  for (let i = from; i <= to; i += 1) {
    const it = items[i]!;
    html += i === at ? it.current : it.html;
    ctx.fallbacks.inline += it.inline;
  }
  const visitPath = ctx.visitPath(visit);
  return (
    <details class="theme-menu" id="theme-menu">
      <summary>{ctx.t('nav.themes')}</summary>
      <nav aria-label={ctx.t('nav.themesMenu')}>
        {compact ? (
          <>
            <p class="menu-range">{ctx.t('nav.themesRange', { from: from + 1, to: to + 1, total: items.length })}</p>
            <ol class="menu-compact" start={from + 1}>{raw(html)}</ol>
            <p class="menu-all"><a href={visitPath} aria-current={path === visitPath ? 'page' : undefined}>{ctx.t('nav.allThemes', { count: items.length })}</a></p>
          </>
        ) : <ol>{raw(html)}</ol>}
      </nav>
    </details>
  );
}
