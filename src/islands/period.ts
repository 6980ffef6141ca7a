// A theme's "see the whole chronology" link points at #period-<theme>: the
// chronology then marks every event of that theme, so the reader sees the
// theme's period within the whole. Without script the link still lands on
// the theme's first event.

export function installPeriod(doc: Document = document, win: Window = window): void {
  const mark = () => {
    const m = /^#period-([a-z0-9-]+)$/.exec(win.location.hash);
    for (const li of doc.querySelectorAll('.event-list > li.in-period')) li.classList.remove('in-period');
    if (!m) return;
    for (const li of doc.querySelectorAll<HTMLElement>('.event-list > li[data-themes]')) {
      if ((li.dataset.themes ?? '').split(' ').includes(m[1] ?? '')) li.classList.add('in-period');
    }
  };
  win.addEventListener('hashchange', mark);
  mark();
}
