// Section links (the "#" after a heading, see SectionHeading): the link goes
// to the section as any link does, and with this script it also copies the
// section's address, saying so in a status line that a screen reader reads.
// Without the script, or without clipboard access, it is a plain link: the
// address bar then shows what to copy.
export function installSectionLinks(doc: Document = document): void {
  let status: HTMLElement | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  doc.addEventListener('click', (e) => {
    const link = (e.target as Element | null)?.closest?.('a.section-link');
    if (!(link instanceof HTMLAnchorElement) || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const message = link.closest<HTMLElement>('[data-link-copied]')?.dataset.linkCopied;
    if (!navigator.clipboard || !message) return;
    navigator.clipboard.writeText(link.href).then(() => {
      if (!status) {
        status = doc.createElement('p');
        status.className = 'copy-status';
        status.setAttribute('role', 'status');
        doc.body.append(status);
      }
      status.textContent = message;
      status.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(() => { if (status) { status.textContent = ''; status.hidden = true; } }, 2500);
    }, () => { /* no permission: the link still went to the section */ });
  });
}
