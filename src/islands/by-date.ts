// The date slider of a "by date" map block. Without script the block shows
// the whole period on its map, a small map for each day and a dated table;
// with it, a native range
// input (keyboard: arrows, Home, End, Page Up/Down) picks a day, and each
// place shows its state that day: reached, not yet reached (faded), or lost
// again (hollow, dashed: a town retaken). Each marker carries its changes as
// "YYYY-MM-DD+" (reached) and "YYYY-MM-DD-" (lost). The status line says the
// date, the count and the places lost, politely, for screen readers. No
// animation when the visitor asked for reduced motion (the CSS transition is
// off then).

type State = 'later' | 'reached' | 'lost';

/** A place's state at the end of a day, from its changes in date order. */
export function stateOn(changes: string, day: string): State {
  let state: State = 'later';
  for (const c of changes.split(' ')) {
    const date = c.slice(0, 10);
    if (date && date <= day) state = c.endsWith('-') ? 'lost' : 'reached';
  }
  return state;
}

export function installByDate(doc: Document = document): void {
  for (const block of doc.querySelectorAll<HTMLElement>('.map-block[data-by-date]')) {
    const controls = block.querySelector<HTMLElement>('.by-date-controls');
    const input = controls?.querySelector<HTMLInputElement>('input[type="range"]');
    const status = controls?.querySelector<HTMLOutputElement>('output');
    if (!controls || !input || !status) continue;
    const days = (controls.dataset.days ?? '').split(' ').filter(Boolean);
    const template = controls.dataset.status ?? '{date}: {count}';
    const templateLost = controls.dataset.statusLost;
    // The days as the page writes them (the server formats them in the page's language).
    const labels = (controls.dataset.dayLabels ?? '').split('|');
    const markers = [...block.querySelectorAll<SVGElement>('.map-marker[data-changes]')];
    const update = () => {
      const index = Math.min(Math.max(0, Number(input.value)), days.length - 1);
      const day = days[index] ?? '';
      // Both drawings (wide and narrow) carry each place: count places, not markers.
      const reached = new Set<string>();
      const lost = new Map<string, string>();
      for (const m of markers) {
        const state = stateOn(m.dataset.changes ?? '', day);
        m.classList.toggle('map-marker--later', state === 'later');
        m.classList.toggle('map-marker--lost', state === 'lost');
        if (state === 'later') m.setAttribute('aria-hidden', 'true');
        else m.removeAttribute('aria-hidden');
        if (state === 'reached') reached.add(m.dataset.id ?? '');
        if (state === 'lost') lost.set(m.dataset.id ?? '', m.dataset.name ?? '');
      }
      const date = labels[index] ?? day;
      const text = lost.size && templateLost ? templateLost.replace('{names}', [...lost.values()].join(', ')) : template;
      status.value = text.replace('{date}', date).replace('{count}', String(reached.size));
      input.setAttribute('aria-valuetext', status.value);
    };
    input.addEventListener('input', update);
    controls.hidden = false;
    // The slider replaces the small maps of each day (they stay in print).
    const multiples = block.querySelector<HTMLElement>('.by-date-multiples');
    if (multiples) multiples.hidden = true;
    update();
  }
}
