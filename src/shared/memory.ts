import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full garbage collection, on purpose, after the site is re-rendered.
// The previous site (every page, compressed twice) becomes garbage at the
// swap, but an idle server allocates too little for V8 to collect it soon:
// it stayed, and each import left the server some 15–40 MB larger. One full
// collection (a few tens of ms, once per import) gives it back. `gc` is
// exposed for this only (as --expose-gc would); where that is refused, nothing
// happens and V8 collects in its own time.

let gc: (() => void) | null | undefined = (globalThis as { gc?: () => void }).gc;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
