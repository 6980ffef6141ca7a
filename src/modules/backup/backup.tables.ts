import type { Database } from '../../db/schema.ts';

// Every table a backup holds, parents before children (the foreign keys of
// src/db/migrations/): restore inserts in this order and deletes in the
// reverse one. Each table's columns are written out as an object typed by
// the table's row: a column added to src/db/schema.ts and not here, or one
// left here after it was dropped, fails the typecheck, so a backup never
// silently loses a column. Kysely's own migration tables are not content.

type Columns<T> = Record<keyof T, true>;
interface TableSpec<T> {
  /** The primary key, in order: rows are written sorted by it (text byte by byte). */
  key: (keyof T & string)[];
  columns: Columns<T>;
}
/**
 * Sign-in state that a backup leaves out (docs/decisions/0021): sessions, unused set-password links and throttling
 * counters are short-lived secrets' digests that belong to one running server. Restoring them would bring back
 * sessions signed out since the backup, on whatever server restores it; restore empties these tables instead, which
 * signs everyone out. Users (with their password hashes) and the audit log are kept. The preview's share links
 * (docs/decisions/0023) are the same kind of thing: 72-hour secrets; a restore ends them all.
 */
export const TRANSIENT_TABLES = ['staff_session', 'staff_password_token', 'auth_throttle', 'preview_link'] as const;
type Transient = (typeof TRANSIENT_TABLES)[number];
type Specs = { [T in Exclude<keyof Database, Transient>]: TableSpec<Database[T]> };

const t = true;
const SPECS: Specs = {
  museum: { key: ['id'], columns: { id: t, default_locale: t, locales: t, address: t, data_licence: t, pending_media: t, style: t } },
  museum_translation: { key: ['museum_id', 'locale'], columns: { museum_id: t, locale: t, name: t, short_name: t, intro: t, about_site: t, credits: t } },
  visit: { key: ['id'], columns: { id: t, is_primary: t, position: t } },
  visit_translation: { key: ['visit_id', 'locale'], columns: { visit_id: t, locale: t, title: t, slug: t, summary: t } },
  document: { key: ['kind', 'id'], columns: { kind: t, id: t, visit_id: t, position: t } },
  document_translation: { key: ['kind', 'id', 'locale'], columns: { kind: t, id: t, locale: t, title: t, slug: t, summary: t, lead: t } },
  block: { key: ['doc_kind', 'doc_id', 'block_id'], columns: { doc_kind: t, doc_id: t, block_id: t, position: t, block_kind: t, data: t } },
  block_translation: { key: ['doc_kind', 'doc_id', 'block_id', 'locale'], columns: { doc_kind: t, doc_id: t, block_id: t, locale: t, body: t, caption: t, title: t, source: t } },
  media: { key: ['id'], columns: { id: t, kind: t, position: t, file: t, width: t, height: t, rights: t, source: t, date: t, data: t } },
  media_translation: { key: ['media_id', 'locale'], columns: { media_id: t, locale: t, alt: t, caption: t, credit: t, title: t, description: t, subject: t } },
  media_file: { key: ['path'], columns: { path: t, hash: t, mime: t, bytes: t, width: t, height: t, info: t, text: t } },
  place: { key: ['id'], columns: { id: t, kind: t, position: t, lat: t, lon: t, precision: t } },
  place_translation: { key: ['place_id', 'locale'], columns: { place_id: t, locale: t, name: t, description: t, kind_label: t } },
  event: { key: ['id'], columns: { id: t, position: t, precision: t, date_start: t, date_end: t } },
  event_translation: { key: ['event_id', 'locale'], columns: { event_id: t, locale: t, title: t, description: t } },
  event_place: { key: ['event_id', 'position'], columns: { event_id: t, position: t, target: t } },
  event_theme: { key: ['event_id', 'position'], columns: { event_id: t, position: t, target: t } },
  event_tag: { key: ['event_id', 'position'], columns: { event_id: t, position: t, target: t } },
  geo_layer: { key: ['id'], columns: { id: t, position: t, role: t, file: t, label_property: t, data: t } },
  geo_layer_translation: { key: ['layer_id', 'locale'], columns: { layer_id: t, locale: t, name: t, credit: t } },
  tag: { key: ['id'], columns: { id: t, position: t } },
  tag_translation: { key: ['tag_id', 'locale'], columns: { tag_id: t, locale: t, label: t } },
  glossary_entry: { key: ['id'], columns: { id: t, position: t, abbreviation: t } },
  glossary_translation: { key: ['entry_id', 'locale'], columns: { entry_id: t, locale: t, term: t, abbreviation: t, definition: t } },
  meta: { key: ['key'], columns: { key: t, value: t } },
  staff_user: { key: ['id'], columns: { id: t, email: t, role: t, password_hash: t, created_at: t, updated_at: t, disabled: t, locales: t } },
  audit_log: { key: ['id'], columns: { id: t, at: t, event: t, user_id: t, email: t, address: t, detail: t } },
  content_revision: { key: ['doc_key', 'number'], columns: { doc_key: t, number: t, source: t, base: t, data: t, digest: t, user_id: t, email: t, message: t, created_at: t } },
  content_head: { key: ['doc_key'], columns: { doc_key: t, draft: t, published: t, updated_at: t, lock_user_id: t, lock_email: t, lock_until: t, review_requested_at: t, review_requested_by: t, review_requested_email: t, published_at: t, published_by: t, published_email: t } },
  content_comment: { key: ['id'], columns: { id: t, doc_key: t, revision: t, user_id: t, email: t, body: t, created_at: t, resolved_at: t, resolved_by: t } },
};

export type TableName = Exclude<keyof Database, Transient>;

export interface Table {
  name: TableName;
  key: string[];
  columns: string[];
  /** Key columns holding numbers (ordered as numbers; the others byte by byte). */
  numericKey: Set<string>;
}

const NUMERIC = new Set(['position', 'number']);

/** The tables in insertion order (parents first). */
export const TABLES: readonly Table[] = (Object.keys(SPECS) as TableName[]).map((name) => ({
  name,
  key: SPECS[name].key as string[],
  columns: Object.keys(SPECS[name].columns),
  numericKey: new Set((SPECS[name].key as string[]).filter((k) => NUMERIC.has(k))),
}));

/** The archive member holding a table's rows. */
export const tableMember = (name: string): string => `tables/${name}.jsonl`;
