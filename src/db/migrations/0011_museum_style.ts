import type { Kysely } from 'kysely';

// The museum's own look (issue 15): its colours and typeface, as JSON
// {accent?, accent_dark?, font?}. Null: the site's own. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('museum').addColumn('style', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('museum').dropColumn('style').execute();
}
