import OpenSeadragon from 'openseadragon';

// The deep-zoom viewer, loaded on demand by zoom.ts: OpenSeadragon reading
// the image's IIIF level-0 tiles. Its own buttons are replaced by the
// dialog's labelled HTML buttons; its canvas takes the keyboard (arrows and
// W A S D pan, 0 for the whole image). + and − (and =, from any layout or the
// numeric keypad) zoom by the buttons' step: OpenSeadragon's own zoom keys
// zoom as long as a key is held, about 10 % for a press, so they are taken over.

/** One press of a zoom button or key. */
const STEP = 1.5;

export async function createViewer(element: HTMLElement, infoUrl: string, onZoom: (percent: number) => void) {
  // The tiles are read from the page's own origin, whatever public address
  // the service names (the site may be reached under several host names).
  const response = await fetch(infoUrl);
  if (!response.ok) throw new Error(`info.json: ${response.status}`);
  const info = (await response.json()) as { id: string };
  info.id = new URL(new URL(info.id).pathname, infoUrl).href;
  const viewer = OpenSeadragon({
    element,
    tileSources: info as OpenSeadragon.TileSourceOptions,
    showNavigationControl: false,
    showNavigator: false,
    gestureSettingsMouse: { clickToZoom: false },
    visibilityRatio: 0.5,
    maxZoomPixelRatio: 2,
    crossOriginPolicy: false,
    // The 2D canvas drawer works everywhere, also where WebGL is missing or
    // blocked (old devices, some privacy settings, headless browsers).
    drawer: 'canvas',
  });
  await new Promise<void>((resolve, reject) => {
    viewer.addOnceHandler('open', () => resolve());
    viewer.addOnceHandler('open-failed', () => reject(new Error('the image could not be opened')));
  });
  const report = () => {
    const item = viewer.world.getItemAt(0);
    if (item) onZoom(Math.round(item.viewportToImageZoom(viewer.viewport.getZoom(true)) * 100));
  };
  viewer.addHandler('animation-finish', report);
  report();
  viewer.canvas.setAttribute('aria-label', element.getAttribute('aria-roledescription') ?? '');
  const zoom = (factor: number) => viewer.viewport.zoomBy(factor).applyConstraints();
  // Raised on the canvas's keydown before OpenSeadragon acts on it.
  viewer.addHandler('canvas-key', (event) => {
    const e = event.originalEvent as KeyboardEvent;
    if (e.type !== 'keydown' || e.ctrlKey || e.metaKey || e.altKey) return;
    const factor = zoomKey(e);
    // Its own zoom on these keys' places ("=" and "-" on a US keyboard) is off, whatever the layout prints on them.
    if (factor !== undefined || e.code === 'Equal' || e.code === 'Minus') event.preventDefaultAction = true;
    if (factor !== undefined) {
      e.preventDefault();
      zoom(factor);
    }
  });
  return {
    destroy: () => viewer.destroy(),
    zoomIn: () => zoom(STEP),
    zoomOut: () => zoom(1 / STEP),
    home: () => viewer.viewport.goHome(),
    focus: () => viewer.canvas.focus(),
  };
}

/** The zoom factor of a key press: + and = zoom in, - (or the minus sign, or _) out, by one step. */
export function zoomKey(e: Pick<KeyboardEvent, 'key' | 'code'>): number | undefined {
  if (e.key === '+' || e.key === '=' || e.code === 'NumpadAdd') return STEP;
  if (e.key === '-' || e.key === '−' || e.key === '_' || e.code === 'NumpadSubtract') return 1 / STEP;
  return undefined;
}
