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
  | 'audit.read';

/** The part of a user the policy looks at. */
export interface Actor {
  id: string;
  role: Role;
  disabled: boolean;
}

/** A subject of an action: the user whose sessions are managed (undefined: not about a particular one). */
export interface Subject {
  userId?: string;
}

const ALLOWED: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(['admin.home', 'session.manage', 'user.manage', 'audit.read']),
  editor: new Set(['admin.home', 'session.manage']),
  author: new Set(['admin.home', 'session.manage']),
  translator: new Set(['admin.home', 'session.manage']),
  reviewer: new Set(['admin.home', 'session.manage']),
};

/** Whether `user` may do `action` (on `subject`). No user, a disabled one or an unknown role may do nothing. */
export function can(user: Actor | undefined, action: Action, subject: Subject = {}): boolean {
  if (!user || user.disabled || !isRole(user.role)) return false;
  if (!ALLOWED[user.role].has(action)) return false;
  // Sessions are managed by their owner only (an admin manages other users' through user.manage).
  if (action === 'session.manage' && subject.userId !== undefined && subject.userId !== user.id) return false;
  return true;
}
