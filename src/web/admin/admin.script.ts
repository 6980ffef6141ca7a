// The administration's one script (issue 16), an enhancement only: every
// page works without it (forms and buttons). With it:
// - a Markdown field shows, under it, the text as the site will render it
//   (the server renders it, with the site's own Markdown rules), updated as
//   one types;
// - the themes of a visit and the blocks of a document can be dragged into
//   a new order (the Move up / Move down buttons stay, for the keyboard);
//   dropping posts the whole new order, as a form would;
// - an open document keeps its editor's lease (the soft lock) while shown.

const csrf = (): string => document.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? '';

function post(action: string, fields: Record<string, string>): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  form.hidden = true;
  for (const [name, value] of Object.entries({ csrf: csrf(), ...fields })) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}

function markdownPreviews(): void {
  for (const area of document.querySelectorAll<HTMLTextAreaElement>('textarea[data-markdown]')) {
    const url = area.dataset.markdown!;
    const box = document.createElement('div');
    box.className = 'md-preview';
    box.hidden = true;
    const label = document.createElement('p');
    label.className = 'md-preview-label';
    label.textContent = area.dataset.previewLabel ?? '';
    const body = document.createElement('div');
    body.className = 'md-preview-body';
    body.lang = area.closest<HTMLElement>('[lang]')?.lang ?? '';
    box.append(label, body);
    area.after(box);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asked = 0;
    const update = async () => {
      const mine = ++asked;
      try {
        const r = await fetch(url, {
          method: 'POST', credentials: 'same-origin',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf: csrf(), text: area.value }),
        });
        // Only the answer to the latest text is shown; the server's HTML is the site's Markdown rendering (no raw HTML).
        if (r.ok && mine === asked) {
          body.innerHTML = await r.text();
          box.hidden = false;
        }
      } catch {
        // Offline or signed out: the preview waits for the next keystroke; the field itself is unaffected.
      }
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void update(), 350);
    };
    area.addEventListener('input', later);
    area.addEventListener('focus', () => { if (box.hidden) void update(); }, { once: true });
  }
}

function dragToReorder(): void {
  for (const list of document.querySelectorAll<HTMLOListElement>('ol[data-reorder]')) {
    const items = () => [...list.querySelectorAll<HTMLLIElement>(':scope > li[data-id]')];
    let dragged: HTMLLIElement | undefined;
    let dropped = false;
    const original = items();
    const before = original.map((li) => li.dataset.id!).join(',');
    for (const li of items()) {
      li.draggable = true;
      li.classList.add('draggable');
      li.addEventListener('dragstart', (e) => {
        dragged = li;
        li.classList.add('dragging');
        e.dataTransfer?.setData('text/plain', li.dataset.id!);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      });
      li.addEventListener('dragend', () => {
        li.classList.remove('dragging');
        dragged = undefined;
        // Dropped elsewhere: the list goes back to the order that is saved.
        if (!dropped) for (const x of original) list.append(x);
      });
    }
    list.addEventListener('dragover', (e) => {
      if (!dragged) return;
      e.preventDefault();
      const after = items().find((li) => li !== dragged && e.clientY < li.getBoundingClientRect().top + li.getBoundingClientRect().height / 2);
      if (after) list.insertBefore(dragged, after);
      else list.append(dragged);
    });
    list.addEventListener('drop', (e) => {
      e.preventDefault();
      dropped = true;
      const order = items().map((li) => li.dataset.id!).join(',');
      if (order !== before) post(list.dataset.reorder!, { base: list.dataset.base ?? '', order });
    });
  }
}

/** Keeps this person's lease on the document while the page is open and shown (the lease lasts ten minutes). */
function renewLease(): void {
  const url = document.querySelector<HTMLElement>('[data-renew]')?.dataset.renew;
  if (!url) return;
  setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    void fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf() }),
    }).catch(() => undefined);
  }, 4 * 60_000);
}

markdownPreviews();
dragToReorder();
renewLease();
