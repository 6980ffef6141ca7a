import type { Kysely } from 'kysely';

// Media files (issue 4): the stored files of a bundle, the Dublin Core fields
// of media items and their video/audio tracks. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  // Language-neutral fields added to media items (creator, licence, poster,
  // caption and transcript files…), as one JSON object.
  await db.schema.alterTable('media').addColumn('data', 'text').execute();
  for (const col of ['title', 'description', 'subject']) {
    await db.schema.alterTable('media_translation').addColumn(col, 'text').execute();
  }
  await db.schema.createTable('media_file')
    .addColumn('path', 'text', (c) => c.primaryKey()) // the file's path in the bundle, e.g. media/map.png
    .addColumn('hash', 'text', (c) => c.notNull()) // sha256 of the original, hex
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('info', 'text') // JSON: derivative widths, placeholder
    .addColumn('text', 'text') // captions and transcripts
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('media_file').execute();
  for (const col of ['title', 'description', 'subject']) {
    await db.schema.alterTable('media_translation').dropColumn(col).execute();
  }
  await db.schema.alterTable('media').dropColumn('data').execute();
}
