import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/config.ts';
import type { Db } from './db/connection.ts';
import { inMemory, targetUrl } from './db/target.ts';
import { cleanMediaStore, describeSummary, importBundle } from './modules/bundle/bundle.service.ts';
import type { MediaStore } from './modules/media/media.store.ts';
import { AppError } from './shared/errors.ts';
import { mediaProgress } from './cli/report.ts';

// The import of a first start (an empty database) runs as `parcours import`
// in a child process. Making the demo's image derivatives takes libvips and
// glibc some 300 MB that a long-running process never gives back to the
// system (malloc arenas, libvips' pools): in a child they go when it exits,
// and the server holds what a server started on existing data holds.
// An in-memory database (tests, previews) cannot be shared with a child: it
// is filled in-process, as before.

const CLI = fileURLToPath(new URL('./cli/index.ts', import.meta.url));

export async function importOnFirstStart(config: Config, db: Db, store: MediaStore, log: (line: string) => void): Promise<void> {
  if (inMemory(config.database)) {
    const s = await importBundle(db, config.contentDir, store, mediaProgress());
    log(`Imported ${describeSummary(s)}.`);
    return;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: targetUrl(config.database), MEDIA_DIR: config.mediaDir, CONTENT_DIR: config.contentDir };
  // Started from a test file, the child would take itself for one (and report to the runner instead of importing).
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), CLI, 'import', config.contentDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  // Progress goes on to our stderr as it comes; the error, if any, is rethrown below instead.
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    if (!err.includes('parcours: ')) process.stderr.write(d);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  });
  if (code === 0) {
    for (const line of out.trim().split('\n')) if (line) log(line);
    return;
  }
  // The CLI printed "parcours: <message>" and its details, one per indented line: the same error, here.
  const lines = err.slice(err.indexOf('parcours: ')).trimEnd().split('\n');
  const message = err.includes('parcours: ') ? lines[0]!.replace(/^parcours: /, '') : `the import of ${config.contentDir} stopped (${signal ?? `exit code ${code}`})`;
  throw new AppError(/^The bundle in /.test(message) ? 'bundle_invalid' : 'internal', message, lines.slice(1).map((l) => l.replace(/^ {2}/, '')));
}

/**
 * What an import killed mid-way or earlier content left in the media store.
 * An in-memory database (tests, previews) owns no media folder: nothing is removed for it.
 */
export async function cleanMedia(config: Config, db: Db, store: MediaStore, log: (line: string) => void): Promise<void> {
  if (inMemory(config.database)) return;
  const { folders, temporary } = await cleanMediaStore(db, store);
  if (folders || temporary) log(`Media store: removed ${folders} folder${folders === 1 ? '' : 's'} that no content uses and ${temporary} left by an interrupted import.`);
}
