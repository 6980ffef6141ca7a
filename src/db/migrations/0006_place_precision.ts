import type { Kysely } from 'kysely';

// How far a place's coordinates can be trusted (issue 13): NULL when the bundle
// says nothing (exact), else 'exact' or 'approximate' as the bundle wrote it, so
// that an export gives back what was imported. Plain text: portable to
// PostgreSQL. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('place').addColumn('precision', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('place').dropColumn('precision').execute();
}
