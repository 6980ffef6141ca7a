// Keyboard navigation between themes: ← and → follow the page's
// <link rel="prev|next">. Ignored while typing (a form field, an editable
// region), in the zoom viewer and wide tables (where the arrows pan and
// scroll), with text selected (shift-less arrows may move a caret there),
// with modifier keys, or when another script already handled the key.
// The page works fully without it.

/** Whether a ← / → keydown should change theme; pure, so that a test can ask it. */
export function themeKeyApplies(e: Pick<KeyboardEvent, 'key' | 'defaultPrevented' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'target'>, selection: Selection | null): boolean {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return false;
  if (selection && !selection.isCollapsed && selection.toString().trim() !== '') return false;
  const t = e.target as HTMLElement | null;
  if (!t || typeof t.closest !== 'function') return true;
  if (t.isContentEditable || t.closest('input, textarea, select, audio, video, [contenteditable]:not([contenteditable="false"])')) return false;
  if (t.closest('.table-scroll')) return false; // arrows scroll wide tables
  if (t.closest('dialog, [role="application"], .zoom-viewer')) return false; // arrows pan the zoom viewer
  return true;
}

export function installThemeKeys(doc: Document = document): void {
  // The tip about the keys is true only now that they work.
  for (const tip of doc.querySelectorAll<HTMLElement>('.key-hint')) tip.hidden = false;
  doc.addEventListener('keydown', (e: KeyboardEvent) => {
    if (!themeKeyApplies(e, doc.getSelection())) return;
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
