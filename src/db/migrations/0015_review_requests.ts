import type { Kysely } from 'kysely';

// The editorial workflow (issue 16, docs/admin.md "Dashboard"): a draft can
// wait for review (who asked, when: cleared when the draft is published or
// discarded), and each document remembers when it was last published and by
// whom (the dashboard's "recently published"). One column per statement:
// SQLite adds one column per ALTER TABLE. Frozen once landed.

const COLUMNS = ['review_requested_at', 'review_requested_by', 'review_requested_email', 'published_at', 'published_by', 'published_email'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const c of COLUMNS) await db.schema.alterTable('content_head').addColumn(c, 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of [...COLUMNS].reverse()) await db.schema.alterTable('content_head').dropColumn(c).execute();
}
