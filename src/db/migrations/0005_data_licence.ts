import type { Kysely } from 'kysely';

// The licence under which the museum publishes its places and events as open
// data (issue 5: downloads). Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('museum').addColumn('data_licence', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('museum').dropColumn('data_licence').execute();
}
