import type { Kysely } from 'kysely';

// What a place was, in a phrase of its own per language (« camp de
// concentration », « camp de transit »), shown instead of its kind's generic
// word (issue 15: a deportation memorial names its camps for what they were).
// Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('place_translation').addColumn('kind_label', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('place_translation').dropColumn('kind_label').execute();
}
