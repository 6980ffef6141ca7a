import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { Content } from '../content/content.schema.ts';
import { readBundle } from '../bundle/bundle.reader.ts';
import { writeBundle } from '../bundle/bundle.writer.ts';

// The publish check's thread (check.ts starts it): the content about to be
// published is written as a bundle into a temporary folder and read back by
// the bundle reader, so that publishing applies every rule an import applies
// (schemas, references, languages, slugs, alt text…) — the same code, not a
// copy — and what is published is what an export gives. Some 100–250 ms for
// the demo: here, not on the server's event loop.

export type CheckRequest = { id: number; content: Content };
export type CheckAnswer = { id: number; problems: ReturnType<typeof readBundle>['problems'] } | { id: number; error: string };

parentPort?.on('message', ({ id, content }: CheckRequest) => {
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'parcours-publish-'));
    for (const [rel, text] of writeBundle(content)) {
      const path = join(dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text, 'utf8');
    }
    parentPort?.postMessage({ id, problems: readBundle(dir).problems } satisfies CheckAnswer);
  } catch (e) {
    parentPort?.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies CheckAnswer);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});
