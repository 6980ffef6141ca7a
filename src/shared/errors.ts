// One error type for the whole application. `code` is stable (tests and the
// error mapper rely on it); `message` is for people.
export type ErrorCode =
  | 'config_invalid'
  | 'database_unavailable'
  | 'storage_unavailable'
  | 'port_in_use'
  | 'bundle_invalid'
  | 'bundle_unreadable'
  /** A backup archive that restore refuses: not one, damaged, truncated, or of another format or schema. */
  | 'backup_invalid'
  /** The database holds another content version than the one being rendered (an import committed meanwhile). */
  | 'content_changed'
  /** The thread that renders pages ended (a crash, out of memory): a new one is opened. */
  | 'render_worker_stopped'
  | 'export_target_not_empty'
  | 'not_found'
  | 'bad_request'
  | 'uri_too_long'
  | 'internal';

/**
 * One problem with what was given (a bundle's file, one of its fields), as data: `code` is stable, `message` is for
 * people. Bundle validation gives its own, narrower type (modules/bundle/bundle.problems.ts).
 */
export interface ErrorProblem {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  entity?: string;
  id?: string;
  field?: string;
  locale?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** One line per problem, as people read them (the CLI prints these). */
  readonly details: readonly string[];
  /** The same problems as data, for a program (an editor puts each beside its field); empty when there are none. */
  readonly problems: readonly ErrorProblem[];
  constructor(code: ErrorCode, message: string, details: readonly string[] = [], problems: readonly ErrorProblem[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.problems = problems;
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
