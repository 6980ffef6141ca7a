// Click-to-load facades for videos hosted elsewhere (YouTube, Vimeo,
// PeerTube): no request reaches the host until the visitor presses "Play the
// video here". Without script, the facade's link opens the video on its host.

export function installFacades(doc: Document = document): void {
  for (const facade of doc.querySelectorAll<HTMLElement>('.facade[data-embed]')) {
    const play = facade.querySelector<HTMLButtonElement>('.facade-play');
    const src = facade.dataset.embed;
    if (!play || !src) continue;
    play.hidden = false;
    play.addEventListener('click', () => {
      const frame = doc.createElement('iframe');
      frame.src = src;
      frame.title = facade.dataset.embedTitle ?? '';
      frame.allow = 'fullscreen; picture-in-picture; encrypted-media';
      frame.allowFullscreen = true;
      frame.referrerPolicy = 'strict-origin-when-cross-origin';
      frame.className = 'facade-frame';
      facade.replaceChildren(frame);
      facade.classList.add('facade-loaded');
      frame.focus();
    });
  }
}
