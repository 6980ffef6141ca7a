import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full garbage collection, on purpose, on a thread that can afford to stop
// for it: the render worker once a content version is dropped, or when it
// is idle after rendering; the server thread only when the content lived on
// it (inline renderers: tests, previews). The previous version becomes garbage
// at the swap, but an idle thread allocates too little for V8 to collect it
// soon: it stayed, and each import left the server some 15–40 MB larger.
// `gc` is exposed for this only (as --expose-gc would); where that is
// refused, nothing happens and V8 collects in its own time.
//
// The collection is V8's "last resort" one, which also gives the freed pages
// back to the system (a plain one left a heap of 4 MB live holding 160 MB);
// it costs about what a plain one does.

type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'regular' | 'last-resort' }) => void;
let gc: Gc | null | undefined = (globalThis as { gc?: Gc }).gc;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as Gc;
    } catch {
      gc = null;
    }
  }
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
