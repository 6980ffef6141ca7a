// The date slider of a "by date" map block. Without script the block shows
// the whole period on its map and a dated table; with it, a native range
// input (keyboard: arrows, Home, End, Page Up/Down) picks a day, and the
// places not yet reached that day fade out. The status line says the date
// and the count, politely, for screen readers. No animation when the
// visitor asked for reduced motion (the CSS transition is off then).

export function installByDate(doc: Document = document): void {
  for (const block of doc.querySelectorAll<HTMLElement>('.map-block[data-by-date]')) {
    const controls = block.querySelector<HTMLElement>('.by-date-controls');
    const input = controls?.querySelector<HTMLInputElement>('input[type="range"]');
    const status = controls?.querySelector<HTMLOutputElement>('output');
    if (!controls || !input || !status) continue;
    const days = (controls.dataset.days ?? '').split(' ').filter(Boolean);
    const template = controls.dataset.status ?? '{date}: {count}';
    // The days as the page writes them (the server formats them in the page's language).
    const labels = (controls.dataset.dayLabels ?? '').split('|');
    const markers = [...block.querySelectorAll<SVGElement>('.map-marker[data-date]')];
    const update = () => {
      const index = Math.min(Math.max(0, Number(input.value)), days.length - 1);
      const day = days[index] ?? '';
      const reached = new Set<string>();
      for (const m of markers) {
        const later = (m.dataset.date ?? '') > day;
        m.classList.toggle('map-marker--later', later);
        if (later) m.setAttribute('aria-hidden', 'true');
        else {
          m.removeAttribute('aria-hidden');
          reached.add(m.dataset.id ?? '');
        }
      }
      status.value = template.replace('{date}', labels[index] ?? day).replace('{count}', String(reached.size));
      input.setAttribute('aria-valuetext', status.value);
    };
    input.addEventListener('input', update);
    controls.hidden = false;
    update();
  }
}
