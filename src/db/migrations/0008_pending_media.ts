import type { Kysely } from 'kysely';

// Whether the site shows a "to come" notice for a media item that has no file
// yet (issue 15: placeholders are an editorial to-do). Null: hidden, the
// default. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('museum').addColumn('pending_media', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('museum').dropColumn('pending_media').execute();
}
