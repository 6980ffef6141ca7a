import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { assertWritable } from '../db/connection.ts';
import { connect } from '../db/database.ts';
import { databaseTargetFrom, targetLabel, targetUrl } from '../db/target.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { checkBundle, describeSummary, exportBundle, importBundle, summarize } from '../modules/bundle/bundle.service.ts';
import { MediaStore } from '../modules/media/media.store.ts';
import { cleanMedia } from '../first-start.ts';
import { serveUntilStopped } from '../cluster.ts';
import { AppError } from '../shared/errors.ts';
import { backupToFile } from '../modules/backup/backup.write.ts';
import { copyDatabase, restoreFile } from '../modules/backup/backup.restore.ts';
import { addUserOrLink } from '../modules/auth/users.service.ts';
import { ROLES } from '../modules/auth/policy.ts';
import { formatLicence, formatPendingMedia, formatStats, mediaProgress, reportAndExit } from './report.ts';

const USAGE = `Usage: parcours <command> [options]

Commands:
  start                 migrate, import the demo bundle into an empty database, serve
  import <dir>          validate a content bundle and replace the site's content with it
  check <dir>           validate a content bundle without touching the database, and list
                        the media still without a file, each document's length and
                        missing translations per language
  export <dir>          write the site's content as a bundle into a new or empty folder
  migrate               bring the database schema up to date
  backup <file>         write the database's content and its media files into one archive
                        (.tar.gz), consistent while the server runs
  restore <file>        check a backup archive whole, then replace the database's content
                        and add its media files; a damaged archive changes nothing
  db copy --from <url> --to <url> [--replace]
                        copy the content from one database to another (SQLite file or
                        postgres:// URL); --replace to overwrite one that holds content
  user add --role <role> [--locales <codes>] <email>
                        create a staff user (role: ${ROLES.join(', ')}) and print a link,
                        valid 24 hours and once, to set their password; for an existing
                        user, a new link (the reset of a forgotten password). A translator
                        edits only the languages given (--locales en,de: among the
                        published museum's; an admin can change them at /admin/users)

Configuration (environment): PORT, HOST, DATABASE_URL, MEDIA_DIR, PUBLIC_URL, CONTENT_DIR, MAX_CONNECTIONS.
See README.md.`;

export async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv, allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean' }, role: { type: 'string' }, locales: { type: 'string' } },
  });
  const [command, dir, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const needsDir = ['import', 'export', 'check'].includes(command);
  if (needsDir && (!dir || rest.length)) throw new AppError('bad_request', `"parcours ${command}" takes exactly one folder.\n\n${USAGE}`);
  if (['backup', 'restore'].includes(command) && (!dir || rest.length)) throw new AppError('bad_request', `"parcours ${command}" takes exactly one file.\n\n${USAGE}`);
  if (command === 'db') {
    if (dir !== 'copy' || rest.length || !values.from || !values.to) throw new AppError('bad_request', `Write "parcours db copy --from <url> --to <url> [--replace]".\n\n${USAGE}`);
    await copy(values.from, values.to, values.replace === true, loadConfig().mediaDir);
    return;
  }
  if (command === 'user') {
    if (dir !== 'add' || rest.length !== 1 || !values.role) throw new AppError('bad_request', `Write "parcours user add --role <role> [--locales <codes>] <email>" (role: ${ROLES.join(', ')}).\n\n${USAGE}`);
    // "--locales en,de": the codes as written (checked against the museum's by the service); "" is none.
    await addUser(rest[0]!, values.role, (values.locales ?? '').split(',').map((l) => l.trim()).filter(Boolean));
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'start': {
      await serveUntilStopped(config);
      return;
    }
    case 'check': {
      const content = await checkBundle(dir!, new MediaStore(config.mediaDir), mediaProgress());
      console.log(`The bundle in ${dir} is valid: ${describeSummary(summarize(content))}.`);
      console.log(formatLicence(content));
      console.log(`${formatPendingMedia(content)}\n`);
      console.log(formatStats(content));
      return;
    }
    case 'backup':
    case 'restore': {
      const db = await connect(config.database);
      try {
        await migrateToLatest(db);
        const store = new MediaStore(config.mediaDir);
        if (command === 'backup') {
          const started = Date.now();
          const s = await backupToFile(db, store, dir!);
          console.log(`Backed up ${targetLabel(config.database)} to ${dir}: ${s.rows} rows in ${s.tables} tables, ${s.mediaFolders} media folders (${s.files} files), ${(s.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        } else {
          assertWritable(db);
          const s = await restoreFile(db, store, dir!);
          console.log(`Restored ${dir} into ${targetLabel(config.database)}: ${s.rows} rows, ${s.mediaAdded} media folders added; content version ${s.contentVersion}.`);
        }
      } finally {
        await db.destroy();
      }
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

/** `parcours user add`: the user made (or found), and a one-time link printed; the link's secret is stored only as a digest. */
async function addUser(email: string, role: string, locales: string[]): Promise<void> {
  const config = loadConfig();
  const db = await connect(config.database);
  try {
    await migrateToLatest(db);
    assertWritable(db);
    const link = await addUserOrLink(db, new Date(), email, role, locales);
    const languages = link.user.role === 'translator' ? ` Languages: ${link.user.locales?.join(', ') || 'none yet (they can edit nothing until an admin gives one at /admin/users)'}.` : '';
    const what = link.created ? `Created the ${link.user.role} ${link.user.email}.${languages}` : `${link.user.email} is already a user (${link.user.role}): this is a new link; earlier ones no longer work.`;
    console.log(`${what}\nTo set the password, open this link before ${link.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (it works once):\n\n  ${config.publicUrl}/admin/password/${link.token}\n`);
  } finally {
    await db.destroy();
  }
}

/** `parcours db copy`: both databases migrated, then a backup of one streamed into a restore of the other. */
async function copy(fromUrl: string, toUrl: string, replace: boolean, mediaDir: string): Promise<void> {
  const from = databaseTargetFrom(fromUrl);
  const to = databaseTargetFrom(toUrl);
  if (targetUrl(from) === targetUrl(to)) throw new AppError('bad_request', '--from and --to name the same database; nothing was copied.');
  const source = await connect(from);
  try {
    const target = await connect(to);
    try {
      await migrateToLatest(source);
      await migrateToLatest(target);
      assertWritable(target);
      const s = await copyDatabase(source, target, new MediaStore(mediaDir), { replace, toLabel: targetLabel(to) });
      console.log(`Copied ${targetLabel(from)} to ${targetLabel(to)}: ${s.rows} rows; content version ${s.contentVersion}.`);
    } finally {
      await target.destroy();
    }
  } finally {
    await source.destroy();
  }
}

run(process.argv.slice(2)).catch(reportAndExit);
