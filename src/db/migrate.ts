import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { engineOf } from './database.ts';
import type { Db } from './connection.ts';
import { AppError } from '../shared/errors.ts';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0002 from './migrations/0002_media_files.ts';
import * as m0003 from './migrations/0003_geo_layers.ts';
import * as m0004 from './migrations/0004_tags.ts';
import * as m0005 from './migrations/0005_data_licence.ts';
import * as m0006 from './migrations/0006_place_precision.ts';
import * as m0007 from './migrations/0007_wide_numbers.ts';
import * as m0008 from './migrations/0008_pending_media.ts';
import * as m0009 from './migrations/0009_glossary.ts';
import * as m0010 from './migrations/0010_place_kind_label.ts';
import * as m0011 from './migrations/0011_museum_style.ts';
import * as m0012 from './migrations/0012_staff_accounts.ts';
import * as m0013 from './migrations/0013_revisions.ts';
import * as m0014 from './migrations/0014_preview_links.ts';
import * as m0015 from './migrations/0015_review_requests.ts';
import * as m0016 from './migrations/0016_comments.ts';

// Migrations are listed statically so that the bundle of the app needs no
// directory scanning and the order is explicit.
const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_media_files': m0002,
  '0003_geo_layers': m0003,
  '0004_tags': m0004,
  '0005_data_licence': m0005,
  '0006_place_precision': m0006,
  '0007_wide_numbers': m0007,
  '0008_pending_media': m0008,
  '0009_glossary': m0009,
  '0010_place_kind_label': m0010,
  '0011_museum_style': m0011,
  '0012_staff_accounts': m0012,
  '0013_revisions': m0013,
  '0014_preview_links': m0014,
  '0015_review_requests': m0015,
  '0016_comments': m0016,
};

/** Every migration this code knows, oldest first: a backup names the last one (src/modules/backup/). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  // PostgreSQL: Kysely finds its migration tables in any schema of the database; another app's (or another
  // Parcours' in another schema) would be taken for ours. Ours are in the first schema of the search path.
  const schema = engineOf(db) === 'postgres'
    ? (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]?.schema ?? undefined
    : undefined;
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('database_unavailable', `Database migration failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
