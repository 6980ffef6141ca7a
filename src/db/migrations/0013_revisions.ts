import type { Kysely } from 'kysely';

// The editorial model (issue 16, docs/decisions/0022): every state of every
// document is a revision (its validated JSON), and each document has a draft
// head and a published head. The content tables stay the published
// projection, rewritten whole by import and publish. A translator's languages
// live on the user. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('content_revision')
    .addColumn('doc_key', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('base', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('email', 'text')
    .addColumn('message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('content_revision_pk', ['doc_key', 'number'])
    .execute();
  await db.schema.createTable('content_head')
    .addColumn('doc_key', 'text', (c) => c.primaryKey())
    .addColumn('draft', 'integer')
    .addColumn('published', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('lock_user_id', 'text')
    .addColumn('lock_email', 'text')
    .addColumn('lock_until', 'text')
    .execute();
  await db.schema.alterTable('staff_user').addColumn('locales', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_user').dropColumn('locales').execute();
  await db.schema.dropTable('content_head').execute();
  await db.schema.dropTable('content_revision').execute();
}
