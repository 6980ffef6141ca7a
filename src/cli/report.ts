import { isAppError } from '../shared/errors.ts';

/** Prints an error as people read it (one line, then any details) and exits non-zero. */
export function reportAndExit(e: unknown): never {
  if (isAppError(e)) {
    console.error(`parcours: ${e.message}`);
    for (const d of e.details) console.error(`  ${d}`);
  } else {
    console.error(`parcours: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.PARCOURS_DEBUG === '1' && e instanceof Error) console.error(e.stack);
  }
  process.exit(1);
}
