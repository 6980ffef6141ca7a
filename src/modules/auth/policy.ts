// Who may do what (issue 16): one place, asked on the server by every route;
// the UI only hides what this already forbids. Later slices add actions
// (edit, publish, translate, review…); each role's line says what it may do.

export const ROLES = ['admin', 'editor', 'author', 'translator', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** What the policy decides about. */
export type Action =
  /** The signed-in home: who you are, your sessions. */
  | 'admin.home'
  /** Your own sessions: list, revoke one, sign out everywhere. */
  | 'session.manage'
  /** Create users, change their roles, disable them, issue set-password links. */
  | 'user.manage'
  /** Read the audit log. */
  | 'audit.read'
  /** See the content as staff do: the list of documents, their drafts, history and diffs, the dashboard. */
  | 'content.read'
  /** See a draft page as visitors would (preview); give a share link of it, revoke one's own (subject.userId: its maker). */
  | 'content.preview'
  /** Write a comment on a document (a reviewer's say); resolving one is content.edit's. */
  | 'content.comment'
  /** Change a document's texts in a language (subject.locale; a translator: only their languages). */
  | 'content.edit'
  /** Change what is not one language's text: the order of themes, blocks, media chosen, settings. Restore, discard. */
  | 'content.structure'
  /** Publish drafts (and unpublish). */
  | 'content.publish';

/** The part of a user the policy looks at. */
export interface Actor {
  id: string;
  role: Role;
  disabled: boolean;
  /** A translator's languages (the others roles' are not looked at). */
  locales?: readonly string[];
}

/** A subject of an action: the user whose sessions are managed (undefined: not about a particular one). */
export interface Subject {
  userId?: string;
  /** The language of the texts an edit changes. */
  locale?: string;
}

const READ = ['admin.home', 'session.manage', 'content.read', 'content.preview', 'content.comment'] as const;
const ALLOWED: Record<Role, ReadonlySet<Action>> = {
  // Everything.
  admin: new Set([...READ, 'user.manage', 'audit.read', 'content.edit', 'content.structure', 'content.publish']),
  // Edits and publishes everything.
  editor: new Set([...READ, 'content.edit', 'content.structure', 'content.publish']),
  // Edits and saves drafts; cannot publish.
  author: new Set([...READ, 'content.edit', 'content.structure']),
  // Edits the texts of their languages only; no structure, no publishing.
  translator: new Set([...READ, 'content.edit']),
  // Reads drafts and previews, and comments on them.
  reviewer: new Set(READ),
};

/** Whether `user` may do `action` (on `subject`). No user, a disabled one or an unknown role may do nothing. */
export function can(user: Actor | undefined, action: Action, subject: Subject = {}): boolean {
  if (!user || user.disabled || !isRole(user.role)) return false;
  if (!ALLOWED[user.role].has(action)) return false;
  // Sessions are managed by their owner only (an admin manages other users' through user.manage).
  if (action === 'session.manage' && subject.userId !== undefined && subject.userId !== user.id) return false;
  // A preview's share link is revoked by who made it, or by those who may publish (editors and admins).
  if (action === 'content.preview' && subject.userId !== undefined && subject.userId !== user.id) return ALLOWED[user.role].has('content.publish');
  // A translator edits the languages given to them, and only when the edit says which.
  if (action === 'content.edit' && user.role === 'translator') return subject.locale !== undefined && (user.locales ?? []).includes(subject.locale);
  return true;
}
