import { PostgresAdapter, type Kysely } from 'kysely';

// Two types of 0001/0002 are narrow on PostgreSQL (issue 14): `real` is a
// 4-byte float there (a coordinate keeps 6 or 7 significant digits: 45.0426
// comes back as 45.042599), and `integer` is 4 bytes (a media file's size
// stops at 2 GiB). Widened to `double precision` and `bigint`. On SQLite the
// same declarations already store 8-byte floats and 64-bit integers: nothing
// to do there. Frozen once landed.

const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  await db.schema.alterTable('place').alterColumn('lat', (c) => c.setDataType('double precision')).execute();
  await db.schema.alterTable('place').alterColumn('lon', (c) => c.setDataType('double precision')).execute();
  await db.schema.alterTable('media_file').alterColumn('bytes', (c) => c.setDataType('bigint')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  await db.schema.alterTable('place').alterColumn('lat', (c) => c.setDataType('real')).execute();
  await db.schema.alterTable('place').alterColumn('lon', (c) => c.setDataType('real')).execute();
  await db.schema.alterTable('media_file').alterColumn('bytes', (c) => c.setDataType('integer')).execute();
}
