import OpenSeadragon from 'openseadragon';

// The deep-zoom viewer, loaded on demand by zoom.ts: OpenSeadragon reading
// the image's IIIF level-0 tiles. Its own buttons are replaced by the
// dialog's labelled HTML buttons; its canvas takes the keyboard (arrows and
// W A S D pan, = and − zoom, 0 for the whole image), and + or − from the
// numeric keypad or any layout are added.

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
  viewer.canvas.addEventListener('keydown', (e: KeyboardEvent) => {
    if (e.code === 'Equal' || e.code === 'Minus' || e.ctrlKey || e.metaKey || e.altKey) return; // OpenSeadragon's own
    if (e.key === '+') viewer.viewport.zoomBy(1.5).applyConstraints();
    else if (e.key === '-' || e.key === '−') viewer.viewport.zoomBy(1 / 1.5).applyConstraints();
  });
  return {
    destroy: () => viewer.destroy(),
    zoom: (factor: number) => viewer.viewport.zoomBy(factor).applyConstraints(),
    home: () => viewer.viewport.goHome(),
    focus: () => viewer.canvas.focus(),
  };
}
