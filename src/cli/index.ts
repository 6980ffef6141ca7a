import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { assertWritable } from '../db/connection.ts';
import { connect } from '../db/database.ts';
import { targetLabel } from '../db/target.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { checkBundle, describeSummary, exportBundle, importBundle, summarize } from '../modules/bundle/bundle.service.ts';
import { MediaStore } from '../modules/media/media.store.ts';
import { cleanMedia } from '../first-start.ts';
import { serveUntilStopped } from '../cluster.ts';
import { AppError } from '../shared/errors.ts';
import { formatLicence, formatStats, mediaProgress, reportAndExit } from './report.ts';

const USAGE = `Usage: parcours <command> [options]

Commands:
  start                 migrate, import the demo bundle into an empty database, serve
  import <dir>          validate a content bundle and replace the site's content with it
  check <dir>           validate a content bundle without touching the database, and
                        list each document's length and missing translations per language
  export <dir>          write the site's content as a bundle into a new or empty folder
  migrate               bring the database schema up to date

Configuration (environment): PORT, HOST, DATABASE_URL, MEDIA_DIR, PUBLIC_URL, CONTENT_DIR, MAX_CONNECTIONS.
See README.md.`;

export async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const [command, dir, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const needsDir = ['import', 'export', 'check'].includes(command);
  if (needsDir && (!dir || rest.length)) throw new AppError('bad_request', `"parcours ${command}" takes exactly one folder.\n\n${USAGE}`);
  const config = loadConfig();
  switch (command) {
    case 'start': {
      await serveUntilStopped(config);
      return;
    }
    case 'check': {
      const content = await checkBundle(dir!, new MediaStore(config.mediaDir), mediaProgress());
      console.log(`The bundle in ${dir} is valid: ${describeSummary(summarize(content))}.`);
      console.log(`${formatLicence(content)}\n`);
      console.log(formatStats(content));
      return;
    }
    case 'import':
    case 'export':
    case 'migrate': {
      const db = await connect(config.database);
      try {
        await migrateToLatest(db);
        if (command === 'import') {
          assertWritable(db);
          const store = new MediaStore(config.mediaDir);
          await cleanMedia(config, db, store, (line) => console.error(line));
          const s = await importBundle(db, dir!, store, mediaProgress());
          console.log(`Imported ${dir}: ${describeSummary(s)}.`);
        } else if (command === 'export') {
          const n = await exportBundle(db, dir!, new MediaStore(config.mediaDir));
          console.log(`Exported ${n} files to ${dir}.`);
        } else {
          console.log(`The database ${targetLabel(config.database)} is up to date.`);
        }
      } finally {
        await db.destroy();
      }
      return;
    }
    default:
      throw new AppError('bad_request', `Unknown command "${command}".\n\n${USAGE}`);
  }
}

run(process.argv.slice(2)).catch(reportAndExit);
