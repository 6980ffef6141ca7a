// The language switch keeps the place in the page: the server already carries
// the chronology's and the map's filters over, but never sees the anchor, so on
// click the link takes the current one (the ids are the same in every language).
// Without script the switch lands at the top of the other language's page.

export function installLanguageHash(doc: Document = document, win: Window = window): void {
  const follow = (e: Event) => {
    const link = (e.target as Element | null)?.closest?.<HTMLAnchorElement>('.lang-switch a[href]');
    if (link && win.location.hash) link.hash = win.location.hash;
  };
  // auxclick: a middle click opens the other language in a new tab, at the same place.
  doc.addEventListener('click', follow);
  doc.addEventListener('auxclick', follow);
}
