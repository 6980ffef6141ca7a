import type { Kysely } from 'kysely';

// The glossary (issue 15): terms, abbreviations and definitions. An
// abbreviation written once for every language is kept in glossary_entry, one
// per language in glossary_translation, so that an export writes it back as the
// bundle had it. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('glossary_entry')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('abbreviation', 'text')
    .execute();
  await db.schema.createTable('glossary_translation')
    .addColumn('entry_id', 'text', (c) => c.notNull().references('glossary_entry.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('term', 'text')
    .addColumn('abbreviation', 'text')
    .addColumn('definition', 'text')
    .addPrimaryKeyConstraint('glossary_translation_pk', ['entry_id', 'locale'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('glossary_translation').execute();
  await db.schema.dropTable('glossary_entry').execute();
}
