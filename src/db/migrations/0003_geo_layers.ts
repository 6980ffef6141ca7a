import type { Kysely } from 'kysely';

// Map layers (issue 5): GeoJSON layers of a bundle, drawn under the places.
// Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('geo_layer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('label_property', 'text')
    .addColumn('data', 'text', (c) => c.notNull()) // the GeoJSON FeatureCollection
    .execute();
  await db.schema.createTable('geo_layer_translation')
    .addColumn('layer_id', 'text', (c) => c.notNull().references('geo_layer.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('credit', 'text')
    .addPrimaryKeyConstraint('geo_layer_translation_pk', ['layer_id', 'locale'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('geo_layer_translation').execute();
  await db.schema.dropTable('geo_layer').execute();
}
