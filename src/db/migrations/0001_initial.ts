import type { Kysely } from 'kysely';

// Frozen: never edit a migration after it has landed; add a new one instead.
// Uses only portable column types so that PostgreSQL can run the same file.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('museum')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('default_locale', 'text', (c) => c.notNull())
    .addColumn('locales', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .execute();
  await db.schema.createTable('museum_translation')
    .addColumn('museum_id', 'text', (c) => c.notNull().references('museum.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('name', 'text').addColumn('short_name', 'text').addColumn('intro', 'text')
    .addColumn('about_site', 'text').addColumn('credits', 'text')
    .addPrimaryKeyConstraint('museum_translation_pk', ['museum_id', 'locale'])
    .execute();

  await db.schema.createTable('visit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('is_primary', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createTable('visit_translation')
    .addColumn('visit_id', 'text', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('title', 'text').addColumn('slug', 'text').addColumn('summary', 'text')
    .addPrimaryKeyConstraint('visit_translation_pk', ['visit_id', 'locale'])
    .execute();

  await db.schema.createTable('document')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('visit_id', 'text', (c) => c.references('visit.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_pk', ['kind', 'id'])
    .execute();
  await db.schema.createTable('document_translation')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('summary', 'text').addColumn('lead', 'text')
    .addPrimaryKeyConstraint('document_translation_pk', ['kind', 'id', 'locale'])
    .addForeignKeyConstraint('document_translation_doc_fk', ['kind', 'id'], 'document', ['kind', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('document_translation_slug').unique()
    .on('document_translation').columns(['kind', 'locale', 'slug']).execute();

  await db.schema.createTable('block')
    .addColumn('doc_kind', 'text', (c) => c.notNull())
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('block_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('block_kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('block_pk', ['doc_kind', 'doc_id', 'block_id'])
    .addForeignKeyConstraint('block_doc_fk', ['doc_kind', 'doc_id'], 'document', ['kind', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createTable('block_translation')
    .addColumn('doc_kind', 'text', (c) => c.notNull())
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('block_id', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('body', 'text').addColumn('caption', 'text').addColumn('title', 'text').addColumn('source', 'text')
    .addPrimaryKeyConstraint('block_translation_pk', ['doc_kind', 'doc_id', 'block_id', 'locale'])
    .addForeignKeyConstraint('block_translation_block_fk', ['doc_kind', 'doc_id', 'block_id'], 'block', ['doc_kind', 'doc_id', 'block_id'], (c) => c.onDelete('cascade'))
    .execute();

  await db.schema.createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('file', 'text').addColumn('width', 'integer').addColumn('height', 'integer')
    .addColumn('rights', 'text').addColumn('source', 'text').addColumn('date', 'text')
    .execute();
  await db.schema.createTable('media_translation')
    .addColumn('media_id', 'text', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('alt', 'text').addColumn('caption', 'text').addColumn('credit', 'text')
    .addPrimaryKeyConstraint('media_translation_pk', ['media_id', 'locale'])
    .execute();

  await db.schema.createTable('place')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('lat', 'real', (c) => c.notNull())
    .addColumn('lon', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createTable('place_translation')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('name', 'text').addColumn('description', 'text')
    .addPrimaryKeyConstraint('place_translation_pk', ['place_id', 'locale'])
    .execute();

  await db.schema.createTable('event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('precision', 'text', (c) => c.notNull())
    .addColumn('date_start', 'text', (c) => c.notNull())
    .addColumn('date_end', 'text')
    .execute();
  await db.schema.createTable('event_translation')
    .addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('title', 'text').addColumn('description', 'text')
    .addPrimaryKeyConstraint('event_translation_pk', ['event_id', 'locale'])
    .execute();
  for (const table of ['event_place', 'event_theme', 'event_tag']) {
    await db.schema.createTable(table)
      .addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['event_id', 'position'])
      .execute();
  }

  await db.schema.createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['meta', 'event_tag', 'event_theme', 'event_place', 'event_translation', 'event',
    'place_translation', 'place', 'media_translation', 'media', 'block_translation', 'block',
    'document_translation', 'document', 'visit_translation', 'visit', 'museum_translation', 'museum']) {
    await db.schema.dropTable(t).execute();
  }
}
