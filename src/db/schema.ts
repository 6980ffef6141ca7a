// Table types for Kysely. Dialect-neutral column types only: text, integer,
// real. JSON is stored as text and parsed in the repositories.

export interface MuseumTable {
  id: string;
  default_locale: string;
  locales: string; // JSON array, menu order
  address: string | null; // JSON object
  data_licence: string | null; // JSON object {name, url, status?}: status inside the JSON, so no column of its own
  pending_media: string | null; // 'show' | null (hide)
  style: string | null; // JSON object {accent?, accent_dark?, font?}
}
export interface MuseumTranslationTable {
  museum_id: string;
  locale: string;
  name: string | null;
  short_name: string | null;
  intro: string | null;
  about_site: string | null;
  credits: string | null;
}
export interface VisitTable {
  id: string;
  is_primary: number;
  position: number;
}
export interface VisitTranslationTable {
  visit_id: string;
  locale: string;
  title: string | null;
  slug: string | null;
  summary: string | null;
}
export interface DocumentTable {
  kind: string; // theme | article | page
  id: string;
  visit_id: string | null; // themes only
  position: number; // themes: position in the visit; others: file order
}
export interface DocumentTranslationTable {
  kind: string;
  id: string;
  locale: string;
  title: string;
  slug: string;
  summary: string | null;
  lead: string | null;
}
export interface BlockTable {
  doc_kind: string;
  doc_id: string;
  block_id: string;
  position: number;
  block_kind: string;
  data: string; // JSON: the language-neutral fields of the block
}
export interface BlockTranslationTable {
  doc_kind: string;
  doc_id: string;
  block_id: string;
  locale: string;
  body: string | null;
  caption: string | null;
  title: string | null;
  source: string | null;
}
export interface MediaTable {
  id: string;
  kind: string;
  position: number;
  file: string | null;
  width: number | null;
  height: number | null;
  rights: string | null;
  source: string | null;
  date: string | null;
  data: string | null; // JSON: creator, license, identifier, poster, sources, captions, chapters, transcript, external
}
export interface MediaTranslationTable {
  media_id: string;
  locale: string;
  alt: string | null;
  caption: string | null;
  credit: string | null;
  title: string | null;
  description: string | null;
  subject: string | null;
}
export interface MediaFileTable {
  path: string; // the file's path in the bundle
  hash: string; // sha256 of the original, hex
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  info: string | null; // JSON: { widths, placeholder }
  text: string | null; // captions and transcripts
}
export interface PlaceTable {
  id: string;
  kind: string;
  position: number;
  lat: number;
  lon: number;
  precision: string | null; // exact | approximate; NULL = not stated (exact)
}
export interface PlaceTranslationTable {
  place_id: string;
  locale: string;
  name: string | null;
  description: string | null;
  kind_label: string | null;
}
export interface EventTable {
  id: string;
  position: number;
  precision: string;
  date_start: string;
  date_end: string | null;
}
export interface EventTranslationTable {
  event_id: string;
  locale: string;
  title: string | null;
  description: string | null;
}
export interface EventLinkTable {
  event_id: string;
  position: number;
  target: string; // a place id, a theme id or a tag
}
export interface GeoLayerTable {
  id: string;
  position: number;
  role: string; // subject | context | line
  file: string; // its path in the bundle, e.g. geo/rivers.geojson
  label_property: string | null;
  data: string; // JSON: the GeoJSON FeatureCollection
}
export interface GeoLayerTranslationTable {
  layer_id: string;
  locale: string;
  name: string | null;
  credit: string | null;
}
export interface TagTable {
  id: string;
  position: number;
}
export interface TagTranslationTable {
  tag_id: string;
  locale: string;
  label: string;
}
export interface GlossaryEntryTable {
  id: string;
  position: number;
  abbreviation: string | null; // one for every language; NULL when it has none or one per language
}
export interface GlossaryTranslationTable {
  entry_id: string;
  locale: string;
  term: string | null;
  abbreviation: string | null; // this language's, when the entry has one per language
  definition: string | null;
}
export interface MetaTable {
  key: string;
  value: string;
}

// Staff accounts (migration 0012): not content; a bundle import never touches them.
export interface StaffUserTable {
  id: string;
  email: string; // normalised: trimmed, lower-case
  role: string; // admin | editor | author | translator | reviewer
  password_hash: string | null; // PHC string, Argon2id; null until a password is set
  created_at: string;
  updated_at: string;
  disabled: number; // 0 | 1
  locales: string | null; // JSON array: the languages a translator may edit (migration 0013)
}
export interface StaffSessionTable {
  id_hash: string; // hex SHA-256 of the cookie's token; the token itself is never stored
  user_id: string;
  created_at: string;
  expires_at: string; // the absolute limit
  last_seen_at: string; // idle expiry counts from here
  user_agent: string | null; // a short summary, shown in the sessions list
  revoked_at: string | null;
}
export interface StaffPasswordTokenTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export interface AuthThrottleTable {
  key: string; // account:<email> | address:<ip>
  failures: number;
  last_failure_at: string;
  blocked_until: string;
}
export interface AuditLogTable {
  id: string;
  at: string;
  event: string; // sign_in | sign_in_failed | sign_in_throttled | sign_out | sign_out_everywhere | session_revoked | user_created | password_link | password_set
  user_id: string | null;
  email: string | null;
  address: string | null;
  detail: string | null;
}

// The editorial model (migration 0013, docs/decisions/0022): revisions of documents, and each one's heads.
export interface ContentRevisionTable {
  doc_key: string; // museum | visit/<id> | theme/<id> | article/<id> | page/<id> | media/<id> | place/<id> | event/<id> | tag/<id> | glossary/<id> | layer/<id>
  number: number; // 1, 2, 3 … per document
  source: string; // import | save | restore
  base: number | null; // the revision it was made from
  data: string; // the document's state: JSON, validated
  digest: string; // SHA-256 of data
  user_id: string | null;
  email: string | null; // who, kept as written then (the user may be renamed or disabled later)
  message: string | null;
  created_at: string;
}
export interface ContentHeadTable {
  doc_key: string;
  draft: number | null; // the draft's revision; null: no draft (staff edit the published state)
  published: number | null; // what visitors see; null: not published
  updated_at: string;
  lock_user_id: string | null; // the soft lock: who has it open, until when
  lock_email: string | null;
  lock_until: string | null;
  review_requested_at: string | null; // the draft waits for review since then (null: it does not); cleared with the draft
  review_requested_by: string | null; // the staff user who asked (their id, and their email as it was)
  review_requested_email: string | null;
  published_at: string | null; // when `published` last changed to a revision, by whom (null: the command line, or before 0015)
  published_by: string | null;
  published_email: string | null;
}

export interface ContentCommentTable {
  id: string;
  doc_key: string;
  revision: number | null; // the revision its writer was reading
  user_id: string | null;
  email: string;
  body: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null; // the email of whoever resolved it
}
// Share links of the preview (migration 0014, docs/decisions/0023).
export interface PreviewLinkTable {
  id: string;
  token_hash: string; // SHA-256 of the link's token (never the token)
  created_by: string; // staff_user.id
  path: string; // the public page the link opens at
  label: string | null; // who it was given to
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface Database {
  museum: MuseumTable;
  museum_translation: MuseumTranslationTable;
  visit: VisitTable;
  visit_translation: VisitTranslationTable;
  document: DocumentTable;
  document_translation: DocumentTranslationTable;
  block: BlockTable;
  block_translation: BlockTranslationTable;
  media: MediaTable;
  media_translation: MediaTranslationTable;
  media_file: MediaFileTable;
  place: PlaceTable;
  place_translation: PlaceTranslationTable;
  event: EventTable;
  event_translation: EventTranslationTable;
  event_place: EventLinkTable;
  event_theme: EventLinkTable;
  event_tag: EventLinkTable;
  geo_layer: GeoLayerTable;
  geo_layer_translation: GeoLayerTranslationTable;
  tag: TagTable;
  tag_translation: TagTranslationTable;
  glossary_entry: GlossaryEntryTable;
  glossary_translation: GlossaryTranslationTable;
  meta: MetaTable;
  staff_user: StaffUserTable;
  staff_session: StaffSessionTable;
  staff_password_token: StaffPasswordTokenTable;
  auth_throttle: AuthThrottleTable;
  audit_log: AuditLogTable;
  content_revision: ContentRevisionTable;
  content_head: ContentHeadTable;
  content_comment: ContentCommentTable;
  preview_link: PreviewLinkTable;
}
