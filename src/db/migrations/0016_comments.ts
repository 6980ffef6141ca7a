import type { Kysely } from 'kysely';

// Comments on a document's draft (issue 16): a reviewer (or anyone on the
// staff) writes one, on the revision they read; whoever edits marks it
// resolved. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('content_comment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('doc_key', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer')
    .addColumn('user_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .execute();
  await db.schema.createIndex('content_comment_doc').on('content_comment').columns(['doc_key', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('content_comment').execute();
}
