import type { Kysely } from 'kysely';

// Labels of event tags (issue 5: filters). Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('tag')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createTable('tag_translation')
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tag.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tag_translation_pk', ['tag_id', 'locale'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tag_translation').execute();
  await db.schema.dropTable('tag').execute();
}
