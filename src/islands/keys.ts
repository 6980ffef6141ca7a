// Keyboard navigation between themes: ← and → follow the page's
// <link rel="prev|next">. Ignored while typing, with modifier keys, or when
// another script already handled the key. The page works fully without it.
export function installThemeKeys(doc: Document = document): void {
  doc.addEventListener('keydown', (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const t = e.target as HTMLElement | null;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|AUDIO|VIDEO)$/.test(t.tagName))) return;
    if (t?.closest('.table-scroll')) return; // arrows scroll wide tables
    if (t?.closest('dialog, [role="application"]')) return; // arrows pan the zoom viewer
    const link = doc.querySelector<HTMLLinkElement>(`link[rel="${e.key === 'ArrowLeft' ? 'prev' : 'next'}"]`);
    if (!link?.href) return;
    e.preventDefault();
    window.location.assign(link.href);
  });
}

/** Escape closes the theme menu and returns focus to its toggle. */
export function installMenuEscape(doc: Document = document): void {
  doc.addEventListener('keydown', (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    const menu = doc.querySelector<HTMLDetailsElement>('details.theme-menu[open]');
    if (!menu) return;
    menu.open = false;
    menu.querySelector('summary')?.focus();
  });
}
