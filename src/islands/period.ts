// A theme's "see the whole chronology" link points at #period-<theme>: the
// chronology then marks every event of that theme, so the reader sees the
// theme's period within the whole. Without script the link still lands on
// the theme's first event.

export function installPeriod(doc: Document = document, win: Window = window): void {
  const mark = () => {
    const m = /^#period-([a-z0-9-]+)$/.exec(win.location.hash);
    for (const li of doc.querySelectorAll('.event-list > li.in-period')) li.classList.remove('in-period');
    // The period's anchor names the theme's page; its events are those whose theme links point there.
    const path = m ? doc.getElementById(`period-${m[1]}`)?.dataset.themePath : undefined;
    if (!path) return;
    for (const a of doc.querySelectorAll<HTMLAnchorElement>('.event-list > li > .event-meta a')) {
      if (a.getAttribute('href') === path) a.closest('.event-list > li')?.classList.add('in-period');
    }
  };
  win.addEventListener('hashchange', mark);
  mark();
}
