import type { Kysely } from 'kysely';

// Share links of the preview (issue 16, docs/decisions/0023): a staff member
// gives a reviewer outside the museum a link to the draft site that works
// without an account for 72 hours. Only the SHA-256 of the link's 256-bit
// token is kept. `path` is the page the link opens at, `label` who it was
// given to (optional, for the list of live links). Left out of backups: a
// restore empties it. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('preview_link')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('preview_link_expires').on('preview_link').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('preview_link').execute();
}
