// The zoom island. Each zoomable figure has a paragraph of actions whose
// `data-zoom` names the image's IIIF info.json; without script it offers the
// full-size image link only. With script, a "Zoom" button opens a modal
// dialog (cloned from the page's localised <template id="zoom-dialog">) and
// loads the deep-zoom viewer (OpenSeadragon) only then, as a separate file.

type Viewer = { destroy(): void; zoomIn(): void; zoomOut(): void; home(): void; focus(): void };

export function installZoom(doc: Document = document): void {
  const template = doc.getElementById('zoom-dialog') as HTMLTemplateElement | null;
  const actions = doc.querySelectorAll<HTMLElement>('.media-actions[data-zoom]');
  if (!template || actions.length === 0) return;
  const label = template.content.querySelector('[data-zoom-button]')?.textContent ?? 'Zoom';
  for (const bar of actions) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'button-link zoom-open';
    button.textContent = label;
    button.addEventListener('click', () => void open(doc, template, bar, button));
    bar.prepend(button);
  }
}

async function open(doc: Document, template: HTMLTemplateElement, bar: HTMLElement, opener: HTMLButtonElement): Promise<void> {
  const fragment = template.content.cloneNode(true) as DocumentFragment;
  const dialog = fragment.querySelector('dialog');
  if (!dialog) return;
  doc.body.append(dialog);
  const title = dialog.querySelector('.zoom-title');
  if (title && bar.dataset.zoomTitle) title.textContent = bar.dataset.zoomTitle;
  // A title not yet translated is in the default language: its heading says so to screen readers.
  if (title && bar.dataset.zoomLang) title.setAttribute('lang', bar.dataset.zoomLang);
  const status = dialog.querySelector<HTMLElement>('.zoom-status');
  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  let viewer: Viewer | undefined;
  const close = () => {
    viewer?.destroy();
    dialog.close();
    dialog.remove();
    opener.focus();
  };
  dialog.addEventListener('close', () => {
    if (dialog.isConnected) close();
  });
  dialog.addEventListener('click', (e) => {
    const action = (e.target as HTMLElement).closest<HTMLElement>('[data-zoom-action]')?.dataset.zoomAction;
    if (action === 'close') close();
    else if (action === 'in') viewer?.zoomIn();
    else if (action === 'out') viewer?.zoomOut();
    else if (action === 'home') viewer?.home();
  });
  dialog.showModal();
  say(status?.dataset.loading ?? '');
  const element = dialog.querySelector<HTMLElement>('.zoom-viewer');
  if (!element || !bar.dataset.zoom) return;
  try {
    const { createViewer } = await import('./zoom-viewer.ts');
    const level = status?.dataset.level ?? '{percent} %';
    viewer = await createViewer(element, new URL(bar.dataset.zoom, doc.baseURI).href, (percent) => say(level.replace('{percent}', String(percent))));
    viewer.focus();
  } catch {
    say(status?.dataset.error ?? '');
  }
}
